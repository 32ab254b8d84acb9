//! Deploy-time configuration, read from `<meta name="wxf:…">` tags in `index.html`, so the same
//! build runs against the stand-in or the owner's real API by editing one file.

/// What the app needs to know about where it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Base URL of the owner's API (`/api/v1` on the same origin by default).
    pub api_base: String,
    /// WeChat's web-authorisation page, or the stand-in's chooser in development.
    pub oauth_authorize_url: String,
    /// The service account's AppID.
    pub app_id: String,
    /// `snsapi_base` (silent) or `snsapi_userinfo` (asks for name and avatar).
    pub oauth_scope: String,
    /// Where the JS-SDK (jweixin 1.6.0) is loaded from.
    pub jssdk_url: String,
    /// The stand-in's simulated WeChat Pay; absent against a real API, where paying needs WeChat.
    pub simulated_pay_url: Option<String>,
    /// Hosts a `view` link may open; empty means any http(s) host.
    pub link_allowlist: Vec<String>,
    /// How long a request may take before it counts as timed out.
    pub request_timeout_ms: u32,
    /// The subscription-message template for "remind me" (WeChat's `wx-open-subscribe`).
    pub subscribe_template_id: Option<String>,
    /// Whether the address may choose a preview scenario, theme and language (`?scenario=`,
    /// `?theme=`, `?lang=`): on for the stand-in and the designer gallery, off in production,
    /// where a shared link must not change a follower's theme or send the API a scenario.
    pub preview: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: "/api/v1".into(),
            oauth_authorize_url: "https://open.weixin.qq.com/connect/oauth2/authorize".into(),
            app_id: String::new(),
            oauth_scope: "snsapi_userinfo".into(),
            jssdk_url: "https://res.wx.qq.com/open/js/jweixin-1.6.0.js".into(),
            simulated_pay_url: None,
            link_allowlist: Vec::new(),
            request_timeout_ms: 10_000,
            subscribe_template_id: None,
            preview: false,
        }
    }
}

impl Config {
    /// Builds the configuration from named values (`api-base`, …); unknown or empty values
    /// keep their defaults.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Config {
        let mut c = Config::default();
        let value = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if let Some(v) = value("api-base") {
            c.api_base = v.trim_end_matches('/').to_owned();
        }
        if let Some(v) = value("oauth-authorize-url") {
            c.oauth_authorize_url = v;
        }
        if let Some(v) = value("app-id") {
            c.app_id = v;
        }
        if let Some(v) = value("oauth-scope").filter(|v| v == "snsapi_base" || v == "snsapi_userinfo") {
            c.oauth_scope = v;
        }
        if let Some(v) = value("jssdk-url") {
            c.jssdk_url = v;
        }
        c.simulated_pay_url = value("simulated-pay-url");
        if let Some(v) = value("link-allowlist") {
            c.link_allowlist = v.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect();
        }
        c.subscribe_template_id = value("subscribe-template-id");
        c.preview = value("preview").as_deref() == Some("on");
        if let Some(ms) = value("request-timeout-ms").and_then(|v| v.parse().ok()).filter(|ms| *ms >= 1000) {
            c.request_timeout_ms = ms;
        }
        c
    }

    /// The configuration of the page this app runs in.
    pub fn from_document() -> Config {
        let document = web_sys::window().and_then(|w| w.document());
        Config::from_lookup(|name| {
            let selector = format!("meta[name=\"wxf:{name}\"]");
            let element = document.as_ref()?.query_selector(&selector).ok()??;
            element.get_attribute("content")
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn values_override_defaults_and_blanks_do_not() {
        let values: HashMap<&str, &str> = [
            ("api-base", "https://api.example.com/v1/"),
            ("oauth-scope", "snsapi_base"),
            ("simulated-pay-url", " "),
            ("link-allowlist", "shop.example.com, MP.example.com"),
            ("request-timeout-ms", "5"),
            ("subscribe-template-id", "tpl-remind-1"),
        ]
        .into();
        let c = Config::from_lookup(|k| values.get(k).map(|v| v.to_string()));
        assert_eq!(c.api_base, "https://api.example.com/v1");
        assert_eq!(c.oauth_scope, "snsapi_base");
        assert_eq!(c.simulated_pay_url, None, "a blank value is no value");
        assert_eq!(c.link_allowlist, vec!["shop.example.com", "mp.example.com"]);
        assert_eq!(c.request_timeout_ms, 10_000, "a timeout under a second is ignored");
        assert_eq!(c.subscribe_template_id.as_deref(), Some("tpl-remind-1"));
    }

    #[test]
    fn a_bad_scope_keeps_the_default() {
        let c = Config::from_lookup(|k| (k == "oauth-scope").then(|| "snsapi_everything".to_owned()));
        assert_eq!(c.oauth_scope, "snsapi_userinfo");
    }
}
