//! Shop: catalog, the cart carried on the server, sharing, checkout and one payment per order.

use crate::http::{idempotency_key, now_ms, once, ApiError, ApiResult, Body, Caller, Scenario};
use crate::world::{
    avatar_url, random_token, CartRec, LineRec, OrderRec, OrderStatus, ProductRec, ShareRec, World, DAY_MS,
    MINUTE_MS,
};
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// How long an unpaid cart order stays payable.
pub const PAY_WITHIN_MS: i64 = 30 * MINUTE_MS;
pub const SHARE_TTL_MS: i64 = 7 * DAY_MS;

/// Seeds the demo follower's cart with every line state a cart can show.
pub fn seed(w: &mut World, now: i64) {
    let mut cart = CartRec { version: 1, updated_at: now, lines: Vec::new() };
    let mut add = |w: &World, sku: &str, qty: i64, paid_price: Option<i64>, n: usize| {
        if let Some(p) = w.products.iter().find(|p| p.sku_id == sku) {
            cart.lines.push(LineRec {
                line_id: format!("ln-seed-{n}"),
                sku_id: sku.to_owned(),
                quantity: qty,
                selected: true,
                price_when_added_fen: paid_price.unwrap_or(p.price_fen),
            });
        }
    };
    for (n, (sku, qty)) in w.seed_cart.clone().iter().enumerate() {
        add(w, sku, *qty, None, n);
    }
    add(w, "sku-1003", 1, None, 90); // out of stock
    add(w, "sku-1004", 1, None, 91); // delisted
    add(w, "sku-2001", 1, Some(49900), 92); // price dropped since it was added
    w.carts.insert("u-xiaoman".into(), cart);
}

fn product<'a>(w: &'a World, sku: &str) -> Option<&'a ProductRec> {
    w.products.iter().find(|p| p.sku_id == sku)
}

fn status_of(p: Option<&ProductRec>, price_when_added: i64) -> &'static str {
    match p {
        None => "delisted",
        Some(p) if p.status != "on_sale" => "delisted",
        Some(p) if p.stock <= 0 => "out_of_stock",
        Some(p) if p.price_fen != price_when_added => "price_changed",
        Some(_) => "ok",
    }
}

/// The most one person may hold of a product in a cart.
fn max_quantity(p: &ProductRec) -> i64 {
    p.stock.min(p.limit_per_person).max(0)
}

fn line_json(w: &World, line: &LineRec) -> Value {
    let p = product(w, &line.sku_id);
    let status = status_of(p, line.price_when_added_fen);
    json!({
        "line_id": line.line_id, "sku_id": line.sku_id,
        "store_id": p.map(|p| p.store_id.as_str()).unwrap_or(""),
        "title": p.map(|p| p.title.as_str()).unwrap_or("已下架商品"),
        "spec": p.map(|p| p.spec.as_str()).unwrap_or(""),
        "image_url": p.map(|p| p.image_url.as_str()).unwrap_or(""),
        "unit_price_fen": p.map(|p| p.price_fen).unwrap_or(line.price_when_added_fen),
        "price_when_added_fen": line.price_when_added_fen,
        "quantity": line.quantity,
        "stock": p.map(|p| p.stock.max(0)).unwrap_or(0),
        "limit_per_person": p.map(|p| p.limit_per_person).unwrap_or(1),
        "selected": line.selected && status == "ok",
        "status": status,
    })
}

/// Lines grouped by store, stores in catalog order, lines in cart order.
fn group_by_store(w: &World, lines: &[Value]) -> Vec<Value> {
    let mut stores: Vec<Value> = Vec::new();
    for store in &w.stores {
        let of_store: Vec<Value> =
            lines.iter().filter(|l| l["store_id"] == store.store_id.as_str()).cloned().collect();
        if !of_store.is_empty() {
            stores.push(json!({"store_id": store.store_id, "name": store.name, "channel": store.channel, "lines": of_store}));
        }
    }
    stores
}

pub fn cart_json(w: &World, cart: &CartRec) -> Value {
    let lines: Vec<Value> = cart.lines.iter().map(|l| line_json(w, l)).collect();
    json!({"version": cart.version, "updated_at": cart.updated_at, "stores": group_by_store(w, &lines)})
}

fn cart_of<'a>(w: &'a mut World, user: &str) -> &'a mut CartRec {
    w.carts.entry(user.to_owned()).or_default()
}

/// Applies a change to the caller's cart if `version` is the current one; bumps the version.
fn change_cart(
    w: &mut World,
    caller: &Caller,
    version: i64,
    change: impl FnOnce(&mut World, &mut CartRec) -> ApiResult<()>,
) -> ApiResult<Json<Value>> {
    let mut cart = cart_of(w, &caller.user_id).clone();
    if cart.version != version {
        let current = cart_json(w, &cart);
        return Err(ApiError::conflict("version_conflict", "购物车已在其他设备上修改").with("current", current));
    }
    change(w, &mut cart)?;
    cart.version += 1;
    cart.updated_at = now_ms();
    let body = cart_json(w, &cart);
    w.carts.insert(caller.user_id.clone(), cart);
    Ok(Json(body))
}

pub async fn list_stores(State(s): State<Shared>) -> Json<Value> {
    let w = s.world();
    let stores: Vec<Value> = w
        .stores
        .iter()
        .map(|st| json!({"store_id": st.store_id, "name": st.name, "channel": st.channel, "logo_url": avatar_url(&st.name)}))
        .collect();
    Json(json!({"stores": stores}))
}

#[derive(Deserialize)]
pub struct ProductQuery {
    store_id: Option<String>,
}

pub async fn list_products(State(s): State<Shared>, Query(q): Query<ProductQuery>, scenario: Scenario) -> Json<Value> {
    let w = s.world();
    let products: Vec<&ProductRec> = w
        .products
        .iter()
        .filter(|p| q.store_id.as_ref().is_none_or(|id| &p.store_id == id))
        .filter(|_| !scenario.is("empty"))
        .collect();
    Json(json!({"products": products}))
}

pub async fn list_addresses(State(s): State<Shared>, _caller: Caller) -> Json<Value> {
    Json(json!({"addresses": s.world().addresses}))
}

pub async fn get_cart(State(s): State<Shared>, caller: Caller, scenario: Scenario) -> Json<Value> {
    let mut w = s.world();
    if scenario.is("empty") {
        return Json(json!({"version": 0, "updated_at": now_ms(), "stores": []}));
    }
    let cart = cart_of(&mut w, &caller.user_id).clone();
    Json(cart_json(&w, &cart))
}

#[derive(Deserialize)]
pub struct AddLine {
    sku_id: String,
    quantity: i64,
    version: i64,
}

fn over_limit(max: i64) -> ApiError {
    ApiError::unprocessable("over_limit", format!("最多只能买 {max} 件")).with("max_quantity", max)
}

pub async fn add_line(State(s): State<Shared>, caller: Caller, Body(req): Body<AddLine>) -> ApiResult<Json<Value>> {
    if req.quantity < 1 {
        return Err(ApiError::fields(vec![("quantity".into(), "range", "数量至少为 1".into())]));
    }
    let mut w = s.world();
    let p = product(&w, &req.sku_id).cloned().ok_or_else(|| ApiError::not_found("商品"))?;
    if p.status != "on_sale" {
        return Err(ApiError::conflict("delisted", "商品已下架"));
    }
    if p.stock <= 0 {
        return Err(ApiError::conflict("out_of_stock", "商品已售罄").with("max_quantity", 0));
    }
    let id = w.id("ln");
    change_cart(&mut w, &caller, req.version, |_, cart| {
        let max = max_quantity(&p);
        match cart.lines.iter_mut().find(|l| l.sku_id == p.sku_id) {
            Some(line) => {
                if line.quantity + req.quantity > max {
                    return Err(over_limit(max));
                }
                line.quantity += req.quantity;
                line.selected = true;
            }
            None => {
                if req.quantity > max {
                    return Err(over_limit(max));
                }
                let line = LineRec {
                    line_id: id,
                    sku_id: p.sku_id.clone(),
                    quantity: req.quantity,
                    selected: true,
                    price_when_added_fen: p.price_fen,
                };
                cart.lines.insert(0, line);
            }
        }
        Ok(())
    })
}

#[derive(Deserialize)]
pub struct UpdateLine {
    version: i64,
    quantity: Option<i64>,
    selected: Option<bool>,
    accept_price: Option<bool>,
}

pub async fn update_line(
    State(s): State<Shared>,
    caller: Caller,
    Path(line_id): Path<String>,
    Body(req): Body<UpdateLine>,
) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    let exists = cart_of(&mut w, &caller.user_id).lines.iter().any(|l| l.line_id == line_id);
    if !exists {
        return Err(ApiError::not_found("购物车商品"));
    }
    change_cart(&mut w, &caller, req.version, |w, cart| {
        let Some(line) = cart.lines.iter_mut().find(|l| l.line_id == line_id) else {
            return Err(ApiError::not_found("购物车商品"));
        };
        let p = product(w, &line.sku_id).cloned();
        if req.accept_price == Some(true) {
            if let Some(p) = &p {
                line.price_when_added_fen = p.price_fen;
            }
        }
        let status = status_of(p.as_ref(), line.price_when_added_fen);
        if let Some(q) = req.quantity {
            if q < 1 {
                return Err(ApiError::fields(vec![("quantity".into(), "range", "数量至少为 1".into())]));
            }
            match (&p, status) {
                (Some(p), "ok" | "price_changed") if q <= max_quantity(p) => line.quantity = q,
                (Some(p), "ok" | "price_changed") => return Err(over_limit(max_quantity(p))),
                (_, "out_of_stock") => return Err(ApiError::conflict("out_of_stock", "商品已售罄").with("max_quantity", 0)),
                _ => return Err(ApiError::conflict("delisted", "商品已下架")),
            }
        }
        if let Some(selected) = req.selected {
            if selected && status != "ok" {
                return Err(ApiError::conflict("unavailable", "这件商品暂时不能购买"));
            }
            line.selected = selected;
        }
        Ok(())
    })
}

#[derive(Deserialize)]
pub struct SelectLines {
    version: i64,
    selected: bool,
    line_ids: Option<Vec<String>>,
}

pub async fn select_lines(State(s): State<Shared>, caller: Caller, Body(req): Body<SelectLines>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    change_cart(&mut w, &caller, req.version, |w, cart| {
        for line in &mut cart.lines {
            let chosen = req.line_ids.as_ref().is_none_or(|ids| ids.contains(&line.line_id));
            let available = status_of(product(w, &line.sku_id), line.price_when_added_fen) == "ok";
            if chosen && (available || !req.selected) {
                line.selected = req.selected;
            }
        }
        Ok(())
    })
}

#[derive(Deserialize)]
pub struct RemoveLines {
    version: i64,
    line_ids: Vec<String>,
}

pub async fn remove_lines(State(s): State<Shared>, caller: Caller, Body(req): Body<RemoveLines>) -> ApiResult<Json<Value>> {
    if req.line_ids.is_empty() {
        return Err(ApiError::fields(vec![("line_ids".into(), "required", "请选择要删除的商品".into())]));
    }
    let mut w = s.world();
    change_cart(&mut w, &caller, req.version, |_, cart| {
        cart.lines.retain(|l| !req.line_ids.contains(&l.line_id));
        Ok(())
    })
}

#[derive(Deserialize)]
pub struct VersionOnly {
    version: i64,
}

pub async fn clear_unavailable(State(s): State<Shared>, caller: Caller, Body(req): Body<VersionOnly>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    change_cart(&mut w, &caller, req.version, |w, cart| {
        cart.lines.retain(|l| status_of(product(w, &l.sku_id), l.price_when_added_fen) == "ok");
        Ok(())
    })
}

/// Adds lines to a cart, capping each at what the person may hold; returns what was skipped.
fn add_capped(w: &World, cart: &mut CartRec, lines: &[(String, i64)], mut new_id: impl FnMut() -> String) -> Vec<(String, &'static str)> {
    let mut skipped = Vec::new();
    for (sku, qty) in lines {
        let Some(p) = product(w, sku) else {
            skipped.push((sku.clone(), "delisted"));
            continue;
        };
        if p.status != "on_sale" {
            skipped.push((sku.clone(), "delisted"));
            continue;
        }
        if p.stock <= 0 {
            skipped.push((sku.clone(), "out_of_stock"));
            continue;
        }
        let max = max_quantity(p);
        match cart.lines.iter_mut().find(|l| &l.sku_id == sku) {
            Some(line) if line.quantity >= max => skipped.push((sku.clone(), "over_limit")),
            Some(line) => line.quantity = (line.quantity + qty).min(max),
            None => cart.lines.insert(
                0,
                LineRec {
                    line_id: new_id(),
                    sku_id: sku.clone(),
                    quantity: (*qty).min(max),
                    selected: true,
                    price_when_added_fen: p.price_fen,
                },
            ),
        }
    }
    skipped
}

#[derive(Deserialize)]
pub struct Merge {
    guest_token: String,
}

pub async fn merge_guest_cart(State(s): State<Shared>, caller: Caller, Body(req): Body<Merge>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    if caller.is_guest {
        return Err(ApiError::unprocessable("not_signed_in", "请先登录后再合并购物车"));
    }
    let guest = w.caller(&req.guest_token, now).map_err(|_| {
        ApiError::fields(vec![("guest_token".into(), "invalid", "游客会话无效或已过期".into())])
    })?;
    if !guest.is_guest {
        return Err(ApiError::fields(vec![("guest_token".into(), "invalid", "这不是游客会话".into())]));
    }
    let guest_lines: Vec<(String, i64)> = w
        .carts
        .remove(&guest.user_id)
        .map(|c| c.lines.into_iter().map(|l| (l.sku_id, l.quantity)).collect())
        .unwrap_or_default();
    let mut cart = cart_of(&mut w, &caller.user_id).clone();
    let mut ids = (0..guest_lines.len()).map(|_| format!("ln-m{}", random_token(8).to_lowercase()));
    add_capped(&w, &mut cart, &guest_lines, || ids.next().unwrap_or_default());
    cart.version += 1;
    cart.updated_at = now;
    let body = cart_json(&w, &cart);
    w.carts.insert(caller.user_id.clone(), cart);
    Ok(Json(body))
}

pub async fn share_cart(State(s): State<Shared>, caller: Caller) -> ApiResult<impl IntoResponse> {
    let now = now_ms();
    let mut w = s.world();
    let lines: Vec<(String, i64)> =
        cart_of(&mut w, &caller.user_id).lines.iter().map(|l| (l.sku_id.clone(), l.quantity)).collect();
    if lines.is_empty() {
        return Err(ApiError::unprocessable("cart_empty", "购物车是空的，没有可以分享的商品"));
    }
    let token = random_token(24);
    let share = ShareRec { owner: caller.user_id.clone(), lines, created_at: now, expires_at: now + SHARE_TTL_MS, revoked: false };
    let expires_at = share.expires_at;
    w.shares.insert(token.clone(), share);
    Ok((StatusCode::CREATED, Json(json!({"share_token": token, "expires_at": expires_at}))))
}

pub async fn revoke_share(State(s): State<Shared>, caller: Caller, Path(token): Path<String>) -> ApiResult<StatusCode> {
    let mut w = s.world();
    match w.shares.get_mut(&token) {
        Some(share) if share.owner == caller.user_id => {
            share.revoked = true;
            Ok(StatusCode::NO_CONTENT)
        }
        _ => Err(ApiError::not_found("分享")),
    }
}

fn live_share<'a>(w: &'a World, token: &str, now: i64) -> ApiResult<&'a ShareRec> {
    let share = w.shares.get(token).ok_or_else(|| ApiError::not_found("分享"))?;
    if share.revoked {
        return Err(ApiError::new(StatusCode::GONE, "share_revoked", "分享者已取消了这个分享"));
    }
    if share.expires_at <= now {
        return Err(ApiError::new(StatusCode::GONE, "share_expired", "分享链接已过期"));
    }
    Ok(share)
}

fn shared_line_id(index: usize) -> String {
    format!("sl-{index}")
}

pub async fn open_shared_cart(State(s): State<Shared>, _caller: Caller, Path(token): Path<String>) -> ApiResult<Json<Value>> {
    let w = s.world();
    let share = live_share(&w, &token, now_ms())?;
    let lines: Vec<Value> = share
        .lines
        .iter()
        .enumerate()
        .map(|(i, (sku, qty))| {
            let price = product(&w, sku).map(|p| p.price_fen).unwrap_or(0);
            let line = LineRec { line_id: shared_line_id(i), sku_id: sku.clone(), quantity: *qty, selected: false, price_when_added_fen: price };
            line_json(&w, &line)
        })
        .collect();
    let owner = w.user_name(&share.owner);
    Ok(Json(json!({
        "owner": {"name": owner, "avatar_url": avatar_url(&owner)},
        "created_at": share.created_at, "expires_at": share.expires_at,
        "stores": group_by_store(&w, &lines),
    })))
}

#[derive(Deserialize, Default)]
pub struct CopyRequest {
    line_ids: Option<Vec<String>>,
}

pub async fn copy_shared_cart(
    State(s): State<Shared>,
    caller: Caller,
    Path(token): Path<String>,
    Body(req): Body<CopyRequest>,
) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    let share = live_share(&w, &token, now)?;
    let chosen: Vec<(String, String, i64)> = share
        .lines
        .iter()
        .enumerate()
        .map(|(i, (sku, q))| (shared_line_id(i), sku.clone(), *q))
        .filter(|(id, _, _)| req.line_ids.as_ref().is_none_or(|ids| ids.contains(id)))
        .collect();
    let mut cart = cart_of(&mut w, &caller.user_id).clone();
    let wanted: Vec<(String, i64)> = chosen.iter().map(|(_, sku, q)| (sku.clone(), *q)).collect();
    let mut ids = (0..wanted.len()).map(|_| format!("ln-c{}", random_token(8).to_lowercase()));
    let skipped_skus = add_capped(&w, &mut cart, &wanted, || ids.next().unwrap_or_default());
    let skipped: Vec<Value> = skipped_skus
        .iter()
        .filter_map(|(sku, reason)| {
            chosen.iter().find(|(_, s, _)| s == sku).map(|(id, _, _)| json!({"line_id": id, "reason": reason}))
        })
        .collect();
    cart.version += 1;
    cart.updated_at = now;
    let body = json!({"cart": cart_json(&w, &cart), "copied": chosen.len() - skipped.len(), "skipped": skipped});
    w.carts.insert(caller.user_id.clone(), cart);
    Ok(Json(body))
}

// ---- checkout ----

#[derive(Deserialize)]
pub struct CheckoutRequest {
    line_ids: Vec<String>,
    coupon_ids: Vec<String>,
}

/// A computed checkout: the preview body plus what placing the order needs.
struct Checkout {
    body: Value,
    total_fen: i64,
    chosen_coupons: Vec<String>,
    /// (store_id, store_name, amount_fen after shipping and its share of the discount)
    sub_orders: Vec<(String, String, i64)>,
    holds: Vec<(String, i64)>,
}

fn compute_checkout(w: &World, caller: &Caller, line_ids: &[String], coupon_ids: &[String]) -> ApiResult<Checkout> {
    if line_ids.is_empty() {
        return Err(ApiError::unprocessable("nothing_selected", "请选择要结算的商品"));
    }
    let cart = w.carts.get(&caller.user_id).cloned().unwrap_or_default();
    let mut per_store: Vec<(String, String, Vec<Value>, i64)> = Vec::new();
    let mut holds = Vec::new();
    for id in line_ids {
        let line = cart.lines.iter().find(|l| &l.line_id == id).ok_or_else(|| ApiError::not_found("购物车商品"))?;
        let p = product(w, &line.sku_id);
        let status = status_of(p, line.price_when_added_fen);
        let Some(p) = p.filter(|_| status == "ok") else {
            return Err(ApiError::conflict("line_unavailable", "有商品已失效，请返回购物车查看").with("line_id", id.as_str()));
        };
        if line.quantity > p.stock {
            return Err(ApiError::conflict("out_of_stock", format!("「{}」库存不足", p.title)).with("max_quantity", p.stock));
        }
        let store = w.stores.iter().find(|s| s.store_id == p.store_id);
        let total = p.price_fen * line.quantity;
        let entry = json!({"line_id": line.line_id, "title": p.title, "spec": p.spec, "image_url": p.image_url,
            "unit_price_fen": p.price_fen, "quantity": line.quantity, "line_total_fen": total});
        match per_store.iter_mut().find(|s| s.0 == p.store_id) {
            Some(s) => {
                s.2.push(entry);
                s.3 += total;
            }
            None => per_store.push((p.store_id.clone(), store.map(|s| s.name.clone()).unwrap_or_default(), vec![entry], total)),
        }
        holds.push((p.sku_id.clone(), line.quantity));
    }
    per_store.sort_by_key(|s| w.stores.iter().position(|st| st.store_id == s.0));
    let goods: i64 = per_store.iter().map(|s| s.3).sum();
    let shipping_of = |store_id: &str, subtotal: i64| {
        w.stores
            .iter()
            .find(|s| s.store_id == store_id)
            .map(|s| if subtotal >= s.free_shipping_min_fen { 0 } else { s.shipping_fen })
            .unwrap_or(0)
    };
    // Coupons: one for every store at most, plus one platform-wide.
    let mut coupons = Vec::new();
    let mut scopes_taken: Vec<Option<String>> = Vec::new();
    let mut discounts: Vec<(Option<String>, i64)> = Vec::new();
    for c in &w.coupons {
        let base = match &c.store_id {
            Some(id) => per_store.iter().find(|s| &s.0 == id).map(|s| s.3).unwrap_or(0),
            None => goods,
        };
        let used = w.used_coupons.contains(&(caller.user_id.clone(), c.coupon_id.clone()));
        let reason = if used {
            Some("已使用".to_owned())
        } else if c.store_id.is_some() && base == 0 {
            Some("仅限指定店铺的商品使用".to_owned())
        } else if base < c.min_spend_fen {
            Some(format!("还差 ¥{:.2} 可用", (c.min_spend_fen - base) as f64 / 100.0))
        } else {
            None
        };
        let usable = reason.is_none();
        let wanted = coupon_ids.contains(&c.coupon_id);
        let chosen = usable && wanted && !scopes_taken.contains(&c.store_id);
        if wanted && !usable {
            return Err(ApiError::unprocessable("coupon_unusable", format!("「{}」{}", c.title, reason.clone().unwrap_or_default())));
        }
        if chosen {
            scopes_taken.push(c.store_id.clone());
            discounts.push((c.store_id.clone(), c.discount_fen));
        }
        let mut coupon = json!({"coupon_id": c.coupon_id, "title": c.title, "discount_fen": c.discount_fen,
            "min_spend_fen": c.min_spend_fen, "store_id": c.store_id, "usable": usable, "chosen": chosen});
        if let Some(r) = reason {
            coupon["reason"] = json!(r);
        }
        coupons.push(coupon);
    }
    // Each store's share of the discount: its own coupons, then the platform-wide ones in
    // proportion to its goods, the rounding remainder on the last store.
    let platform: i64 = discounts.iter().filter(|d| d.0.is_none()).map(|d| d.1).sum::<i64>().min(goods);
    let mut sub_orders = Vec::new();
    let mut stores_json = Vec::new();
    let mut platform_left = platform;
    let mut shipping_total = 0;
    for (i, (id, name, lines, subtotal)) in per_store.iter().enumerate() {
        let shipping = shipping_of(id, *subtotal);
        shipping_total += shipping;
        let own: i64 = discounts.iter().filter(|d| d.0.as_deref() == Some(id)).map(|d| d.1).sum::<i64>().min(*subtotal);
        let share = if i + 1 == per_store.len() { platform_left } else { platform * subtotal / goods.max(1) };
        platform_left -= share;
        sub_orders.push((id.clone(), name.clone(), (subtotal + shipping - own - share).max(0)));
        stores_json.push(json!({"store_id": id, "name": name, "lines": lines, "subtotal_fen": subtotal, "shipping_fen": shipping}));
    }
    let total = sub_orders.iter().map(|s| s.2).sum::<i64>();
    let body = json!({
        "stores": stores_json, "goods_fen": goods, "shipping_fen": shipping_total,
        "discount_fen": goods + shipping_total - total, "total_fen": total,
        "coupons": coupons, "cart_version": cart.version,
    });
    Ok(Checkout {
        body,
        total_fen: total,
        chosen_coupons: scopes_taken_ids(&w.coupons, coupon_ids, &discounts),
        sub_orders,
        holds,
    })
}

fn scopes_taken_ids(all: &[crate::world::CouponRec], wanted: &[String], discounts: &[(Option<String>, i64)]) -> Vec<String> {
    let mut taken: Vec<Option<String>> = Vec::new();
    all.iter()
        .filter(|c| wanted.contains(&c.coupon_id) && discounts.iter().any(|d| d.0 == c.store_id))
        .filter(|c| {
            let fresh = !taken.contains(&c.store_id);
            taken.push(c.store_id.clone());
            fresh
        })
        .map(|c| c.coupon_id.clone())
        .collect()
}

pub async fn checkout_preview(State(s): State<Shared>, caller: Caller, Body(req): Body<CheckoutRequest>) -> ApiResult<Json<Value>> {
    let w = s.world();
    Ok(Json(compute_checkout(&w, &caller, &req.line_ids, &req.coupon_ids)?.body))
}

#[derive(Deserialize, serde::Serialize)]
pub struct PlaceOrder {
    line_ids: Vec<String>,
    coupon_ids: Vec<String>,
    address: Address,
    expected_total_fen: i64,
}

#[derive(Deserialize, serde::Serialize)]
pub struct Address {
    name: String,
    phone: String,
    region: String,
    detail: String,
}

fn validate_address(a: &Address) -> ApiResult<()> {
    let mut problems = Vec::new();
    if a.name.trim().is_empty() {
        problems.push(("address.name".to_owned(), "required", "请填写收货人".to_owned()));
    }
    let phone_ok = a.phone.len() == 11 && a.phone.starts_with('1') && a.phone.bytes().all(|b| b.is_ascii_digit());
    if !phone_ok {
        problems.push(("address.phone".to_owned(), "invalid", "请填写 11 位手机号".to_owned()));
    }
    if a.region.trim().is_empty() {
        problems.push(("address.region".to_owned(), "required", "请选择所在地区".to_owned()));
    }
    if a.detail.trim().is_empty() {
        problems.push(("address.detail".to_owned(), "required", "请填写详细地址".to_owned()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::fields(problems))
    }
}

/// Releases what expired orders held.
pub fn settle_expired(w: &mut World, now: i64) {
    let expired: Vec<usize> = w
        .orders
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status == OrderStatus::PendingPayment && o.pay_by <= now)
        .map(|(i, _)| i)
        .collect();
    for i in expired {
        w.orders[i].status = OrderStatus::Expired;
        release(w, i);
    }
}

fn release(w: &mut World, index: usize) {
    let order = w.orders[index].clone();
    for (id, qty) in &order.holds {
        if let Some(p) = w.products.iter_mut().find(|p| &p.sku_id == id) {
            p.stock += qty;
        }
        if let Some(item) = w.seckill_items.iter_mut().find(|i| &i.item_id == id) {
            item.stock_left += qty;
            if let Some(b) = w.bought.get_mut(&(order.user_id.clone(), id.clone())) {
                *b = (*b - qty).max(0);
            }
        }
    }
    for c in &order.coupon_ids {
        w.used_coupons.remove(&(order.user_id.clone(), c.clone()));
    }
}

pub async fn place_order(
    State(s): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Body(req): Body<PlaceOrder>,
) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    validate_address(&req.address)?;
    let request = serde_json::to_value(&req).unwrap_or_default();
    let now = now_ms();
    let mut w = s.world();
    settle_expired(&mut w, now);
    once(&mut w, &caller, "order", &key, &request, |w| {
        let checkout = compute_checkout(w, &caller, &req.line_ids, &req.coupon_ids)?;
        if checkout.total_fen != req.expected_total_fen {
            return Err(ApiError::conflict("total_changed", "价格有变化，请确认新的金额").with("current", checkout.body));
        }
        for (sku, qty) in &checkout.holds {
            if let Some(p) = w.products.iter_mut().find(|p| &p.sku_id == sku) {
                p.stock -= qty;
            }
        }
        for c in &checkout.chosen_coupons {
            w.used_coupons.insert((caller.user_id.clone(), c.clone()));
        }
        if let Some(cart) = w.carts.get_mut(&caller.user_id) {
            cart.lines.retain(|l| !req.line_ids.contains(&l.line_id));
            cart.version += 1;
            cart.updated_at = now;
        }
        let order = OrderRec {
            order_id: w.id("ord"),
            user_id: caller.user_id.clone(),
            kind: "cart",
            status: OrderStatus::PendingPayment,
            total_fen: checkout.total_fen,
            created_at: now,
            pay_by: now + PAY_WITHIN_MS,
            paid_at: None,
            sub_orders: checkout.sub_orders,
            holds: checkout.holds,
            prepay_id: None,
            coupon_ids: checkout.chosen_coupons,
        };
        let body = order.to_json();
        w.records.orders_created.push(json!({"order_id": order.order_id, "user_id": caller.user_id, "key": key, "kind": "cart", "total_fen": order.total_fen, "address": request["address"]}));
        w.orders.push(order);
        Ok((StatusCode::CREATED, body))
    })
}

fn my_order(w: &World, caller: &Caller, order_id: &str) -> ApiResult<usize> {
    w.orders
        .iter()
        .position(|o| o.order_id == order_id && o.user_id == caller.user_id)
        .ok_or_else(|| ApiError::not_found("订单"))
}

pub async fn get_order(State(s): State<Shared>, caller: Caller, Path(order_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    settle_expired(&mut w, now_ms());
    let i = my_order(&w, &caller, &order_id)?;
    Ok(Json(w.orders[i].to_json()))
}

#[derive(Deserialize)]
pub struct OrderQuery {
    status: Option<String>,
}

pub async fn list_orders(State(s): State<Shared>, caller: Caller, Query(q): Query<OrderQuery>) -> Json<Value> {
    let mut w = s.world();
    settle_expired(&mut w, now_ms());
    let orders: Vec<Value> = w
        .orders
        .iter()
        .rev()
        .filter(|o| o.user_id == caller.user_id)
        .map(OrderRec::to_json)
        .filter(|o| q.status.as_ref().is_none_or(|st| o["status"] == st.as_str()))
        .collect();
    Json(json!({"orders": orders}))
}

pub async fn request_payment(State(s): State<Shared>, caller: Caller, Path(order_id): Path<String>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    settle_expired(&mut w, now);
    let i = my_order(&w, &caller, &order_id)?;
    if w.orders[i].status != OrderStatus::PendingPayment {
        return Err(ApiError::conflict("order_not_payable", "订单已支付、已取消或已过期"));
    }
    let prepay = format!("wx{}", random_token(28));
    w.orders[i].prepay_id = Some(prepay.clone());
    w.prepays.insert(prepay.clone(), order_id.clone());
    let (time_stamp, nonce) = ((now / 1000).to_string(), random_token(16));
    let package = format!("prepay_id={prepay}");
    let sign_src = format!("appId={}&nonceStr={nonce}&package={package}&signType=RSA&timeStamp={time_stamp}", crate::session::APP_ID);
    Ok(Json(json!({
        "order_id": order_id, "app_id": crate::session::APP_ID, "time_stamp": time_stamp, "nonce_str": nonce,
        "package": package, "sign_type": "RSA", "pay_sign": sha1_smol::Sha1::from(sign_src).digest().to_string(),
    })))
}

pub async fn cancel_order(State(s): State<Shared>, caller: Caller, Path(order_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    settle_expired(&mut w, now_ms());
    let i = my_order(&w, &caller, &order_id)?;
    match w.orders[i].status {
        OrderStatus::PendingPayment => {
            w.orders[i].status = OrderStatus::Cancelled;
            release(&mut w, i);
        }
        OrderStatus::Cancelled => {}
        _ => return Err(ApiError::conflict("order_not_cancellable", "订单已支付或已关闭，不能取消")),
    }
    Ok(Json(w.orders[i].to_json()))
}

/// The simulated WeChat payment: `ok` confirms the order to the server after a short delay,
/// as WeChat's payment notification would; `cancel` and `fail` leave it payable.
pub fn simulate_payment(shared: &Shared, prepay_id: &str, outcome: &str, delay_ms: u64) -> ApiResult<Value> {
    let mut w = shared.world();
    let order_id = w.prepays.get(prepay_id).cloned().ok_or_else(|| ApiError::not_found("支付单"))?;
    let record = json!({"prepay_id": prepay_id, "order_id": order_id, "outcome": outcome, "at": now_ms()});
    w.records.payments.push(record);
    if outcome == "ok" {
        let shared = shared.clone();
        let id = order_id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
            let mut w = shared.world();
            if let Some(o) = w.orders.iter_mut().find(|o| o.order_id == id && o.status == OrderStatus::PendingPayment) {
                o.status = OrderStatus::Paid;
                o.paid_at = Some(now_ms());
            }
        });
    }
    Ok(json!({"order_id": order_id, "outcome": outcome}))
}
