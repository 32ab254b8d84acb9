//! The stand-in's control plane (`/__standin/…`): not part of the owner's API.
//! A sign-in chooser in place of WeChat's OAuth page, the simulated WeChat payment, fault
//! injection, clock-relative fixtures for tests, and the records tests check.

use crate::faults::FaultRule;
use crate::http::{now_ms, ApiError, ApiResult, Body};
use crate::world::{random_token, CodeRec, Role, World};
use crate::Shared;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/oauth/authorize", get(authorize_page))
        .route("/oauth/choose", get(choose))
        .route("/oauth/code", post(mint_code))
        .route("/pay", post(pay))
        .route("/faults", get(list_faults).post(add_faults).delete(clear_faults))
        .route("/reset", post(reset))
        .route("/records", get(records))
        .route("/seckill/sessions", post(add_seckill_session))
        .route("/moments", post(publish_moment))
        .route("/moments/fill", post(fill_moments))
        .route("/sessions/expire", post(expire_sessions))
        .route("/products", post(change_product))
        .route("/cart/fill", post(fill_cart))
}

/// Who a tester can be: (user_id, label).
const PEOPLE: [(&str, &str); 5] = [
    ("u-xiaoman", "粉丝 · 林小满"),
    ("u-yihang", "粉丝 · 周一航"),
    ("p-wang", "家长 · 乐乐妈妈"),
    ("t-chen", "老师 · 陈老师（大一班）"),
    ("snapshot", "快照页用户（游客）"),
];

fn mint(w: &mut World, user_id: &str) -> ApiResult<String> {
    let user_id = if user_id == "snapshot" {
        let id = w.id("g");
        w.add_user(&id, "游客", Role::Follower, true);
        id
    } else {
        user_id.to_owned()
    };
    if !w.users.contains_key(&user_id) {
        return Err(ApiError::not_found("用户"));
    }
    let code = random_token(32);
    w.codes.insert(code.clone(), CodeRec { user_id, issued_at: now_ms(), used: false });
    Ok(code)
}

#[derive(Deserialize)]
struct Authorize {
    redirect_uri: String,
    state: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn authorize_page(Query(q): Query<Authorize>) -> Response {
    if !(q.redirect_uri.starts_with("http://") || q.redirect_uri.starts_with("https://")) {
        return (StatusCode::BAD_REQUEST, "redirect_uri must be http(s)").into_response();
    }
    let state = q.state.unwrap_or_default();
    let links: String = PEOPLE
        .iter()
        .map(|(id, label)| {
            format!(
                "<a class=who href=\"/__standin/oauth/choose?user={id}&amp;redirect_uri={}&amp;state={}\">{label}</a>",
                escape(&encode(&q.redirect_uri)),
                escape(&encode(&state))
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'>\
         <title>模拟微信授权</title><style>body{{font:17px system-ui,sans-serif;background:#ededed;margin:0;padding:24px}}\
         h1{{font-size:20px}}p{{color:#888;font-size:14px}}.who{{display:block;background:#fff;padding:16px;margin:8px 0;\
         border-radius:8px;color:#000;text-decoration:none}}</style><h1>模拟微信网页授权</h1>\
         <p>开发用：选择以谁的身份登录（替代微信的授权页）。</p>{links}</html>"
    ))
    .into_response()
}

#[derive(Deserialize)]
struct Choose {
    user: String,
    redirect_uri: String,
    state: Option<String>,
}

async fn choose(State(s): State<Shared>, Query(q): Query<Choose>) -> Response {
    if !(q.redirect_uri.starts_with("http://") || q.redirect_uri.starts_with("https://")) {
        return (StatusCode::BAD_REQUEST, "redirect_uri must be http(s)").into_response();
    }
    let code = match mint(&mut s.world(), &q.user) {
        Ok(code) => code,
        Err(e) => return e.into_response(),
    };
    let sep = if q.redirect_uri.contains('?') { '&' } else { '?' };
    let state = encode(&q.state.unwrap_or_default());
    Redirect::to(&format!("{}{sep}code={code}&state={state}", q.redirect_uri)).into_response()
}

#[derive(Deserialize)]
struct MintCode {
    user_id: String,
}

async fn mint_code(State(s): State<Shared>, Body(req): Body<MintCode>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({"code": mint(&mut s.world(), &req.user_id)?})))
}

#[derive(Deserialize)]
struct Pay {
    prepay_id: String,
    outcome: String,
    delay_ms: Option<u64>,
}

async fn pay(State(s): State<Shared>, Body(req): Body<Pay>) -> ApiResult<Json<Value>> {
    if !["ok", "cancel", "fail"].contains(&req.outcome.as_str()) {
        return Err(ApiError::bad_request("outcome 应为 ok、cancel 或 fail"));
    }
    Ok(Json(crate::shop::simulate_payment(&s, &req.prepay_id, &req.outcome, req.delay_ms.unwrap_or(800))?))
}

async fn list_faults(State(s): State<Shared>) -> Json<Value> {
    let f = s.faults.lock().unwrap_or_else(|p| p.into_inner());
    Json(json!({"rules": f.rules, "fired": f.fired}))
}

#[derive(Deserialize)]
struct AddFaults {
    rules: Vec<FaultRule>,
}

async fn add_faults(State(s): State<Shared>, Body(req): Body<AddFaults>) -> Json<Value> {
    let mut f = s.faults.lock().unwrap_or_else(|p| p.into_inner());
    f.rules.extend(req.rules);
    Json(json!({"rules": f.rules}))
}

async fn clear_faults(State(s): State<Shared>) -> StatusCode {
    let mut f = s.faults.lock().unwrap_or_else(|p| p.into_inner());
    f.rules.clear();
    f.fired.clear();
    StatusCode::NO_CONTENT
}

async fn reset(State(s): State<Shared>) -> StatusCode {
    *s.world() = World::seeded(now_ms());
    let mut f = s.faults.lock().unwrap_or_else(|p| p.into_inner());
    f.rules.clear();
    f.fired.clear();
    StatusCode::NO_CONTENT
}

async fn records(State(s): State<Shared>) -> Json<Value> {
    Json(serde_json::to_value(&s.world().records).unwrap_or_default())
}

#[derive(Deserialize)]
struct NewSession {
    starts_in_ms: i64,
    duration_ms: i64,
    stock: Option<i64>,
    limit: Option<i64>,
}

async fn add_seckill_session(State(s): State<Shared>, Body(req): Body<NewSession>) -> Json<Value> {
    let now = now_ms();
    let mut w = s.world();
    let (starts_at, ends_at) = (now + req.starts_in_ms, now + req.starts_in_ms + req.duration_ms.max(1));
    let id = crate::seckill::add_session(&mut w, starts_at, ends_at, req.stock, req.limit);
    let items: Vec<&str> = w.seckill_items.iter().filter(|i| i.session_id == id).map(|i| i.item_id.as_str()).collect();
    Json(json!({"session_id": id, "starts_at": starts_at, "ends_at": ends_at, "item_ids": items}))
}

#[derive(Deserialize)]
struct NewPost {
    text: String,
}

async fn publish_moment(State(s): State<Shared>, Body(req): Body<NewPost>) -> Json<Value> {
    let id = crate::moments::publish(&mut s.world(), &req.text, now_ms());
    Json(json!({"post_id": id}))
}

#[derive(Deserialize)]
struct FillMoments {
    count: i64,
}

/// Replaces the feed with `count` seeded posts.
async fn fill_moments(State(s): State<Shared>, Body(req): Body<FillMoments>) -> Json<Value> {
    crate::moments::refill(&mut s.world(), now_ms(), req.count);
    Json(json!({"posts": req.count}))
}

#[derive(Deserialize, Default)]
struct Expire {
    token: Option<String>,
}

async fn expire_sessions(State(s): State<Shared>, Body(req): Body<Expire>) -> StatusCode {
    let mut w = s.world();
    for (token, session) in w.sessions.iter_mut() {
        if req.token.as_ref().is_none_or(|t| t == token) {
            session.expires_at = 0;
        }
    }
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct ChangeProduct {
    sku_id: String,
    price_fen: Option<i64>,
    stock: Option<i64>,
    status: Option<String>,
}

async fn change_product(State(s): State<Shared>, Body(req): Body<ChangeProduct>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    let p = w.products.iter_mut().find(|p| p.sku_id == req.sku_id).ok_or_else(|| ApiError::not_found("商品"))?;
    if let Some(v) = req.price_fen {
        p.price_fen = v;
    }
    if let Some(v) = req.stock {
        p.stock = v;
    }
    if let Some(v) = req.status {
        p.status = v;
    }
    Ok(Json(serde_json::to_value(&*p).unwrap_or_default()))
}

#[derive(Deserialize)]
struct Fill {
    user_id: String,
    lines: usize,
    stores: usize,
}

/// Fills a person's cart with `lines` lines across `stores` extra stores (for speed tests).
async fn fill_cart(State(s): State<Shared>, Body(req): Body<Fill>) -> ApiResult<Json<Value>> {
    let (lines, stores) = (req.lines.min(5_000), req.stores.clamp(1, 200));
    let mut w = s.world();
    if !w.users.contains_key(&req.user_id) {
        return Err(ApiError::not_found("用户"));
    }
    let mut cart = crate::world::CartRec { version: 1, updated_at: now_ms(), lines: Vec::new() };
    for n in 0..stores {
        let store_id = format!("s-bulk-{n}");
        if !w.stores.iter().any(|st| st.store_id == store_id) {
            w.stores.push(crate::world::StoreRec { store_id, name: format!("演示店铺 {}", n + 1), channel: "mall".into(), shipping_fen: 800, free_shipping_min_fen: 9900 });
        }
    }
    for i in 0..lines {
        let sku_id = format!("sku-bulk-{i}");
        if !w.products.iter().any(|p| p.sku_id == sku_id) {
            w.products.push(crate::world::ProductRec {
                sku_id: sku_id.clone(),
                store_id: format!("s-bulk-{}", i % stores),
                title: format!("批量商品 {}", i + 1),
                spec: "默认".into(),
                image_url: format!("/media/product-bulk-{i}.svg"),
                price_fen: 990 + (i as i64 % 50) * 100,
                stock: 50,
                limit_per_person: 10,
                status: "on_sale".into(),
            });
        }
        let price = 990 + (i as i64 % 50) * 100;
        cart.lines.push(crate::world::LineRec { line_id: format!("ln-bulk-{i}"), sku_id, quantity: 1, selected: false, price_when_added_fen: price });
    }
    w.carts.insert(req.user_id.clone(), cart);
    Ok(Json(json!({"lines": lines, "stores": stores})))
}
