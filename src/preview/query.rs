//! What a preview address asks for: `?scenario=` (sent to the stand-in as `X-Scenario`),
//! `?theme=light|dark|care` and `?lang=zh|en`. Honoured only where the configuration turns
//! previews on, so a link shared in a chat cannot change a follower's theme or break their
//! requests to the real API with a header it does not allow.

use crate::i18n::Lang;
use crate::ui::ThemeMode;

/// The preview choices found in an address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviewQuery {
    pub scenario: Option<String>,
    /// The theme and whether the care (large text) mode is on.
    pub theme: Option<(ThemeMode, bool)>,
    pub lang: Option<Lang>,
}

impl PreviewQuery {
    /// Reads the address's parameters (`get`); nothing at all when previews are off.
    pub fn read(enabled: bool, get: impl Fn(&str) -> Option<String>) -> PreviewQuery {
        if !enabled {
            return PreviewQuery::default();
        }
        PreviewQuery {
            // A scenario is a short name; anything else is not one.
            scenario: get("scenario").filter(|s| {
                !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            }),
            theme: match get("theme").as_deref() {
                Some("light") => Some((ThemeMode::Light, false)),
                Some("dark") => Some((ThemeMode::Dark, false)),
                Some("care") => Some((ThemeMode::Light, true)),
                _ => None,
            },
            lang: match get("lang").as_deref() {
                Some("en") => Some(Lang::En),
                Some("zh") => Some(Lang::Zh),
                _ => None,
            },
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(enabled: bool, pairs: &[(&str, &str)]) -> PreviewQuery {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        PreviewQuery::read(enabled, |k| map.get(k).cloned())
    }

    #[test]
    fn previews_off_ignores_the_address() {
        assert_eq!(read(false, &[("scenario", "empty"), ("theme", "dark"), ("lang", "en")]), PreviewQuery::default());
    }

    #[test]
    fn previews_on_reads_scenario_theme_and_language() {
        let q = read(true, &[("scenario", "cart.unavailable"), ("theme", "care"), ("lang", "en")]);
        assert_eq!(q.scenario.as_deref(), Some("cart.unavailable"));
        assert_eq!(q.theme, Some((ThemeMode::Light, true)));
        assert_eq!(q.lang, Some(Lang::En));
    }

    #[test]
    fn odd_values_are_ignored() {
        let q = read(true, &[("scenario", "a b\r\nX-Evil: 1"), ("theme", "neon"), ("lang", "fr")]);
        assert_eq!(q, PreviewQuery::default());
        assert_eq!(read(true, &[("scenario", &"x".repeat(65))]).scenario, None);
    }
}
