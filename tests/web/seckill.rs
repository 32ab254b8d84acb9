//! The flash-sale page on a stubbed API: tabs, a button per state, the grab locked in flight,
//! a queued grab followed to its win.

use super::{call_field, calls, container, provide_services, stub_fetch, until};
use leptos::prelude::*;
use wxfollower::router::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::seckill::SeckillPage;
use wxfollower::ui::ToastHost;

/// A stub API: an ended, a live and an upcoming session; the live one has a sold-out item, a
/// live one, and one I already bought my limit of. `grab` is the JavaScript answering a grab.
fn stub(grab: &str) {
    stub_fetch(&format!(r#"
        const now = Date.now(), h = 3600000, u = String(url);
        const json = (b, s) => new Response(JSON.stringify(b), {{status: s || 200}});
        const sessions = [
          {{session_id: 'ended', title: '08:00', starts_at: now - 4*h, ends_at: now - 2*h}},
          {{session_id: 'live', title: '10:00', starts_at: now - h, ends_at: now + h}},
          {{session_id: 'next', title: '12:00', starts_at: now + 2*h, ends_at: now + 3*h}}];
        const item = (id, left, bought) => ({{item_id: id, session_id: 'live', title: '商品' + id, image_url: '', original_price_fen: 45900, flash_price_fen: 19900, stock_total: 50, stock_left: left, limit_per_person: 1, bought_by_me: bought, reminded: false}});
        if (u.endsWith('/time')) return new Promise((r) => setTimeout(() => r(json({{now_ms: Date.now()}})), window.__timeDelay || 0));
        if (u.endsWith('/seckill/sessions')) return json({{now_ms: now, sessions}});
        if (u.includes('/seckill/sessions/live/items')) return json({{now_ms: now, session: sessions[1], items: [item('a', 0, 0), item('b', 20, 0), item('c', 20, 1)]}});
        if (u.includes('/seckill/sessions/next/items')) return json({{now_ms: now, session: sessions[2], items: [Object.assign(item('n', 20, 0), {{session_id: 'next'}})]}});
        if (u.includes('/reminder')) return json({{reminded: (init && init.method) === 'PUT'}});
        if (u.includes('/grab')) {{ {grab} }}
        if (u.includes('/seckill/tickets/')) {{ window.__polls = (window.__polls || 0) + 1; return json(window.__polls < 4 ? {{ticket_id: 't1', state: 'queued', position: 3}} : {{ticket_id: 't1', state: 'won', order_id: 'o-9', pay_by: now + 900000}}); }}
        return json({{}});
    "#));
}

fn mount_page() -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let (api, clock) = provide_services();
        leptos::task::spawn_local(async move { clock.sync(&api).await });
        view! { <Router><SeckillPage/><ToastHost/></Router> }
    });
    handle.forget();
    root
}

fn state_of(root: &web_sys::HtmlElement, title: &str) -> String {
    let items = root.query_selector_all(".seckill-item").unwrap();
    (0..items.length())
        .filter_map(|i| items.get(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|e| e.text_content().unwrap_or_default().contains(title))
        .and_then(|e| e.get_attribute("data-state"))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_live_session_is_chosen_and_each_item_shows_its_state() {
    stub("return json({result: 'won', order_id: 'o-1', pay_by: now + 900000});");
    let root = mount_page();
    assert!(until(|| root.query_selector_all(".seckill-item").unwrap().length() == 3).await);
    let selected = root.query_selector("[role=tab][aria-selected=true]").unwrap().unwrap();
    assert!(selected.text_content().unwrap_or_default().contains("10:00"), "the live session is selected");
    assert_eq!(state_of(&root, "商品a"), "SoldOut");
    assert_eq!(state_of(&root, "商品b"), "Live");
    assert_eq!(state_of(&root, "商品c"), "LimitReached");
    assert!(root.text_content().unwrap_or_default().contains("已抢 60%"), "20 of 50 left: 60% claimed");
}

#[wasm_bindgen_test]
async fn a_grab_locks_the_button_and_a_queued_grab_is_followed_to_its_win() {
    // The grab answers slowly with a ticket; the ticket wins on the second poll.
    stub("return new Promise((r) => setTimeout(() => r(json({result: 'queued', ticket_id: 't1', poll_after_ms: 200}, 202)), 300));");
    js_sys::Function::new_no_args("window.__polls = 0;").call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let root = mount_page();
    assert!(until(|| state_of(&root, "商品b") == "Live").await);
    let button: web_sys::HtmlElement = root.query_selector(".seckill-item[data-state=Live] button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    assert!(until(|| button.has_attribute("disabled")).await, "locked while the grab is in flight");
    button.click();
    button.click();
    assert!(until(|| button.text_content().unwrap_or_default().contains("第 3 位")).await, "the place in line is shown");
    assert!(until(|| web_sys::window().unwrap().location().pathname().unwrap_or_default() == "/orders/o-9").await, "the won order opens");
    let grabs: Vec<String> = (0..calls().length()).filter(|i| call_field(*i, &["url"]).contains("/grab")).map(|i| call_field(i, &["headers", "idempotency-key"])).collect();
    assert_eq!(grabs.len(), 1, "three taps, one grab");
    assert!(grabs[0].len() >= 16, "with an idempotency key");
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/")).unwrap();
}

#[wasm_bindgen_test]
async fn no_answer_resends_the_same_grab_with_the_same_key() {
    stub("window.__g = (window.__g || 0) + 1; if (window.__g < 3) throw new TypeError('Failed to fetch'); return json({result: 'won', order_id: 'o-7', pay_by: now + 900000});");
    js_sys::Function::new_no_args("window.__g = 0; window.__polls = 0;").call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let root = mount_page();
    assert!(until(|| state_of(&root, "商品b") == "Live").await);
    root.query_selector(".seckill-item[data-state=Live] button").unwrap().unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    assert!(until(|| web_sys::window().unwrap().location().pathname().unwrap_or_default() == "/orders/o-7").await);
    let keys: Vec<String> = (0..calls().length()).filter(|i| call_field(*i, &["url"]).contains("/grab")).map(|i| call_field(i, &["headers", "idempotency-key"])).collect();
    assert_eq!(keys.len(), 3, "resent after no answer");
    assert!(keys.iter().all(|k| k == &keys[0]), "always the same key: one order at most");
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/")).unwrap();
}

#[wasm_bindgen_test]
async fn remind_me_is_set_shown_and_cancellable() {
    stub("return json({});");
    let root = mount_page();
    assert!(until(|| root.query_selector_all("[role=tab]").unwrap().length() == 3).await);
    root.query_selector_all("[role=tab]").unwrap().get(2).unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    assert!(until(|| state_of(&root, "商品n") == "Upcoming").await);
    assert!(root.query_selector(".seckill-item .countdown").unwrap().is_some(), "counts down to the start");
    let remind = || root.query_selector(".remind").unwrap().unwrap().dyn_into::<web_sys::HtmlElement>().unwrap();
    remind().click();
    assert!(until(|| remind().get_attribute("aria-pressed").as_deref() == Some("true")).await);
    assert!(remind().text_content().unwrap_or_default().contains("已设提醒"));
    remind().click();
    assert!(until(|| remind().get_attribute("aria-pressed").as_deref() == Some("false")).await, "cancellable");
    let methods: Vec<String> = (0..calls().length()).filter(|i| call_field(*i, &["url"]).contains("/reminder")).map(|i| call_field(i, &["method"])).collect();
    assert_eq!(methods, vec!["PUT", "DELETE"]);
}

#[wasm_bindgen_test]
async fn too_many_requests_holds_the_button_for_the_time_the_server_asks() {
    stub("return new Response(JSON.stringify({code: 'too_many_requests', message: '请求太频繁'}), {status: 429, headers: {'retry-after': '2', 'content-type': 'application/json'}});");
    let root = mount_page();
    assert!(until(|| state_of(&root, "商品b") == "Live").await);
    let button: web_sys::HtmlElement = root.query_selector(".seckill-item[data-state=Live] button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    assert!(until(|| button.text_content().unwrap_or_default().contains("秒后再抢")).await, "says how long to wait");
    assert!(button.has_attribute("disabled"), "held while waiting");
    button.click();
    assert!(until(|| !button.has_attribute("disabled")).await, "free again once the wait is over");
    assert_eq!(button.text_content().unwrap_or_default().trim(), "立即抢购");
    let grabs = (0..calls().length()).filter(|i| call_field(*i, &["url"]).contains("/grab")).count();
    assert_eq!(grabs, 1, "no grab sent while held");
}

#[wasm_bindgen_test]
async fn nothing_time_bound_shows_before_the_clock_is_measured() {
    stub("return json({});");
    js_sys::Function::new_no_args("window.__timeDelay = 600;").call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let root = mount_page();
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(root.query_selector_all(".seckill-item").unwrap().length(), 0, "no state or countdown on the phone's clock");
    assert!(root.query_selector(".state-loading").unwrap().is_some(), "shows it is loading");
    js_sys::Function::new_no_args("window.__timeDelay = 0;").call0(&wasm_bindgen::JsValue::NULL).unwrap();
    assert!(until(|| root.query_selector_all(".seckill-item").unwrap().length() == 3).await, "then the page");
}
