//! Light, dark and care (large type) themes: dark follows the system unless forced; the
//! choice is remembered and applied as `data-theme` / `data-care` on `<html>`.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeMode {
    /// Follow the phone (`prefers-color-scheme`).
    Auto,
    Light,
    Dark,
}

impl ThemeMode {
    pub fn code(self) -> &'static str {
        match self {
            ThemeMode::Auto => "auto",
            ThemeMode::Light => "light",
            ThemeMode::Dark => "dark",
        }
    }

    pub fn from_code(code: &str) -> ThemeMode {
        match code {
            "light" => ThemeMode::Light,
            "dark" => ThemeMode::Dark,
            _ => ThemeMode::Auto,
        }
    }
}

/// The theme (from context: `expect_context::<Theme>()`).
#[derive(Clone, Copy)]
pub struct Theme {
    pub mode: RwSignal<ThemeMode>,
    /// Large type for older followers (WeChat's "care mode").
    pub care: RwSignal<bool>,
    /// Whether changes are remembered for the next visit (not while a preview address shows one).
    remember: StoredValue<bool>,
}

const MODE_KEY: &str = "wxf.theme";
const CARE_KEY: &str = "wxf.care";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Theme {
    /// The remembered theme, applied to the document and kept in sync with it.
    pub fn from_storage() -> Theme {
        let remembered = |key: &str| storage().and_then(|s| s.get_item(key).ok().flatten());
        let theme = Theme {
            mode: RwSignal::new(ThemeMode::from_code(&remembered(MODE_KEY).unwrap_or_default())),
            care: RwSignal::new(remembered(CARE_KEY).as_deref() == Some("on")),
            remember: StoredValue::new(true),
        };
        Effect::new(move |_| theme.apply(theme.mode.get(), theme.care.get()));
        theme
    }

    /// Shows a theme for this visit only (a preview address), leaving the remembered one alone.
    pub fn show(&self, mode: ThemeMode, care: bool) {
        self.remember.set_value(false);
        self.mode.set(mode);
        self.care.set(care);
    }

    fn apply(&self, mode: ThemeMode, care: bool) {
        let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
        let _ = match mode {
            ThemeMode::Auto => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.code()),
        };
        let _ = if care { root.set_attribute("data-care", "on") } else { root.remove_attribute("data-care") };
        if !self.remember.get_value() {
            return;
        }
        if let Some(s) = storage() {
            let _ = s.set_item(MODE_KEY, mode.code());
            let _ = s.set_item(CARE_KEY, if care { "on" } else { "off" });
        }
    }
}
