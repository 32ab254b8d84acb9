//! Back-button etiquette: an open sheet, dialog, popover or picture preview owns a history
//! entry, so the phone's back button closes it instead of leaving the page.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

struct Overlays {
    /// Open overlays with a history entry, innermost last.
    stack: Vec<(u64, RwSignal<bool>)>,
    /// `popstate` events we caused ourselves (closing from the page), to ignore.
    own_pops: u32,
    /// Overlays opened while one of our own back-steps was still under way: a `pushState`
    /// now would cancel that traversal and leave history one entry off (a later back would
    /// then leave the page), so their entries are pushed once it has landed.
    deferred: Vec<(u64, RwSignal<bool>)>,
    next_id: u64,
    listening: bool,
}

thread_local! {
    static OVERLAYS: RefCell<Overlays> = const { RefCell::new(Overlays { stack: Vec::new(), own_pops: 0, deferred: Vec::new(), next_id: 1, listening: false }) };
}

fn push_entry(o: &mut Overlays, id: u64, open: RwSignal<bool>) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state(&JsValue::from_str("wxf-overlay"), "");
    }
    o.stack.push((id, open));
}

fn on_popstate() {
    let close = OVERLAYS.with_borrow_mut(|o| {
        if o.own_pops > 0 {
            o.own_pops -= 1;
            if o.own_pops == 0 {
                for (id, open) in std::mem::take(&mut o.deferred) {
                    if open.try_get_untracked().unwrap_or(false) {
                        push_entry(o, id, open);
                    }
                }
            }
            return None;
        }
        o.stack.pop().map(|(_, open)| open)
    });
    if let Some(open) = close {
        // Closed by back: the entry is already gone, so the effect must not go back again.
        let _ = open.try_set(false);
    }
}

fn listen_once() {
    let first = OVERLAYS.with_borrow_mut(|o| !std::mem::replace(&mut o.listening, true));
    if !first {
        return;
    }
    if let Some(window) = web_sys::window() {
        let handler = Closure::<dyn Fn()>::new(on_popstate);
        let _ = window.add_event_listener_with_callback("popstate", handler.as_ref().unchecked_ref());
        // One listener for the page's lifetime.
        handler.forget();
    }
}

/// How many overlays are open (for tests and for locking page scroll).
pub fn open_overlays() -> usize {
    OVERLAYS.with_borrow(|o| o.stack.len() + o.deferred.len())
}

/// Whether all of our own back-steps have landed (tests wait for it before pressing back).
pub fn history_settled() -> bool {
    OVERLAYS.with_borrow(|o| o.own_pops == 0)
}

/// Ties `open` to the back button: opening pushes a history entry (same address); the back
/// button closes the innermost open overlay; closing from the page removes the entry again.
pub fn use_back_closes(open: RwSignal<bool>) {
    listen_once();
    let id = OVERLAYS.with_borrow_mut(|o| {
        o.next_id += 1;
        o.next_id
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return is_open };
        match (was_open.unwrap_or(false), is_open) {
            (false, true) => OVERLAYS.with_borrow_mut(|o| {
                if o.own_pops > 0 {
                    o.deferred.push((id, open));
                } else {
                    push_entry(o, id, open);
                }
            }),
            (true, false) => {
                // Still on the stack means it was closed from the page, not by back.
                let mine = OVERLAYS.with_borrow_mut(|o| {
                    o.deferred.retain(|(i, _)| *i != id);
                    let before = o.stack.len();
                    o.stack.retain(|(i, _)| *i != id);
                    let removed = o.stack.len() != before;
                    if removed {
                        o.own_pops += 1;
                    }
                    removed
                });
                if mine {
                    let _ = history.back();
                }
            }
            _ => {}
        }
        is_open
    });
    on_cleanup(move || {
        OVERLAYS.with_borrow_mut(|o| {
            o.stack.retain(|(i, _)| *i != id);
            o.deferred.retain(|(i, _)| *i != id);
        });
    });
}
