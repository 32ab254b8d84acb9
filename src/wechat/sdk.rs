//! The JS-SDK (jweixin 1.6.0): loading it, `wx.config` with a signature from the API, and one
//! typed way to call any `wx.*` API.

use super::env::{url_to_sign, Platform};
use crate::api::ApiClient;
use crate::config::Config;
use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use crate::json_record;

/// The APIs this app uses (listed in `wx.config`).
pub const JS_API_LIST: [&str; 16] = [
    "updateAppMessageShareData",
    "updateTimelineShareData",
    "scanQRCode",
    "chooseImage",
    "uploadImage",
    "previewImage",
    "startRecord",
    "stopRecord",
    "onVoiceRecordEnd",
    "playVoice",
    "stopVoice",
    "uploadVoice",
    "getLocation",
    "openAddress",
    "chooseWXPay",
    "closeWindow",
];
/// The open tags this app uses.
pub const OPEN_TAG_LIST: [&str; 2] = ["wx-open-launch-weapp", "wx-open-subscribe"];

/// How a `wx.*` call ended, from its `errMsg`.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome<T> {
    Ok(T),
    Cancelled,
    Failed(String),
}

impl<T> Outcome<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Ok(v) => Outcome::Ok(f(v)),
            Outcome::Cancelled => Outcome::Cancelled,
            Outcome::Failed(e) => Outcome::Failed(e),
        }
    }
}

/// `"scanQRCode:ok"` → ok; `"…:cancel"` (or `"…:fail cancel"`) → cancelled; anything else failed.
pub fn classify(err_msg: &str) -> Outcome<()> {
    let status = err_msg.split_once(':').map(|(_, s)| s).unwrap_or(err_msg).trim();
    if status == "ok" {
        Outcome::Ok(())
    } else if status.contains("cancel") {
        Outcome::Cancelled
    } else if err_msg.is_empty() {
        Outcome::Failed("no answer".into())
    } else {
        Outcome::Failed(err_msg.chars().take(200).collect())
    }
}

fn global(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &name.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `wx.<api>(params)` and waits for its answer (success, fail, cancel or complete).
pub async fn call(api: &str, params: Object) -> Outcome<JsValue> {
    let Some(wx) = global("wx") else { return Outcome::Failed("jssdk unavailable".into()) };
    let Some(function) = Reflect::get(&wx, &api.into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) else {
        return Outcome::Failed(format!("{api} unavailable"));
    };
    let promise = Promise::new(&mut |resolve, _reject| {
        // Every callback resolves the same promise: whichever WeChat calls first wins.
        for key in ["success", "fail", "cancel", "complete"] {
            let _ = Reflect::set(&params, &key.into(), &resolve);
        }
        if function.call1(&wx, &params).is_err() {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    let answer = JsFuture::from(promise).await.unwrap_or(JsValue::NULL);
    let err_msg = Reflect::get(&answer, &"errMsg".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    classify(&err_msg).map(|_| answer)
}

/// An object from key/value pairs, for `wx.*` parameters.
pub fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

/// Where the JS-SDK is.
#[derive(Clone, Debug, PartialEq)]
pub enum SdkState {
    /// Not in WeChat: every action uses its fallback.
    Unavailable,
    Loading,
    Ready,
    /// In WeChat, but loading or `wx.config` failed (the reason is shown; fallbacks are used).
    Failed(String),
}

thread_local! {
    static LANDING_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers the address the follower landed on (call before any navigation: iOS signs it).
pub fn remember_landing_url() {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    LANDING_URL.with_borrow_mut(|l| {
        if l.is_none() {
            *l = Some(href);
        }
    });
}

pub fn landing_url() -> String {
    LANDING_URL.with_borrow(|l| l.clone()).unwrap_or_else(|| web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default())
}


struct Signature {
    app_id: String,
    timestamp: i64,
    nonce_str: String,
    signature: String,
}
json_record!(read Signature { app_id, timestamp, nonce_str, signature });

/// The JS-SDK (from context: `expect_context::<JsSdk>()`).
#[derive(Clone, Copy)]
pub struct JsSdk {
    pub platform: Platform,
    pub state: RwSignal<SdkState>,
}

impl JsSdk {
    /// Starts loading and configuring the SDK inside WeChat; outside it is unavailable.
    pub fn start(api: &ApiClient, config: &Config, platform: Platform) -> JsSdk {
        let state = RwSignal::new(if platform.in_wechat { SdkState::Loading } else { SdkState::Unavailable });
        let sdk = JsSdk { platform, state };
        if platform.in_wechat {
            let (api, config) = (api.clone(), config.clone());
            // Not tied to any component: runs for the page's lifetime. Nothing needs the SDK
            // before the page has shown, so its set-up waits until the page's own files are in
            // instead of competing with them.
            wasm_bindgen_futures::spawn_local(async move {
                page_loaded().await;
                #[cfg(wxf_split)]
                let configuring = configure_sdk(sdk, api, config).await;
                #[cfg(not(wxf_split))]
                let configuring = configure_sdk(sdk, api, config);
                let result = match configuring {
                    Ok(configuring) => configuring.await,
                    Err(_) => Err("its code could not be fetched".to_owned()),
                };
                state.set(match result {
                    Ok(()) => SdkState::Ready,
                    Err(reason) => {
                        leptos::logging::warn!("JS-SDK unavailable: {reason}");
                        SdkState::Failed(reason)
                    }
                });
            });
        }
        sdk
    }

    async fn configure(&self, api: &ApiClient, config: &Config) -> Result<(), String> {
        if global("wx").is_none() {
            load_script(&config.jssdk_url).await?;
        }
        let current = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let url = url_to_sign(self.platform, &landing_url(), &current);
        let sig: Signature = api
            .send("POST", "/session/jssdk-signature", Some(&crate::json::Json::object(vec![("url", url.as_str().into())])), None)
            .await
            .map_err(|e| format!("signature: {e}"))?;
        let wx = global("wx").ok_or("wx missing after load")?;
        let list = |items: &[&str]| items.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>();
        let params = object(&[
            ("debug", JsValue::FALSE),
            ("appId", sig.app_id.into()),
            ("timestamp", JsValue::from_f64(sig.timestamp as f64)),
            ("nonceStr", sig.nonce_str.into()),
            ("signature", sig.signature.into()),
            ("jsApiList", list(&JS_API_LIST).into()),
            ("openTagList", list(&OPEN_TAG_LIST).into()),
        ]);
        let answer = Promise::new(&mut |resolve, _| {
            // wx.ready also fires after a failed verification, error first: whichever comes
            // first decides.
            if let (Ok(error), Ok(ready)) = (Reflect::get(&wx, &"error".into()), Reflect::get(&wx, &"ready".into())) {
                let on_error = Closure::once_into_js({
                    let resolve = resolve.clone();
                    move |res: JsValue| {
                        let msg = Reflect::get(&res, &"errMsg".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "config:fail".into());
                        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&msg));
                    }
                });
                let _ = error.unchecked_ref::<Function>().call1(&wx, &on_error);
                let on_ready = Closure::once_into_js(move || {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::TRUE);
                });
                let _ = ready.unchecked_ref::<Function>().call1(&wx, &on_ready);
            }
        });
        if let Some(config) = Reflect::get(&wx, &"config".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
            config.call1(&wx, &params).map_err(|_| "wx.config threw".to_owned())?;
        }
        match JsFuture::from(answer).await {
            Ok(v) if v == JsValue::TRUE => Ok(()),
            Ok(v) => Err(v.as_string().unwrap_or_else(|| "config:fail".into())),
            Err(_) => Err("config: no answer".into()),
        }
    }

    /// Waits until the SDK is ready; `false` when it is not available (use the fallback).
    pub async fn ready(&self) -> bool {
        for _ in 0..200 {
            match self.state.get_untracked() {
                SdkState::Ready => return true,
                SdkState::Loading => gloo_timers::future::TimeoutFuture::new(50).await,
                _ => return false,
            }
        }
        false
    }
}

/// `JsSdk::configure`, its own module in the release build (`--cfg wxf_split`): only a page
/// inside WeChat needs it.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(wechat_sdk, wasm_split_path = ::leptos::wasm_split, fallible))]
fn configure_sdk(
    sdk: JsSdk,
    api: ApiClient,
    config: Config,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move { sdk.configure(&api, &config).await }))
}

/// Resolves once the document has loaded (at once if it already has).
async fn page_loaded() {
    let Some(window) = web_sys::window() else { return };
    if window.document().is_none_or(|d| d.ready_state() == "complete") {
        return;
    }
    let loaded = Promise::new(&mut |resolve, _| {
        let _ = window.add_event_listener_with_callback("load", &resolve);
    });
    let _ = JsFuture::from(loaded).await;
}

async fn load_script(src: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let script = document.create_element("script").map_err(|_| "cannot create script")?;
    let _ = script.set_attribute("src", src);
    let loaded = Promise::new(&mut |resolve, reject| {
        let _ = Reflect::set(&script, &"onload".into(), &resolve);
        let _ = Reflect::set(&script, &"onerror".into(), &reject);
    });
    document.head().ok_or("no head")?.append_child(&script).map_err(|_| "cannot add script")?;
    JsFuture::from(loaded).await.map(|_| ()).map_err(|_| format!("cannot load {src}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn err_msgs_become_outcomes() {
        assert_eq!(classify("scanQRCode:ok"), Outcome::Ok(()));
        assert_eq!(classify("get_brand_wcpay_request:ok"), Outcome::Ok(()));
        assert_eq!(classify("chooseImage:cancel"), Outcome::Cancelled);
        assert_eq!(classify("get_brand_wcpay_request:cancel"), Outcome::Cancelled);
        assert_eq!(classify("chooseImage:fail cancel"), Outcome::Cancelled);
        assert_eq!(classify("getLocation:fail auth deny"), Outcome::Failed("getLocation:fail auth deny".into()));
        assert_eq!(classify(""), Outcome::Failed("no answer".into()));
    }
}
