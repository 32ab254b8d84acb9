//! Shared widgets every page uses: WeUI's look, both themes, both languages, the back button.

pub mod controls;
pub mod countdown;
pub mod deferred;
pub mod form;
pub mod lists;
pub mod media;
pub mod modal;
pub mod overlay;
pub mod theme;
pub mod toast;
pub mod webview;

pub use controls::{Badge, Button, ButtonKind, Cell, Cells, Checkbox, Progress, Skeleton, Stepper, Switch, Tabs};
pub use countdown::Countdown;
pub use deferred::{Deferred, DeferredContent};
pub use form::{Choice, ChoiceField, InputKind, MultiChoiceField, RatingField, SwitchField, TextArea, TextField};
pub use lists::{Keyed, LoadMore, PageState, PullToRefresh};
pub use media::{ImageGrid, ImagePreview, LazyImage, Picture};
pub use modal::{ActionSheet, Dialog, HalfScreen, Popover, SheetAction};
pub use theme::{Theme, ThemeMode};
pub use toast::{use_toast, ToastHost, Toaster};

use crate::api::{ApiError, Fetched};
use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;

/// A length in whole CSS pixels. Integers, not floats: formatting an `f64` pulls core's float
/// printing (~7 kB brotli) into every wasm module that does it, and a sub-pixel is not seen.
pub fn px(length: f64) -> String {
    format!("{}px", length.round() as i64)
}

/// Handlers on one element (or the document), each for its events, for as long as the current
/// owner lives (removed on its cleanup): code installed by a module of its own (`PullToRefresh`,
/// the cart's `SwipeToDelete`, the feed's updates).
pub fn listen_while_owned(target: web_sys::EventTarget, handlers: Vec<(&'static [&'static str], wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>)>) {
    use wasm_bindgen::JsCast;
    for (events, handler) in &handlers {
        for event in *events {
            let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
    }
    let installed = StoredValue::new_local((target, handlers));
    on_cleanup(move || {
        installed.with_value(|(target, handlers)| {
            for (events, handler) in handlers {
                for event in *events {
                    let _ = target.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
                }
            }
        })
    });
}

/// Code a page does not need to show, fetched (a module of its own in the release build) and
/// ready to install.
pub type PartCode = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Box<dyn FnOnce()>, leptos::wasm_split::SplitLoaderError>>>>;

/// Installs code under the current owner (what it sets up goes with it): `load` fetches it once
/// the page has settled, when the loader fetches a page's parts ahead, or — for a gesture — at the
/// first touch on `touch_area` if that comes sooner; never beside the page's own first download.
/// A touch that comes before a gesture's code is lost; the next one works. Code that cannot be
/// fetched leaves the page without it; an owner gone meanwhile gets nothing installed.
pub fn install_when_settled(touch_area: Option<&web_sys::HtmlElement>, load: impl FnOnce() -> PartCode + 'static) {
    use wasm_bindgen::JsCast;
    let Some(owner) = Owner::current() else { return };
    let alive = StoredValue::new(());
    let install = move || {
        leptos::task::spawn_local(async move {
            if let (Ok(install), false) = (load().await, alive.is_disposed()) {
                owner.with(install);
            }
        })
    };
    let install = std::rc::Rc::new(std::cell::Cell::new(Some(Box::new(install) as Box<dyn FnOnce()>)));
    if let Some(area) = touch_area {
        let at_touch = install.clone();
        let touched = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(install) = at_touch.take() {
                install();
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        options.set_passive(true);
        let _ = area.add_event_listener_with_callback_and_add_event_listener_options("touchstart", touched.unchecked_ref(), &options);
    }
    set_timeout(
        move || {
            if let Some(install) = install.take() {
                install();
            }
        },
        std::time::Duration::from_millis(SETTLED_MS),
    );
}

/// How long after a page has shown its later code is installed (the loader begins fetching
/// parts ahead about as long after the page's load).
const SETTLED_MS: u64 = 3_000;

/// What a follower is told about a failed request.
pub fn error_message(m: &Messages, e: &ApiError) -> String {
    let server = |fallback: &str| match e {
        ApiError::Http { message, .. } if !message.trim().is_empty() => message.clone(),
        _ => fallback.to_owned(),
    };
    match e {
        ApiError::Network => m.err_network.to_owned(),
        ApiError::Timeout => m.err_timeout.to_owned(),
        ApiError::Decode(_) => m.err_decode.to_owned(),
        ApiError::Http { status: 401, .. } => m.err_session.to_owned(),
        ApiError::Http { status: 403, .. } => server(m.err_forbidden),
        ApiError::Http { status: 404, .. } => m.err_not_found.to_owned(),
        ApiError::Http { status: 429 | 503, retry_after_s: Some(s), .. } => (m.err_busy)(*s),
        ApiError::Http { status, .. } if *status >= 500 => m.err_server.to_owned(),
        ApiError::Http { .. } => server(m.err_server),
    }
}

/// A page or block that is loading.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="state state-loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || i18n.t().loading}</span>
        </div>
    }
}

/// A thin bar along the top while a navigation waits for its page (the page's code on a first
/// visit, in the release build): the tap was taken, and the old page stays until the new one can
/// show. It appears only when the wait lasts (CSS), so a quick navigation does not flash.
#[component]
pub fn RouteProgress(
    /// Whether a navigation is under way.
    #[prop(into)]
    active: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div
            class="route-progress"
            class:active=move || active.get()
            role="progressbar"
            aria-hidden=move || (!active.get()).to_string()
            aria-label=move || i18n.t().loading
        ></div>
    }
}

/// A failed read, with its reason and a way to try again.
#[component]
pub fn ErrorView(
    /// What went wrong.
    error: ApiError,
    /// Called when the follower taps retry.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || error_message(i18n.t(), &error);
    view! {
        <div class="state state-error" role="alert">
            <span class="state-icon" aria-hidden="true">"!"</span>
            <p class="state-text">{message}</p>
            <button class="btn btn-default btn-small" on:click=move |_| on_retry.run(())>{move || i18n.t().retry}</button>
        </div>
    }
}

/// Nothing to show.
#[component]
pub fn Empty(
    /// What to say; the generic "nothing here" when absent.
    #[prop(optional, into)]
    text: MaybeProp<String>,
    /// Something to offer instead (a link back to shopping, …).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="state state-empty">
            <p class="state-text">{move || text.get().unwrap_or_else(|| i18n.t().empty.to_owned())}</p>
            {children.map(|c| c())}
        </div>
    }
}

/// Its children while `when` is true, else `fallback`: Leptos' `Show` compiled once. `Show` is
/// generic over its condition and children, so every use compiled its own memo and view code
/// (about 10 kB of a page's module where it was used often); here the condition is a
/// `Signal<bool>` and the children are boxed. As with `Show`, the view is rebuilt only when the
/// answer changes, not whenever the signals behind it do.
#[component]
pub fn When(
    /// Whether the children show.
    #[prop(into)]
    when: Signal<bool>,
    children: ChildrenFn,
    /// Shown instead while `when` is false (nothing by default).
    #[prop(optional, into)]
    fallback: ViewFn,
) -> impl IntoView {
    let shown = Memo::new(move |_| when.get());
    move || if shown.get() { children() } else { fallback.run() }
}

/// Renders a read: loading, then the data or the error with a working retry.
pub fn fetched<T, V>(
    answer: Fetched<T>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match answer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(data)) => render(data).into_any(),
        Some(Err(error)) => view! { <ErrorView error on_retry=move || answer.refetch()/> }.into_any(),
    }
}

/// Where something the person sent is (a message, a comment): shown at once as pending, then
/// sent, or failed with a retry that reuses its idempotency key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    Sent,
    Pending,
    Failed,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn lengths_are_whole_pixels() {
        assert_eq!(super::px(12.4), "12px");
        assert_eq!(super::px(12.5), "13px");
        assert_eq!(super::px(-179.6), "-180px");
        assert_eq!(super::px(0.0), "0px");
    }
}
