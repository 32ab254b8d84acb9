//! WeChat web authorisation, as pure functions over URLs.

/// Encodes a URL component (RFC 3986 unreserved characters kept).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// WeChat's authorize URL for returning to `redirect_uri` with `state`.
pub fn authorize_url(authorize_base: &str, app_id: &str, redirect_uri: &str, scope: &str, state: &str) -> String {
    let sep = if authorize_base.contains('?') { '&' } else { '?' };
    format!(
        "{authorize_base}{sep}appid={}&redirect_uri={}&response_type=code&scope={}&state={}#wechat_redirect",
        encode_component(app_id),
        encode_component(redirect_uri),
        encode_component(scope),
        encode_component(state),
    )
}

/// A `state` must be ≤ 128 bytes of `[a-zA-Z0-9]`: checked so a forged one is refused early.
pub fn is_valid_state(state: &str) -> bool {
    !state.is_empty() && state.len() <= 128 && state.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `code` and `state` from a query string (`?a=1&code=…&state=…`), if a sign-in just returned.
pub fn oauth_return(search: &str) -> Option<(String, String)> {
    let mut code = None;
    let mut state = None;
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "code" if !v.is_empty() => code = Some(crate::router::decode_component(v)),
            "state" => state = Some(crate::router::decode_component(v)),
            _ => {}
        }
    }
    Some((code?, state.unwrap_or_default()))
}

/// The query string without `code` and `state` (and WeChat's `is_snapshotuser`), keeping the rest.
pub fn strip_oauth_params(search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            !matches!(key, "code" | "state" | "is_snapshotuser")
        })
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_authorize_url_carries_everything_wechat_needs() {
        let url = authorize_url(
            "https://open.weixin.qq.com/connect/oauth2/authorize",
            "wx123",
            "https://m.example.com/cart?from=menu",
            "snsapi_userinfo",
            "Ab12",
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx123&redirect_uri=https%3A%2F%2Fm.example.com%2Fcart%3Ffrom%3Dmenu&response_type=code&scope=snsapi_userinfo&state=Ab12#wechat_redirect"
        );
    }

    #[test]
    fn a_return_is_read_and_stripped_keeping_other_parameters() {
        assert_eq!(oauth_return("?from=menu&code=0a1B&state=xy"), Some(("0a1B".into(), "xy".into())));
        assert_eq!(oauth_return("?from=menu"), None);
        assert_eq!(oauth_return("?code=&state=x"), None);
        assert_eq!(strip_oauth_params("?from=menu&code=0a1B&state=xy"), "?from=menu");
        assert_eq!(strip_oauth_params("?code=0a1B&state=xy&is_snapshotuser=1"), "");
        assert_eq!(strip_oauth_params(""), "");
    }

    #[test]
    fn states_are_checked() {
        assert!(is_valid_state("Abc123"));
        assert!(!is_valid_state(""));
        assert!(!is_valid_state("a-b"));
        assert!(!is_valid_state(&"a".repeat(129)));
    }

    proptest! {
        #[test]
        fn stripping_never_leaves_a_code(search in "[?]?([a-z]{1,6}=[A-Za-z0-9%]{0,6}&?){0,6}") {
            let stripped = strip_oauth_params(&search);
            prop_assert!(oauth_return(&stripped).is_none());
        }
    }
}
