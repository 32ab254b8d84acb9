//! Checkout, once for every store: per-store subtotals and shipping, coupons (and why some
//! cannot be used), the address, and one order placed with an idempotency key, so a double
//! tap or a retry after a timeout is the same order.

use super::store::use_cart;
use crate::api::{new_idempotency_key, ApiClient, ApiError};
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{error_message, use_toast, Button, Cell, Cells, Deferred, Dialog, ErrorView, HalfScreen, Loading, TextField};
use crate::wechat::{self, JsSdk, Outcome};
use leptos::prelude::*;
use crate::router::use_location;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
pub struct PreviewLine {
    pub line_id: String,
    pub title: String,
    pub spec: String,
    pub unit_price_fen: i64,
    pub quantity: i64,
    pub line_total_fen: i64,
}
json_record!(read PreviewLine { line_id, title, spec, unit_price_fen, quantity, line_total_fen });

#[derive(Clone, Debug, PartialEq)]
pub struct PreviewStore {
    pub store_id: String,
    pub name: String,
    pub lines: Vec<PreviewLine>,
    pub subtotal_fen: i64,
    pub shipping_fen: i64,
}
json_record!(read PreviewStore { store_id, name, lines, subtotal_fen, shipping_fen });

#[derive(Clone, Debug, PartialEq)]
pub struct Coupon {
    pub coupon_id: String,
    pub title: String,
    pub discount_fen: i64,
    pub min_spend_fen: i64,
    pub store_id: Option<String>,
    pub usable: bool,
    pub reason: Option<String>,
    pub chosen: bool,
}
json_record!(read Coupon { coupon_id, title, discount_fen, min_spend_fen, store_id: default, usable, reason: default, chosen });

#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub stores: Vec<PreviewStore>,
    pub goods_fen: i64,
    pub shipping_fen: i64,
    pub discount_fen: i64,
    pub total_fen: i64,
    pub coupons: Vec<Coupon>,
    pub cart_version: i64,
}
json_record!(read Preview { stores, goods_fen, shipping_fen, discount_fen, total_fen, coupons, cart_version });

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Address {
    pub name: String,
    pub phone: String,
    pub region: String,
    pub detail: String,
}
json_record!(read write Address { name, phone, region, detail });

/// Enough to deliver to: a name, an 11-digit phone and the street address.
pub fn address_complete(a: &Address) -> bool {
    !a.name.trim().is_empty() && a.phone.trim().len() == 11 && a.phone.trim().bytes().all(|b| b.is_ascii_digit()) && !a.detail.trim().is_empty()
}

struct Addresses {
    addresses: Vec<Address>,
}
json_record!(read Addresses { addresses });

struct PreviewRequest<'a> {
    line_ids: &'a [String],
    coupon_ids: &'a [String],
}
json_record!(write PreviewRequest<'a> { line_ids, coupon_ids });

struct PlaceOrder<'a> {
    line_ids: &'a [String],
    coupon_ids: &'a [String],
    address: &'a Address,
    expected_total_fen: i64,
}
json_record!(write PlaceOrder<'a> { line_ids, coupon_ids, address, expected_total_fen });

struct Placed {
    order_id: String,
}
json_record!(read Placed { order_id });

/// What checkout's sheets and dialog need. Each is a part of its own (`deferred_part!`), built
/// from this context the first time it opens: the page shows the order without their code.
#[derive(Clone, Copy)]
struct CheckoutSheets {
    preview: RwSignal<Option<Result<Preview, ApiError>>>,
    coupons_open: RwSignal<bool>,
    toggle_coupon: Callback<String>,
    editing_address: RwSignal<bool>,
    /// Name, phone, region and street as typed.
    fields: [RwSignal<String>; 4],
    save_address: Callback<()>,
    confirm_total: RwSignal<bool>,
    changed_total: RwSignal<Option<i64>>,
    confirm_changed: Callback<()>,
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let carts = use_cart();
    let i18n = use_i18n();
    let toaster = use_toast();
    let location = use_location();
    // The lines chosen in the cart, once the cart is known (at once when it is cached; after its
    // read when checkout is the first page opened).
    let line_ids = StoredValue::new(Vec::<String>::new());
    let coupon_ids = RwSignal::new(Vec::<String>::new());
    let preview = RwSignal::new(None::<Result<Preview, ApiError>>);
    let address = RwSignal::new(Address::default());
    let (name, phone, region, detail) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let editing_address = RwSignal::new(false);
    let coupons_open = RwSignal::new(false);
    let placing = RwSignal::new(false);
    let changed_total = RwSignal::new(None::<i64>);
    let confirm_total = RwSignal::new(false);
    // One key per intent to buy: kept for every retry of this checkout.
    let key = StoredValue::new(new_idempotency_key());

    let load = {
        let api = api.clone();
        move || {
            let api = api.clone();
            let ids = line_ids.get_value();
            let coupons = coupon_ids.get_untracked();
            leptos::task::spawn_local(async move {
                let answer = api.send::<Preview, _>("POST", "/checkout/preview", Some(&PreviewRequest { line_ids: &ids, coupon_ids: &coupons }), None).await;
                // The follower may have left the page meanwhile.
                let _ = preview.try_set(Some(answer));
            });
        }
    };
    // The order is previewed once the chosen lines are known; a cart that cannot be read leaves
    // none, and the preview's error says so with a retry.
    Effect::new({
        let load = load.clone();
        move |previewed: Option<bool>| {
            if previewed == Some(true) {
                return true;
            }
            match carts.shown() {
                Some(cart) => line_ids.set_value(cart.lines().filter(|l| super::domain::counts(l)).map(|l| l.line_id.clone()).collect()),
                None if carts.load_error.with(Option::is_some) => {}
                None => return false,
            }
            load();
            true
        }
    });
    // An address typed here is a draft until the order is placed: a reload brings it back (and
    // the form, if it was not finished).
    let draft_key = format!("checkout_address.{}", use_context::<crate::session::Session>().and_then(|s| s.user.get_untracked()).map(|u| u.user_id).unwrap_or_default());
    let typed = crate::drafts::load::<Address>(&draft_key);
    if let Some(a) = typed.clone() {
        name.set(a.name.clone());
        phone.set(a.phone.clone());
        region.set(a.region.clone());
        detail.set(a.detail.clone());
        editing_address.set(!address_complete(&a));
        address.set(a);
    }
    crate::drafts::keep(
        draft_key.clone(),
        Signal::derive(move || Address { name: name.get(), phone: phone.get(), region: region.get(), detail: detail.get() }),
        |a: &Address| !(a.name.is_empty() && a.phone.is_empty() && a.region.is_empty() && a.detail.is_empty()),
    );
    let draft_key = StoredValue::new(draft_key);
    if typed.is_none() {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            if let Ok(list) = api.get::<Addresses>("/addresses").await {
                if let Some(a) = list.addresses.into_iter().next() {
                    let _ = address.try_set(a);
                }
            }
        });
    }
    let toggle_coupon = {
        let load = load.clone();
        move |id: String| {
            coupon_ids.update(|c| if c.contains(&id) { c.retain(|x| x != &id) } else { c.push(id) });
            load();
        }
    };
    let use_wechat_address = move |_| {
        leptos::task::spawn_local(async move {
            let chosen = wechat::open_address(&sdk).await;
            if address.is_disposed() {
                return;
            }
            match chosen {
                Some(Outcome::Ok(a)) => address.set(Address { name: a.name, phone: a.phone, region: a.region, detail: a.detail }),
                Some(_) => {}
                None => {
                    let a = address.get_untracked();
                    name.set(a.name);
                    phone.set(a.phone);
                    region.set(a.region);
                    detail.set(a.detail);
                    editing_address.set(true);
                }
            }
        });
    };
    let save_address = move |_: ()| {
        address.set(Address { name: name.get_untracked(), phone: phone.get_untracked(), region: region.get_untracked(), detail: detail.get_untracked() });
        editing_address.set(false);
    };
    let place = {
        let (api, load) = (api.clone(), load.clone());
        move |expected: i64| {
            let (api, load) = (api.clone(), load.clone());
            let ids = line_ids.get_value();
            let coupons = coupon_ids.get_untracked();
            let addr = address.get_untracked();
            let (draft, intent) = (draft_key.get_value(), key.get_value());
            placing.set(true);
            leptos::task::spawn_local(async move {
                let body = PlaceOrder { line_ids: &ids, coupon_ids: &coupons, address: &addr, expected_total_fen: expected };
                let answer = api.send::<Placed, _>("POST", "/orders", Some(&body), Some(&intent)).await;
                if let Ok(order) = &answer {
                    crate::drafts::discard(&draft);
                    carts.reload();
                    // Still here: on to paying. A follower who went elsewhere finds the order
                    // among those to pay.
                    if !placing.is_disposed() {
                        location.navigate(&format!("/orders/{}", order.order_id));
                    }
                }
                if placing.is_disposed() {
                    return;
                }
                match answer {
                    Ok(_) => {}
                    Err(ApiError::Http { code, body, .. }) if code == "total_changed" => {
                        let new_total = body["current"]["total_fen"].as_i64();
                        load();
                        changed_total.set(new_total);
                        confirm_total.set(new_total.is_some());
                    }
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
                placing.set(false);
            });
        }
    };
    let place_now = place.clone();
    let confirm_changed = move || {
        if let Some(total) = changed_total.get_untracked() {
            place(total);
        }
    };
    let address_ok = move || address.with(address_complete);
    provide_context(CheckoutSheets {
        preview,
        coupons_open,
        toggle_coupon: Callback::new(toggle_coupon.clone()),
        editing_address,
        fields: [name, phone, region, detail],
        save_address: Callback::new(save_address),
        confirm_total,
        changed_total,
        confirm_changed: Callback::new(move |_: ()| confirm_changed()),
    });

    view! {
        <h1 class="page-title">{move || i18n.t().checkout}</h1>
        <Cells title=Signal::derive(move || Some(i18n.t().address.to_owned()))>
            <div class="cell address" on:click=use_wechat_address>
                <div class="cell-body">
                    {move || address.with(|a| if a.name.is_empty() {
                        view! { <p class="cell-title">{i18n.t().add_address}</p> }.into_any()
                    } else {
                        view! { <p class="cell-title">{a.name.clone()}" "{a.phone.clone()}</p><p class="cell-desc">{a.region.clone()}" "{a.detail.clone()}</p> }.into_any()
                    })}
                </div>
            </div>
        </Cells>
        {move || match preview.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => { let load = load.clone(); view! { <ErrorView error on_retry=move || load()/> }.into_any() }
            Some(Ok(p)) => {
                let chosen: Vec<Coupon> = p.coupons.iter().filter(|c| c.chosen).cloned().collect();
                let usable = p.coupons.iter().filter(|c| c.usable).count();
                view! {
                    {p.stores.clone().into_iter().map(|s| view! {
                        <Cells title=s.name.clone()>
                            {s.lines.into_iter().map(|l| view! { <Cell title=l.title.clone() desc=format!("{} ×{}", l.spec, l.quantity) value=format_fen(l.line_total_fen)/> }).collect_view()}
                            <Cell title=Signal::derive(move || i18n.t().shipping.to_owned()) value=format_fen(s.shipping_fen)/>
                            <Cell title=Signal::derive(move || i18n.t().subtotal.to_owned()) value=format_fen(s.subtotal_fen + s.shipping_fen)/>
                        </Cells>
                    }).collect_view()}
                    <Cells>
                        <div class="cell cell-link coupons-cell" on:click=move |_| coupons_open.set(true)>
                            <div class="cell-body"><p class="cell-title">{i18n.t().coupons}</p></div>
                            <span class="cell-foot">{if chosen.is_empty() { (i18n.t().coupons_usable)(usable) } else { format!("-{}", format_fen(p.discount_fen)) }}</span>
                        </div>
                    </Cells>
                    <div class="checkout-summary">
                        <p>{i18n.t().goods}" "{format_fen(p.goods_fen)}" · "{i18n.t().shipping}" "{format_fen(p.shipping_fen)}" · "{i18n.t().discount}" -"{format_fen(p.discount_fen)}</p>
                        <p class="checkout-total">{i18n.t().cart_total}" "<strong class="price">{format_fen(p.total_fen)}</strong></p>
                    </div>
                }.into_any()
            }
        }}
        <div class="actions">
            <Button loading=placing disabled=Signal::derive(move || !address_ok() || !matches!(preview.get(), Some(Ok(_))))
                on_click=move || if let Some(Ok(p)) = preview.get_untracked() { place_now(p.total_fen) }>
                {move || i18n.t().place_order}
            </Button>
        </div>
        <Deferred wanted=coupons_open load=checkout_coupons/>
        <Deferred wanted=editing_address load=checkout_address/>
        <Deferred wanted=confirm_total load=checkout_total/>
    }
}

crate::deferred_part!(
    /// The coupons to choose from, and why some cannot be used.
    checkout_coupons => {
        let sheets = expect_context::<CheckoutSheets>();
        let i18n = use_i18n();
        let coupons = move || sheets.preview.with(|p| match p {
            Some(Ok(p)) => p.coupons.clone(),
            _ => Vec::new(),
        });
        view! {
            <HalfScreen open=sheets.coupons_open title=Signal::derive(move || i18n.t().coupons.to_owned())>
                <div class="coupon-list">
                    {move || coupons().into_iter().map(|c| {
                        let id = c.coupon_id.clone();
                        view! {
                            <button type="button" class="cell coupon" class:coupon-chosen=c.chosen disabled=!c.usable data-coupon=c.coupon_id.clone()
                                on:click=move |_| sheets.toggle_coupon.run(id.clone())>
                                <div class="cell-body">
                                    <p class="cell-title">{c.title.clone()}</p>
                                    <p class="cell-desc">{c.reason.clone().unwrap_or_default()}</p>
                                </div>
                                <span class="cell-foot price">"-"{format_fen(c.discount_fen)}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </HalfScreen>
        }
    }
);

crate::deferred_part!(
    /// The address typed by hand (outside WeChat, or when WeChat's address book is declined).
    checkout_address => {
        let sheets = expect_context::<CheckoutSheets>();
        let i18n = use_i18n();
        let [name, phone, region, detail] = sheets.fields;
        view! {
            <HalfScreen open=sheets.editing_address title=Signal::derive(move || i18n.t().address.to_owned())>
                <TextField label=Signal::derive(move || i18n.t().name.to_owned()) value=name required=true max_length=20/>
                <TextField label=Signal::derive(move || i18n.t().phone.to_owned()) value=phone required=true max_length=11/>
                <TextField label=Signal::derive(move || i18n.t().region.to_owned()) value=region required=true max_length=40/>
                <TextField label=Signal::derive(move || i18n.t().detail.to_owned()) value=detail required=true max_length=80/>
                <div class="actions"><button class="btn btn-primary save-address" on:click=move |_| sheets.save_address.run(())>{move || i18n.t().ok}</button></div>
            </HalfScreen>
        }
    }
);

crate::deferred_part!(
    /// When the total changed between preview and order: place it at the new total?
    checkout_total => {
        let sheets = expect_context::<CheckoutSheets>();
        let i18n = use_i18n();
        let changed = sheets.changed_total;
        view! {
            <Dialog open=sheets.confirm_total title=Signal::derive(move || (i18n.t().total_changed)(&format_fen(changed.get().unwrap_or(0))))
                on_confirm=move || sheets.confirm_changed.run(())/>
        }
    }
);

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn an_address_needs_a_name_an_eleven_digit_phone_and_a_street() {
        let full = Address { name: "林小满".into(), phone: "13800001234".into(), region: "湖北省 武汉市".into(), detail: "解放大道 690 号".into() };
        assert!(address_complete(&full));
        assert!(!address_complete(&Address { phone: "1380000".into(), ..full.clone() }), "half a phone");
        assert!(!address_complete(&Address { phone: "1380000123x".into(), ..full.clone() }), "not digits");
        assert!(!address_complete(&Address { name: "  ".into(), ..full.clone() }), "blank name");
        assert!(!address_complete(&Address { detail: String::new(), ..full }), "no street");
    }
}
