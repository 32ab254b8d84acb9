//! Seckill: time windows, one order per intent, limits, a fair queue, and no oversell.

mod support;

use serde_json::{json, Value};
use support::Client;

async fn session(c: &Client, starts_in_ms: i64, stock: i64, limit: i64) -> Value {
    c.raw("POST", "/__standin/seckill/sessions", Some(json!({"starts_in_ms": starts_in_ms, "duration_ms": 3_600_000, "stock": stock, "limit": limit})), &[]).await.body
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_span_ended_live_and_upcoming() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let list = c.get("/seckill/sessions").await.body;
    let now = list["now_ms"].as_i64().unwrap_or(0);
    let sessions = list["sessions"].as_array().cloned().unwrap_or_default();
    assert!(sessions.iter().any(|s| s["ends_at"].as_i64() < Some(now)), "an ended session");
    assert!(sessions.iter().any(|s| s["starts_at"].as_i64() <= Some(now) && s["ends_at"].as_i64() > Some(now)), "a live one");
    assert!(sessions.iter().any(|s| s["starts_at"].as_i64() > Some(now)), "an upcoming one");
    let live = sessions.iter().find(|s| s["starts_at"].as_i64() <= Some(now) && s["ends_at"].as_i64() > Some(now)).cloned().unwrap_or_default();
    let items = c.get(&format!("/seckill/sessions/{}/items", live["session_id"].as_str().unwrap_or_default())).await.body;
    assert!(items["items"].as_array().is_some_and(|i| i.iter().any(|x| x["stock_left"] == 0)), "a sold-out item");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_intent_one_order_and_the_window_is_the_servers() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let early = session(&c, 60_000, 10, 1).await;
    let item = early["item_ids"][0].as_str().unwrap_or_default().to_owned();
    let too_early = c.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &[("idempotency-key", "grab-key-early")]).await;
    assert_eq!((too_early.status.as_u16(), too_early.code()), (425, "not_started"));
    assert!(too_early.body["starts_at"].as_i64().is_some(), "tells the client when it starts");
    let remind = c.call("PUT", &format!("/seckill/items/{item}/reminder"), None, &[]).await;
    assert_eq!(remind.body["reminded"], true);

    let live = session(&c, -1_000, 10, 1).await;
    let item = live["item_ids"][0].as_str().unwrap_or_default().to_owned();
    let key = [("idempotency-key", "grab-key-0001")];
    let won = c.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &key).await;
    assert_eq!((won.status.as_u16(), won.body["result"].as_str()), (200, Some("won")));
    let retried = c.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &key).await;
    assert_eq!(retried.body["order_id"], won.body["order_id"], "a retry with the same key is the same order");
    let second = c.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &[("idempotency-key", "grab-key-0002")]).await;
    assert_eq!((second.status.as_u16(), second.code()), (409, "limit_reached"));
    let records = c.raw("GET", "/__standin/records", None, &[]).await.body;
    let orders = records["orders_created"].as_array().map(|o| o.iter().filter(|x| x["kind"] == "seckill").count());
    assert_eq!(orders, Some(1));
    let reminder_late = c.call("PUT", &format!("/seckill/items/{item}/reminder"), None, &[]).await;
    assert_eq!(reminder_late.code(), "already_started");
}

#[tokio::test(flavor = "multi_thread")]
async fn queued_grabs_are_decided_in_order_by_ticket() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let live = session(&c, -1_000, 1, 1).await;
    let item = live["item_ids"][0].as_str().unwrap_or_default().to_owned();
    let other = c.as_user("u-yihang");
    let scenario = ("x-scenario", "queue");
    let a = c.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &[("idempotency-key", "grab-queue-a"), scenario]).await;
    let b = other.call("POST", &format!("/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &[("idempotency-key", "grab-queue-b"), scenario]).await;
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (202, 202));
    let ta = a.body["ticket_id"].as_str().unwrap_or_default().to_owned();
    let tb = b.body["ticket_id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(other.get(&format!("/seckill/tickets/{tb}")).await.body["state"], "queued");
    tokio::time::sleep(std::time::Duration::from_millis(standin::seckill::QUEUE_DELAY_MS as u64 + 100)).await;
    // The later arrival asks first, but the earlier one still wins the only unit.
    assert_eq!(other.get(&format!("/seckill/tickets/{tb}")).await.body["state"], "sold_out");
    let first = c.get(&format!("/seckill/tickets/{ta}")).await.body;
    assert_eq!(first["state"], "won");
    assert!(first["order_id"].is_string());
    assert_eq!(other.get(&format!("/seckill/tickets/{ta}")).await.status, 404, "a ticket is its owner's");
}

#[tokio::test(flavor = "multi_thread")]
async fn hundreds_of_concurrent_grabs_never_oversell_nor_exceed_limits() {
    let c = Client::new();
    let live = session(&c, -1_000, 50, 2).await;
    let item = live["item_ids"][0].as_str().unwrap_or_default().to_owned();
    // 120 people, each tapping 3 times with 3 different intents (keys), all at once.
    let mut people = Vec::new();
    for n in 0..120 {
        let code = c.raw("POST", "/__standin/oauth/code", Some(json!({"user_id": "snapshot"})), &[]).await.body["code"].clone();
        let token = c.post("/session/oauth", json!({"code": code})).await.body["token"].as_str().unwrap_or_default().to_owned();
        people.push((n, token));
    }
    let mut tasks = Vec::new();
    for (n, token) in people {
        for tap in 0..3 {
            let app = c.app.clone();
            let shared = c.shared.clone();
            let token = token.clone();
            let item = item.clone();
            tasks.push(tokio::spawn(async move {
                let me = Client { app, shared, token: Some(token) };
                let key = format!("burst-{n}-{tap}-key");
                me.raw("POST", &format!("/api/v1/seckill/items/{item}/grab"), Some(json!({"quantity": 1})), &[("idempotency-key", &key)]).await.status.as_u16()
            }));
        }
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap_or(0));
    }
    assert_eq!(statuses.len(), 360);
    // Let queued grabs be decided, then settle them by asking for each ticket.
    tokio::time::sleep(std::time::Duration::from_millis(standin::seckill::QUEUE_DELAY_MS as u64 + 100)).await;
    let ticket_ids: Vec<String> = c.shared.world().tickets.keys().cloned().collect();
    {
        let mut w = c.shared.world();
        let now = standin::http::now_ms();
        for t in w.tickets.values_mut() {
            t.resolve_at = t.resolve_at.min(now);
        }
    }
    for id in ticket_ids {
        let owner = c.shared.world().tickets.get(&id).map(|t| t.user_id.clone()).unwrap_or_default();
        let token = c.shared.world().sessions.iter().find(|(_, s)| s.user_id == owner).map(|(t, _)| t.clone());
        let me = Client { app: c.app.clone(), shared: c.shared.clone(), token };
        me.get(&format!("/seckill/tickets/{id}")).await;
    }
    let w = c.shared.world();
    let it = w.seckill_items.iter().find(|i| i.item_id == item).cloned().expect("item");
    let sold: i64 = w.orders.iter().filter(|o| o.kind == "seckill").flat_map(|o| o.holds.iter()).filter(|h| h.0 == item).map(|h| h.1).sum();
    assert_eq!(sold + it.stock_left, 50, "every unit is either sold once or left");
    assert_eq!(it.stock_left, 0, "the burst sells out");
    for ((_, i), n) in &w.bought {
        if *i == item {
            assert!(*n <= 2, "someone bought {n} over the limit of 2");
        }
    }
    assert!(statuses.iter().all(|s| [200, 202, 409, 429].contains(s)), "{statuses:?}");
}
