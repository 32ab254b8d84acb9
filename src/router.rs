//! Addresses to pages, in-app links, back and forward: the part of a router this app uses.
//!
//! It is not leptos_router: for the app's flat list of pages, that crate's nested-route
//! machinery was the largest single cost in the main module every first visit downloads (see
//! the README's Measuring section). The pure part here (patterns, parameters, which link is
//! current, query values) is tested natively; the browser part keeps the address in signals,
//! follows same-origin link clicks and the back and forward buttons, and shows the matched page
//! once its code has arrived, keeping the previous page on screen until then.

use crate::Page;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::tachys::reactive_graph::OwnedView;
use wasm_bindgen::JsCast;

/// A route's `:name` segments, read from the address and percent-decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The first route whose pattern matches `path`, with its parameters. A `:name` segment matches
/// any one segment; empty segments (a trailing slash) are ignored. Patterns are tried in order,
/// so a static segment must come before a `:name` in the same place.
pub fn match_path<P: Copy>(routes: &[(&'static str, P)], path: &str) -> Option<(P, Params)> {
    let path = segments(path);
    'routes: for (pattern, page) in routes {
        let wanted = segments(pattern);
        if wanted.len() != path.len() {
            continue;
        }
        let mut params = Vec::new();
        for (w, s) in wanted.into_iter().zip(&path) {
            match w.strip_prefix(':') {
                Some(name) => params.push((name, decode_component(s))),
                None if w == *s => {}
                None => continue 'routes,
            }
        }
        return Some((*page, Params(params)));
    }
    None
}

/// Whether a link to `href` is the current one at `path`: its own page or a page under it (the
/// tab "/school" stays current on "/school/notices"); "/" only on the home page itself.
pub fn is_current(href: &str, path: &str) -> bool {
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let (href, path) = (segments(href), segments(path));
    if href.is_empty() {
        path.is_empty()
    } else {
        path.starts_with(&href)
    }
}

/// Splits an in-app address into its path and its query (with the `?`); a `#…` is dropped.
pub fn split_address(to: &str) -> (String, String) {
    let to = to.split('#').next().unwrap_or_default();
    match to.find('?') {
        Some(i) => (to[..i].to_owned(), to[i..].to_owned()),
        None => (to.to_owned(), String::new()),
    }
}

/// The first value of `name` in a query string (`?a=1&b=2`), percent-decoded.
pub fn query_value(search: &str, name: &str) -> Option<String> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode_component(k) == name).then(|| decode_component(v))
    })
}

/// Decodes `%XX` escapes and `+` (a query's space); a malformed escape is kept as typed.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the follower is in the app, and the way to go elsewhere (`use_location`).
#[derive(Clone, Copy)]
pub struct Location {
    path: RwSignal<String>,
    query: RwSignal<String>,
    loading: RwSignal<bool>,
}

impl Location {
    /// The address's path (`/school/notices`).
    pub fn path(&self) -> ReadSignal<String> {
        self.path.read_only()
    }

    /// The address's query, with its `?` (empty when there is none).
    pub fn query(&self) -> ReadSignal<String> {
        self.query.read_only()
    }

    /// Whether a page's code is still being fetched (the progress bar).
    pub fn loading(&self) -> ReadSignal<bool> {
        self.loading.read_only()
    }

    /// Goes to an in-app address (`/orders/o1`, with an optional query) as a new history entry,
    /// from the top of the page; the same address again adds no entry.
    pub fn navigate(&self, to: &str) {
        let (path, query) = split_address(to);
        let same = self.path.with_untracked(|p| *p == path) && self.query.with_untracked(|q| *q == query);
        if let Some(window) = web_sys::window() {
            if !same {
                if let Ok(history) = window.history() {
                    let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{query}")));
                }
            }
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
        self.show(path, query);
    }

    fn show(&self, path: String, query: String) {
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.query.with_untracked(|q| *q != query) {
            self.query.set(query);
        }
    }

    /// The browser moved (back, forward, or an address replaced in place): follow it.
    fn follow_window(&self) {
        let Some(window) = web_sys::window() else { return };
        let address = window.location();
        self.show(address.pathname().unwrap_or_default(), address.search().unwrap_or_default());
    }
}

/// The current address; needs `provide_location` (or `<Router>`) above.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// Starts following the address: its signals, in-app link clicks and the back button.
pub fn provide_location() -> Location {
    let location = Location { path: RwSignal::new(String::new()), query: RwSignal::new(String::new()), loading: RwSignal::new(false) };
    location.follow_window();
    provide_context(location);
    let clicks = window_event_listener(leptos::ev::click, move |ev| {
        if let Some(to) = in_app_target(&ev) {
            ev.prevent_default();
            location.navigate(&to);
        }
    });
    let moves = window_event_listener(leptos::ev::popstate, move |_| location.follow_window());
    on_cleanup(move || {
        clicks.remove();
        moves.remove();
    });
    location
}

/// The in-app address a click on a link goes to, when the app should follow it itself: a plain
/// left click (no modifier keys, not already handled) on a same-origin link that does not ask for
/// another window, a download or to leave the app (`rel="external"`).
fn in_app_target(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key() {
        return None;
    }
    let link = ev.target()?.dyn_into::<web_sys::Element>().ok()?.closest("a").ok()??;
    let href = link.get_attribute("href")?;
    let external = link.get_attribute("rel").is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
    if link.get_attribute("target").is_some_and(|t| !t.is_empty()) || link.has_attribute("download") || external {
        return None;
    }
    let here = web_sys::window()?.location();
    let url = web_sys::Url::new_with_base(&href, &here.href().ok()?).ok()?;
    (url.origin() == here.origin().ok()?).then(|| format!("{}{}", url.pathname(), url.search()))
}

/// Keeps the address in signals for `children` (the pages' tests mount pages inside it).
#[component]
pub fn Router(children: Children) -> impl IntoView {
    provide_location();
    children()
}

#[derive(Clone, Copy)]
struct RouteParams(Memo<Params>);

/// The shown page's route parameters. They change only while that page is shown (the next
/// page's address never reaches the previous page while the next one's code downloads).
pub fn use_params() -> Memo<Params> {
    use_context::<RouteParams>().map(|p| p.0).unwrap_or_else(|| Memo::new(|_| Params::default()))
}

/// The page at the address: the first of `crate::ROUTES` that matches it, or not found. A page
/// whose code is still downloading keeps the previous page on screen, with the progress bar on;
/// a page whose address changes only in its parameters stays, and reads the new ones.
#[component]
pub fn Pages() -> impl IntoView {
    let location = use_location();
    let matched = Memo::new(move |_| location.path.with(|path| match_path(crate::ROUTES, path)).unwrap_or((Page::NotFound, Params::default())));
    let page = Memo::new(move |_| matched.with(|(page, _)| *page));
    // Each page lives under its own owner, a child of this component's (not of the effect's,
    // which is cleaned up on every run, while the previous page is still on screen).
    let parent = Owner::current().unwrap_or_default();
    let ready = StoredValue::new_local(None::<(Owner, AnyView)>);
    let shown = RwSignal::new(0u64);
    let latest = StoredValue::new(0u64);
    // Unmounted while a page's code was on its way (the session changed): the bar stops with it.
    on_cleanup(move || {
        let _ = location.loading.try_set(false);
    });
    Effect::new(move |_| {
        let page = page.get();
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        let owner = parent.with(Owner::new);
        let view = owner.with(|| {
            let params = Memo::new(move |previous: Option<&Params>| {
                matched.with(|(p, params)| if *p == page { params.clone() } else { previous.cloned().unwrap_or_default() })
            });
            provide_context(RouteParams(params));
            ScopedFuture::new_untracked(crate::page_view(page))
        });
        location.loading.set(true);
        // Still wanted: no later address asked for meanwhile, and these pages still shown (a
        // session change mounts them anew). A page no longer wanted is never built, so it
        // sends no requests of its own.
        let wanted = move || latest.try_get_value() == Some(ticket);
        leptos::task::spawn_local(async move {
            let Some(view) = WhileWanted { build: Box::pin(view), wanted }.await else { return };
            ready.set_value(Some((owner, view)));
            shown.update(|n| *n += 1);
            location.loading.set(false);
        });
    });
    move || {
        shown.track();
        ready.try_update_value(Option::take).flatten().map(|(owner, view)| OwnedView::new_with_owner(view, owner))
    }
}

/// Polls `build` only while `wanted()`: a page's view is built in the poll that finds its area's
/// code arrived, so a page asked for and then given up is never built.
struct WhileWanted<F: std::future::Future, W: Fn() -> bool> {
    build: std::pin::Pin<Box<F>>,
    wanted: W,
}

impl<F: std::future::Future, W: Fn() -> bool + Unpin> std::future::Future for WhileWanted<F, W> {
    type Output = Option<F::Output>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let this = self.get_mut();
        if !(this.wanted)() {
            return std::task::Poll::Ready(None);
        }
        this.build.as_mut().poll(cx).map(Some)
    }
}

/// An in-app link, marked `aria-current="page"` while its page (or one under it) is shown.
#[component]
pub fn Link(
    /// The in-app address.
    #[prop(into)]
    href: String,
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let current = {
        let href = href.clone();
        move || location.path.with(|path| is_current(&href, path)).then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_page_is_reached_by_its_address() {
        let cases = [
            ("/", Page::Home, vec![]),
            ("/cart", Page::Cart, vec![]),
            ("/cart/", Page::Cart, vec![]),
            ("/menu/preview", Page::MenuPreview, vec![]),
            ("/orders", Page::UnpaidOrders, vec![]),
            ("/orders/o-1", Page::Order, vec![("order_id", "o-1")]),
            ("/shared/t%20x", Page::SharedCart, vec![("token", "t x")]),
            ("/school/notices", Page::Notices, vec![]),
            ("/school/notices/n1", Page::Notice, vec![("notice_id", "n1")]),
            ("/school/leave", Page::Leave, vec![]),
            ("/school/c1/history", Page::History, vec![("child_id", "c1")]),
            ("/school/c1/2026-W48", Page::Week, vec![("child_id", "c1"), ("week", "2026-W48")]),
            ("/preview", Page::Gallery, vec![]),
        ];
        for (path, page, params) in cases {
            let (found, got) = match_path(crate::ROUTES, path).unwrap_or_else(|| panic!("{path} matched nothing"));
            assert_eq!(found, page, "{path}");
            for (name, value) in params {
                assert_eq!(got.get(name).as_deref(), Some(value), "{path} {name}");
            }
        }
        for path in ["/nowhere", "/cart/extra", "/orders/o1/x", "/school/c1", "/school/c1/w/x"] {
            assert_eq!(match_path(crate::ROUTES, path).map(|m| m.0), None, "{path}");
        }
    }

    #[test]
    fn a_link_is_current_on_its_page_and_below_it() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/cart"));
        assert!(is_current("/school", "/school"));
        assert!(is_current("/school", "/school/notices/n1"));
        assert!(is_current("/school?x=1", "/school/"));
        assert!(!is_current("/school", "/schoolbag"));
        assert!(!is_current("/school/notices", "/school"));
    }

    #[test]
    fn addresses_and_queries_are_read() {
        assert_eq!(split_address("/preview?entry=a&theme=dark#x"), ("/preview".to_owned(), "?entry=a&theme=dark".to_owned()));
        assert_eq!(split_address("/cart"), ("/cart".to_owned(), String::new()));
        assert_eq!(query_value("?entry=cart.empty&theme=dark", "theme").as_deref(), Some("dark"));
        assert_eq!(query_value("?q=a%20b+c", "q").as_deref(), Some("a b c"));
        assert_eq!(query_value("?flag&x=1", "flag").as_deref(), Some(""));
        assert_eq!(query_value("", "x"), None);
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
    }

    proptest! {
        #[test]
        fn matching_never_panics_and_is_stable(path in "(/[a-z0-9%:.-]{0,8}){0,5}/?") {
            let first = match_path(crate::ROUTES, &path);
            prop_assert_eq!(first.clone(), match_path(crate::ROUTES, &path));
            if let Some((_, params)) = first {
                // A parameter is always one whole segment.
                for (_, v) in &params.0 {
                    prop_assert!(!v.is_empty());
                }
            }
        }

        #[test]
        fn components_round_trip(s in ".{0,40}") {
            prop_assert_eq!(decode_component(&crate::session::oauth::encode_component(&s)), s);
        }
    }
}
