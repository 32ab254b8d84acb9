//! The cart page: lines by store, selection, quantities within limits, removal with undo, the
//! unavailable section, sharing, and the total — all from the cart store.

use super::domain::{all_selected, limit_of, selected_total, stores_after_pass, Change, Limit, FIRST_PASS_LINES, PASS_LINES};
use super::store::{use_cart, CartStore, Sync};
use super::{CartLine, LineStatus};
use crate::api::ApiClient;
use crate::i18n::{format_fen, use_i18n, I18n};
use crate::ui::{error_message, use_toast, Toaster, Checkbox, Deferred, Dialog, Empty, ErrorView, LazyImage, Loading, Stepper};
use crate::wechat::{self, JsSdk, ShareCard, Shared};
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::router::Link;
use crate::router::use_location;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::time::Duration;
use crate::json_record;

/// One signal per line, owned by the page (not by the store block that first shows it: a
/// block is rebuilt when its lines change, and must not take the other lines' signals with it).
#[derive(Clone, Copy)]
struct Rows {
    map: StoredValue<HashMap<String, Row>>,
    owner: StoredValue<Owner>,
}

/// A line's signals. Whether it is selected is kept apart from the rest and is not a signal:
/// select-all reaches only the check marks (set by the passes below) and the stores' figures
/// (worked out from the shown cart), not prices and steppers.
#[derive(Clone, Copy)]
struct Row {
    line: RwSignal<CartLine>,
    selected: StoredValue<bool>,
    /// The line's check box, set by the page's passes over the lines (`update`, `show_check`):
    /// select-all on a thousand lines is then one pass, not a thousand effects (each its own
    /// task) on top of it. In edit mode the same box shows whether the line is marked.
    check: NodeRef<leptos::html::Input>,
}

impl Row {
    /// Brings the signals up to date, setting only what changed; the check mark too unless it
    /// shows marking (`editing`).
    fn update(&self, line: &CartLine, editing: bool) {
        if self.selected.try_get_value() != Some(line.selected) {
            self.selected.set_value(line.selected);
            if !editing {
                self.show_check(line.selected);
            }
        }
        let other_fields_changed = self.line.try_with_untracked(|old| {
            old.quantity != line.quantity
                || old.unit_price_fen != line.unit_price_fen
                || old.price_when_added_fen != line.price_when_added_fen
                || old.stock != line.stock
                || old.limit_per_person != line.limit_per_person
                || old.status != line.status
                || old.title != line.title
                || old.spec != line.spec
                || old.image_url != line.image_url
        });
        if other_fields_changed == Some(true) {
            self.line.set(line.clone());
        }
    }

    fn show_check(&self, checked: bool) {
        if let Some(input) = self.check.try_get_untracked().flatten() {
            input.set_checked(checked);
        }
    }

    fn alive(&self) -> bool {
        self.line.try_with_untracked(|_| ()).is_some() && self.selected.try_get_value().is_some()
    }
}

impl Rows {
    /// The line's signals, brought up to date (created under the page's owner when new).
    fn row(&self, line: CartLine, editing: bool) -> Row {
        match self.map.with_value(|m| m.get(&line.line_id).copied()).filter(Row::alive) {
            Some(row) => {
                row.update(&line, editing);
                row
            }
            None => {
                let id = line.line_id.clone();
                let selected = line.selected;
                let row = self.owner.with_value(|owner| owner.with(|| Row { line: RwSignal::new(line), selected: StoredValue::new(selected), check: NodeRef::new() }));
                self.map.update_value(|m| {
                    m.insert(id, row);
                });
                row
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum PageState {
    Loading,
    Failed(crate::api::ApiError),
    Empty,
    Lines,
}

/// How long a removal can be undone.
const UNDO_MS: u64 = 4_000;
/// How far a line slides to show its delete button.
const SWIPE_OPEN_PX: f64 = -80.0;

struct CartShare {
    share_token: String,
}

/// What the page's parts need (`deferred_part!`: the two dialogs and the undo bar), each built
/// from this context the first time it is wanted.
#[derive(Clone, Copy)]
struct CartParts {
    marked: RwSignal<Vec<String>>,
    /// Lines removed but still undoable.
    hidden: RwSignal<Vec<String>>,
    confirm_delete: RwSignal<bool>,
    share_guide: RwSignal<bool>,
    remove: Callback<Vec<String>>,
}
json_record!(read CartShare { share_token });

#[component]
pub fn CartPage() -> impl IntoView {
    let store = use_cart();
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let location = use_location();
    let editing = RwSignal::new(false);
    let marked = RwSignal::new(Vec::<String>::new());
    // Lines removed but still undoable: hidden now, sent when the undo time is up.
    let hidden = RwSignal::new(Vec::<String>::new());
    let undo_serial = StoredValue::new(0u64);
    let confirm_delete = RwSignal::new(false);
    let share_guide = RwSignal::new(false);
    let sharing = RwSignal::new(false);
    let undo_wanted = RwSignal::new(false);
    // Changes that could not be sent are said so (and offered again) by a part of its own.
    let unsynced_wanted = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(store.sync.get(), Sync::Waiting(_)) && !unsynced_wanted.get_untracked() {
            unsynced_wanted.set(true);
        }
    });

    let remove = move |ids: Vec<String>| {
        if ids.is_empty() {
            return;
        }
        hidden.update(|h| h.extend(ids.iter().cloned()));
        undo_wanted.set(true);
        marked.set(Vec::new());
        let serial = undo_serial.get_value() + 1;
        undo_serial.set_value(serial);
        set_timeout(
            move || {
                // Still hidden (not undone): now it is really removed. If the follower left the
                // page meanwhile, they did not undo either: the removal stands.
                let still: Vec<String> = hidden
                    .try_with_untracked(|h| ids.iter().filter(|id| h.contains(id)).cloned().collect())
                    .unwrap_or_else(|| ids.clone());
                if !still.is_empty() {
                    store.change(Change::Remove { line_ids: still.clone() });
                    let _ = hidden.try_update(|h| h.retain(|id| !still.contains(id)));
                }
            },
            Duration::from_millis(UNDO_MS),
        );
    };

    // The cart as shown: one copy per change. Everything below reads it in place (`with`): a
    // thousand-line cart must not be copied once per total, check mark and list.
    let visible = Memo::new(move |_| {
        store.shown().map(|mut c| {
            hidden.with(|gone| {
                if !gone.is_empty() {
                    for s in &mut c.stores {
                        s.lines.retain(|l| !gone.contains(&l.line_id));
                    }
                    c.stores.retain(|s| !s.lines.is_empty());
                }
            });
            c
        })
    });
    provide_context(CartParts { marked, hidden, confirm_delete, share_guide, remove: Callback::new(remove) });
    // One signal per line, set only when that line changed: select-all updates check marks,
    // not rows, and the structure (which lines in which store) re-renders only when lines come
    // or go. Rows are created with the lines they render; later changes arrive by this diff.
    let rows = Rows { map: StoredValue::new(HashMap::default()), owner: StoredValue::new(Owner::current().unwrap_or_default()) };
    Effect::new(move |_| {
        visible.with(|cart| {
            let Some(cart) = cart else { return };
            let editing = editing.get_untracked();
            let mut found = 0;
            rows.map.with_value(|m| {
                for line in cart.lines() {
                    if let Some(row) = m.get(&line.line_id) {
                        row.update(line, editing);
                        found += 1;
                    }
                }
            });
            // Rows of lines that went are dropped (a select-all, where none went, skips this).
            if found < rows.map.with_value(HashMap::len) {
                let seen: HashSet<&str> = cart.lines().map(|l| l.line_id.as_str()).collect();
                rows.map.update_value(|m| m.retain(|id, _| seen.contains(id.as_str())));
            }
        })
    });
    let structure = Memo::new(move |_| {
        visible.with(|c| c.as_ref().map(|c| {
            c.stores
                .iter()
                .map(|s| (s.store_id.clone(), s.name.clone(), s.lines.iter().filter(|l| l.status == LineStatus::Ok).map(|l| l.line_id.clone()).collect::<Vec<_>>()))
                .filter(|(_, _, ids)| !ids.is_empty())
                .collect::<Vec<_>>()
        })).unwrap_or_default()
    });
    // A long cart is built a pass at a time (one task each): the first lines paint at once.
    let shown_stores = RwSignal::new(0usize);
    Effect::new(move |_| {
        let counts: Vec<usize> = structure.with(|all| all.iter().map(|s| s.2.len()).collect());
        let shown = shown_stores.get();
        if shown >= counts.len() {
            return;
        }
        if shown == 0 {
            shown_stores.set(stores_after_pass(&counts, 0, FIRST_PASS_LINES));
        } else {
            set_timeout(move || { let _ = shown_stores.try_set(stores_after_pass(&counts, shown, PASS_LINES)); }, Duration::ZERO);
        }
    });
    let available_stores = move || {
        let shown = shown_stores.get();
        structure.with(|all| all.iter().take(shown).cloned().collect::<Vec<_>>())
    };
    // Only a change of state rebuilds the page; lines update in place.
    let page_state = Memo::new(move |_| match (visible.with(|c| c.as_ref().map(|c| c.stores.is_empty())), store.load_error.get()) {
        (None, Some(error)) => PageState::Failed(error),
        (None, None) => PageState::Loading,
        (Some(true), _) => PageState::Empty,
        (Some(false), _) => PageState::Lines,
    });
    // In edit mode the lines' boxes show what is marked for deleting; back from it, what is
    // selected. One pass over the lines (as select-all's), when either changes.
    Effect::new(move |first: Option<()>| {
        let editing = editing.get();
        marked.with(|marked| {
            if first.is_none() {
                return;
            }
            let marked: HashSet<&str> = marked.iter().map(String::as_str).collect();
            rows.map.with_value(|m| {
                for (id, row) in m {
                    row.show_check(if editing { marked.contains(id.as_str()) } else { row.selected.get_value() });
                }
            });
        });
    });
    let unavailable = Memo::new(move |_| visible.with(|c| c.as_ref().map(|c| c.lines().filter(|l| l.status != LineStatus::Ok).cloned().collect::<Vec<_>>()).unwrap_or_default()));
    // The summary bar's figures in one memo: how many selected, their total, whether all are.
    let totals = Memo::new(move |_| visible.with(|c| c.as_ref().map(|c| (selected_total(c.lines()), all_selected(c.lines()))).unwrap_or(((0, 0), false))));

    let share = move |_| {
        let api = api.clone();
        sharing.set(true);
        leptos::task::spawn_local(async move {
            #[cfg(wxf_split)]
            let sharing_code = cart_share(api, sdk, i18n, toaster).await;
            #[cfg(not(wxf_split))]
            let sharing_code = cart_share(api, sdk, i18n, toaster);
            let shared = match sharing_code {
                Ok(share) => share.await,
                // Its code could not be fetched: it is the network, and a second tap tries again.
                Err(_) => {
                    toaster.error(error_message(i18n.t(), &crate::api::ApiError::Network));
                    false
                }
            };
            // The follower may have left the page meanwhile.
            if shared {
                let _ = share_guide.try_set(true);
            }
            let _ = sharing.try_set(false);
        });
    };

    view! {
        <header class="cart-header">
            <h1 class="page-title">{move || i18n.t().cart_title}</h1>
            <div class="cart-header-actions">
                <Link href="/orders" attr:class="btn btn-default btn-small">{move || i18n.t().unpaid_short}</Link>
                <button class="btn btn-default btn-small share-cart" disabled=move || sharing.get() on:click=share>{move || i18n.t().share}</button>
                <button class="btn btn-default btn-small edit-cart" on:click=move |_| { editing.update(|e| *e = !*e); marked.set(Vec::new()); }>
                    {move || if editing.get() { i18n.t().done } else { i18n.t().edit }}
                </button>
            </div>
        </header>
        <Deferred wanted=unsynced_wanted load=cart_unsynced/>
        {move || match page_state.get() {
            PageState::Failed(error) => view! { <ErrorView error on_retry=move || store.reload()/> }.into_any(),
            PageState::Loading => view! { <Loading/> }.into_any(),
            PageState::Empty => view! {
                <Empty text=i18n.t().cart_empty.to_owned()>
                    <Link href="/shop" attr:class="btn btn-primary btn-small">{i18n.t().go_shopping}</Link>
                </Empty>
            }.into_any(),
            PageState::Lines => view! {
                <SwipeToDelete editing>
                    <Keyed each=available_stores key=|s| (s.0.clone(), s.2.clone()) let:s>
                        <StoreBlock
                            store_id=s.0.clone()
                            name=s.1.clone()
                            lines=visible.with_untracked(|c| c.as_ref().and_then(|c| c.stores.iter().find(|st| st.store_id == s.0)).map(|st| st.lines.iter().filter(|l| l.status == LineStatus::Ok).cloned().collect()).unwrap_or_default())
                            rows editing marked visible/>
                    </Keyed>
                </SwipeToDelete>
                <When when=move || !unavailable.with(Vec::is_empty)>
                    <section class="cells unavailable-lines">
                        <header class="store-header">
                            <h2 class="store-name">{move || (i18n.t().cart_unavailable_n)(unavailable.with(Vec::len))}</h2>
                            <button class="btn btn-default btn-small clear-unavailable" on:click=move |_| store.change(Change::ClearUnavailable)>{move || i18n.t().clear_unavailable}</button>
                        </header>
                        // Few, and changed only by a change to one of them: built again together, not
                        // diffed by key (one keyed list less in the cart's code).
                        {move || unavailable.get().into_iter().map(|line| view! { <UnavailableRow line/> }).collect_view()}
                    </section>
                </When>
            }.into_any(),
        }}
        <When when=move || visible.with(|c| c.as_ref().is_some_and(|c| !c.stores.is_empty()))>
            <div class="cart-summary">
                <Checkbox checked=Signal::derive(move || if editing.get() { marked.with(Vec::len) == visible.with(|c| c.as_ref().map_or(0, |c| c.lines().filter(|l| l.status == LineStatus::Ok).count())) } else { totals.get().1 }) on_toggle=move |v| {
                    if editing.get_untracked() {
                        // The lines with a box (the unavailable ones have "clear" of their own).
                        marked.set(if v { visible.with_untracked(|c| c.as_ref().map(|c| c.lines().filter(|l| l.status == LineStatus::Ok).map(|l| l.line_id.clone()).collect()).unwrap_or_default()) } else { vec![] });
                    } else {
                        store.change(Change::Select { line_ids: None, selected: v });
                    }
                } label=Signal::derive(move || i18n.t().select_all.to_owned()) show_label=true/>
                <When when=move || !editing.get() fallback=move || view! {
                    <button class="btn btn-warn btn-small delete-marked" disabled=move || marked.with(Vec::is_empty) on:click=move |_| confirm_delete.set(true)>
                        {move || format!("{}({})", i18n.t().delete, marked.with(Vec::len))}
                    </button>
                }>
                    <p class="cart-total">{move || i18n.t().cart_total}": "<strong class="price">{move || format_fen(totals.get().0 .1)}</strong></p>
                    <button class="btn btn-primary btn-small checkout" disabled=move || totals.get().0 .0 == 0
                        on:click=move |_| location.navigate("/checkout")>
                        {move || format!("{}({})", i18n.t().checkout, totals.get().0 .0)}
                    </button>
                </When>
            </div>
        </When>
        <Deferred wanted=undo_wanted load=cart_undo/>
        <Deferred wanted=confirm_delete load=cart_confirm/>
        <Deferred wanted=share_guide load=cart_guide/>
    }
}

crate::deferred_part!(
    /// Asks before removing the lines marked in edit mode: most visits never remove in bulk, so
    /// its code (the dialog's) comes with the first tap on delete, or fetched ahead once the cart
    /// has shown.
    cart_confirm => {
        let dialogs = expect_context::<CartParts>();
        let i18n = use_i18n();
        let marked = dialogs.marked;
        view! {
            <Dialog open=dialogs.confirm_delete danger=true title=Signal::derive(move || (i18n.t().confirm_remove_n)(marked.with(Vec::len)))
                confirm_text=Signal::derive(move || Some(i18n.t().delete.to_owned()))
                on_confirm=move || dialogs.remove.run(marked.get_untracked())/>
        }
    }
);

crate::deferred_part!(
    /// After sharing inside WeChat, how to send the cart from WeChat's menu.
    cart_guide => {
        let dialogs = expect_context::<CartParts>();
        let i18n = use_i18n();
        view! { <Dialog open=dialogs.share_guide alert=true title=Signal::derive(move || i18n.t().share_with_menu.to_owned()) on_confirm=|| ()/> }
    }
);

crate::deferred_part!(
    /// Says that changes are waiting to reach the server, and offers to send them again: its code
    /// comes the first time a change could not be sent.
    cart_unsynced => {
        let store = use_cart();
        let i18n = use_i18n();
        view! {
            <When when=move || matches!(store.sync.get(), Sync::Waiting(_)) && !store.outbox.with(Vec::is_empty)>
                <div class="sync-banner" role="status">
                    <span>{move || (i18n.t().cart_unsynced)(store.outbox.with(Vec::len))}</span>
                    <button class="btn btn-default btn-small" on:click=move |_| store.retry()>{move || i18n.t().retry}</button>
                </div>
            </When>
        }
    }
);

crate::deferred_part!(
    /// Undoes a removal while it can: its code comes with the first removal (or fetched ahead
    /// once the cart has shown).
    cart_undo => {
        let hidden = expect_context::<CartParts>().hidden;
        let i18n = use_i18n();
        view! {
            <When when=move || !hidden.with(Vec::is_empty)>
                <div class="undo-bar" role="status">
                    <span>{move || (i18n.t().removed_n)(hidden.with(Vec::len))}</span>
                    <button class="btn btn-default btn-small undo" on:click=move |_| hidden.set(Vec::new())>{move || i18n.t().undo}</button>
                </div>
            </When>
        }
    }
);

/// Shares the cart: a share link from the API, then WeChat's share (or the fallbacks). `true`
/// when the follower should be shown how to share from WeChat's menu. Behind a split point of its
/// own in the release build: few visits share, so its code comes after the page (fetched ahead
/// once the cart has shown, or on the first tap).
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(cart_share, wasm_split_path = ::leptos::wasm_split, fallible))]
fn cart_share(api: ApiClient, sdk: JsSdk, i18n: I18n, toaster: Toaster) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        match api.send::<CartShare, ()>("POST", "/cart/shares", None, None).await {
            Ok(share) => {
                let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                let m = i18n.t();
                let card = ShareCard { title: m.share_cart_title.to_owned(), desc: m.share_cart_desc.to_owned(), link: format!("{origin}/shared/{}", share.share_token), img_url: String::new() };
                match wechat::share_now(&sdk, &card).await {
                    Shared::UseWechatMenu => return true,
                    Shared::Copied => toaster.success(m.share_link_copied),
                    Shared::SystemSheet | Shared::Cancelled => {}
                    Shared::Failed(_) => toaster.info(card.link),
                }
            }
            Err(e) => toaster.error(error_message(i18n.t(), &e)),
        }
        false
    }))
}

/// The lines inside slide left to show their delete button. One set of touch handlers for all of
/// them (not three closures and a signal per line: a thousand-line cart builds faster), and a
/// module of its own in the release build that also puts the delete button behind a line when it
/// starts to slide (not one button per line in every visit), installed once the page has settled
/// or at the first touch (`install_when_settled`): a swipe comes after a look. One line is open
/// at a time; starting to slide another closes it.
/// In edit mode the steppers step aside (by a class: no effect per line).
#[component]
fn SwipeToDelete(editing: RwSignal<bool>, children: Children) -> impl IntoView {
    let area = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(area) = area.get() else { return };
        crate::ui::install_when_settled(Some(&area.clone().into()), move || {
            #[cfg(wxf_split)]
            return Box::pin(cart_swipe(area));
            #[cfg(not(wxf_split))]
            return Box::pin(std::future::ready(cart_swipe(area)));
        });
    });
    view! { <div class="cart-stores" class:cart-editing=move || editing.get() node_ref=area>{children()}</div> }
}

/// `SwipeToDelete`'s handlers, to install under its owner (they go with it).
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(cart_swipe, wasm_split_path = ::leptos::wasm_split, fallible))]
fn cart_swipe(area: web_sys::HtmlDivElement) -> Result<Box<dyn FnOnce()>, leptos::wasm_split::SplitLoaderError> {
    use wasm_bindgen::{closure::Closure, JsCast};
    Ok(Box::new(move || {
        let remove = expect_context::<CartParts>().remove;
        let i18n = use_i18n();
        // The line being slid (where the finger started, where the line was then, where it is
        // now), and the line left open.
        let sliding = StoredValue::new_local(None::<(web_sys::HtmlElement, f64, f64, f64)>);
        let open = StoredValue::new_local(None::<web_sys::HtmlElement>);
        let slide = |line: &web_sys::HtmlElement, px: f64| {
            let _ = line.style().set_property("transform", &format!("translateX({})", crate::ui::px(px)));
        };
        let finger_x = |ev: &web_sys::Event| ev.dyn_ref::<web_sys::TouchEvent>().and_then(|t| t.touches().get(0)).map(|t| t.client_x() as f64);
        let on_start = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let line = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.closest(".line-swipe .cart-line").ok().flatten()).and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok());
            let (Some(line), Some(x)) = (line, finger_x(&ev)) else { return };
            // Its delete button, behind it (and in the language shown now).
            if let (Some(swipe), Some(document)) = (line.parent_element(), line.owner_document()) {
                let button = match swipe.query_selector(".line-delete").ok().flatten() {
                    Some(button) => Some(button),
                    None => document.create_element("button").ok().inspect(|button| {
                        button.set_class_name("line-delete");
                        let _ = button.set_attribute("tabindex", "-1");
                        let _ = swipe.insert_before(button, Some(&line));
                    }),
                };
                if let Some(button) = button {
                    button.set_text_content(Some(i18n.t().delete));
                }
            }
            let was_open = open.with_value(|o| o.as_ref() == Some(&line));
            if !was_open {
                if let Some(other) = open.with_value(Clone::clone) {
                    slide(&other, 0.0);
                }
                open.set_value(None);
            }
            let at = if was_open { SWIPE_OPEN_PX } else { 0.0 };
            sliding.set_value(Some((line, x, at, at)));
        });
        let on_move = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(x) = finger_x(&ev) else { return };
            sliding.update_value(|s| {
                if let Some((line, x0, o0, now)) = s {
                    *now = (*o0 + x - *x0).clamp(SWIPE_OPEN_PX, 0.0);
                    slide(line, *now);
                }
            });
        });
        let on_end = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            let Some((line, _, _, now)) = sliding.with_value(Clone::clone) else { return };
            sliding.set_value(None);
            let opened = now < SWIPE_OPEN_PX / 2.0;
            slide(&line, if opened { SWIPE_OPEN_PX } else { 0.0 });
            open.set_value(opened.then_some(line));
        });
        let on_delete = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let swipe = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).filter(|t| t.class_name() == "line-delete").and_then(|t| t.parent_element());
            if let Some(id) = swipe.and_then(|s| s.get_attribute("data-line")) {
                open.set_value(None);
                remove.run(vec![id]);
            }
        });
        crate::ui::listen_while_owned(area.into(), vec![(&["touchstart"], on_start), (&["touchmove"], on_move), (&["touchend", "touchcancel"], on_end), (&["click"], on_delete)]);
    }))
}

/// One store's available lines, with its own select box and subtotal.
#[component]
fn StoreBlock(
    store_id: String,
    name: String,
    lines: Vec<CartLine>,
    rows: Rows,
    editing: RwSignal<bool>,
    marked: RwSignal<Vec<String>>,
    /// The cart as shown, which the store's figures are worked out from.
    visible: Memo<Option<super::Cart>>,
) -> impl IntoView {
    let carts = expect_context::<CartStore>();
    let i18n = use_i18n();
    let line_ids: Vec<String> = lines.iter().map(|l| l.line_id.clone()).collect();
    let signals: Vec<Row> = lines.into_iter().map(|line| rows.row(line, editing.get_untracked())).collect();
    // Its figures as the summary bar's (pieces and total selected, whether all are; the same
    // type as `totals`, so no memo code of its own), from its lines in place: one read of the
    // cart per store, not a tracked read of each line's signal.
    let figures = Memo::new(move |_| {
        visible.with(|c| c.as_ref().and_then(|c| c.stores.iter().find(|s| s.store_id == store_id)).map(|s| (selected_total(&s.lines), all_selected(&s.lines)))).unwrap_or(((0, 0), false))
    });
    let ids = line_ids.clone();
    let store_checked = Signal::derive(move || {
        if editing.get() { marked.with(|m| ids.iter().all(|id| m.contains(id))) } else { figures.get().1 }
    });
    let ids = line_ids.clone();
    view! {
        <section class="cells store" aria-label=name.clone()>
            <header class="store-header">
                <Checkbox checked=store_checked on_toggle=move |v| {
                    if editing.get_untracked() {
                        marked.update(|m| { m.retain(|id| !ids.contains(id)); if v { m.extend(ids.iter().cloned()); } });
                    } else {
                        carts.change(Change::Select { line_ids: Some(ids.clone()), selected: v });
                    }
                } label=name.clone()/>
                <h2 class="store-name">{name.clone()}</h2>
                <span class="store-subtotal">{move || i18n.t().subtotal}" "{move || format_fen(figures.get().0 .1)}</span>
            </header>
            {signals.into_iter().map(|row| view! { <LineRow row editing marked/> }).collect_view()}
        </section>
    }
}

/// One available line: select, picture, title, price, quantity; swipe left to delete.
#[component]
fn LineRow(row: Row, editing: RwSignal<bool>, marked: RwSignal<Vec<String>>) -> impl IntoView {
    let Row { line, selected, check } = row;
    let carts = expect_context::<CartStore>();
    let toaster = use_toast();
    let i18n = use_i18n();
    let first = line.get_untracked();
    let id = first.line_id.clone();
    let limit = move || line.with(limit_of);
    let (id_step, id_line) = (id.clone(), id.clone());
    // One box, built once: it shows whether the line is selected, or in edit mode whether it is
    // marked for deleting, as the page's passes over the lines set it; it starts as either is now.
    let checked = Signal::stored(if editing.get_untracked() { marked.with_untracked(|m| m.contains(&id)) } else { selected.get_value() });
    let on_toggle = move |v: bool| {
        if editing.get_untracked() {
            marked.update(|m| {
                m.retain(|x| x != &id);
                if v {
                    m.push(id.clone());
                }
            });
        } else {
            carts.change(Change::Select { line_ids: Some(vec![id.clone()]), selected: v });
        }
    };
    view! {
        // Its delete button is put behind it by the swipe's code (`cart_swipe`).
        <div class="line-swipe" data-line=id_line>
            <div class="cell cart-line">
                <Checkbox checked node_ref=check on_toggle label=first.title.clone()/>
                <LazyImage src=first.image_url.clone() size=(1, 1) class="line-image".to_owned()/>
                <div class="cell-body">
                    <p class="cell-title line-title">{first.title.clone()}</p>
                    <p class="cell-desc">{first.spec.clone()}</p>
                    <div class="line-foot">
                        <span class="price">{move || format_fen(line.with(|l| l.unit_price_fen))}</span>
                        <Stepper value=Signal::derive(move || line.with(|l| l.quantity)) min=1i64 max=Signal::derive(move || limit().max().max(1)) label=first.title.clone()
                            on_change=move |q| carts.change(Change::SetQuantity { line_id: id_step.clone(), quantity: q })
                            on_over=move |n| toaster.info(match line.with_untracked(limit_of) { Limit::Stock(_) => (i18n.t().only_left)(n), Limit::PerPerson(_) => (i18n.t().max_quantity)(n) })/>
                    </div>
                </div>
            </div>
        </div>
    }
}

/// A line that cannot be bought now, with why; a changed price can be accepted.
#[component]
fn UnavailableRow(line: CartLine) -> impl IntoView {
    let carts = expect_context::<CartStore>();
    let i18n = use_i18n();
    let id = line.line_id.clone();
    let status = line.status;
    view! {
        <div class="cell cart-line unavailable-line" data-status=match status {
            LineStatus::OutOfStock => "OutOfStock",
            LineStatus::Delisted => "Delisted",
            _ => "PriceChanged",
        }>
            <LazyImage src=line.image_url.clone() size=(1, 1) class="line-image".to_owned()/>
            <div class="cell-body">
                <p class="cell-title line-title">{line.title.clone()}</p>
                <p class="cell-desc">{move || match status {
                    LineStatus::OutOfStock => i18n.t().sold_out.to_owned(),
                    LineStatus::Delisted => i18n.t().delisted.to_owned(),
                    _ => (i18n.t().price_changed)(&format_fen(line.price_when_added_fen), &format_fen(line.unit_price_fen)),
                }}</p>
            </div>
            <When when=move || status == LineStatus::PriceChanged>
                <button class="btn btn-default btn-small accept-price" on:click={let id = id.clone(); move |_| carts.change(Change::AcceptPrice { line_id: id.clone() })}>{move || i18n.t().accept_price}</button>
            </When>
        </div>
    }
}
