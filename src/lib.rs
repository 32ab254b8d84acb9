//! The follower-facing web client of a WeChat service account.
//!
//! `App` wires the shared services (configuration, API client, server clock, language,
//! session) into context and routes to the five areas; each area lives in its own folder with
//! its pages, its domain rules and its API calls.

pub mod api;
pub mod cart;
pub mod clock;
pub mod config;
pub mod drafts;
pub mod handbook;
pub mod i18n;
pub mod links;
pub mod menu;
pub mod moments;
pub mod preview;
pub mod seckill;
pub mod session;
pub mod shell;
pub mod ui;
pub mod wechat;

use api::ApiClient;
use clock::ServerClock;
use config::Config;
use i18n::I18n;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use session::Session;

/// Puts the shared services in context; `App` then starts the session, the clock and the JS-SDK.
pub fn provide_services(config: Config) -> (ApiClient, Session, ServerClock) {
    let api = ApiClient::new(&config);
    let session = Session::new();
    let clock = ServerClock::new();
    let platform = wechat::Platform::detect();
    provide_context(platform);
    provide_context(wechat::JsSdk::start(&api, &config, platform));
    provide_context(config);
    provide_context(api.clone());
    provide_context(session);
    provide_context(clock);
    provide_context(I18n::from_browser());
    provide_context(ui::Theme::from_storage());
    provide_context(ui::Toaster::new());
    provide_context(cart::store::CartStore::new());
    (api, session, clock)
}

#[component]
pub fn App() -> impl IntoView {
    let config = Config::from_document();
    let (api, session, clock) = provide_services(config.clone());
    apply_preview_query(&api);
    {
        let api = api.clone();
        let platform = expect_context::<wechat::Platform>();
        leptos::task::spawn_local(async move { session.bootstrap(&api, &config, platform).await });
    }
    // A session the API refuses mid-way: sign in again (once at a time).
    {
        let (api, config) = (api.clone(), expect_context::<Config>());
        let platform = expect_context::<wechat::Platform>();
        Effect::new(move |_| {
            if api.expired.get() > 0 && session.user.get_untracked().is_some() {
                let (api, config) = (api.clone(), config.clone());
                leptos::task::spawn_local(async move { session.expired(&api, &config, platform).await });
            }
        });
    }
    // Whoever is signed in, their cart follows them (and a guest's is theirs until sign-in).
    {
        let api = api.clone();
        let carts = expect_context::<cart::store::CartStore>();
        Effect::new(move |previous: Option<Option<String>>| {
            let user = session.user.get().map(|u| u.user_id);
            if let Some(id) = &user {
                if previous.flatten().as_ref() != Some(id) {
                    carts.open(&api, id);
                }
            }
            user
        });
    }
    clock.watch(&api);
    leptos::task::spawn_local(async move { clock.sync(&api).await });
    view! {
        <Router>
            <shell::Shell>
                <Routes fallback=|| view! { <shell::NotFound/> }>
                    <Route path=path!("/") view=shell::HomePage/>
                    <Route path=path!("/menu") view=menu::MenuPage/>
                    <Route path=path!("/menu/preview") view=menu::preview::MenuPreviewPage/>
                    <Route path=path!("/cart") view=cart::CartPage/>
                    <Route path=path!("/orders/:order_id") view=cart::orders::OrderPage/>
                    <Route path=path!("/orders") view=cart::unpaid::UnpaidOrdersPage/>
                    <Route path=path!("/shop") view=cart::shop::ShopPage/>
                    <Route path=path!("/checkout") view=cart::checkout::CheckoutPage/>
                    <Route path=path!("/shared/:token") view=cart::shared::SharedCartPage/>
                    <Route path=path!("/seckill") view=seckill::SeckillPage/>
                    <Route path=path!("/school") view=handbook::SchoolPage/>
                    <Route path=path!("/school/notices") view=handbook::notices::NoticesPage/>
                    <Route path=path!("/school/notices/:notice_id") view=handbook::notices::NoticePage/>
                    <Route path=path!("/school/leave") view=handbook::notices::LeavePage/>
                    <Route path=path!("/school/:child_id/history") view=handbook::HistoryPage/>
                    <Route path=path!("/school/:child_id/:week") view=handbook::week::WeekPage/>
                    <Route path=path!("/moments") view=moments::MomentsPage/>
                    <Route path=path!("/preview/widgets") view=preview::WidgetsPage/>
                    <Route path=path!("/preview") view=preview::gallery::GalleryPage/>
                </Routes>
            </shell::Shell>
        </Router>
    }
}

/// Replaces the static boot skeleton of `index.html` with the app.
pub fn start() {
    // A bug must not leave a dead page: the panic is logged and a plain screen (built without
    // the framework, which may be what broke) offers a reload. Drafts and the cart outbox are in
    // storage, so reloading loses nothing typed.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_screen();
    }));
    // iOS WeChat signs the JS-SDK against the first address: remember it before any navigation.
    wechat::sdk::remember_landing_url();
    ui::webview::install_webview_fixes();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    match document.get_element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            use wasm_bindgen::JsCast;
            match root.dyn_into::<web_sys::HtmlElement>() {
                Ok(root) => leptos::mount::mount_to(root, App).forget(),
                Err(_) => leptos::mount::mount_to_body(App),
            }
        }
        None => leptos::mount::mount_to_body(App),
    }
}

/// The last-resort screen after a panic: plain DOM (the framework may be what broke), the
/// app's words, and a reload button.
fn show_crash_screen() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    let zh = web_sys::window().and_then(|w| w.navigator().language()).is_none_or(|l| l.starts_with("zh"));
    let (title, button) = if zh { ("页面出了点问题，填写的内容已保存", "重新加载") } else { ("Something went wrong; what you typed is kept", "Reload") };
    let (Ok(screen), Ok(heading), Ok(reload)) = (document.create_element("div"), document.create_element("p"), document.create_element("button")) else { return };
    screen.set_id("crash");
    let _ = screen.set_attribute("role", "alert");
    let _ = screen.set_attribute("class", "crash");
    heading.set_text_content(Some(title));
    reload.set_text_content(Some(button));
    let _ = reload.set_attribute("class", "btn btn-primary");
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    let _ = reload.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let _ = screen.append_child(&heading);
    let _ = screen.append_child(&reload);
    if let Some(body) = document.body() {
        let _ = body.append_child(&screen);
    }
}

/// The designer gallery's address switches, for this page load only and only where the
/// configuration turns previews on (`preview::query`): `scenario` (sent to the stand-in as
/// `X-Scenario`), `theme` (light, dark, care) and `lang` (zh, en).
fn apply_preview_query(api: &ApiClient) {
    let enabled = expect_context::<Config>().preview;
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    let query = preview::query::PreviewQuery::read(enabled, |name| params.get(name));
    if let Some(s) = query.scenario {
        api.scenario.set(Some(s));
    }
    if let Some((mode, care)) = query.theme {
        expect_context::<ui::Theme>().show(mode, care);
    }
    if let Some(lang) = query.lang {
        expect_context::<I18n>().show(lang);
    }
}
