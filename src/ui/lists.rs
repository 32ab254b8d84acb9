//! Long lists: loading more near the end (with error + retry and "no more"), and pull to refresh.

use crate::i18n::use_i18n;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::tachys::view::keyed::keyed;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Where a paged list is.
#[derive(Clone, Debug, PartialEq)]
pub enum PageState {
    /// More may be loaded.
    Idle,
    Loading,
    /// The last load failed; the message is shown with a retry.
    Failed(String),
    /// The API said there is no more.
    Done,
}

/// Whether reaching the end of the list should load the next page now.
pub fn should_load(state: &PageState) -> bool {
    matches!(state, PageState::Idle)
}

/// Whether `target` is on the screen or within `margin` of it (an IntersectionObserver's root
/// margin: "0px 0px 600px 0px" is up to 600 px below the screen), as the page scrolls. With
/// `once`, it stays true from the first time on and stops watching (what is built then stays).
pub fn use_near_view(target: NodeRef<html::Div>, margin: &'static str, once: bool) -> RwSignal<bool> {
    let near = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        let callback = Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let seen = entries.iter().any(|e| e.unchecked_into::<web_sys::IntersectionObserverEntry>().is_intersecting());
            if once && seen {
                observer.disconnect();
            }
            if seen || !once {
                near.set(seen);
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(margin);
        if let Ok(observer) = web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options) {
            observer.observe(&el);
            let observer = StoredValue::new_local(observer);
            on_cleanup(move || observer.with_value(|o| o.disconnect()));
        }
        callback.forget();
    });
    near
}

/// The footer of a paged list. When it comes near the screen and the list can load more, it
/// calls `on_load_more`; it shows loading, the error with retry, or "no more".
#[component]
pub fn LoadMore(
    /// Where the list is: its page's own signal, read here (not a `Signal`: converting to one and
    /// reading through it is ~2 kB of code in the feed's first visit).
    state: RwSignal<PageState>,
    #[prop(into)] on_load_more: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sentinel = NodeRef::<html::Div>::new();
    // Start loading a screen before the end, so scrolling rarely waits.
    let visible = use_near_view(sentinel, "0px 0px 600px 0px", false);
    // Load whenever the end is in sight and the list is idle (also right after a page arrives
    // that did not fill the screen).
    Effect::new(move |_| {
        if visible.get() && should_load(&state.get()) {
            on_load_more.run(());
        }
    });
    view! {
        <div class="load-more" node_ref=sentinel aria-live="polite">
            {move || match state.get() {
                PageState::Loading => view! { <span class="spinner" aria-hidden="true"></span><span>{i18n.t().loading}</span> }.into_any(),
                PageState::Failed(message) => view! {
                    <span class="load-more-error">{message}</span>
                    <button class="btn btn-default btn-small" on:click=move |_| on_load_more.run(())>{i18n.t().retry}</button>
                }.into_any(),
                PageState::Done => view! { <span class="load-more-done">{i18n.t().no_more}</span> }.into_any(),
                PageState::Idle => view! { <span></span> }.into_any(),
            }}
        </div>
    }
}

/// How far the finger pulled, in CSS pixels, damped like a rubber band.
pub fn pull_distance(finger_dy: f64) -> f64 {
    if finger_dy <= 0.0 {
        0.0
    } else {
        (finger_dy * 0.5).min(120.0)
    }
}

/// Pulled far enough to refresh on release.
pub const PULL_THRESHOLD: f64 = 60.0;

/// Pull down at the top of the page to refresh; `refreshing` shows while `on_refresh` works.
/// The gesture (its touch handlers and what the indicator says) is a module of its own in the
/// release build, installed once the page has settled or at the first touch
/// (`install_when_settled`): the list never waits for it (a page may refresh meanwhile by
/// other means, shown once it is there).
#[component]
pub fn PullToRefresh(#[prop(into)] refreshing: Signal<bool>, #[prop(into)] on_refresh: Callback<()>, children: Children) -> impl IntoView {
    let area = NodeRef::<html::Div>::new();
    let indicator = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let (Some(area), Some(indicator)) = (area.get(), indicator.get()) else { return };
        super::install_when_settled(Some(&area.clone().into()), move || {
            let gesture = Gesture { area, indicator, refreshing, on_refresh };
            #[cfg(wxf_split)]
            return Box::pin(pull_gesture(gesture));
            #[cfg(not(wxf_split))]
            return Box::pin(std::future::ready(pull_gesture(gesture)));
        });
    });
    view! {
        <div class="pull" node_ref=area>
            <div class="pull-indicator" node_ref=indicator aria-live="polite"></div>
            {children()}
        </div>
    }
}

/// What the pull gesture works on.
struct Gesture {
    area: web_sys::HtmlDivElement,
    indicator: web_sys::HtmlDivElement,
    refreshing: Signal<bool>,
    on_refresh: Callback<()>,
}

/// The pull gesture, to install under the list's owner (its handlers go with the list). Named as
/// a part of the feed's area (`moments_*`), the page that pulls: fetched ahead with its parts.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(moments_pull, wasm_split_path = ::leptos::wasm_split, fallible))]
fn pull_gesture(gesture: Gesture) -> Result<Box<dyn FnOnce()>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::new(move || {
        let Gesture { area, indicator, refreshing, on_refresh } = gesture;
        let i18n = use_i18n();
        let start_y = StoredValue::new(None::<f64>);
        let pulled = RwSignal::new(0.0f64);
        Effect::new(move |_| {
            let refreshing = refreshing.get();
            let pulled = pulled.get();
            let _ = web_sys::HtmlElement::style(&indicator).set_property("height", &super::px(if refreshing { 44.0 } else { pulled }));
            let m = i18n.t();
            let text = if refreshing {
                m.refreshing
            } else if pulled >= PULL_THRESHOLD {
                m.release_to_refresh
            } else if pulled > 0.0 {
                m.pull_to_refresh
            } else {
                ""
            };
            indicator.set_text_content(Some(text));
        });
        let at_top = || web_sys::window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0) <= 0.0;
        let first_y = |ev: &web_sys::Event| ev.dyn_ref::<web_sys::TouchEvent>().and_then(|t| t.touches().get(0)).map(|t| t.client_y() as f64);
        let on_start = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if at_top() && !refreshing.get_untracked() {
                start_y.set_value(first_y(&ev));
            }
        });
        let on_move = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if let (Some(y0), Some(y)) = (start_y.get_value(), first_y(&ev)) {
                pulled.set(pull_distance(y - y0));
            }
        });
        let on_end = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            if pulled.get_untracked() >= PULL_THRESHOLD {
                on_refresh.run(());
            }
            start_y.set_value(None);
            pulled.set(0.0);
        });
        super::listen_while_owned(area.into(), vec![(&["touchstart"], on_start), (&["touchmove"], on_move), (&["touchend", "touchcancel"], on_end)]);
    }))
}

/// A keyed list: Leptos' `For`, compiled once. `For` is generic over its items, keys and rows,
/// so every use compiled its own keyed diff, list state and mounting (0.4–2 kB brotli of a
/// page's module, measured). Here a use only turns its items into rows (a key and a boxed builder); the diff,
/// each row's owner and the mounting are one copy for the whole app. As with `For`, a row is
/// built when its key appears, kept (not rebuilt) while the key stays, and moved when the order
/// changes.
///
/// Keys are compared by their 64-bit hash ([`key_hash`]): two keys of one list are confused only
/// if they collide, about one chance in 10^13 for a list of a thousand rows.
#[component]
pub fn Keyed<E, I, T, KF, K, C, V>(
    /// The items, read reactively: the rows follow.
    each: E,
    /// An item's key.
    key: KF,
    /// An item's row.
    children: C,
) -> impl IntoView
where
    E: Fn() -> I + Send + Sync + 'static,
    I: IntoIterator<Item = T>,
    T: Send + 'static,
    KF: Fn(&T) -> K + Send + Sync + 'static,
    K: Hash,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    keyed_rows(Box::new(move || {
        each()
            .into_iter()
            .map(|item| {
                let children = Arc::clone(&children);
                KeyedRow { key: key_hash(&key(&item)), build: Box::new(move || children(item).into_any()) }
            })
            .collect()
    }))
}

/// One row of a [`Keyed`] list, not built yet.
struct KeyedRow {
    key: u64,
    build: Box<dyn FnOnce() -> AnyView + Send>,
}

/// The list itself, not generic: one copy for every list.
fn keyed_rows(rows: Box<dyn Fn() -> Vec<KeyedRow> + Send + Sync>) -> AnyView {
    // Each row has its own owner under the list's, as with `For`: a row's effects end with the
    // row, and a list update does not clear the rows it keeps.
    let parent = Owner::current().unwrap_or_default();
    let build = move |_: usize, row: KeyedRow| {
        let owner = parent.with(Owner::new);
        let view = owner.with(|| (row.build)());
        (drop::<usize> as fn(usize), OwnedView::new_with_owner(view, owner))
    };
    (move || keyed(rows(), |row: &KeyedRow| row.key, build.clone())).into_any()
}

/// A key's 64-bit FNV-1a hash: the same for equal keys, in every build and session.
pub fn key_hash<K: Hash + ?Sized>(key: &K) -> u64 {
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for byte in bytes {
                self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    key.hash(&mut hasher);
    hasher.finish()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn only_an_idle_list_loads_more() {
        assert!(should_load(&PageState::Idle));
        assert!(!should_load(&PageState::Loading));
        assert!(!should_load(&PageState::Failed("x".into())), "a failed page waits for retry");
        assert!(!should_load(&PageState::Done));
    }

    #[test]
    fn pulling_is_damped_and_capped() {
        assert_eq!(pull_distance(-10.0), 0.0);
        assert_eq!(pull_distance(100.0), 50.0);
        assert_eq!(pull_distance(1000.0), 120.0);
    }

    #[test]
    fn keys_hash_the_same_every_time_and_apart_from_each_other() {
        // The published FNV-1a test vectors: the hash is the algorithm's, not this build's.
        struct Bytes(&'static [u8]);
        impl Hash for Bytes {
            fn hash<H: Hasher>(&self, state: &mut H) {
                state.write(self.0);
            }
        }
        assert_eq!(key_hash(&Bytes(b"")), 0xcbf2_9ce4_8422_2325);
        assert_eq!(key_hash(&Bytes(b"a")), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(key_hash(&Bytes(b"foobar")), 0x8594_4171_f739_67e8);
        assert_eq!(key_hash("line-7"), key_hash(&"line-7".to_owned()));
        assert_ne!(key_hash(&("s1".to_owned(), vec!["a".to_owned()])), key_hash(&("s1".to_owned(), vec!["a".to_owned(), "b".to_owned()])));
    }

    proptest::proptest! {
        #[test]
        fn distinct_keys_of_a_list_get_distinct_hashes(keys in proptest::collection::hash_set("[a-z0-9:-]{1,24}", 1..400), n in 0u32..5) {
            let mut seen = std::collections::HashSet::new();
            for k in &keys {
                proptest::prop_assert!(seen.insert(key_hash(&(k, n))), "{k} collided");
            }
            proptest::prop_assert_eq!(key_hash(&(keys.iter().next().cloned(), n)), key_hash(&(keys.iter().next().cloned(), n)));
        }
    }
}
