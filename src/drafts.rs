//! Drafts: what a person typed, kept in the browser's storage as they type, so a reload, a
//! crash or a failed save loses nothing. The one place drafts are read, written and dropped.

use leptos::prelude::*;
use crate::json::{self, FromJson, ToJson};

const PREFIX: &str = "wxf.draft.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The draft under `key`, if one was kept and still reads as a `T`.
pub fn load<T: FromJson>(key: &str) -> Option<T> {
    let text = storage()?.get_item(&format!("{PREFIX}{key}")).ok()??;
    json::from_str(&text).ok()
}

/// Keeps `value` as the draft under `key` (a full storage is not the typist's problem: the
/// text stays on the page).
pub fn save<T: ToJson + ?Sized>(key: &str, value: &T) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}{key}"), &json::to_string(value));
    }
}

/// Drops the draft under `key` (sent, or discarded by the person).
pub fn discard(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// The keys of every kept draft starting with `prefix` (without the drafts' own prefix).
pub fn keys_under(prefix: &str) -> Vec<String> {
    let Some(s) = storage() else { return Vec::new() };
    let full = format!("{PREFIX}{prefix}");
    (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(&full)).map(|k| k[PREFIX.len()..].to_owned()).collect()
}

/// Saves `value` under `key` whenever it changes; `keep_if` says when it is worth keeping (an
/// empty form is not a draft: the draft is dropped).
pub fn keep<T: ToJson + Clone + Send + Sync + 'static>(key: String, value: Signal<T>, keep_if: impl Fn(&T) -> bool + 'static) {
    Effect::new(move |first: Option<()>| {
        let v = value.get();
        // Restoring is not typing: the first run only starts watching.
        if first.is_some() {
            if keep_if(&v) {
                save(&key, &v);
            } else {
                discard(&key);
            }
        }
    });
}
