//! The app's frame: session gate, the page, and the bottom tab bar.

mod home;

pub use home::HomePage;

use crate::api::ApiClient;
use crate::i18n::use_i18n;
use crate::session::{Session, SessionState};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// Shows the pages once the session is established, with the tab bar below.
#[component]
pub fn Shell(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    let api = expect_context::<ApiClient>();
    let retry = move || {
        let api = api.clone();
        leptos::task::spawn_local(async move { session.bootstrap(&api).await });
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
            <TabBar/>
        </div>
    }
}

/// The five areas, as WeChat's own tab bar (the current one is marked by the router).
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |href: &'static str, icon: &'static str, label: fn(&crate::i18n::Messages) -> &'static str| {
        view! {
            <A href=href attr:class="tab">
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span class="tab-label">{move || label(i18n.t())}</span>
            </A>
        }
    };
    view! {
        <nav class="tabbar" aria-label="main">
            {tab("/", "⌂", |m| m.tab_home)}
            {tab("/seckill", "⚡", |m| m.tab_seckill)}
            {tab("/cart", "🛒", |m| m.tab_cart)}
            {tab("/school", "✎", |m| m.tab_school)}
            {tab("/moments", "◎", |m| m.tab_moments)}
        </nav>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="state state-empty">
            <p class="state-text">{move || i18n.t().not_found}</p>
            <A href="/" attr:class="btn btn-default btn-small">{move || i18n.t().back_home}</A>
        </div>
    }
}
