//! Things that open over the page: dialog / confirm, action sheet, half-screen sheet, popover.
//! Each closes on the back button (see `overlay`), moves focus in when it opens and back to
//! where it was when it closes, and closes on Escape.

use super::overlay::use_back_closes;
use crate::i18n::use_i18n;
use leptos::html;
use leptos::prelude::*;
use crate::ui::When;
use wasm_bindgen::JsCast;

/// Focus moves into `panel` when `open` becomes true and back to the previous element after.
fn use_focus_trap(open: RwSignal<bool>, panel: NodeRef<html::Div>) {
    let previous: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |was: Option<bool>| {
        let is = open.get();
        let document = web_sys::window().and_then(|w| w.document());
        if is && !was.unwrap_or(false) {
            let active = document.as_ref().and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            previous.set_value(active);
            // The panel renders in this tick; focus it on the next.
            request_animation_frame(move || {
                if let Some(p) = panel.get_untracked() {
                    let first = p.query_selector("button, [href], input, textarea, select").ok().flatten();
                    match first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                        Some(e) => {
                            let _ = e.focus();
                        }
                        None => {
                            let _ = p.focus();
                        }
                    }
                }
            });
        } else if !is && was.unwrap_or(false) {
            if let Some(e) = previous.get_value() {
                let _ = e.focus();
            }
        }
        is
    });
}

/// The shared frame: mask + panel, back button, focus, Escape.
#[component]
fn ModalFrame(
    open: RwSignal<bool>,
    /// `dialog`, `sheet`, `half`: which panel.
    kind: &'static str,
    /// Accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// Whether tapping the mask closes it.
    #[prop(default = true)]
    mask_closes: bool,
    children: ChildrenFn,
) -> impl IntoView {
    use_back_closes(open);
    let panel = NodeRef::<html::Div>::new();
    use_focus_trap(open, panel);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    let children = StoredValue::new(children);
    view! {
        <When when=move || open.get()>
            <div class="mask" on:click=move |_| if mask_closes { open.set(false) }></div>
            <div
                class=format!("panel panel-{kind}")
                role=if kind == "dialog" { "alertdialog" } else { "dialog" }
                aria-modal="true"
                aria-label=move || label.get()
                tabindex="-1"
                node_ref=panel
                on:keydown=on_key
            >
                {children.with_value(|c| c())}
            </div>
        </When>
    }
}

/// A confirm dialog (WeUI's dialog): a title, a message, cancel and confirm.
#[component]
pub fn Dialog(
    /// Open while true; set to false when it closes.
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into, optional)] message: MaybeProp<String>,
    /// The confirming button's text (defaults to OK).
    #[prop(into, optional)]
    confirm_text: MaybeProp<String>,
    /// Shows the confirm button in warning red (deleting, clearing).
    #[prop(optional)]
    danger: bool,
    /// No cancel button: an alert.
    #[prop(optional)]
    alert: bool,
    /// Called after the follower confirms (the dialog closes first).
    #[prop(into)]
    on_confirm: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ModalFrame open kind="dialog" label=title mask_closes=false>
            <h2 class="dialog-title">{move || title.get()}</h2>
            {move || message.get().map(|m| view! { <p class="dialog-text">{m}</p> })}
            <div class="dialog-buttons">
                <When when=move || !alert>
                    <button class="dialog-button" on:click=move |_| open.set(false)>{move || i18n.t().cancel}</button>
                </When>
                <button
                    class="dialog-button dialog-confirm"
                    class:dialog-danger=danger
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {move || confirm_text.get().unwrap_or_else(|| i18n.t().ok.to_owned())}
                </button>
            </div>
        </ModalFrame>
    }
}

/// One action of an action sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetAction {
    pub label: String,
    pub danger: bool,
}

/// WeUI's action sheet: a list of actions from the bottom, and cancel.
#[component]
pub fn ActionSheet(
    open: RwSignal<bool>,
    #[prop(into, optional)] title: MaybeProp<String>,
    #[prop(into)] actions: Signal<Vec<SheetAction>>,
    /// Called with the chosen action's index (the sheet closes first).
    #[prop(into)]
    on_choose: Callback<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = Signal::derive(move || title.get().unwrap_or_default());
    view! {
        <ModalFrame open kind="sheet" label>
            {move || title.get().map(|t| view! { <p class="sheet-title">{t}</p> })}
            <div class="sheet-actions">
                {move || actions.get().into_iter().enumerate().map(|(i, a)| view! {
                    <button class="sheet-action" class:sheet-danger=a.danger on:click=move |_| {
                        open.set(false);
                        on_choose.run(i);
                    }>{a.label}</button>
                }).collect_view()}
            </div>
            <button class="sheet-action sheet-cancel" on:click=move |_| open.set(false)>{move || i18n.t().cancel}</button>
        </ModalFrame>
    }
}

/// A half-screen sheet with a title bar and any content (coupons, specs, comments…).
#[component]
pub fn HalfScreen(open: RwSignal<bool>, #[prop(into)] title: Signal<String>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ModalFrame open kind="half" label=title>
            <header class="half-header">
                <h2 class="half-title">{move || title.get()}</h2>
                <button class="half-close" aria-label=move || i18n.t().close on:click=move |_| open.set(false)>"×"</button>
            </header>
            <div class="half-body">{children()}</div>
        </ModalFrame>
    }
}

/// A small bubble above its anchor (a menu's sub-buttons): closes on an outside tap and on back.
#[component]
pub fn Popover(
    open: RwSignal<bool>,
    #[prop(into)] label: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    use_back_closes(open);
    let children = StoredValue::new(children);
    view! {
        <When when=move || open.get()>
            <div class="popover-catcher" on:click=move |_| open.set(false)></div>
            <div class="popover" role="menu" aria-label=move || label.get()>
                {children.with_value(|c| c())}
            </div>
        </When>
    }
}
