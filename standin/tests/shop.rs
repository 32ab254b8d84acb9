//! The cart carried on the server, sharing, checkout and one payment, end to end in-process.

mod support;

use serde_json::{json, Value};
use support::Client;

fn lines(cart: &Value) -> Vec<Value> {
    cart["stores"].as_array().into_iter().flatten().flat_map(|s| s["lines"].as_array().cloned().unwrap_or_default()).collect()
}

fn line_of(cart: &Value, sku: &str) -> Value {
    lines(cart).into_iter().find(|l| l["sku_id"] == sku).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seeded_cart_shows_every_line_state_grouped_by_store() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let cart = c.get("/cart").await.body;
    assert_eq!(cart["stores"].as_array().map(Vec::len), Some(3));
    let statuses: Vec<String> = lines(&cart).iter().filter_map(|l| l["status"].as_str().map(str::to_owned)).collect();
    for s in ["ok", "out_of_stock", "delisted", "price_changed"] {
        assert!(statuses.iter().any(|x| x == s), "a {s} line is seeded");
    }
    let changed = line_of(&cart, "sku-2001");
    assert_eq!((changed["price_when_added_fen"].as_i64(), changed["unit_price_fen"].as_i64()), (Some(49900), Some(45900)));
    assert_eq!(changed["selected"], false, "an unavailable line is never selected");
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_merges_lines_and_limits_are_enforced() {
    let mut c = Client::new();
    c.sign_in("u-yihang");
    let empty = c.get("/cart").await.body;
    let v = empty["version"].as_i64().unwrap_or(0);
    let cart = c.post("/cart/lines", json!({"sku_id": "sku-1002", "quantity": 1, "version": v})).await;
    assert_eq!(cart.status, 200);
    let v = cart.body["version"].as_i64().unwrap_or(0);
    let again = c.post("/cart/lines", json!({"sku_id": "sku-1002", "quantity": 1, "version": v})).await;
    assert_eq!(line_of(&again.body, "sku-1002")["quantity"], 2, "the same SKU merges into one line");
    let v = again.body["version"].as_i64().unwrap_or(0);
    let over = c.post("/cart/lines", json!({"sku_id": "sku-1002", "quantity": 1, "version": v})).await;
    assert_eq!((over.status.as_u16(), over.code()), (422, "over_limit"));
    assert_eq!(over.body["max_quantity"], 2);
    let sold_out = c.post("/cart/lines", json!({"sku_id": "sku-1003", "quantity": 1, "version": v})).await;
    assert_eq!(sold_out.code(), "out_of_stock");
    let delisted = c.post("/cart/lines", json!({"sku_id": "sku-1004", "quantity": 1, "version": v})).await;
    assert_eq!(delisted.code(), "delisted");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_version_is_refused_with_the_current_cart() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let cart = c.get("/cart").await.body;
    let v = cart["version"].as_i64().unwrap_or(0);
    let line = line_of(&cart, "sku-1001");
    let id = line["line_id"].as_str().unwrap_or_default().to_owned();
    let first = c.call("PATCH", &format!("/cart/lines/{id}"), Some(json!({"version": v, "quantity": 3})), &[]).await;
    assert_eq!(first.status, 200);
    // Another device still holds version v.
    let stale = c.call("PATCH", &format!("/cart/lines/{id}"), Some(json!({"version": v, "quantity": 4})), &[]).await;
    assert_eq!((stale.status.as_u16(), stale.code()), (409, "version_conflict"));
    assert_eq!(line_of(&stale.body["current"], "sku-1001")["quantity"], 3, "the conflict carries the current cart");
}

#[tokio::test(flavor = "multi_thread")]
async fn share_open_as_a_friend_and_copy() {
    let mut owner = Client::new();
    owner.sign_in("u-xiaoman");
    let share = owner.call("POST", "/cart/shares", None, &[]).await;
    assert_eq!(share.status, 201);
    let token = share.body["share_token"].as_str().expect("token").to_owned();
    assert!(!token.contains("xiaoman") && token.len() >= 20, "the token is opaque");
    let friend = owner.as_user("u-yihang");
    let shared = friend.get(&format!("/shared-carts/{token}")).await;
    assert_eq!(shared.body["owner"]["name"], "林小满");
    let all = lines(&shared.body);
    let ok_ids: Vec<Value> = all.iter().filter(|l| l["status"] == "ok").map(|l| l["line_id"].clone()).collect();
    let copied = friend.post(&format!("/shared-carts/{token}/copy"), json!({})).await;
    assert_eq!(copied.status, 200);
    assert_eq!(copied.body["copied"].as_u64(), Some(all.len() as u64 - copied.body["skipped"].as_array().map(Vec::len).unwrap_or(0) as u64));
    assert!(copied.body["skipped"].as_array().is_some_and(|s| s.iter().any(|x| x["reason"] == "delisted")));
    let friends_cart = friend.get("/cart").await.body;
    assert!(lines(&friends_cart).len() >= ok_ids.len());
    // The friend's copy never touches the owner's cart, and revoking ends the link.
    let owners_before = owner.get("/cart").await.body;
    assert_eq!(owners_before["version"], 1);
    let revoked = owner.call("DELETE", &format!("/cart/shares/{token}"), None, &[]).await;
    assert_eq!(revoked.status, 204);
    let gone = friend.get(&format!("/shared-carts/{token}")).await;
    assert_eq!((gone.status.as_u16(), gone.code()), (410, "share_revoked"));
    let not_mine = friend.call("DELETE", &format!("/cart/shares/{token}"), None, &[]).await;
    assert_eq!(not_mine.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_cart_merges_into_the_account_capped_by_limits() {
    let c = Client::new();
    let guest_session = c.call("POST", "/session/guest", None, &[]).await;
    let guest_token = guest_session.body["token"].as_str().expect("token").to_owned();
    let guest = Client { app: c.app.clone(), shared: c.shared.clone(), token: Some(guest_token.clone()) };
    let g = guest.post("/cart/lines", json!({"sku_id": "sku-1001", "quantity": 4, "version": 0})).await;
    assert_eq!(g.status, 200, "{}", g.body);
    let me = c.as_user("u-xiaoman");
    let merged = me.post("/cart/merge", json!({"guest_token": guest_token})).await;
    assert_eq!(merged.status, 200);
    assert_eq!(line_of(&merged.body, "sku-1001")["quantity"], 5, "2 + 4 capped at the limit of 5");
    assert_eq!(lines(&guest.get("/cart").await.body).len(), 0, "the guest cart is emptied");
}

#[tokio::test(flavor = "multi_thread")]
async fn checkout_with_a_coupon_places_one_order_paid_once() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let cart = c.get("/cart").await.body;
    let ids: Vec<Value> = lines(&cart).iter().filter(|l| l["status"] == "ok").map(|l| l["line_id"].clone()).collect();
    let preview = c.post("/checkout/preview", json!({"line_ids": ids, "coupon_ids": ["cp-all-200-20"]})).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let p = &preview.body;
    let goods = p["goods_fen"].as_i64().unwrap_or(0);
    assert_eq!(goods, 2 * 7900 + 19900 + 3 * 3900);
    assert_eq!(p["stores"].as_array().map(Vec::len), Some(3), "per-store subtotals");
    let sum: i64 = p["stores"].as_array().into_iter().flatten().map(|s| s["subtotal_fen"].as_i64().unwrap_or(0) + s["shipping_fen"].as_i64().unwrap_or(0)).sum();
    assert_eq!(p["total_fen"].as_i64(), Some(sum - 2000));
    let unusable = p["coupons"].as_array().into_iter().flatten().find(|c| c["coupon_id"] == "cp-all-1000-120").cloned().unwrap_or(Value::Null);
    assert_eq!(unusable["usable"], false);
    assert!(unusable["reason"].as_str().is_some_and(|r| r.contains("还差")), "says why a coupon is not usable");
    let total = p["total_fen"].clone();
    let address = json!({"name": "林小满", "phone": "13800001234", "region": "湖北省 武汉市", "detail": "解放大道 690 号"});
    let body = json!({"line_ids": ids, "coupon_ids": ["cp-all-200-20"], "address": address, "expected_total_fen": total});
    let key = [("idempotency-key", "order-key-0001")];
    let first = c.call("POST", "/orders", Some(body.clone()), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let replay = c.call("POST", "/orders", Some(body.clone()), &key).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.body["order_id"], first.body["order_id"], "a retried order is the same order");
    let mut other = body.clone();
    other["coupon_ids"] = json!([]);
    let reused = c.call("POST", "/orders", Some(other), &key).await;
    assert_eq!(reused.code(), "idempotency_key_reused");
    let records = c.raw("GET", "/__standin/records", None, &[]).await;
    assert_eq!(records.body["orders_created"].as_array().map(Vec::len), Some(1));
    assert_eq!(first.body["sub_orders"].as_array().map(Vec::len), Some(3), "one order, a sub-order per store");
    // One combined payment, confirmed by the server, not by the page.
    let order_id = first.body["order_id"].as_str().unwrap_or_default().to_owned();
    let pay = c.call("POST", &format!("/orders/{order_id}/payment"), None, &[]).await;
    assert!(pay.body["package"].as_str().is_some_and(|p| p.starts_with("prepay_id=")));
    let prepay = pay.body["package"].as_str().unwrap_or_default().trim_start_matches("prepay_id=").to_owned();
    let sim = c.raw("POST", "/__standin/pay", Some(json!({"prepay_id": prepay, "outcome": "ok", "delay_ms": 50})), &[]).await;
    assert_eq!(sim.status, 200);
    assert_eq!(c.get(&format!("/orders/{order_id}")).await.body["status"], "pending_payment", "paid only when confirmed");
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    assert_eq!(c.get(&format!("/orders/{order_id}")).await.body["status"], "paid");
    let again = c.call("POST", &format!("/orders/{order_id}/payment"), None, &[]).await;
    assert_eq!(again.code(), "order_not_payable");
    let cart_after = c.get("/cart").await.body;
    assert!(lines(&cart_after).iter().all(|l| l["status"] != "ok"), "ordered lines leave the cart");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_total_is_refused_and_cancelling_returns_stock() {
    let mut c = Client::new();
    c.sign_in("u-yihang");
    let cart = c.post("/cart/lines", json!({"sku_id": "sku-2003", "quantity": 1, "version": 0})).await.body;
    let id = line_of(&cart, "sku-2003")["line_id"].clone();
    let address = json!({"name": "周一航", "phone": "13900001111", "region": "湖北省 武汉市", "detail": "江汉路 1 号"});
    let wrong = c.call("POST", "/orders", Some(json!({"line_ids": [id], "coupon_ids": [], "address": address, "expected_total_fen": 1})), &[("idempotency-key", "order-key-0002")]).await;
    assert_eq!((wrong.status.as_u16(), wrong.code()), (409, "total_changed"));
    let total = wrong.body["current"]["total_fen"].clone();
    let order = c.call("POST", "/orders", Some(json!({"line_ids": [id], "coupon_ids": [], "address": address, "expected_total_fen": total})), &[("idempotency-key", "order-key-0002")]).await;
    assert_eq!(order.status, 201, "the same key may be retried after a refusal");
    let stock = |c: &Client| c.shared.world().products.iter().find(|p| p.sku_id == "sku-2003").map(|p| p.stock).unwrap_or(-1);
    assert_eq!(stock(&c), 4);
    let order_id = order.body["order_id"].as_str().unwrap_or_default().to_owned();
    let cancelled = c.post(&format!("/orders/{order_id}/cancel"), json!({})).await;
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(stock(&c), 5);
    let bad_address = c.call("POST", "/orders", Some(json!({"line_ids": [id], "coupon_ids": [], "address": {"name": "", "phone": "123", "region": "x", "detail": "y"}, "expected_total_fen": total})), &[("idempotency-key", "order-key-0003")]).await;
    assert_eq!(bad_address.code(), "validation_failed");
    assert_eq!(bad_address.body["fields"].as_array().map(Vec::len), Some(2));
}
