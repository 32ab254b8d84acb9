//! Parts of a page that few visits open (a post's comment thread): built the first time they
//! are wanted, and in the release build fetched then, as their own module, instead of with the
//! page. The loader fetches such a part ahead, first, once its page has shown (scripts/release.mjs),
//! so a tap seldom waits for it.

use crate::api::ApiError;
use crate::ui::{error_message, use_toast};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::future::Future;
use std::pin::Pin;

/// How a part is built once its code is here.
pub type BuildPart = fn() -> AnyView;

/// Fetching a part's code (boxed, so that `Deferred` is one function for every part, not a copy
/// per part's future type in every page that has parts).
pub type PartLoad = Pin<Box<dyn Future<Output = Result<BuildPart, SplitLoaderError>>>>;

/// `deferred_part!(name => view)`: a `fn name() -> PartLoad` giving the part's builder, behind a split
/// point named `name` in the release build (`--cfg wxf_split`). Name it after its page's area
/// (`moments_…` for `moments_area`): the loader fetches it ahead right after that area.
#[macro_export]
macro_rules! deferred_part {
    ($(#[$doc:meta])* $name:ident => $view:expr) => {
        $(#[$doc])*
        fn $name() -> $crate::ui::deferred::PartLoad {
            #[cfg_attr(wxf_split, leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible))]
            fn part() -> Result<$crate::ui::deferred::BuildPart, leptos::wasm_split::SplitLoaderError> {
                Ok(|| leptos::prelude::IntoAny::into_any($view))
            }
            #[cfg(wxf_split)]
            return Box::pin(part());
            #[cfg(not(wxf_split))]
            return Box::pin(std::future::ready(part()));
        }
    };
}

/// Shows a part made with `deferred_part!` from the first time `wanted` is true on (it then
/// stays, so its own open / close follows `wanted`). When its code cannot be fetched, the
/// person is told it is the network and `wanted` goes back to false, so a tap can try again.
#[component]
pub fn Deferred(
    /// Whether the part is wanted (its sheet is open).
    wanted: RwSignal<bool>,
    /// The `fn` `deferred_part!` wrote.
    load: fn() -> PartLoad,
) -> impl IntoView {
    let toaster = use_toast();
    let i18n = use_i18n();
    let part = RwSignal::new(None::<BuildPart>);
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        if !wanted.get() || asked.get_value() {
            return;
        }
        asked.set_value(true);
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(build) => {
                    let _ = part.try_set(Some(build));
                }
                Err(_) => {
                    if asked.try_set_value(false).is_none() {
                        toaster.error(error_message(i18n.t(), &ApiError::Network));
                        wanted.set(false);
                    }
                }
            }
        });
    });
    move || part.get().map(|build| build())
}

/// Shows a part made with `deferred_part!` that is the page's own content (a week's forms, below
/// what the page showed at once): fetched as soon as this is built, with the loading state in its
/// place while its code comes, and the network error with a retry there when it cannot come.
#[component]
pub fn DeferredContent(
    /// The `fn` `deferred_part!` wrote.
    load: fn() -> PartLoad,
) -> impl IntoView {
    let part = RwSignal::new(None::<Result<BuildPart, ()>>);
    let fetch_part = move || {
        part.set(None);
        leptos::task::spawn_local(async move {
            // The page may have gone meanwhile.
            let _ = part.try_set(Some(load().await.map_err(|_| ())));
        });
    };
    fetch_part();
    move || match part.get() {
        None => view! { <crate::ui::Loading/> }.into_any(),
        Some(Ok(build)) => build(),
        Some(Err(())) => view! { <crate::ui::ErrorView error=ApiError::Network on_retry=move || fetch_part()/> }.into_any(),
    }
}
