//! Session, time, JS-SDK signing and menu events, as the contract describes them.

mod support;

use serde_json::json;
use support::Client;

#[tokio::test(flavor = "multi_thread")]
async fn an_oauth_code_works_once() {
    let client = Client::new();
    let code = client.raw("POST", "/__standin/oauth/code", Some(json!({"user_id": "p-wang"})), &[]).await;
    let code = code.body["code"].as_str().expect("code").to_owned();
    let first = client.post("/session/oauth", json!({"code": code, "state": "abc"})).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["user"]["role"], "parent");
    let again = client.post("/session/oauth", json!({"code": code})).await;
    assert_eq!((again.status.as_u16(), again.code()), (400, "oauth_code_used"));
    let unknown = client.post("/session/oauth", json!({"code": "made-up"})).await;
    assert_eq!(unknown.code(), "oauth_code_invalid");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_snapshot_user_is_a_guest_and_guests_get_sessions() {
    let mut client = Client::new();
    client.sign_in("snapshot");
    let me = client.get("/session/me").await;
    assert_eq!(me.body["is_guest"], true);
    let guest = client.call("POST", "/session/guest", None, &[]).await;
    assert_eq!(guest.body["user"]["is_guest"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_time_and_jssdk_signature() {
    let client = Client::new();
    let before = standin::http::now_ms();
    let time = client.get("/time").await;
    let now = time.body["now_ms"].as_i64().expect("now_ms");
    assert!(now >= before && now - before < 5_000);
    let signed = client.post("/session/jssdk-signature", json!({"url": "https://m.example.com/cart?from=share"})).await;
    assert_eq!(signed.status, 200);
    let expected = standin::session::sign(
        signed.body["nonce_str"].as_str().expect("nonce"),
        signed.body["timestamp"].as_i64().expect("timestamp"),
        "https://m.example.com/cart?from=share",
    );
    assert_eq!(signed.body["signature"], expected.as_str());
    let with_fragment = client.post("/session/jssdk-signature", json!({"url": "https://m.example.com/#/cart"})).await;
    assert_eq!((with_fragment.status.as_u16(), with_fragment.code()), (422, "validation_failed"));
}

#[tokio::test(flavor = "multi_thread")]
async fn menu_in_both_shapes_and_events_answered() {
    let mut client = Client::new();
    client.sign_in("u-xiaoman");
    let menu = client.get("/menu").await;
    assert!(menu.body["menu"]["button"].as_array().is_some_and(|b| b.len() == 3));
    let selfmenu = client.call("GET", "/menu", None, &[("x-scenario", "selfmenu")]).await;
    assert!(selfmenu.body["selfmenu_info"]["button"][1]["sub_button"]["list"].is_array());
    let click = client.post("/menu/events", json!({"type": "click", "key": "CONTACT_US"})).await;
    assert_eq!(click.body["kind"], "text");
    let news = client.post("/menu/events", json!({"type": "click", "key": "TODAY_PICKS"})).await;
    assert_eq!(news.body["kind"], "news");
    let scan = client.post("/menu/events", json!({"type": "scancode_waitmsg", "key": "SCAN_PRICE", "scan_result": "6901234567892"})).await;
    assert!(scan.body["text"].as_str().is_some_and(|t| t.contains("6901234567892")));
    let no_scan = client.post("/menu/events", json!({"type": "scancode_waitmsg", "key": "SCAN_PRICE"})).await;
    assert_eq!(no_scan.status, 422);
    let place = client.post("/menu/events", json!({"type": "location_select", "key": "NEAR_STORE", "location": {"latitude": 30.58, "longitude": 114.27, "label": "江汉路"}})).await;
    assert!(place.body["text"].as_str().is_some_and(|t| t.contains("江汉路")));
    let records = client.raw("GET", "/__standin/records", None, &[]).await;
    assert_eq!(records.body["menu_events"].as_array().map(Vec::len), Some(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn scenarios_and_faults_shape_answers() {
    let mut client = Client::new();
    client.sign_in("u-xiaoman");
    let error = client.call("GET", "/cart", None, &[("x-scenario", "error")]).await;
    assert_eq!((error.status.as_u16(), error.code()), (500, "internal"));
    let empty = client.call("GET", "/cart", None, &[("x-scenario", "empty")]).await;
    assert_eq!(empty.body["stores"], json!([]));
    client.raw("POST", "/__standin/faults", Some(json!({"rules": [{"kind": "unavailable", "path": "/cart", "times": 1, "retry_after_s": 2}]})), &[]).await;
    let busy = client.get("/cart").await;
    assert_eq!(busy.status, 503);
    assert_eq!(busy.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("2"));
    let fine = client.get("/cart").await;
    assert_eq!(fine.status, 200, "a rule with times: 1 fires once");
    client.raw("POST", "/__standin/faults", Some(json!({"rules": [{"kind": "malformed", "path": "/menu", "times": 1}]})), &[]).await;
    let broken = client.raw("GET", "/api/v1/menu", None, &[]).await;
    assert!(broken.body.is_string(), "a malformed body is not JSON");
}

#[tokio::test(flavor = "multi_thread")]
async fn jitter_delays_each_answer_by_a_random_amount_up_to_its_bound() {
    let client = Client::new();
    client.raw("POST", "/__standin/faults", Some(json!({"rules": [{"kind": "latency", "path": "/time", "jitter_ms": 120}]})), &[]).await;
    let mut delays = Vec::new();
    for _ in 0..12 {
        let sent = std::time::Instant::now();
        let answer = client.get("/time").await;
        assert_eq!(answer.status, 200);
        delays.push(sent.elapsed().as_millis());
    }
    assert!(delays.iter().all(|d| *d < 120 + 100), "never beyond the bound (plus scheduling slack): {delays:?}");
    assert!(delays.iter().any(|d| *d >= 15), "some answers are late: {delays:?}");
    assert!(delays.iter().min() != delays.iter().max(), "not all alike: {delays:?}");
}
