//! The follower's menu bar: truncation, one sub-menu at a time, back closes it, and each kind
//! of button doing its job outside WeChat.

use super::{call_field, call_to, calls, container, sent, provide_services, stub_fetch, until};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::menu::domain::{parse_menu, usable, Action, MenuButton};
use wxfollower::menu::{Conversation, ConversationView, MenuBar};
use wxfollower::ui::ToastHost;
use wxfollower::wechat::{JsSdk, Platform, SdkState};

fn mount_bar(buttons: Vec<MenuButton>) -> web_sys::HtmlElement {
    mount_bar_in(buttons, SdkState::Unavailable)
}

fn mount_bar_in(buttons: Vec<MenuButton>, sdk: SdkState) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        // The bar uses these services, as on the menu page.
        let owner = Owner::current().expect("owner");
        owner.with(|| ());
        provide_services();
        let platform = if sdk == SdkState::Ready { Platform { in_wechat: true, android: true, ..Platform::default() } } else { Platform::default() };
        provide_context(JsSdk { platform, state: RwSignal::new(sdk) });
        provide_context(Conversation::new());
        view! { <ConversationView/><MenuBar buttons/><ToastHost/> }
    });
    handle.forget();
    root
}

fn bar(doc: serde_json::Value) -> Vec<MenuButton> {
    usable(&parse_menu(&wxfollower::json::parse(&doc.to_string()).expect("valid JSON"), &[]).0)
}

fn el(root: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok())
}

fn text(root: &web_sys::HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

fn sample() -> serde_json::Value {
    json!({"menu": {"button": [
        {"name": "今日特卖会", "sub_button": [
            {"type": "click", "name": "今日推荐", "key": "TODAY"},
            {"type": "miniprogram", "name": "小程序商城", "url": "https://shop.example.com/", "appid": "wx1", "pagepath": "pages/index"}
        ]},
        {"name": "服务", "sub_button": [
            {"type": "scancode_waitmsg", "name": "扫码查价", "key": "SCAN"},
            {"type": "location_select", "name": "附近门店", "key": "NEAR"}
        ]},
        {"type": "click", "name": "联系我们", "key": "CONTACT"}
    ]}})
}

#[wasm_bindgen_test]
async fn names_are_cut_as_wechat_shows_them_and_sub_menus_open_one_at_a_time() {
    let root = mount_bar(bar(sample()));
    let first = el(&root, ".menubar-button").unwrap();
    assert_eq!(first.text_content().as_deref(), Some("今日特..."));
    assert_eq!(first.get_attribute("aria-label").as_deref(), Some("今日特卖会"), "the full name is still read out");
    first.click();
    assert!(until(|| text(&root).contains("今日推荐")).await);
    el(&root, ".menubar-item:nth-child(2) .menubar-button").unwrap().click();
    assert!(until(|| text(&root).contains("扫码查价") && !text(&root).contains("今日推荐")).await, "opening one closes the other");
    el(&root, ".popover-catcher").unwrap().click();
    assert!(until(|| root.query_selector("[role=menu]").unwrap().is_none()).await, "an outside tap closes it");
    first.click();
    assert!(until(|| root.query_selector("[role=menu]").unwrap().is_some()).await);
    assert!(until(wxfollower::ui::overlay::history_settled).await);
    assert!(until(|| wxfollower::ui::overlay::open_overlays() == 1).await, "its entry is in place");
    web_sys::window().unwrap().history().unwrap().back().unwrap();
    assert!(until(|| root.query_selector("[role=menu]").unwrap().is_none()).await, "back closes it");
}

#[wasm_bindgen_test]
async fn a_click_shows_the_reply_and_a_failure_can_be_retried() {
    let root = mount_bar(bar(sample()));
    stub_fetch(r#"if (n === 1) return new Response('{"code":"internal","message":"x"}', {status: 500}); return new Response(JSON.stringify({kind: 'text', text: '<b>客服热线</b> 400-820-0000'}), {status: 200});"#);
    el(&root, ".menubar-item:nth-child(3) .menubar-button").unwrap().click();
    assert!(until(|| root.query_selector("[role=alert]").unwrap().is_some()).await, "the failure shows with retry");
    let event = call_to("/menu/events").unwrap_or_else(|| panic!("the click is sent: {:?}", sent()));
    assert!(call_field(event, &["body"]).contains("\"key\":\"CONTACT\""));
    el(&root, "[role=alert] button").unwrap().click();
    assert!(until(|| text(&root).contains("客服热线")).await);
    assert!(text(&root).contains("<b>客服热线</b>"), "the reply is shown as text, never as markup");
    assert!(root.query_selector(".bubble-theirs b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn without_a_scanner_the_code_is_typed_and_sent() {
    let root = mount_bar(bar(sample()));
    stub_fetch(r#"return new Response(JSON.stringify({kind: 'text', text: '扫码结果：6901234567892'}), {status: 200});"#);
    el(&root, ".menubar-item:nth-child(2) .menubar-button").unwrap().click();
    assert!(until(|| text(&root).contains("扫码查价")).await);
    let item = root.query_selector_all("[role=menuitem]").unwrap().get(0).unwrap().dyn_into::<web_sys::HtmlElement>().unwrap();
    item.click();
    // Looked for inside this test's bar: an earlier test may have left a sheet open elsewhere.
    assert!(until(|| el(&root, ".panel-half input").is_some()).await, "asks for the code");
    assert!(until(wxfollower::ui::overlay::history_settled).await, "closing the sub-menu and opening the sheet left history consistent");
    let input: web_sys::HtmlInputElement = el(&root, ".panel-half input").unwrap().dyn_into().unwrap();
    input.set_value("6901234567892");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    el(&root, ".panel-half .btn-primary").unwrap().click();
    assert!(until(|| call_to("/menu/events").is_some()).await, "the event is sent: {:?}", sent());
    let body: serde_json::Value = serde_json::from_str(&call_field(call_to("/menu/events").unwrap(), &["body"])).unwrap();
    assert_eq!(body["type"], "scancode_waitmsg");
    assert_eq!(body["scan_result"], "6901234567892");
    assert!(until(|| text(&root).contains("扫码结果")).await);
}

#[wasm_bindgen_test]
async fn location_buttons_send_the_browsers_position() {
    js_sys::Function::new_no_args("Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition: (ok) => ok({coords: {latitude: 30.58, longitude: 114.27}}) } });").call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let root = mount_bar(bar(sample()));
    stub_fetch(r#"return new Response(JSON.stringify({kind: 'text', text: '离您最近的门店'}), {status: 200});"#);
    el(&root, ".menubar-item:nth-child(2) .menubar-button").unwrap().click();
    assert!(until(|| text(&root).contains("附近门店")).await);
    root.query_selector_all("[role=menuitem]").unwrap().get(1).unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    assert!(until(|| call_to("/menu/events").is_some()).await, "the event is sent: {:?}", sent());
    let body: serde_json::Value = serde_json::from_str(&call_field(call_to("/menu/events").unwrap(), &["body"])).unwrap();
    assert_eq!(body["location"]["latitude"], 30.58);
    assert!(until(|| text(&root).contains("离您最近的门店")).await);
}

#[wasm_bindgen_test]
async fn a_mini_program_falls_back_to_its_page_and_an_unsafe_link_is_blocked() {
    let mut buttons = bar(sample());
    // A link that slipped past validation (e.g. an old menu) is still checked when tapped.
    buttons[2] = MenuButton { name: "危险".into(), path: "button[2]".into(), action: Some(Action::View { url: "javascript:alert(1)".into() }), sub_buttons: vec![], invalid: false };
    let root = mount_bar(buttons);
    el(&root, ".menubar-button").unwrap().click();
    assert!(until(|| root.query_selector("[role=menu] a[href='https://shop.example.com/']").unwrap().is_some()).await, "the mini program's web page outside WeChat");
    el(&root, ".popover-catcher").unwrap().click();
    let before = web_sys::window().unwrap().location().href().unwrap();
    el(&root, ".menubar-item:nth-child(3) .menubar-button").unwrap().click();
    assert!(until(|| text(&root).contains("不安全")).await, "the follower is told");
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), before, "and nothing was opened");
}

#[wasm_bindgen_test]
async fn closing_one_overlay_and_opening_another_never_walks_history_off_the_page() {
    let history = web_sys::window().unwrap().history().unwrap();
    let href = web_sys::window().unwrap().location().href().unwrap();
    let root = mount_bar(bar(sample()));
    el(&root, ".menubar-item:nth-child(2) .menubar-button").unwrap().click();
    assert!(until(|| text(&root).contains("扫码查价")).await);
    let before = history.length().unwrap();
    root.query_selector_all("[role=menuitem]").unwrap().get(0).unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(until(|| document.query_selector(".panel-half").unwrap().is_some()).await);
    assert!(until(wxfollower::ui::overlay::history_settled).await);
    assert!(until(|| wxfollower::ui::overlay::open_overlays() == 1).await);
    // Back closes the sheet and stays on the page.
    history.back().unwrap();
    assert!(until(|| document.query_selector(".panel-half").unwrap().is_none()).await);
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), href);
    assert!(history.length().unwrap() >= before);
}

#[wasm_bindgen_test]
async fn inside_wechat_each_button_uses_the_js_sdk() {
    use super::wechat::{fake_wx, js_value, no_wx};
    fake_wx("ok", "{scanQRCode: {errMsg: 'scanQRCode:ok', resultStr: 'qr-content-1'}, chooseImage: {errMsg: 'chooseImage:ok', localIds: ['wxlocal://1', 'wxlocal://2']}, uploadImage: {errMsg: 'uploadImage:ok', serverId: 'srv-pic'}, getLocation: {errMsg: 'getLocation:ok', latitude: 30.5, longitude: 114.3}}");
    stub_fetch(r#"if (String(url).endsWith('/uploads/wechat')) return new Response(JSON.stringify({upload_id: 'up-' + window.__calls.length, kind: 'image', url: '/m', bytes: 1}), {status: 201});
                  return new Response(JSON.stringify({kind: 'text', text: 'ok'}), {status: 200});"#);
    let doc = json!({"menu": {"button": [
        {"type": "scancode_push", "name": "扫一扫", "key": "SCAN"},
        {"name": "发图", "sub_button": [{"type": "pic_weixin", "name": "相册发图", "key": "PIC"}]},
        {"type": "location_select", "name": "位置", "key": "LOC"}
    ]}});
    let root = mount_bar_in(bar(doc), SdkState::Ready);
    let sent = |kind: &str| {
        (0..calls().length()).filter_map(|i| serde_json::from_str::<serde_json::Value>(&call_field(i, &["body"])).ok()).find(|b| b["type"] == kind)
    };
    el(&root, ".menubar-item:nth-child(1) .menubar-button").unwrap().click();
    assert!(until(|| sent("scancode_push").is_some()).await);
    assert_eq!(sent("scancode_push").unwrap()["scan_result"], "qr-content-1");
    el(&root, ".menubar-item:nth-child(2) .menubar-button").unwrap().click();
    assert!(until(|| root.query_selector("[role=menu] .picker").unwrap().is_some()).await);
    el(&root, "[role=menu] .picker").unwrap().click();
    assert!(until(|| sent("pic_weixin").is_some()).await, "pictures chosen, uploaded through WeChat, then sent");
    assert_eq!(sent("pic_weixin").unwrap()["upload_ids"].as_array().map(Vec::len), Some(2));
    let uploads = js_value("window.__wx.filter(c => c.api === 'uploadImage').length").as_f64();
    assert_eq!(uploads, Some(2.0), "each picture uploaded to WeChat, one at a time");
    assert!(until(wxfollower::ui::overlay::history_settled).await);
    el(&root, ".menubar-item:nth-child(3) .menubar-button").unwrap().click();
    assert!(until(|| sent("location_select").is_some()).await);
    assert_eq!(sent("location_select").unwrap()["location"]["longitude"], 114.3);
    no_wx();
}
