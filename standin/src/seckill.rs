//! Seckill: time-slot sessions, atomic stock, per-person limits, a fair queue, reminders.

use crate::http::{idempotency_key, now_ms, once, ApiError, ApiResult, Body, Caller, Scenario};
use crate::world::{OrderRec, OrderStatus, SeckillItemRec, SlotRec, TicketRec, World, BEIJING_OFFSET_MS, HOUR_MS, MINUTE_MS};
use crate::Shared;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::VecDeque;

/// A won grab must be paid within this time, or the stock goes back.
pub const PAY_WITHIN_MS: i64 = 15 * MINUTE_MS;
/// Grabs on one item within one second beyond which new grabs are queued.
pub const QUEUE_AFTER_PER_SECOND: usize = 30;
/// How long a queued grab waits before it is decided.
pub const QUEUE_DELAY_MS: i64 = 1_500;
/// Grab requests one person may send per second before `too_many_requests`.
pub const USER_GRABS_PER_SECOND: usize = 5;

const ITEMS: [(&str, &str, i64, i64, i64, i64); 5] = [
    ("经典款运动跑鞋", "sku-2001", 45900, 19900, 50, 1),
    ("轻薄羽绒服 男款", "sku-1002", 39900, 15900, 30, 1),
    ("保温杯 500ml", "sku-3001", 8900, 2900, 200, 2),
    ("羊绒高领毛衣 女款", "sku-2003", 59900, 29900, 20, 1),
    ("香氛护手霜礼盒", "sku-3003", 12800, 4900, 100, 3),
];

fn slot_title(starts_at: i64) -> String {
    let minutes = (starts_at + BEIJING_OFFSET_MS).rem_euclid(24 * HOUR_MS) / MINUTE_MS;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Adds a session with the standard items; returns its id.
pub fn add_session(w: &mut World, starts_at: i64, ends_at: i64, stock: Option<i64>, limit: Option<i64>) -> String {
    let session_id = w.id("ss");
    w.slots.push(SlotRec { session_id: session_id.clone(), title: slot_title(starts_at), starts_at, ends_at });
    w.slots.sort_by_key(|s| s.starts_at);
    for (n, (title, sku, original, flash, total, per_person)) in ITEMS.iter().enumerate() {
        let stock_total = stock.unwrap_or(*total);
        w.seckill_items.push(SeckillItemRec {
            item_id: format!("{session_id}-i{n}"),
            session_id: session_id.clone(),
            title: (*title).to_owned(),
            image_url: format!("/media/product-{sku}.svg"),
            original_price_fen: *original,
            flash_price_fen: *flash,
            stock_total,
            stock_left: stock_total,
            limit_per_person: limit.unwrap_or(*per_person),
        });
    }
    session_id
}

/// Sessions on whole hours around now: one ended, one live, two upcoming.
pub fn seed(w: &mut World, now: i64) {
    let hour = now - now.rem_euclid(HOUR_MS);
    add_session(w, hour - 4 * HOUR_MS, hour - 2 * HOUR_MS, None, None);
    let live = add_session(w, hour - HOUR_MS, hour + 2 * HOUR_MS, None, None);
    add_session(w, hour + 2 * HOUR_MS, hour + 4 * HOUR_MS, None, None);
    add_session(w, hour + 4 * HOUR_MS, hour + 6 * HOUR_MS, None, None);
    // The live session shows every state: one sold out, one nearly gone.
    for item in w.seckill_items.iter_mut().filter(|i| i.session_id == live) {
        if item.item_id.ends_with("-i1") {
            item.stock_left = 0;
        }
        if item.item_id.ends_with("-i3") {
            item.stock_left = 2;
        }
    }
}

fn session_json(s: &SlotRec) -> Value {
    json!({"session_id": s.session_id, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at})
}

pub async fn list_sessions(State(s): State<Shared>, _caller: Caller, scenario: Scenario) -> Json<Value> {
    let w = s.world();
    let sessions: Vec<Value> = if scenario.is("empty") { vec![] } else { w.slots.iter().map(session_json).collect() };
    Json(json!({"now_ms": now_ms(), "sessions": sessions}))
}

pub async fn list_items(
    State(s): State<Shared>,
    caller: Caller,
    scenario: Scenario,
    Path(session_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = s.world();
    let slot = w.slots.iter().find(|s| s.session_id == session_id).ok_or_else(|| ApiError::not_found("场次"))?;
    let items: Vec<Value> = w
        .seckill_items
        .iter()
        .filter(|i| i.session_id == session_id && !scenario.is("empty"))
        .map(|i| {
            let mine = (caller.user_id.clone(), i.item_id.clone());
            let title = if scenario.is("long_text") { format!("{}（限时特惠 · 官方正品 · 全国包邮 · 七天无理由退换）", i.title) } else { i.title.clone() };
            json!({
                "item_id": i.item_id, "session_id": i.session_id, "title": title, "image_url": i.image_url,
                "original_price_fen": i.original_price_fen, "flash_price_fen": i.flash_price_fen,
                "stock_total": i.stock_total, "stock_left": if scenario.is("sold_out") { 0 } else { i.stock_left },
                "limit_per_person": i.limit_per_person,
                "bought_by_me": w.bought.get(&mine).copied().unwrap_or(0),
                "reminded": w.reminders.contains(&mine),
            })
        })
        .collect();
    Ok(Json(json!({"now_ms": now_ms(), "session": session_json(slot), "items": items})))
}

/// Takes the decision for one grab, atomically under the world lock: limit, then stock.
fn decide(w: &mut World, user_id: &str, item_id: &str, quantity: i64, now: i64, key: &str) -> Result<(String, i64), ApiError> {
    let item = w.seckill_items.iter().find(|i| i.item_id == item_id).cloned().ok_or_else(|| ApiError::not_found("商品"))?;
    let slot = (user_id.to_owned(), item_id.to_owned());
    let bought = w.bought.get(&slot).copied().unwrap_or(0);
    let verdict = if bought + quantity > item.limit_per_person {
        Err(ApiError::conflict("limit_reached", format!("每人限购 {} 件", item.limit_per_person)))
    } else if item.stock_left < quantity {
        Err(ApiError::conflict("sold_out", "已抢光"))
    } else {
        Ok(())
    };
    w.records.grabs_decided.push(json!({"user_id": user_id, "item_id": item_id, "key": key, "quantity": quantity,
        "result": verdict.as_ref().map(|_| "won").unwrap_or_else(|e| if e.code() == "sold_out" { "sold_out" } else { "limit_reached" })}));
    verdict?;
    if let Some(i) = w.seckill_items.iter_mut().find(|i| i.item_id == item_id) {
        i.stock_left -= quantity;
    }
    *w.bought.entry(slot).or_insert(0) += quantity;
    let order = OrderRec {
        order_id: w.id("ord"),
        user_id: user_id.to_owned(),
        kind: "seckill",
        status: OrderStatus::PendingPayment,
        total_fen: item.flash_price_fen * quantity,
        created_at: now,
        pay_by: now + PAY_WITHIN_MS,
        paid_at: None,
        sub_orders: vec![("s-online".into(), "上品折扣 · 微秒杀".into(), item.flash_price_fen * quantity)],
        holds: vec![(item_id.to_owned(), quantity)],
        prepay_id: None,
        coupon_ids: vec![],
    };
    let answer = (order.order_id.clone(), order.pay_by);
    w.records.orders_created.push(json!({"order_id": order.order_id, "user_id": user_id, "key": key, "kind": "seckill", "total_fen": order.total_fen}));
    w.orders.push(order);
    Ok(answer)
}

/// Decides, in arrival order, every queued ticket of an item whose wait is over.
fn settle_queue(w: &mut World, item_id: &str, now: i64) {
    let mut due: Vec<(u64, String)> = w
        .tickets
        .values()
        .filter(|t| t.item_id == item_id && t.state == "queued" && t.resolve_at <= now)
        .map(|t| (t.seq, t.ticket_id.clone()))
        .collect();
    due.sort();
    for (_, id) in due {
        let Some(t) = w.tickets.get(&id).cloned() else { continue };
        let outcome = decide(w, &t.user_id, &t.item_id, t.quantity, now, &t.ticket_id);
        if let Some(ticket) = w.tickets.get_mut(&id) {
            match outcome {
                Ok((order_id, pay_by)) => {
                    ticket.state = "won";
                    ticket.order_id = Some(order_id);
                    ticket.pay_by = Some(pay_by);
                }
                Err(e) if e.code() == "limit_reached" => ticket.state = "limit_reached",
                Err(_) => ticket.state = "sold_out",
            }
        }
    }
}

#[derive(Deserialize, serde::Serialize)]
pub struct Grab {
    quantity: i64,
}

pub async fn grab(
    State(s): State<Shared>,
    caller: Caller,
    scenario: Scenario,
    headers: HeaderMap,
    Path(item_id): Path<String>,
    Body(req): Body<Grab>,
) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    if req.quantity < 1 {
        return Err(ApiError::fields(vec![("quantity".into(), "range", "数量至少为 1".into())]));
    }
    let now = now_ms();
    let mut w = s.world();
    let item = w.seckill_items.iter().find(|i| i.item_id == item_id).cloned().ok_or_else(|| ApiError::not_found("商品"))?;
    let slot = w.slots.iter().find(|s| s.session_id == item.session_id).cloned().ok_or_else(|| ApiError::not_found("场次"))?;
    let replay = w.idempotency.contains_key(&(caller.user_id.clone(), format!("grab:{item_id}"), key.clone()));
    if !replay {
        let times = w.grab_times.entry(caller.user_id.clone()).or_insert_with(VecDeque::new);
        while times.front().is_some_and(|t| now - t >= 1000) {
            times.pop_front();
        }
        if times.len() >= USER_GRABS_PER_SECOND {
            return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "手速太快了，请稍后再试").retry_after(1));
        }
        times.push_back(now);
        if now < slot.starts_at {
            return Err(ApiError::new(StatusCode::TOO_EARLY, "not_started", "秒杀还没开始")
                .with("starts_at", slot.starts_at)
                .with("now_ms", now));
        }
        if now >= slot.ends_at {
            return Err(ApiError::new(StatusCode::GONE, "ended", "本场秒杀已结束"));
        }
    }
    settle_queue(&mut w, &item_id, now);
    let request = serde_json::to_value(&req).unwrap_or_default();
    let scope = format!("grab:{item_id}");
    once(&mut w, &caller, &scope, &key, &request, |w| {
        let recent = w.grab_times.values().flatten().filter(|t| now - **t < 1000).count();
        let busy = recent > QUEUE_AFTER_PER_SECOND || scenario.is("queue");
        if busy {
            let queued: i64 = w
                .tickets
                .values()
                .filter(|t| t.user_id == caller.user_id && t.item_id == item_id && t.state == "queued")
                .map(|t| t.quantity)
                .sum();
            let bought = w.bought.get(&(caller.user_id.clone(), item_id.clone())).copied().unwrap_or(0);
            if bought + queued + req.quantity > item.limit_per_person {
                return Err(ApiError::conflict("limit_reached", format!("每人限购 {} 件", item.limit_per_person)));
            }
            let ticket_id = w.id("tk");
            let seq = w.next_id;
            w.tickets.insert(
                ticket_id.clone(),
                TicketRec {
                    seq,
                    ticket_id: ticket_id.clone(),
                    user_id: caller.user_id.clone(),
                    item_id: item_id.clone(),
                    quantity: req.quantity,
                    resolve_at: now + QUEUE_DELAY_MS,
                    state: "queued",
                    order_id: None,
                    pay_by: None,
                },
            );
            return Ok((StatusCode::ACCEPTED, json!({"result": "queued", "ticket_id": ticket_id, "poll_after_ms": 500})));
        }
        let (order_id, pay_by) = decide(w, &caller.user_id, &item_id, req.quantity, now, &key)?;
        Ok((StatusCode::OK, json!({"result": "won", "order_id": order_id, "pay_by": pay_by})))
    })
}

pub async fn get_ticket(State(s): State<Shared>, caller: Caller, Path(ticket_id): Path<String>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    let item_id = match w.tickets.get(&ticket_id) {
        Some(t) if t.user_id == caller.user_id => t.item_id.clone(),
        _ => return Err(ApiError::not_found("排队凭证")),
    };
    settle_queue(&mut w, &item_id, now);
    let t = w.tickets.get(&ticket_id).cloned().ok_or_else(|| ApiError::not_found("排队凭证"))?;
    let position = w.tickets.values().filter(|o| o.item_id == t.item_id && o.state == "queued" && o.seq <= t.seq).count();
    let mut body = json!({"ticket_id": t.ticket_id, "state": t.state});
    if t.state == "queued" {
        body["position"] = json!(position);
    }
    if let (Some(order_id), Some(pay_by)) = (t.order_id, t.pay_by) {
        body["order_id"] = json!(order_id);
        body["pay_by"] = json!(pay_by);
    }
    Ok(Json(body))
}

fn reminder(s: &Shared, caller: &Caller, item_id: &str, on: bool) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    let item = w.seckill_items.iter().find(|i| i.item_id == item_id).cloned().ok_or_else(|| ApiError::not_found("商品"))?;
    let key = (caller.user_id.clone(), item_id.to_owned());
    if on {
        let started = w.slots.iter().any(|s| s.session_id == item.session_id && s.starts_at <= now);
        if started {
            return Err(ApiError::conflict("already_started", "秒杀已经开始，无需提醒"));
        }
        w.reminders.insert(key);
    } else {
        w.reminders.remove(&key);
    }
    Ok(Json(json!({"reminded": on})))
}

pub async fn remind(State(s): State<Shared>, caller: Caller, Path(item_id): Path<String>) -> ApiResult<Json<Value>> {
    reminder(&s, &caller, &item_id, true)
}

pub async fn unremind(State(s): State<Shared>, caller: Caller, Path(item_id): Path<String>) -> ApiResult<Json<Value>> {
    reminder(&s, &caller, &item_id, false)
}
