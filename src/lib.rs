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
pub mod json;
pub mod links;
pub mod menu;
pub mod moments;
pub mod preview;
pub mod router;
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
use session::Session;

/// Puts the shared services in context; `App` then starts the session and the JS-SDK (the clock
/// starts with the first page that shows times, `clock::use_server_clock`).
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
    let (i18n, toaster) = (I18n::from_browser(), ui::Toaster::new());
    provide_context(i18n);
    provide_context(ui::Theme::from_storage());
    provide_context(toaster);
    provide_context(cart::store::CartStore::new(toaster, i18n));
    (api, session, clock)
}

/// The app's pages. Which address shows which is `ROUTES`; which code each needs is `lazy_areas!`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Menu,
    MenuPreview,
    Cart,
    Order,
    UnpaidOrders,
    Shop,
    Checkout,
    SharedCart,
    Seckill,
    School,
    Notices,
    Notice,
    Leave,
    History,
    Week,
    Moments,
    Widgets,
    Gallery,
    NotFound,
}

/// Addresses to pages, tried in order (`router::match_path`): a static segment before a
/// `:parameter` in the same place. scripts/release.mjs reads this table too, to preload the
/// address's pack.
pub const ROUTES: &[(&str, Page)] = &[
    ("/", Page::Home),
    ("/menu", Page::Menu),
    ("/menu/preview", Page::MenuPreview),
    ("/cart", Page::Cart),
    ("/orders/:order_id", Page::Order),
    ("/orders", Page::UnpaidOrders),
    ("/shop", Page::Shop),
    ("/checkout", Page::Checkout),
    ("/shared/:token", Page::SharedCart),
    ("/seckill", Page::Seckill),
    ("/school", Page::School),
    ("/school/notices", Page::Notices),
    ("/school/notices/:notice_id", Page::Notice),
    ("/school/leave", Page::Leave),
    ("/school/:child_id/history", Page::History),
    ("/school/:child_id/:week", Page::Week),
    ("/moments", Page::Moments),
    ("/preview/widgets", Page::Widgets),
    ("/preview", Page::Gallery),
];

/// The areas: each is the code of a few pages, fetched on the first visit to any of them. In the
/// release build (`--cfg wxf_split`, scripts/release.mjs) an area's function is a split point: it
/// and everything only it uses become their own wasm module, so a follower opening the cart from
/// a chat link downloads the shared core and the cart, not the handbook; a module that cannot be
/// fetched is a `SplitLoaderError`, shown as a network error with a retry. Elsewhere (`make dev`,
/// the browser tests) the same pages are ordinary views. `page_view` is the page's view, once
/// its area is there.
/// Areas are small (about a page each): the release build sends an area with the chunks it shares
/// with others as one pack, so a finer split costs neither requests nor bytes on a first visit.
macro_rules! lazy_areas {
    ($($area:ident { $($page:ident => $view:expr),+ $(,)? })+) => {
        $(
            #[cfg_attr(wxf_split, leptos::wasm_split::wasm_split($area, wasm_split_path = ::leptos::wasm_split, fallible))]
            fn $area(page: Page) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                Ok(match page {
                    $(Page::$page => $view.into_any(),)+
                    _ => ().into_any(),
                })
            }
        )+

        /// The page's view, after fetching its area's code if need be.
        pub async fn page_view(page: Page) -> AnyView {
            match page {
                $($(Page::$page)|+ => {
                    #[cfg(wxf_split)]
                    let view = $area(page).await;
                    #[cfg(not(wxf_split))]
                    let view = $area(page);
                    view.unwrap_or_else(|_| area_unavailable())
                })+
                Page::NotFound => view! { <shell::NotFound/> }.into_any(),
            }
        }
    };
}

/// An area whose code could not be fetched: the network's fault, said as such, and a retry (a
/// reload, which asks for the module again; drafts and the cart outbox are in storage).
fn area_unavailable() -> AnyView {
    let reload = || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! { <ui::ErrorView error=api::ApiError::Network on_retry=reload/> }.into_any()
}

lazy_areas! {
    home_area { Home => view! { <shell::HomePage/> } }
    menu_area { Menu => view! { <menu::MenuPage/> } }
    menu_preview_area { MenuPreview => view! { <menu::preview::MenuPreviewPage/> } }
    cart_area { Cart => view! { <cart::CartPage/> } }
    shared_cart_area { SharedCart => view! { <cart::shared::SharedCartPage/> } }
    shop_area { Shop => view! { <cart::shop::ShopPage/> } }
    checkout_area {
        Checkout => view! { <cart::checkout::CheckoutPage/> },
        Order => view! { <cart::orders::OrderPage/> },
        UnpaidOrders => view! { <cart::unpaid::UnpaidOrdersPage/> },
    }
    seckill_area { Seckill => view! { <seckill::SeckillPage/> } }
    school_area { School => view! { <handbook::SchoolPage/> } }
    history_area { History => view! { <handbook::HistoryPage/> } }
    notices_area {
        Notices => view! { <handbook::notices::NoticesPage/> },
        Notice => view! { <handbook::notices::NoticePage/> },
        Leave => view! { <handbook::notices::LeavePage/> },
    }
    week_area { Week => view! { <handbook::week::WeekPage/> } }
    moments_area { Moments => view! { <moments::MomentsPage/> } }
    preview_area {
        Widgets => view! { <preview::WidgetsPage/> },
        Gallery => view! { <preview::gallery::GalleryPage/> },
    }
}

/// A page's part that a visitor in this role wants at once, with its page: a teacher's week opens
/// on her own sections' forms (a parent's form is below the teacher's sections, and comes when
/// scrolled near). index.html's start-up script then preloads the page's pack and the part's in
/// one file when the stored session is in that role: compressed together they are smaller than
/// apart, and the part's code is not a second trip after the page's. `(address, role, part)`:
/// scripts/release.mjs writes this table into the script and the loader.
pub const PARTS_AT_ONCE: &[(&str, &str, &str)] = &[("/school/:child_id/:week", "teacher", "week_forms")];

/// The reads a page starts with, which index.html's start-up script begins with the stored
/// session's token while the code is still downloading (`api::early` takes their answers): on a
/// phone's network the page's data then arrives with its code, not one round trip after it.
/// `(address, read)`; `*` is every address. scripts/release.mjs writes this table into the
/// script, so each read must be exactly the address the page asks first, or it is asked twice
/// (tests/e2e/loading.test.mjs counts them).
pub const EARLY_READS: &[(&str, &str)] = &[
    // The session's confirmation, on every start; the cart where a page shows it.
    ("*", "/session/me"),
    ("/", "/cart"),
    ("/cart", "/cart"),
    ("/shop", "/cart"),
    ("/checkout", "/cart"),
    ("/", "/seckill/sessions"),
    ("/", "/moments?limit=1"),
    ("/seckill", "/seckill/sessions"),
    ("/school", "/handbook/children"),
    ("/moments", "/moments?limit=10"),
];

#[component]
pub fn App() -> impl IntoView {
    let config = Config::from_document();
    let (api, session, _clock) = provide_services(config.clone());
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
            if api.expired.get() > 0 && session.user.get_untracked().is_some() && !session.confirming() {
                let (api, config) = (api.clone(), config.clone());
                leptos::task::spawn_local(async move { session.expired(&api, &config, platform).await });
            }
        });
    }
    // Whoever is signed in, their cart follows them (and a guest's is theirs until sign-in): read
    // when a page that shows it is built (`cart::store::use_cart`).
    {
        let api = api.clone();
        let carts = expect_context::<cart::store::CartStore>();
        Effect::new(move |_| {
            if let Some(user) = session.user.get() {
                carts.want(&api, &user.user_id);
            }
        });
    }
    let location = router::provide_location();
    view! {
        <ui::RouteProgress active=location.loading()/>
        <shell::Shell>
            <router::Pages/>
        </shell::Shell>
    }
}

/// Replaces the static boot skeleton of `index.html` with the app.
pub fn start() {
    // A panic's message goes to the console where the build keeps it (`make dev`); the trap that
    // ends it puts up index.html's crash screen, in every build.
    console_error_panic_hook::set_once();
    // iOS WeChat signs the JS-SDK against the first address: remember it before any navigation.
    wechat::sdk::remember_landing_url();
    ui::webview::install_webview_fixes();
    // English in the release build is fetched (`Lang::ready`): the skeleton stays until it is
    // here, so a page never shows in Chinese first. A preview address may ask for it too.
    let asked = web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|q| q.split(['?', '&']).any(|p| p == "lang=en"));
    let english = if asked { i18n::Lang::En } else { i18n::Lang::wanted() };
    if english.is_ready() {
        mount();
    } else {
        wasm_bindgen_futures::spawn_local(async move {
            english.ready().await;
            mount();
        });
    }
}

fn mount() {
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn parts_at_once_name_a_route_and_a_role() {
        use crate::json::{FromJson, Json};
        for (address, role, part) in PARTS_AT_ONCE {
            assert!(ROUTES.iter().any(|(path, _)| path == address), "{address} is not a route");
            assert!(session::Role::from_json(&Json::from(*role)).is_ok(), "{role} is not a role");
            assert!(!part.is_empty());
        }
    }

    #[test]
    fn the_feeds_early_read_is_its_first_page() {
        assert!(EARLY_READS.contains(&("/moments", moments::FIRST_PAGE)));
    }
}
