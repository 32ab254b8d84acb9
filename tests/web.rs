//! Browser tests: real components and the real API client in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test web`, or `wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::api::{ApiClient, ApiError};
use wxfollower::config::Config;
use wxfollower::json::{FromJson, Json, JsonError};
use wxfollower::i18n::{I18n, Lang};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/widgets.rs"]
mod widgets;

#[path = "web/wechat.rs"]
mod wechat;

#[path = "web/menu.rs"]
mod menu;

#[path = "web/cart.rs"]
mod cart;

#[path = "web/seckill.rs"]
mod seckill;

#[path = "web/handbook.rs"]
mod handbook;

#[path = "web/moments.rs"]
mod moments;

/// The services every page finds in context, as `App` provides them: Chinese, toasts, the API
/// client on the default configuration, a server clock and no JS-SDK (outside WeChat). Returns
/// the client and the clock; providing another value of a type afterwards replaces it.
pub(crate) fn provide_services() -> (ApiClient, wxfollower::clock::ServerClock) {
    let config = Config::default();
    let api = ApiClient::new(&config);
    let clock = wxfollower::clock::ServerClock::new();
    provide_context(I18n { lang: RwSignal::new(Lang::Zh) });
    provide_context(wxfollower::ui::Toaster::new());
    provide_context(api.clone());
    provide_context(config);
    provide_context(clock);
    provide_context(wxfollower::wechat::JsSdk { platform: Default::default(), state: RwSignal::new(wxfollower::wechat::SdkState::Unavailable) });
    (api, clock)
}

/// A signed-in person in context, as the session bootstrap leaves it.
pub(crate) fn provide_person(user_id: &str, name: &str, role: wxfollower::session::Role) {
    let session = wxfollower::session::Session::new();
    session.user.set(Some(wxfollower::session::User { user_id: user_id.into(), name: name.into(), avatar_url: String::new(), role, is_guest: false }));
    provide_context(session);
}

/// A fresh element to mount into.
pub(crate) fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Waits (in small steps, up to ~3 s) until `ready` holds.
pub(crate) async fn until(mut ready: impl FnMut() -> bool) -> bool {
    for _ in 0..300 {
        if ready() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    ready()
}

/// Replaces `window.fetch` with `body(url, init)` (JavaScript); calls are kept in `window.__calls`,
/// and `n` counts this address's calls so far, this one included (a request an earlier test left
/// running can land here too: it must not change what this test's calls are answered).
pub(crate) fn stub_fetch(body: &str) {
    let install = js_sys::Function::new_no_args(&format!(
        "window.__calls = []; window.fetch = async function(url, init) {{ window.__calls.push({{url: String(url), method: (init && init.method) || 'GET', headers: init && init.headers ? Object.fromEntries(init.headers.entries()) : {{}}, body: init && init.body}}); const n = window.__calls.filter((c) => c.url === String(url)).length; {body} }};"
    ));
    install.call0(&wasm_bindgen::JsValue::NULL).unwrap();
}

pub(crate) fn calls() -> js_sys::Array {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__calls".into()).unwrap().unchecked_into()
}

/// The first stubbed call to an address containing `part`. Tests share one page, and a request an
/// earlier test left running can land first (it did once in CI, before the voice note's upload).
pub(crate) fn call_to(part: &str) -> Option<u32> {
    calls_to(part).first().copied()
}

/// Every stubbed call to an address containing `part`, in order.
pub(crate) fn calls_to(part: &str) -> Vec<u32> {
    (0..calls().length()).filter(|&i| call_field(i, &["url"]).contains(part)).collect()
}

/// Every stubbed call's method and address, for a failed assertion's message.
pub(crate) fn sent() -> Vec<String> {
    (0..calls().length()).map(|i| format!("{} {}", call_field(i, &["method"]), call_field(i, &["url"]))).collect()
}

pub(crate) fn call_field(i: u32, path: &[&str]) -> String {
    let mut v = calls().get(i);
    for key in path {
        v = js_sys::Reflect::get(&v, &(*key).into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    }
    v.as_string().unwrap_or_default()
}

pub(crate) fn client(timeout_ms: u32) -> ApiClient {
    // The client's signals live in this owner; it must outlive the test.
    let owner = Owner::new();
    owner.set();
    std::mem::forget(owner);
    ApiClient::new(&Config { api_base: "/api/v1".into(), request_timeout_ms: timeout_ms, ..Config::default() })
}

#[wasm_bindgen_test]
async fn errors_are_typed_from_what_the_server_sends() {
    let api = client(5_000);
    stub_fetch(r#"return new Response(JSON.stringify({code: 'version_conflict', message: '改过了', current: {version: 3}}), {status: 409});"#);
    let e = api.get::<Json>("/cart").await.unwrap_err();
    assert_eq!(e.code(), Some("version_conflict"));
    assert_eq!(calls_to("/cart").len(), 1, "a 409 is final: no retry");
    stub_fetch(r#"return new Response('{"data": [1, 2, 3]}', {status: 200});"#);
    #[derive(Debug)]
    struct Time {
        #[allow(dead_code)]
        now_ms: i64,
    }
    impl FromJson for Time {
        fn from_json(v: &Json) -> Result<Time, JsonError> {
            Ok(Time { now_ms: v.record()?.field("now_ms")? })
        }
    }
    assert!(matches!(api.get::<Time>("/time").await, Err(ApiError::Decode(_))), "a wrong shape is a decode error");
    stub_fetch("throw new TypeError('Failed to fetch');");
    assert_eq!(api.send::<Json, ()>("POST", "/cart/shares", None, None).await, Err(ApiError::Network));
    assert_eq!(calls_to("/cart/shares").len(), 1, "writes are never retried automatically");
}

#[wasm_bindgen_test]
async fn reads_retry_transient_failures_then_succeed() {
    let api = client(5_000);
    stub_fetch(r#"if (n < 3) { return new Response('{"code":"internal","message":"x"}', {status: 503}); } return new Response('{"now_ms": 42}', {status: 200});"#);
    let v = api.get::<Json>("/time").await.expect("third attempt succeeds");
    assert_eq!(v["now_ms"].as_i64(), Some(42));
    assert_eq!(calls_to("/time").len(), 3);
}

#[wasm_bindgen_test]
async fn uploads_retry_a_flaky_network_with_the_same_file_but_not_a_refusal() {
    let api = client(5_000);
    stub_fetch(r#"if (n < 2) { throw new TypeError('Failed to fetch'); } return new Response(JSON.stringify({upload_id: 'up-1', url: '/media/up-1.jpg', kind: 'image', size: init.body.get('file').length}), {status: 201});"#);
    let form = web_sys::FormData::new().unwrap();
    form.append_with_str("file", "picture bytes").unwrap();
    form.append_with_str("kind", "image").unwrap();
    let up = api.send_form::<Json>("/uploads", form).await.expect("the second attempt stores it");
    assert_eq!(up["upload_id"].as_str(), Some("up-1"));
    assert_eq!(up["size"].as_i64(), Some(13), "the retry carried the same file");
    assert_eq!(calls_to("/uploads").len(), 2);

    stub_fetch(r#"return new Response('{"code":"too_large","message":"太大"}', {status: 413});"#);
    let form = web_sys::FormData::new().unwrap();
    form.append_with_str("file", "x").unwrap();
    let refused = api.send_form::<Json>("/uploads", form).await;
    assert!(matches!(refused, Err(ApiError::Http { status: 413, .. })), "{refused:?}");
    assert_eq!(calls_to("/uploads").len(), 1, "a refusal is not sent again");
}

#[wasm_bindgen_test]
async fn media_from_wechat_is_imported_again_after_a_server_hiccup() {
    let api = client(5_000);
    stub_fetch(r#"if (n < 2) { return new Response('{"code":"internal","message":"x"}', {status: 502}); } return new Response(JSON.stringify({upload_id: 'up-9', url: '/m', kind: 'voice', bytes: 1, sent: JSON.parse(init.body).server_id}), {status: 201});"#);
    let up = api.send_upload::<Json, _>("/uploads/wechat", &Json::object(vec![("server_id", "wx-media-1".into()), ("kind", "voice".into())])).await.expect("stored on the second try");
    assert_eq!(up["sent"].as_str(), Some("wx-media-1"));
    assert_eq!(calls_to("/uploads/wechat").len(), 2);
}

#[wasm_bindgen_test]
async fn a_slow_answer_times_out_and_the_request_is_aborted() {
    let api = client(1_000);
    stub_fetch(
        r#"return new Promise((resolve, reject) => { init.signal.addEventListener('abort', () => { window.__aborted = true; reject(new DOMException('aborted', 'AbortError')); }); });"#,
    );
    let started = js_sys::Date::now();
    let e = api.send::<Json, ()>("POST", "/orders", None, Some("key-123456789")).await.unwrap_err();
    assert_eq!(e, ApiError::Timeout);
    assert!(js_sys::Date::now() - started < 3_000.0);
    let aborted = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__aborted".into()).unwrap();
    assert_eq!(aborted.as_bool(), Some(true));
    let order = call_to("/orders").expect("the order was sent");
    assert_eq!(call_field(order, &["headers", "idempotency-key"]), "key-123456789", "the idempotency key is sent");
}

#[wasm_bindgen_test]
async fn the_token_is_a_header_never_part_of_the_url() {
    let api = client(5_000);
    api.token.set(Some("secret-token".into()));
    stub_fetch(r#"return new Response('{}', {status: 200});"#);
    let _ = api.get::<Json>("/session/me").await;
    let me = call_to("/session/me").expect("asked");
    assert_eq!(call_field(me, &["headers", "authorization"]), "Bearer secret-token");
    assert!(!call_field(me, &["url"]).contains("secret-token"));
}

/// Leaves reads as index.html's start-up script does: `[url, token, asked ms ago, answer (JS)]`.
fn leave_early_reads(reads: &[(&str, &str, u32, &str)]) {
    let entries: Vec<String> = reads
        .iter()
        .map(|(url, token, ago, answer)| format!("{{url: '{url}', token: '{token}', at: Date.now() - {ago}, answer: {answer}}}"))
        .collect();
    js_sys::Function::new_no_args(&format!("window.__wxfEarly = [{}];", entries.join(","))).call0(&wasm_bindgen::JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn a_read_begun_at_start_up_is_taken_once_for_the_same_address_and_token() {
    let api = client(5_000);
    api.token.set(Some("t-1".into()));
    let early = "Promise.resolve([200, null, '{\"from\": \"early\"}'])";
    leave_early_reads(&[
        ("/api/v1/cart", "t-1", 0, early),
        ("/api/v1/session/me", "t-other", 0, early),
        ("/api/v1/moments?limit=10", "t-1", 31_000, early),
        ("/api/v1/seckill/sessions", "t-1", 0, "Promise.resolve(null)"),
    ]);
    stub_fetch(r#"return new Response('{"from": "network"}', {status: 200});"#);
    let from = |v: Json| v["from"].as_str().unwrap_or_default().to_owned();
    assert_eq!(from(api.get("/cart").await.unwrap()), "early");
    assert_eq!(calls_to("/cart").len(), 0, "the early answer stands in for the request");
    assert_eq!(from(api.get("/cart").await.unwrap()), "network", "taken once: asking again goes to the network");
    assert_eq!(from(api.get("/session/me").await.unwrap()), "network", "asked with another token: not this session's answer");
    assert_eq!(from(api.get("/seckill/sessions").await.unwrap()), "network", "an early request that failed is sent again");
    let _ = js_sys::Reflect::delete_property(&web_sys::window().unwrap().into(), &"__wxfEarly".into());
    leave_early_reads(&[("/api/v1/moments?limit=10", "t-1", 31_000, early)]);
    assert_eq!(from(api.get("/moments?limit=10").await.unwrap()), "network", "asked over 30 s ago: stale");
    let _ = js_sys::Reflect::delete_property(&web_sys::window().unwrap().into(), &"__wxfEarly".into());
}

#[wasm_bindgen_test]
async fn an_early_answer_is_the_reads_own_answer_a_server_error_is_retried_and_writes_never_use_one() {
    let api = client(5_000);
    api.token.set(Some("t-1".into()));
    leave_early_reads(&[
        ("/api/v1/cart", "t-1", 0, "Promise.resolve([503, null, '{}'])"),
        ("/api/v1/orders", "t-1", 0, "Promise.resolve([200, null, '{}'])"),
    ]);
    stub_fetch(r#"return new Response('{"from": "network"}', {status: 200});"#);
    let cart = api.get::<Json>("/cart").await.unwrap();
    assert_eq!(cart["from"].as_str(), Some("network"), "the early 503 was retried like the read's own");
    assert_eq!(calls_to("/cart").len(), 1);
    let _ = api.send::<Json, ()>("POST", "/orders", None, Some("key-123456789")).await;
    assert_eq!(calls_to("/orders").len(), 1, "a write is always sent");
    let _ = js_sys::Reflect::delete_property(&web_sys::window().unwrap().into(), &"__wxfEarly".into());
}

#[wasm_bindgen_test]
async fn the_error_view_explains_and_retries() {
    let root = container();
    let retried = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n { lang: RwSignal::new(Lang::Zh) });
        view! { <wxfollower::ui::ErrorView error=ApiError::Timeout on_retry=move || retried.update(|n| *n += 1)/> }
    });
    assert!(root.text_content().unwrap_or_default().contains("请求超时"));
    let button: web_sys::HtmlElement = root.query_selector("button").unwrap().unwrap().unchecked_into();
    button.click();
    assert!(until(|| retried.get_untracked() == 1).await, "retry is called once per tap");
    assert_eq!(root.query_selector("[role=alert]").unwrap().is_some(), true);
}

#[wasm_bindgen_test]
async fn the_language_switch_changes_every_string() {
    let root = container();
    let i18n = I18n { lang: RwSignal::new(Lang::Zh) };
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(i18n);
        view! { <wxfollower::ui::ErrorView error=ApiError::Network on_retry=|| ()/> }
    });
    assert!(root.text_content().unwrap_or_default().contains("重试"));
    i18n.set(Lang::En);
    assert!(until(|| root.text_content().unwrap_or_default().contains("Retry")).await);
    i18n.set(Lang::Zh);
}

fn set_address(url: &str) {
    let window = web_sys::window().unwrap();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url)).unwrap();
}

fn search() -> String {
    web_sys::window().unwrap().location().search().unwrap_or_default()
}

const SESSION: &str = r#"{"token":"tok-1","expires_at":9999999999999,"user":{"user_id":"u-1","name":"林小满","avatar_url":"/a.svg","role":"follower","is_guest":false}}"#;
const GUEST: &str = r#"{"token":"tok-g","expires_at":9999999999999,"user":{"user_id":"g-1","name":"游客","avatar_url":"/a.svg","role":"follower","is_guest":true}}"#;

#[wasm_bindgen_test]
async fn a_returned_code_is_exchanged_once_and_removed_from_the_address() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().set_item("wxf.oauth_state", "Abc123").unwrap();
    let path = window.location().pathname().unwrap();
    set_address(&format!("{path}?from=menu&code=CODE42&state=Abc123"));
    stub_fetch(&format!("return new Response('{SESSION}', {{status: 200}});"));
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    session.bootstrap(&api, &Config::default(), wxfollower::wechat::Platform::default()).await;
    assert_eq!(session.user.get_untracked().map(|u| u.name), Some("林小满".to_owned()));
    assert_eq!(search(), "?from=menu", "code and state are stripped, the rest kept");
    let exchange = call_to("/session/oauth").expect("the code is exchanged");
    assert!(call_field(exchange, &["body"]).contains("CODE42"));
    assert_eq!(api.token.get_untracked().as_deref(), Some("tok-1"));
    set_address(&path);
}

#[wasm_bindgen_test]
async fn a_code_with_a_state_we_did_not_issue_is_never_exchanged() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().set_item("wxf.oauth_state", "Mine1").unwrap();
    let path = window.location().pathname().unwrap();
    set_address(&format!("{path}?code=FORGED&state=Theirs2"));
    stub_fetch(&format!("return new Response('{GUEST}', {{status: 200}});"));
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    session.bootstrap(&api, &Config::default(), wxfollower::wechat::Platform::default()).await;
    assert_eq!(search(), "", "the forged code is removed from the address");
    for i in 0..calls().length() {
        assert!(!call_field(i, &["url"]).ends_with("/session/oauth"), "the forged code is not exchanged");
    }
    assert_eq!(session.user.get_untracked().map(|u| u.is_guest), Some(true), "carries on as a guest");
    set_address(&path);
}

#[wasm_bindgen_test]
async fn inside_wechat_a_failed_sign_in_is_not_retried_in_a_loop() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    // A sign-in was started a moment ago and came back without a usable code.
    window.session_storage().unwrap().unwrap().set_item("wxf.oauth_tried_at", &js_sys::Date::now().to_string()).unwrap();
    stub_fetch(&format!("return new Response('{GUEST}', {{status: 200}});"));
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    let in_wechat = wxfollower::wechat::Platform { in_wechat: true, android: true, ..Default::default() };
    session.bootstrap(&api, &Config::default(), in_wechat).await;
    assert_eq!(session.state.get_untracked(), wxfollower::session::SessionState::Ready, "no second redirect: the page carries on");
    assert_eq!(session.user.get_untracked().map(|u| u.is_guest), Some(true));
    window.session_storage().unwrap().unwrap().remove_item("wxf.oauth_tried_at").unwrap();
}

#[wasm_bindgen_test]
async fn a_snapshot_page_is_a_guest_even_inside_wechat() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().remove_item("wxf.oauth_tried_at").unwrap();
    let path = window.location().pathname().unwrap();
    set_address(&format!("{path}?is_snapshotuser=1"));
    stub_fetch(&format!("return new Response('{GUEST}', {{status: 200}});"));
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    let in_wechat = wxfollower::wechat::Platform { in_wechat: true, ios: true, ..Default::default() };
    session.bootstrap(&api, &Config::default(), in_wechat).await;
    assert_eq!(session.user.get_untracked().map(|u| u.is_guest), Some(true), "no sign-in redirect from a snapshot page");
    assert!(call_to("/session/guest").is_some(), "a guest session is asked for");
    set_address(&path);
}

/// Every state the session goes through from now on, as a page mounted on it would see them.
fn watch_states(session: wxfollower::session::Session) -> (impl Drop, std::rc::Rc<std::cell::RefCell<Vec<wxfollower::session::SessionState>>>) {
    let states = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = states.clone();
    let handle = leptos::mount::mount_to(container(), move || {
        Effect::new(move |_| seen.borrow_mut().push(session.state.get()));
    });
    (handle, states)
}

/// Runs the bootstrap in the background, returning a flag set when it has finished.
fn bootstrap_in_background(session: wxfollower::session::Session, api: &ApiClient) -> std::rc::Rc<std::cell::Cell<bool>> {
    let done = std::rc::Rc::new(std::cell::Cell::new(false));
    let (flag, api) = (done.clone(), api.clone());
    wasm_bindgen_futures::spawn_local(async move {
        session.bootstrap(&api, &Config::default(), wxfollower::wechat::Platform::default()).await;
        flag.set(true);
    });
    done
}

#[wasm_bindgen_test]
async fn a_stored_session_shows_the_page_at_once_and_the_servers_answer_updates_it_in_place() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().set_item("wxf.session", SESSION).unwrap();
    // The server is slow and knows the person by a new name.
    stub_fetch(r#"await new Promise((r) => setTimeout(r, 300)); return new Response(JSON.stringify({user_id: 'u-1', name: '林小满（新）', avatar_url: '/a.svg', role: 'parent', is_guest: false}), {status: 200});"#);
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    let done = bootstrap_in_background(session, &api);
    assert!(until(|| session.state.get_untracked() == wxfollower::session::SessionState::Ready).await);
    assert!(!done.get(), "the page shows before /session/me answers");
    assert_eq!(session.user.get_untracked().map(|u| u.name), Some("林小满".to_owned()), "as the stored person");
    assert!(session.confirming());
    // Watched from here: the page must not be taken down and mounted again when the answer comes.
    let (_page, states) = watch_states(session);
    assert!(until(|| done.get()).await);
    assert_eq!(session.user.get_untracked().map(|u| (u.name, u.role)), Some(("林小满（新）".to_owned(), wxfollower::session::Role::Parent)));
    assert_eq!(session.state.get_untracked(), wxfollower::session::SessionState::Ready);
    assert!(!session.confirming());
    assert_eq!(*states.borrow(), vec![wxfollower::session::SessionState::Ready], "the state did not change again");
    assert!(call_to("/session/me").is_some(), "the stored person is confirmed");
    window.local_storage().unwrap().unwrap().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_stored_session_the_server_refuses_takes_the_page_down_and_carries_on_as_a_guest() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().set_item("wxf.session", SESSION).unwrap();
    stub_fetch(&format!(
        "if (String(url).endsWith('/session/me')) {{ await new Promise((r) => setTimeout(r, 200)); return new Response(JSON.stringify({{code: 'unauthorized', message: 'expired'}}), {{status: 401}}); }} return new Response('{GUEST}', {{status: 200}});"
    ));
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    let (_page, states) = watch_states(session);
    let done = bootstrap_in_background(session, &api);
    assert!(until(|| done.get()).await);
    use wxfollower::session::SessionState::{Ready, Starting};
    let states = states.borrow().clone();
    let first_ready = states.iter().position(|s| *s == Ready).expect("shown early");
    assert!(states[first_ready..].contains(&Starting), "the stale page is taken down: {states:?}");
    assert_eq!(states.last(), Some(&Ready));
    assert_eq!(session.user.get_untracked().map(|u| u.is_guest), Some(true));
    assert_eq!(api.token.get_untracked().as_deref(), Some("tok-g"));
    window.local_storage().unwrap().unwrap().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_stored_session_that_cannot_be_confirmed_offline_stays_and_the_page_stays_up() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().set_item("wxf.session", SESSION).unwrap();
    stub_fetch("throw new TypeError('Failed to fetch');");
    let api = client(5_000);
    let session = wxfollower::session::Session::new();
    let done = bootstrap_in_background(session, &api);
    assert!(until(|| done.get()).await);
    assert_eq!(session.state.get_untracked(), wxfollower::session::SessionState::Ready, "not the full-page error");
    assert_eq!(session.user.get_untracked().map(|u| u.name), Some("林小满".to_owned()));
    assert_eq!(api.token.get_untracked().as_deref(), Some("tok-1"));
    window.local_storage().unwrap().unwrap().clear().unwrap();
}
