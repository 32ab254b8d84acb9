//! Toasts: a short message over the page that goes away by itself (WeUI's toast).

use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToastMessage {
    pub text: String,
    pub kind: ToastKind,
    /// Distinguishes two toasts with the same text, so each gets its full time.
    pub serial: u64,
}

/// Shows toasts (from context: `use_toast()`); a new one replaces the one showing.
#[derive(Clone, Copy)]
pub struct Toaster {
    pub current: RwSignal<Option<ToastMessage>>,
    serial: StoredValue<u64>,
}

/// How long a toast stays.
pub const TOAST_MS: u64 = 2000;

impl Toaster {
    pub fn new() -> Toaster {
        Toaster { current: RwSignal::new(None), serial: StoredValue::new(0) }
    }

    pub fn show(&self, text: impl Into<String>, kind: ToastKind) {
        // Work that ends after its page (a sync's answer) may still have something to say; with
        // the toaster gone there is no one to tell.
        let Some(serial) = self.serial.try_get_value().map(|s| s + 1) else { return };
        let _ = self.serial.try_set_value(serial);
        let _ = self.current.try_set(Some(ToastMessage { text: text.into(), kind, serial }));
        let current = self.current;
        set_timeout(
            move || {
                // The toaster may be gone by then (its page or app unmounted).
                if current.try_get_untracked().flatten().is_some_and(|t| t.serial == serial) {
                    let _ = current.try_set(None);
                }
            },
            Duration::from_millis(TOAST_MS),
        );
    }

    pub fn info(&self, text: impl Into<String>) {
        self.show(text, ToastKind::Info)
    }
    pub fn success(&self, text: impl Into<String>) {
        self.show(text, ToastKind::Success)
    }
    pub fn error(&self, text: impl Into<String>) {
        self.show(text, ToastKind::Error)
    }
}

impl Default for Toaster {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_toast() -> Toaster {
    expect_context::<Toaster>()
}

/// Where toasts appear; rendered once by the shell.
#[component]
pub fn ToastHost() -> impl IntoView {
    let toaster = use_toast();
    view! {
        <div class="toast-host" role="status" aria-live="polite">
            {move || toaster.current.get().map(|t| {
                let class = match t.kind {
                    ToastKind::Info => "toast",
                    ToastKind::Success => "toast toast-success",
                    ToastKind::Error => "toast toast-error",
                };
                view! { <div class=class>{t.text}</div> }
            })}
        </div>
    }
}
