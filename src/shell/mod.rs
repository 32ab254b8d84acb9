//! The app's frame: session gate, the page, and the bottom tab bar.

mod home;

pub use home::HomePage;

use crate::api::ApiClient;
use crate::i18n::use_i18n;
use crate::session::{Session, SessionState};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use crate::ui::When;
use crate::router::Link;

/// Shows the pages once the session is established, with the tab bar below.
#[component]
pub fn Shell(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    let api = expect_context::<ApiClient>();
    let config = expect_context::<crate::config::Config>();
    let platform = expect_context::<crate::wechat::Platform>();
    let location = crate::router::use_location();
    let retry = move || {
        let (api, config) = (api.clone(), config.clone());
        leptos::task::spawn_local(async move { session.bootstrap(&api, &config, platform).await });
    };
    view! {
        <div class="app">
            <main class="page">
                {move || match session.state.get() {
                    SessionState::Starting => view! { <Loading/> }.into_any(),
                    SessionState::Failed(error) => {
                        let retry = retry.clone();
                        view! { <ErrorView error on_retry=move || retry()/> }.into_any()
                    }
                    SessionState::Ready => children().into_any(),
                }}
            </main>
            // The account's own menu bar takes the tab bar's place on the menu page.
            <When when=move || !matches!(location.path().get().as_str(), "/menu" | "/preview")><TabBar/></When>
            <crate::ui::ToastHost/>
        </div>
    }
}

const ICON_HOME: &str = "M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10";
const ICON_BOLT: &str = "M13 2L4 14h7l-1 8 9-12h-7z";
const ICON_CART: &str = "M2 3h3l2.5 12h11l2-8H6.5M9 20a1 1 0 100-.01M18 20a1 1 0 100-.01";
const ICON_BOOK: &str = "M4 4h7a2 2 0 012 2v14a2 2 0 00-2-2H4zM20 4h-5a2 2 0 00-2 2v14a2 2 0 012-2h5z";
const ICON_MOMENTS: &str = "M12 3a9 9 0 100 18 9 9 0 000-18zM12 8a4 4 0 100 8 4 4 0 000-8z";

/// The five areas, as WeChat's own tab bar (the current one is marked by the router).
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    // Icons are drawn, not typed: no emoji font is needed on any phone.
    let tab = move |href: &'static str, icon: &'static str, label: fn(&crate::i18n::Messages) -> &'static str| {
        view! {
            <Link href=href attr:class="tab">
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true"><path d=icon/></svg>
                <span class="tab-label">{move || label(i18n.t())}</span>
            </Link>
        }
    };
    view! {
        <nav class="tabbar" aria-label=move || i18n.t().app_title>
            {tab("/", ICON_HOME, |m| m.tab_home)}
            {tab("/seckill", ICON_BOLT, |m| m.tab_seckill)}
            {tab("/cart", ICON_CART, |m| m.tab_cart)}
            {tab("/school", ICON_BOOK, |m| m.tab_school)}
            {tab("/moments", ICON_MOMENTS, |m| m.tab_moments)}
        </nav>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="state state-empty">
            <p class="state-text">{move || i18n.t().not_found}</p>
            <Link href="/" attr:class="btn btn-default btn-small">{move || i18n.t().back_home}</Link>
        </div>
    }
}
