//! Links from the API are untrusted: only plain http(s) links to a real host (optionally on an
//! allow-list) are ever followed.

/// Why a link was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// `javascript:`, `data:`, `file:`, protocol-relative, relative … anything but http(s).
    Scheme,
    /// Whitespace, control or invisible characters that could hide the real target.
    Disguised,
    /// User info (`https://shop.com@evil.com`), an empty or malformed host.
    Host,
    /// A host outside the configured allow-list.
    NotAllowed,
    TooLong,
}

/// The link, normalised, if it is safe to follow; else why not. `allowlist` holds host names;
/// a host matches an entry or is a subdomain of it. An empty list allows any host.
pub fn check_link(url: &str, allowlist: &[String]) -> Result<String, LinkProblem> {
    let url = url.trim();
    if url.len() > 2048 {
        return Err(LinkProblem::TooLong);
    }
    let disguised = url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\\')
    });
    if disguised {
        return Err(LinkProblem::Disguised);
    }
    let (scheme, rest) = url.split_once("://").ok_or(LinkProblem::Scheme)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(LinkProblem::Scheme);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(LinkProblem::Host);
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return Err(LinkProblem::Host),
        None => authority,
    }
    .to_ascii_lowercase();
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with('-')
        && !host.contains("..");
    if !host_ok {
        return Err(LinkProblem::Host);
    }
    let host_trimmed = host.trim_end_matches('.');
    if !allowlist.is_empty()
        && !allowlist.iter().any(|allowed| host_trimmed == allowed || host_trimmed.ends_with(&format!(".{allowed}")))
    {
        return Err(LinkProblem::NotAllowed);
    }
    Ok(format!("{scheme}://{}", &url[scheme.len() + 3..]))
}

/// A picture, video or voice address from the API, if it may be loaded: an http(s) address
/// (any host: media are shown, not followed) or a path on this origin. Anything else
/// (`javascript:`, `data:`, protocol-relative) is dropped.
pub fn media_src(url: &str) -> Option<String> {
    let ok_path = url.starts_with('/') && !url.starts_with("//");
    let ok_http = check_link(url, &[]).is_ok();
    (url.len() <= 2048 && !url.chars().any(|c| c.is_control() || c.is_whitespace()) && (ok_path || ok_http)).then(|| url.to_owned())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn media_load_from_http_or_this_origin_only() {
        assert!(media_src("/media/u1.jpg").is_some());
        assert!(media_src("https://cdn.example.com/a.jpg").is_some());
        assert!(media_src("//evil.com/a.jpg").is_none());
        assert!(media_src("javascript:alert(1)").is_none());
        assert!(media_src("data:image/svg+xml,<svg onload=alert(1)>").is_none());
        assert!(media_src("/media/a b.jpg").is_none());
    }

    #[test]
    fn plain_web_links_pass() {
        assert_eq!(check_link("https://shop.example.com/seckill?x=1", &[]), Ok("https://shop.example.com/seckill?x=1".into()));
        assert_eq!(check_link(" HTTP://Example.com:8080/a ", &[]), Ok("http://Example.com:8080/a".into()));
    }

    #[test]
    fn tricks_are_refused() {
        for (url, why) in [
            ("javascript:alert(1)", LinkProblem::Scheme),
            ("JaVaScRiPt://%0aalert(1)", LinkProblem::Scheme),
            ("data:text/html,<script>alert(1)</script>", LinkProblem::Scheme),
            ("//evil.example.com/", LinkProblem::Scheme),
            ("/cart", LinkProblem::Scheme),
            ("java\tscript:alert(1)", LinkProblem::Disguised),
            ("https://shop.example.com\u{202E}moc.live", LinkProblem::Disguised),
            ("https://shop.example.com@evil.example.com/", LinkProblem::Host),
            ("https:///path", LinkProblem::Host),
            ("https://exa_mple.com", LinkProblem::Host),
            ("https://аpple.com", LinkProblem::Host),
            ("https:\\\\evil.com", LinkProblem::Disguised),
        ] {
            assert_eq!(check_link(url, &[]), Err(why), "{url}");
        }
    }

    #[test]
    fn the_allow_list_admits_hosts_and_their_subdomains_only() {
        let allow = vec!["example.com".to_owned()];
        assert!(check_link("https://example.com/", &allow).is_ok());
        assert!(check_link("https://shop.example.com/", &allow).is_ok());
        assert_eq!(check_link("https://badexample.com/", &allow), Err(LinkProblem::NotAllowed));
        assert_eq!(check_link("https://example.com.evil.io/", &allow), Err(LinkProblem::NotAllowed));
    }

    proptest! {
        #[test]
        fn anything_accepted_is_http_with_a_clean_host(s in ".{0,80}") {
            if let Ok(url) = check_link(&s, &[]) {
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
                prop_assert!(!url.chars().any(char::is_whitespace));
            }
        }
    }
}
