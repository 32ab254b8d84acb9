//! A faithful local stand-in for the account owner's HTTP API.
//!
//! It implements every operation of `api/openapi.yaml` under `/api/v1` with real rules over
//! in-memory state seeded from `fixtures/`, so the app can be developed, previewed and tested
//! end to end without the owner's servers. Beside the contract it has a control plane under
//! `/__standin/` (a sign-in chooser standing in for WeChat OAuth, the simulated WeChat payment,
//! fault injection, records for tests) and generated media under `/media/`. Neither is part of
//! the owner's API, and the app only reaches them through configuration.

pub mod control;
pub mod faults;
pub mod http;
pub mod media;
pub mod menu;
pub mod moments;
pub mod school;
pub mod seckill;
pub mod session;
pub mod shop;
pub mod world;

use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use world::World;

/// Shared server state: one world behind one lock, so every rule (stock, limits, versions)
/// is applied atomically per request, like a transaction on the real server.
#[derive(Clone)]
pub struct Shared {
    pub world: Arc<Mutex<World>>,
    pub faults: Arc<Mutex<faults::Faults>>,
}

impl Shared {
    pub fn new(world: World) -> Self {
        Shared { world: Arc::new(Mutex::new(world)), faults: Arc::new(Mutex::new(faults::Faults::default())) }
    }

    /// The world, even if a previous holder panicked (a stand-in keeps serving).
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Builds the `/api/v1` router and, at the same time, the list of (METHOD, path) it serves,
/// so the contract test compares the contract with exactly what is served.
struct Api {
    router: Router<Shared>,
    routes: Vec<(&'static str, &'static str)>,
}

impl Api {
    fn at(mut self, method: &'static str, path: &'static str, handler: MethodRouter<Shared>) -> Self {
        self.routes.push((method, path));
        self.router = self.router.route(path, handler);
        self
    }
}

fn api() -> Api {
    let api = Api { router: Router::new(), routes: Vec::new() };
    api.at("GET", "/time", get(session::server_time))
        .at("POST", "/session/oauth", post(session::exchange_code))
        .at("POST", "/session/guest", post(session::guest))
        .at("GET", "/session/me", get(session::me))
        .at("POST", "/session/jssdk-signature", post(session::jssdk_signature))
        .at("GET", "/menu", get(menu::get_menu))
        .at("POST", "/menu/events", post(menu::menu_event))
        .at("GET", "/stores", get(shop::list_stores))
        .at("GET", "/products", get(shop::list_products))
        .at("GET", "/addresses", get(shop::list_addresses))
        .at("GET", "/cart", get(shop::get_cart))
        .at("POST", "/cart/lines", post(shop::add_line))
        .at("PATCH", "/cart/lines/{line_id}", patch(shop::update_line))
        .at("POST", "/cart/selection", post(shop::select_lines))
        .at("POST", "/cart/removal", post(shop::remove_lines))
        .at("POST", "/cart/clear-unavailable", post(shop::clear_unavailable))
        .at("POST", "/cart/merge", post(shop::merge_guest_cart))
        .at("POST", "/cart/shares", post(shop::share_cart))
        .at("DELETE", "/cart/shares/{share_token}", delete(shop::revoke_share))
        .at("GET", "/shared-carts/{share_token}", get(shop::open_shared_cart))
        .at("POST", "/shared-carts/{share_token}/copy", post(shop::copy_shared_cart))
        .at("POST", "/checkout/preview", post(shop::checkout_preview))
        .at("GET", "/orders", get(shop::list_orders))
        .at("POST", "/orders", post(shop::place_order))
        .at("GET", "/orders/{order_id}", get(shop::get_order))
        .at("POST", "/orders/{order_id}/payment", post(shop::request_payment))
        .at("POST", "/orders/{order_id}/cancel", post(shop::cancel_order))
        .at("GET", "/seckill/sessions", get(seckill::list_sessions))
        .at("GET", "/seckill/sessions/{session_id}/items", get(seckill::list_items))
        .at("POST", "/seckill/items/{item_id}/grab", post(seckill::grab))
        .at("GET", "/seckill/tickets/{ticket_id}", get(seckill::get_ticket))
        .at("PUT", "/seckill/items/{item_id}/reminder", put(seckill::remind))
        .at("DELETE", "/seckill/items/{item_id}/reminder", delete(seckill::unremind))
        .at("GET", "/handbook/children", get(school::list_children))
        .at("GET", "/handbook/children/{child_id}/weeks", get(school::list_weeks))
        .at("GET", "/handbook/children/{child_id}/weeks/{week}", get(school::get_week))
        .at("PUT", "/handbook/children/{child_id}/weeks/{week}/sections/{section_id}", put(school::save_section))
        .at("POST", "/handbook/children/{child_id}/weeks/{week}/send", post(school::send_week))
        .at("POST", "/handbook/children/{child_id}/weeks/{week}/read", post(school::read_week))
        .at("POST", "/handbook/children/{child_id}/weeks/{week}/comments", post(school::post_comment))
        .at("POST", "/uploads", post(school::upload_file))
        .at("POST", "/uploads/wechat", post(school::import_wechat_media))
        .at("GET", "/notices", get(school::list_notices))
        .at("POST", "/notices", post(school::publish_notice))
        .at("GET", "/notices/{notice_id}", get(school::get_notice))
        .at("POST", "/notices/{notice_id}/read", post(school::read_notice))
        .at("GET", "/notices/{notice_id}/receipts", get(school::notice_receipts))
        .at("GET", "/leave-requests", get(school::list_leave))
        .at("POST", "/leave-requests", post(school::request_leave))
        .at("POST", "/leave-requests/{leave_id}/decision", post(school::decide_leave))
        .at("GET", "/moments", get(moments::list))
        .at("GET", "/moments/updates", get(moments::updates))
        .at("PUT", "/moments/{post_id}/like", put(moments::like))
        .at("DELETE", "/moments/{post_id}/like", delete(moments::unlike))
        .at("GET", "/moments/{post_id}/comments", get(moments::list_comments))
        .at("POST", "/moments/{post_id}/comments", post(moments::comment))
        .at("DELETE", "/moments/{post_id}/comments/{comment_id}", delete(moments::delete_comment))
}

/// Every (METHOD, path) the stand-in serves under `/api/v1`, in contract notation.
pub fn api_routes() -> Vec<(&'static str, &'static str)> {
    api().routes
}

/// The whole server: the API (behind scenarios and fault injection), the control plane, the
/// generated media and, when given, the built app as static files (same origin as the API).
pub fn app(shared: Shared, static_dir: Option<PathBuf>) -> Router {
    let api = api()
        .router
        .fallback(http::no_such_route)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), faults::inject))
        .layer(axum::middleware::from_fn(http::scenario_layer));
    let router = Router::new()
        .nest("/api/v1", api)
        .nest("/__standin", control::router())
        .route("/media/{name}", get(media::serve))
        .with_state(shared);
    match static_dir {
        Some(dir) => router.fallback_service(http::static_app(dir)),
        None => router,
    }
}
