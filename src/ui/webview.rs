//! WebView quirks, handled once for the whole app (see the platform notes in the README).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// iOS WeChat leaves the keyboard's space blank after an input loses focus: scroll the window
/// by nothing once the keyboard has gone, which makes it lay the page out again.
pub fn install_webview_fixes() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let on_focus_out = Closure::<dyn Fn(web_sys::FocusEvent)>::new(move |ev: web_sys::FocusEvent| {
        let is_text = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        if !is_text {
            return;
        }
        let restore = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let (x, y) = (w.scroll_x().unwrap_or(0.0), w.scroll_y().unwrap_or(0.0));
                w.scroll_to_with_x_and_y(x, y);
            }
        });
        let _ = web_sys::window().map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(restore.unchecked_ref(), 100));
    });
    let _ = document.add_event_listener_with_callback("focusout", on_focus_out.as_ref().unchecked_ref());
    // Lives as long as the page.
    on_focus_out.forget();
}

/// The attributes every inline video needs in WeChat's webviews (Android X5 included); the
/// video starts only when tapped.
pub const INLINE_VIDEO_ATTRS: [(&str, &str); 4] =
    [("playsinline", ""), ("webkit-playsinline", ""), ("x5-playsinline", ""), ("preload", "none")];
