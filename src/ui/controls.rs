//! Basic controls in WeUI's language: buttons, cells, checkbox, switch, stepper, badge,
//! progress, tabs, skeleton.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use crate::ui::When;
use crate::router::Link;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ButtonKind {
    #[default]
    Primary,
    Default,
    Warn,
}

/// A button; while `loading` it shows a spinner and cannot be tapped again.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    /// Compact size for cells and bars.
    #[prop(optional)]
    small: bool,
    #[prop(into, optional)] loading: Signal<bool>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into)] on_click: Callback<()>,
    children: Children,
) -> impl IntoView {
    let class = match kind {
        ButtonKind::Primary => "btn btn-primary",
        ButtonKind::Default => "btn btn-default",
        ButtonKind::Warn => "btn btn-warn",
    };
    view! {
        <button
            class=class
            class:btn-small=small
            disabled=move || loading.get() || disabled.get()
            aria-busy=move || if loading.get() { "true" } else { "false" }
            on:click=move |_| if !loading.get_untracked() && !disabled.get_untracked() { on_click.run(()) }
        >
            <When when=move || loading.get()>
                <span class="spinner spinner-inline" aria-hidden="true"></span>
            </When>
            {children()}
        </button>
    }
}

/// A group of cells with an optional title above it.
#[component]
pub fn Cells(#[prop(into, optional)] title: MaybeProp<String>, children: Children) -> impl IntoView {
    view! {
        {move || title.get().map(|t| view! { <h2 class="cells-title">{t}</h2> })}
        <div class="cells">{children()}</div>
    }
}

/// One row: a title, an optional description and value; a link when `href` is given.
#[component]
pub fn Cell(
    #[prop(into)] title: Signal<String>,
    #[prop(into, optional)] desc: MaybeProp<String>,
    #[prop(into, optional)] value: MaybeProp<String>,
    /// Where tapping the row goes (an in-app path).
    #[prop(into, optional)]
    href: Option<String>,
    /// Extra classes on the row (the area's own hooks).
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Live content on the right instead of `value` (a count that loads, a button).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let row = move |base: &str| format!("{base} {}", class.get().unwrap_or_default());
    let body = view! {
        <div class="cell-body">
            <p class="cell-title">{move || title.get()}</p>
            {move || desc.get().map(|d| view! { <p class="cell-desc">{d}</p> })}
        </div>
        {move || value.get().map(|v| view! { <span class="cell-foot">{v}</span> })}
        {children.map(|c| view! { <span class="cell-foot">{c()}</span> })}
    };
    match href {
        Some(href) => view! { <Link href=href attr:class=move || row("cell cell-link")>{body}</Link> }.into_any(),
        None => view! { <div class=move || row("cell")>{body}</div> }.into_any(),
    }
}

/// WeUI's round checkbox.
#[component]
pub fn Checkbox(
    #[prop(into)] checked: Signal<bool>,
    /// Called with the new state when tapped.
    #[prop(into)]
    on_toggle: Callback<bool>,
    /// Read by screen readers (and shown when `show_label`).
    #[prop(into)]
    label: Signal<String>,
    #[prop(optional)] show_label: bool,
    #[prop(into, optional)] disabled: Signal<bool>,
    /// The box itself, for a list that sets a thousand check marks in one pass (the cart) rather
    /// than through a thousand effects; its `checked` is then only the first state.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    view! {
        <label class="checkbox" class:checkbox-disabled=move || disabled.get()>
            <input
                node_ref=node_ref
                type="checkbox"
                class="checkbox-input"
                prop:checked=move || checked.get()
                disabled=move || disabled.get()
                aria-label=move || label.get()
                on:change=move |ev| on_toggle.run(event_target_checked(&ev))
            />
            <span class="checkbox-mark" aria-hidden="true"></span>
            <When when=move || show_label><span class="checkbox-label">{move || label.get()}</span></When>
        </label>
    }
}

/// WeUI's switch.
#[component]
pub fn Switch(#[prop(into)] on: Signal<bool>, #[prop(into)] on_toggle: Callback<bool>, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="switch"
            role="switch"
            aria-checked=move || if on.get() { "true" } else { "false" }
            aria-label=move || label.get()
            on:click=move |_| on_toggle.run(!on.get_untracked())
        >
            <span class="switch-knob" aria-hidden="true"></span>
        </button>
    }
}

/// A quantity stepper bounded by `min` and `max`. Tapping "+" at the maximum does not change the
/// value but calls `on_over` so the page can explain the limit (stock or per-person).
#[component]
pub fn Stepper(
    #[prop(into)] value: Signal<i64>,
    #[prop(into)] min: Signal<i64>,
    #[prop(into)] max: Signal<i64>,
    /// The follower asked for this value (already within bounds).
    #[prop(into)]
    on_change: Callback<i64>,
    /// The follower asked for more than `max`.
    #[prop(into, optional)]
    on_over: Option<Callback<i64>>,
    /// A server check is running: shown, and further taps still count.
    #[prop(into, optional)]
    pending: Signal<bool>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dec = move |_| {
        let v = value.get_untracked();
        if v > min.get_untracked() {
            on_change.run(v - 1);
        }
    };
    let inc = move |_| {
        let v = value.get_untracked();
        if v < max.get_untracked() {
            on_change.run(v + 1);
        } else if let Some(over) = on_over {
            over.run(max.get_untracked());
        }
    };
    view! {
        <div class="stepper" role="group" aria-label=move || label.get() class:stepper-pending=move || pending.get()>
            <button type="button" class="stepper-button" aria-label=move || i18n.t().decrease disabled={move || value.get() <= min.get()} on:click=dec>"−"</button>
            <output class="stepper-value" aria-live="polite">{move || value.get()}</output>
            <button type="button" class="stepper-button" aria-label=move || i18n.t().increase class:stepper-at-max={move || value.get() >= max.get()} on:click=inc>"+"</button>
        </div>
    }
}

/// A count ("99+" past 99) or a dot.
#[component]
pub fn Badge(#[prop(into)] count: Signal<u32>, #[prop(optional)] dot: bool) -> impl IntoView {
    view! {
        <When when={move || dot || count.get() > 0}>
            {move || if dot {
                view! { <span class="badge-dot" aria-hidden="true"></span> }.into_any()
            } else {
                let n = count.get();
                view! { <span class="badge">{if n > 99 { "99+".to_owned() } else { n.to_string() }}</span> }.into_any()
            }}
        </When>
    }
}

/// A progress bar, 0.0 to 1.0.
#[component]
pub fn Progress(#[prop(into)] value: Signal<f64>, #[prop(into)] label: Signal<String>) -> impl IntoView {
    // Whole percents, as integers (see `px`).
    let pct = move || (value.get().clamp(0.0, 1.0) * 100.0).round() as u32;
    view! {
        <div class="progress" role="progressbar" aria-label=move || label.get() aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || pct().to_string()>
            <div class="progress-bar" style:width=move || format!("{}%", pct())></div>
        </div>
    }
}

/// A row of tabs (WeUI's navbar); the selected one is scrolled into view.
#[component]
pub fn Tabs(#[prop(into)] items: Signal<Vec<String>>, selected: RwSignal<usize>, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <div class="tabs" role="tablist" aria-label=move || label.get()>
            {move || items.get().into_iter().enumerate().map(|(i, item)| {
                let is = move || selected.get() == i;
                view! {
                    <button
                        type="button"
                        role="tab"
                        class="tabs-item"
                        aria-selected=move || if is() { "true" } else { "false" }
                        tabindex=move || if is() { "0" } else { "-1" }
                        on:click=move |ev| {
                            selected.set(i);
                            if let Some(el) = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                                el.scroll_into_view_with_bool(false);
                            }
                        }
                    >{item}</button>
                }
            }).collect_view()}
        </div>
    }
}

/// Grey placeholder lines while content loads.
#[component]
pub fn Skeleton(#[prop(default = 3)] lines: usize) -> impl IntoView {
    view! {
        <div class="skeleton-group" aria-hidden="true">
            <div class="skeleton skeleton-title"></div>
            {(0..lines).map(|_| view! { <div class="skeleton skeleton-line"></div> }).collect_view()}
        </div>
    }
}
