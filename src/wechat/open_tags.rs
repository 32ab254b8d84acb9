//! WeChat's open tags (`wx-open-launch-weapp`, `wx-open-subscribe`), with plain links and
//! buttons where they are not available.

use super::{JsSdk, SdkState};
use crate::config::Config;
use crate::links::check_link;
use leptos::prelude::*;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The open tag's markup; every value is escaped (the template is WeChat's own HTML).
pub fn launch_weapp_html(username: &str, path: &str, label: &str) -> String {
    format!(
        "<wx-open-launch-weapp username=\"{}\" path=\"{}\"><script type=\"text/wxtag-template\"><button style=\"width:100%;min-height:44px;border:0;background:none;font-size:17px\">{}</button></script></wx-open-launch-weapp>",
        escape(username),
        escape(path),
        escape(label)
    )
}

/// Opens a mini program: the open tag inside WeChat, its web page (checked) elsewhere.
#[component]
pub fn LaunchWeapp(
    /// The mini program's original id (`gh_…`) or AppID.
    #[prop(into)]
    username: String,
    #[prop(into)] path: String,
    /// The web page to open instead (the menu button's `url`).
    #[prop(into)]
    fallback_url: String,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let sdk = expect_context::<JsSdk>();
    let config = expect_context::<Config>();
    let safe = check_link(&fallback_url, &config.link_allowlist).ok();
    view! {
        {move || if sdk.state.get() == SdkState::Ready {
            let (u, p) = (username.clone(), path.clone());
            view! { <div class="open-tag" inner_html=move || launch_weapp_html(&u, &p, &label.get())></div> }.into_any()
        } else {
            match safe.clone() {
                Some(href) => view! { <a class="btn btn-default btn-small" href=href rel="noopener noreferrer">{move || label.get()}</a> }.into_any(),
                None => view! { <button class="btn btn-default btn-small" disabled=true>{move || label.get()}</button> }.into_any(),
            }
        }}
    }
}

/// The open tag's markup for a subscription button.
pub fn subscribe_html(template_id: &str, label: &str) -> String {
    format!(
        "<wx-open-subscribe template=\"{}\"><script type=\"text/wxtag-template\"><button style=\"min-height:32px;border:0;background:none;font-size:14px\">{}</button></script></wx-open-subscribe>",
        escape(template_id),
        escape(label)
    )
}

/// "Remind me": WeChat's subscription open tag inside WeChat (its `success` event says whether
/// the follower accepted); a plain button calling `on_fallback` (the API's own subscription)
/// everywhere else.
#[component]
pub fn SubscribeButton(
    /// The subscription message template.
    #[prop(into)]
    template_id: String,
    #[prop(into)] label: Signal<String>,
    /// Inside WeChat: whether the follower accepted the subscription.
    #[prop(into)]
    on_subscribed: Callback<bool>,
    /// Outside WeChat (or when the SDK failed).
    #[prop(into)]
    on_fallback: Callback<()>,
) -> impl IntoView {
    let sdk = expect_context::<JsSdk>();
    let holder = NodeRef::<leptos::html::Div>::new();
    let template = template_id.clone();
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let Some(div) = holder.get() else { return };
        let Some(tag) = div.query_selector("wx-open-subscribe").ok().flatten() else { return };
        let template = template.clone();
        let on_success = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |ev: web_sys::CustomEvent| {
            // detail.subscribeDetails is JSON: {"<template>": "{\"status\":\"accept\"}"}
            let details = js_sys::Reflect::get(&ev.detail(), &"subscribeDetails".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            let accepted = crate::json::parse(&details)
                .ok()
                .and_then(|v| v.get(&template).and_then(|s| s.as_str()).map(str::to_owned))
                .and_then(|s| crate::json::parse(&s).ok())
                .is_some_and(|s| s["status"].as_str() == Some("accept"));
            on_subscribed.run(accepted);
        });
        let _ = tag.add_event_listener_with_callback("success", on_success.as_ref().unchecked_ref());
        on_success.forget();
    });
    view! {
        {move || if sdk.state.get() == SdkState::Ready {
            let t = template_id.clone();
            view! { <div class="open-tag" node_ref=holder inner_html=move || subscribe_html(&t, &label.get())></div> }.into_any()
        } else {
            view! { <button type="button" class="btn btn-default btn-small" on:click=move |_| on_fallback.run(())>{move || label.get()}</button> }.into_any()
        }}
    }
}
