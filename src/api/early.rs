//! Reads begun before the app started. A page opened from a chat link needs its data and its
//! code, and the code takes the longer to arrive: index.html's start-up script (written by
//! scripts/release.mjs from `crate::EARLY_READS`) therefore asks for the opened page's first
//! reads with the stored session's token while the code is still downloading, and leaves the
//! answers in `window.__wxfEarly`. The client takes such an answer in place of sending the same
//! request: same address, same token, same headers, so it is the answer that request would
//! have had, only sooner. Each is taken once; a stale one is never used.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the start-up script leaves its reads.
const SLOT: &str = "__wxfEarly";

/// Answers asked for longer ago than this are not used: a page opened later reads afresh.
const FRESH_MS: f64 = 30_000.0;

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// The early answer for a GET of `url` carrying `token`, once: (status, Retry-After, body).
/// `None` when there is none, it is stale, or its request failed: then the request is sent.
pub(super) async fn take(url: &str, token: &str) -> Option<(u16, Option<String>, String)> {
    let window: JsValue = web_sys::window()?.into();
    let reads: Array = field(&window, SLOT).dyn_into().ok()?;
    let read = reads.iter().find(|read| {
        field(read, "url").as_string().as_deref() == Some(url)
            && field(read, "token").as_string().as_deref() == Some(token)
            && !field(read, "taken").is_truthy()
    })?;
    // Taken once: a retry, or the page asking again later, goes to the network.
    Reflect::set(&read, &JsValue::from_str("taken"), &JsValue::TRUE).ok()?;
    let asked_at = field(&read, "at").as_f64()?;
    if js_sys::Date::now() - asked_at > FRESH_MS {
        // The app started long after these were asked for: none of them is fresh.
        let _ = Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &JsValue::from_str(SLOT));
        return None;
    }
    let answer: Promise = field(&read, "answer").dyn_into().ok()?;
    // `[status, Retry-After or null, body]`, or null when the request failed or was aborted.
    let answer: Array = JsFuture::from(answer).await.ok()?.dyn_into().ok()?;
    let status = answer.get(0).as_f64().filter(|s| (100.0..600.0).contains(s))? as u16;
    Some((status, answer.get(1).as_string(), answer.get(2).as_string()?))
}
