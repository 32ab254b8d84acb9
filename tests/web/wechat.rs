//! WeChat integration against a fake `wx` / `WeixinJSBridge` that records every call and
//! answers ok, cancel or fail; and every fallback outside WeChat.

use super::{call_field, call_to, calls, client, stub_fetch, until};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use wxfollower::config::Config;
use wxfollower::wechat::pay::{self, OrderStatus, PayAttempt};
use wxfollower::wechat::{self as wx, JsSdk, Outcome, Platform, SdkState};

fn js(code: &str) {
    js_sys::Function::new_no_args(code).call0(&JsValue::NULL).unwrap();
}

pub(crate) fn js_value(code: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return ({code});")).call0(&JsValue::NULL).unwrap()
}

/// A fake `wx`: `config` records its parameters; `ready`/`error` answer as `verdict` says;
/// `answers` maps an API name to the result object it reports.
pub(crate) fn fake_wx(verdict: &str, answers: &str) {
    js(&format!(
        "window.__wx = []; const answers = {answers};
         window.wx = new Proxy({{}}, {{ get: (_, api) => {{
           if (api === 'config') return (p) => {{ window.__wxConfig = p; }};
           if (api === 'ready') return (cb) => setTimeout(() => {{ if ('{verdict}' === 'ok') cb(); }}, 5);
           if (api === 'error') return (cb) => setTimeout(() => {{ if ('{verdict}' !== 'ok') cb({{errMsg: '{verdict}'}}); }}, 1);
           return (p) => {{ window.__wx.push({{api, p}}); const r = answers[api] || {{errMsg: api + ':ok'}};
             setTimeout(() => (r.errMsg.endsWith(':ok') ? p.success : (r.errMsg.includes('cancel') ? p.cancel : p.fail))(r), 1); }};
         }} }});"
    ));
}

pub(crate) fn no_wx() {
    js("delete window.wx; delete window.WeixinJSBridge; delete window.__wxConfig;");
}

const SIGNATURE: &str = r#"{"app_id":"wxapp","timestamp":1795000000,"nonce_str":"abc","signature":"f00"}"#;
const IOS: Platform = Platform { in_wechat: true, in_wecom: false, ios: true, android: false };
const ANDROID: Platform = Platform { in_wechat: true, in_wecom: false, ios: false, android: true };

fn set_address(url: &str) {
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(url)).unwrap();
}

#[wasm_bindgen_test]
async fn ios_signs_the_landing_url_and_android_the_current_one() {
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    set_address(&format!("{path}?landing=1#top"));
    wx::sdk::remember_landing_url();
    set_address(&format!("{path}?now=2#x"));
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    for (platform, expected) in [(IOS, format!("{origin}{path}?landing=1")), (ANDROID, format!("{origin}{path}?now=2"))] {
        fake_wx("ok", "{}");
        stub_fetch(&format!("return new Response('{SIGNATURE}', {{status: 200}});"));
        let api = client(5_000);
        let sdk = JsSdk::start(&api, &Config::default(), platform);
        assert!(sdk.ready().await, "ready once configured");
        let body = call_field(call_to("/session/jssdk-signature").expect("the address is signed"), &["body"]);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["url"], expected.as_str(), "{platform:?}");
        let config = js_value("window.__wxConfig");
        assert_eq!(js_sys::Reflect::get(&config, &"signature".into()).unwrap().as_string().as_deref(), Some("f00"));
        let tags = js_sys::Reflect::get(&config, &"openTagList".into()).unwrap();
        assert_eq!(js_sys::Array::from(&tags).length(), 2, "open tags are configured");
    }
    set_address(&path);
    no_wx();
}

#[wasm_bindgen_test]
async fn a_config_error_is_surfaced_and_fallbacks_take_over() {
    fake_wx("config:invalid signature", "{}");
    stub_fetch(&format!("return new Response('{SIGNATURE}', {{status: 200}});"));
    let api = client(5_000);
    let sdk = JsSdk::start(&api, &Config::default(), ANDROID);
    assert!(!sdk.ready().await);
    assert_eq!(sdk.state.get_untracked(), SdkState::Failed("config:invalid signature".into()));
    assert_eq!(wx::scan(&sdk).await, wx::Scan::TypeIt, "a broken SDK falls back");
    no_wx();
}

async fn ready_sdk(answers: &str) -> JsSdk {
    fake_wx("ok", answers);
    stub_fetch(&format!("return new Response('{SIGNATURE}', {{status: 200}});"));
    let api = client(5_000);
    let sdk = JsSdk::start(&api, &Config::default(), ANDROID);
    assert!(sdk.ready().await);
    sdk
}

#[wasm_bindgen_test]
async fn wrappers_turn_wechat_answers_into_outcomes() {
    let sdk = ready_sdk("{scanQRCode: {errMsg: 'scanQRCode:ok', resultStr: 'EAN_13,6901234567892'}, getLocation: {errMsg: 'getLocation:fail auth deny'}}").await;
    assert_eq!(wx::scan(&sdk).await, wx::Scan::Code("6901234567892".into()));
    assert!(matches!(wx::location(&sdk).await, Outcome::Failed(e) if e.contains("auth deny")));
    let card = wx::ShareCard { title: "我的购物车".into(), desc: "3 件".into(), link: "https://m.example.com/shared/x".into(), img_url: String::new() };
    assert_eq!(wx::share_now(&sdk, &card).await, wx::Shared::UseWechatMenu, "in WeChat the ··· menu shares");
    let apis: Vec<String> = js_sys::Array::from(&js_value("window.__wx.map(c => c.api)")).iter().filter_map(|v| v.as_string()).collect();
    assert!(apis.contains(&"updateAppMessageShareData".to_owned()) && apis.contains(&"updateTimelineShareData".to_owned()));
    let cancelled = ready_sdk("{scanQRCode: {errMsg: 'scanQRCode:cancel'}}").await;
    assert_eq!(wx::scan(&cancelled).await, wx::Scan::Cancelled);
    no_wx();
}

const PAYMENT: &str = r#"{"order_id":"o1","app_id":"wxapp","time_stamp":"1795000000","nonce_str":"n","package":"prepay_id=wx42","sign_type":"RSA","pay_sign":"s"}"#;

fn order_json(status: &str) -> String {
    format!(r#"{{"order_id":"o1","kind":"cart","status":"{status}","total_fen":12300,"created_at":1,"pay_by":9999999999999,"paid_at":null,"sub_orders":[]}}"#)
}

/// The API for one order: payment parameters, then `pending` until `paid_after` status reads.
fn stub_order_api(paid_after: u32) {
    let pending = order_json("pending_payment");
    let paid = order_json("paid");
    stub_fetch(&format!(
        "if (String(url).endsWith('/payment')) return new Response('{PAYMENT}', {{status: 200}});
         window.__reads = (window.__reads || 0) + 1;
         return new Response(window.__reads > {paid_after} ? '{paid}' : '{pending}', {{status: 200}});"
    ));
    js("window.__reads = 0;");
}

fn fake_bridge(err_msg: &str) {
    js(&format!("window.__paid = []; window.WeixinJSBridge = {{ invoke: (name, params, cb) => {{ window.__paid.push({{name, params}}); setTimeout(() => cb({{err_msg: '{err_msg}'}}), 1); }} }};"));
}

#[wasm_bindgen_test]
async fn pay_ok_then_the_server_confirms() {
    let sdk = ready_sdk("{}").await;
    fake_bridge("get_brand_wcpay_request:ok");
    stub_order_api(2);
    let api = client(5_000);
    let attempt = pay::pay(&api, &sdk, &Config::default(), "o1").await.unwrap();
    assert_eq!(attempt, PayAttempt::Submitted);
    let invoked = js_value("window.__paid[0]");
    assert_eq!(js_sys::Reflect::get(&invoked, &"name".into()).unwrap().as_string().as_deref(), Some("getBrandWCPayRequest"));
    let params = js_sys::Reflect::get(&invoked, &"params".into()).unwrap();
    assert_eq!(js_sys::Reflect::get(&params, &"package".into()).unwrap().as_string().as_deref(), Some("prepay_id=wx42"));
    assert_eq!(js_sys::Reflect::get(&params, &"timeStamp".into()).unwrap().as_string().as_deref(), Some("1795000000"));
    let order = pay::confirm(&api, "o1").await.unwrap();
    assert_eq!(order.status, OrderStatus::Paid, "paid once the server says so");
    assert!(js_value("window.__reads").as_f64().unwrap_or(0.0) >= 3.0, "it polled until then");
    no_wx();
}

#[wasm_bindgen_test]
async fn pay_cancelled_leaves_the_order_payable() {
    let sdk = ready_sdk("{}").await;
    fake_bridge("get_brand_wcpay_request:cancel");
    stub_order_api(u32::MAX);
    let api = client(5_000);
    assert_eq!(pay::pay(&api, &sdk, &Config::default(), "o1").await.unwrap(), PayAttempt::Cancelled);
    let order: pay::Order = api.get("/orders/o1").await.unwrap();
    assert_eq!(order.status, OrderStatus::PendingPayment);
    fake_bridge("get_brand_wcpay_request:fail");
    assert!(matches!(pay::pay(&api, &sdk, &Config::default(), "o1").await.unwrap(), PayAttempt::Failed(_)));
    no_wx();
}

#[wasm_bindgen_test]
async fn the_bridge_is_waited_for_when_the_page_opened_early() {
    let sdk = ready_sdk("{}").await;
    js("delete window.WeixinJSBridge;");
    stub_order_api(0);
    js("setTimeout(() => { window.WeixinJSBridge = { invoke: (n, p, cb) => cb({err_msg: 'get_brand_wcpay_request:ok'}) }; document.dispatchEvent(new Event('WeixinJSBridgeReady')); }, 200);");
    let api = client(5_000);
    assert_eq!(pay::pay(&api, &sdk, &Config::default(), "o1").await.unwrap(), PayAttempt::Submitted);
    no_wx();
}

fn outside() -> JsSdk {
    no_wx();
    let api = client(5_000);
    JsSdk::start(&api, &Config::default(), Platform::default())
}

#[wasm_bindgen_test]
async fn outside_wechat_every_action_has_its_fallback() {
    let sdk = outside();
    assert_eq!(sdk.state.get_untracked(), SdkState::Unavailable);
    assert_eq!(wx::scan(&sdk).await, wx::Scan::TypeIt, "scan: type the code");
    assert_eq!(wx::open_address(&sdk).await, None, "address: the page's form");
    assert!(!wx::preview_with_wechat(&sdk, &["/a.png".into()], 0).await, "preview: the page's own viewer");
    // Location: the browser's geolocation.
    js("Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition: (ok) => ok({coords: {latitude: 30.58, longitude: 114.27}}) } });");
    assert_eq!(wx::location(&sdk).await, Outcome::Ok(wx::Location { latitude: 30.58, longitude: 114.27 }));
    js("Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition: (ok, no) => no({code: 1}) } });");
    assert_eq!(wx::location(&sdk).await, Outcome::Cancelled, "a refused permission is the follower's no");
    // Share: the system sheet, else a copied link.
    let card = wx::ShareCard { title: "t".into(), desc: "d".into(), link: "https://m.example.com/shared/x".into(), img_url: String::new() };
    js("window.__shared = null; Object.defineProperty(navigator, 'share', { configurable: true, value: async (d) => { window.__shared = d.url; } });");
    assert_eq!(wx::share_now(&sdk, &card).await, wx::Shared::SystemSheet);
    assert_eq!(js_value("window.__shared").as_string().as_deref(), Some("https://m.example.com/shared/x"));
    js("Object.defineProperty(navigator, 'share', { configurable: true, value: undefined }); window.__copied = null; Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t) => { window.__copied = t; } } });");
    assert_eq!(wx::share_now(&sdk, &card).await, wx::Shared::Copied);
    assert_eq!(js_value("window.__copied").as_string().as_deref(), Some("https://m.example.com/shared/x"));
}

#[wasm_bindgen_test]
async fn outside_wechat_payment_is_simulated_or_sent_to_wechat() {
    let sdk = outside();
    stub_order_api(0);
    let api = client(5_000);
    let real = Config { simulated_pay_url: None, ..Config::default() };
    assert_eq!(pay::pay(&api, &sdk, &real, "o1").await.unwrap(), PayAttempt::OpenInWechat);
    assert_eq!(calls().length(), 0, "no payment is requested where it cannot be paid");
    let dev = Config { simulated_pay_url: Some("/__standin/pay".into()), ..Config::default() };
    assert_eq!(pay::pay(&api, &sdk, &dev, "o1").await.unwrap(), PayAttempt::Simulate { prepay_id: "wx42".into() });
}

#[wasm_bindgen_test]
async fn pictures_are_uploaded_as_multipart_outside_wechat() {
    let api = client(5_000);
    stub_fetch(r#"window.__form = init.body; return new Response('{"upload_id":"up-1","kind":"image","url":"/media/upload-up-1","bytes":10}', {status: 201});"#);
    // A 2×2 PNG made by a canvas, as a phone's picture would arrive from the file input.
    let file: web_sys::File = js_value("(() => { const c = document.createElement('canvas'); c.width = 2; c.height = 2; const d = atob(c.toDataURL('image/png').split(',')[1]); const a = new Uint8Array(d.length); for (let i = 0; i < d.length; i++) a[i] = d.charCodeAt(i); return new File([a], 'IMG_0001.png', {type: 'image/png'}); })()").into();
    let uploads = wx::pictures::upload_files(&api, vec![file]).await.unwrap();
    assert_eq!(uploads[0].upload_id, "up-1");
    assert!(call_to("/uploads").is_some_and(|i| call_field(i, &["url"]).ends_with("/uploads")), "sent to /uploads");
    let form = js_value("window.__form");
    assert!(form.is_instance_of::<web_sys::FormData>(), "sent as multipart form data");
    let form: web_sys::FormData = form.into();
    assert_eq!(form.get("kind").as_string().as_deref(), Some("image"));
    let sent: web_sys::Blob = form.get("file").into();
    assert_eq!(sent.type_(), "image/jpeg", "re-encoded (and downscaled) before upload");
    assert!(until(|| true).await);
}

fn mount_with_sdk<V: IntoView + 'static>(sdk_state: SdkState, view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let root = super::container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let config = Config { link_allowlist: vec![], ..Config::default() };
        provide_context(wxfollower::i18n::I18n { lang: RwSignal::new(wxfollower::i18n::Lang::Zh) });
        provide_context(wxfollower::api::ApiClient::new(&config));
        provide_context(config);
        provide_context(JsSdk { platform: if sdk_state == SdkState::Unavailable { Platform::default() } else { ANDROID }, state: RwSignal::new(sdk_state) });
        view()
    });
    handle.forget();
    root
}

#[wasm_bindgen_test]
async fn open_tags_inside_wechat_and_plain_links_outside() {
    use wxfollower::wechat::open_tags::{LaunchWeapp, SubscribeButton};
    let inside = mount_with_sdk(SdkState::Ready, || view! {
        <LaunchWeapp username="gh_abc\"><script>".to_owned() path="pages/index/index".to_owned() fallback_url="https://shop.example.com/".to_owned() label="小程序商城".to_owned()/>
    });
    let tag = inside.query_selector("wx-open-launch-weapp").unwrap().expect("the open tag inside WeChat");
    assert_eq!(tag.get_attribute("username").as_deref(), Some("gh_abc\"><script>"), "attribute values are escaped, not markup");
    assert!(inside.query_selector("script:not([type='text/wxtag-template'])").unwrap().is_none());
    let outside = mount_with_sdk(SdkState::Unavailable, || view! {
        <div class="safe"><LaunchWeapp username="gh_abc".to_owned() path="p".to_owned() fallback_url="https://shop.example.com/".to_owned() label="小程序商城".to_owned()/></div>
        <div class="unsafe"><LaunchWeapp username="gh_abc".to_owned() path="p".to_owned() fallback_url="javascript:alert(1)".to_owned() label="小程序商城".to_owned()/></div>
    });
    let link = outside.query_selector(".safe a").unwrap().expect("a plain link outside WeChat");
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://shop.example.com/"));
    assert!(outside.query_selector(".unsafe a").unwrap().is_none(), "an unsafe fallback is never a link");
    assert!(outside.query_selector(".unsafe button[disabled]").unwrap().is_some());
    let asked = RwSignal::new(0);
    let sub = mount_with_sdk(SdkState::Unavailable, move || view! {
        <SubscribeButton template_id="tpl-1".to_owned() label="开抢提醒".to_owned() on_subscribed=|_| () on_fallback=move || asked.update(|n| *n += 1)/>
    });
    let button: web_sys::HtmlElement = sub.query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    assert_eq!(asked.get_untracked(), 1, "outside WeChat the API's subscription is used");
    let sub_inside = mount_with_sdk(SdkState::Ready, || view! {
        <SubscribeButton template_id="tpl-1".to_owned() label="开抢提醒".to_owned() on_subscribed=|_| () on_fallback=|| ()/>
    });
    assert!(sub_inside.query_selector("wx-open-subscribe[template='tpl-1']").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_voice_note_is_recorded_uploaded_and_handed_over_in_wechat() {
    use wxfollower::wechat::voice::VoiceNote;
    fake_wx("ok", "{stopRecord: {errMsg: 'stopRecord:ok', localId: 'weixin://voice/1'}, uploadVoice: {errMsg: 'uploadVoice:ok', serverId: 'srv-9'}}");
    stub_fetch(r#"return new Response('{"upload_id":"up-v","kind":"voice","url":"/media/upload-up-v","bytes":1}', {status: 201});"#);
    let got = RwSignal::new(None::<String>);
    let root = mount_with_sdk(SdkState::Ready, move || view! { <VoiceNote on_recorded=move |u: wx::pictures::Upload| got.set(Some(u.upload_id)) on_error=|_| ()/> });
    let button: web_sys::HtmlElement = root.query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    button.click();
    assert!(until(|| button.get_attribute("aria-pressed").as_deref() == Some("true")).await, "recording");
    let starts = js_value("window.__wx.filter(c => c.api === 'startRecord').length").as_f64();
    assert_eq!(starts, Some(1.0), "a double tap starts once");
    gloo_timers::future::TimeoutFuture::new(450).await;
    button.click();
    assert!(until(|| got.get_untracked().is_some()).await);
    assert_eq!(got.get_untracked().as_deref(), Some("up-v"));
    let upload = call_to("/uploads/wechat").expect("the voice note is asked of the API");
    assert!(call_field(upload, &["body"]).contains("srv-9"), "the serverId goes to the API");
    no_wx();
}

#[wasm_bindgen_test]
async fn without_a_microphone_the_voice_note_says_so() {
    use wxfollower::wechat::voice::VoiceNote;
    no_wx();
    js("Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: () => Promise.reject(new DOMException('none', 'NotFoundError')) } });");
    let error = RwSignal::new(None::<String>);
    let root = mount_with_sdk(SdkState::Unavailable, move || view! { <VoiceNote on_recorded=|_| () on_error=move |e| error.set(Some(e))/> });
    let button: web_sys::HtmlElement = root.query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    assert!(until(|| error.get_untracked().is_some()).await);
    assert!(error.get_untracked().unwrap_or_default().contains("不支持录音"));
    assert!(until(|| button.get_attribute("aria-pressed").as_deref() == Some("false")).await, "back to idle");
}

#[wasm_bindgen_test]
async fn outside_wechat_the_microphone_is_given_back_when_a_note_is_sent_and_when_its_page_goes() {
    use wxfollower::wechat::voice::VoiceNote;
    no_wx();
    // A microphone whose track the test can watch: a canvas's stream, recorded for real.
    js("Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: () => { const c = document.createElement('canvas'); c.getContext('2d').fillRect(0, 0, 1, 1); const s = c.captureStream(); window.__tracks = (window.__tracks || []).concat(s.getTracks()); return Promise.resolve(s); } } }); window.__tracks = [];");
    stub_fetch(r#"return new Response('{"upload_id":"up-m","kind":"voice","url":"/media/upload-up-m","bytes":1}', {status: 201});"#);
    let live = || js_value("window.__tracks.filter(t => t.readyState === 'live').length").as_f64();
    let got = RwSignal::new(None::<String>);
    let shown = RwSignal::new(true);
    let root = mount_with_sdk(SdkState::Unavailable, move || view! {
        {move || shown.get().then(|| view! { <VoiceNote on_recorded=move |u: wx::pictures::Upload| got.set(Some(u.upload_id)) on_error=|_| ()/> })}
    });
    let button = || -> web_sys::HtmlElement { root.query_selector("button").unwrap().unwrap().dyn_into().unwrap() };
    // Sent: recorded, stopped, uploaded, and the microphone released.
    button().click();
    assert!(until(|| button().get_attribute("aria-pressed").as_deref() == Some("true")).await, "recording");
    assert_eq!(live(), Some(1.0), "the microphone is in use while recording");
    gloo_timers::future::TimeoutFuture::new(450).await;
    button().click();
    assert!(until(|| got.get_untracked().is_some()).await, "the note is uploaded and handed over");
    assert!(until(|| live() == Some(0.0)).await, "the microphone is given back once the note is sent");
    // Left mid-note: the page goes while recording, and the microphone is given back all the same.
    gloo_timers::future::TimeoutFuture::new(450).await;
    button().click();
    assert!(until(|| live() == Some(1.0)).await, "recording again");
    shown.set(false);
    assert!(until(|| live() == Some(0.0)).await, "the microphone is given back when the page goes");
}
