//! A countdown to a server instant. Every tick derives the time left from the absolute target
//! and the server clock (never by adding up intervals), and the next tick is scheduled for the
//! moment the shown second changes, so a slow phone, a page left in the background or a wrong
//! phone clock never shows a wrong time, and zero is reached at server zero.

use crate::clock::{use_server_clock, ServerClock};
use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;

/// Milliseconds left until `target_ms`, never negative.
pub fn remaining_ms(target_ms: i64, now_ms: i64) -> i64 {
    (target_ms - now_ms).max(0)
}

/// Whole seconds shown for `remaining` ms: rounded up, so "00:00:01" shows until zero is reached.
pub fn shown_seconds(remaining: i64) -> i64 {
    (remaining.max(0) + 999) / 1000
}

/// How long until the shown second changes (at least 1 ms; 0 left means no more ticks).
pub fn delay_to_next_tick(remaining: i64) -> Option<u32> {
    if remaining <= 0 {
        return None;
    }
    let into_second = remaining % 1000;
    Some(if into_second == 0 { 1000 } else { into_second as u32 })
}

/// `HH:MM:SS`, with days in front past 24 hours (`2天 03:04:05` / `2d 03:04:05`).
pub fn format_remaining(m: &Messages, remaining: i64) -> String {
    let s = shown_seconds(remaining);
    let (d, h, min, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{}{h:02}:{min:02}:{sec:02}", (m.days_prefix)(d))
    } else {
        format!("{h:02}:{min:02}:{sec:02}")
    }
}

/// Shows the time left until `target` (a server instant) and calls `on_zero` once at zero.
#[component]
pub fn Countdown(
    /// The server instant counted down to (ms since the epoch).
    #[prop(into)]
    target: Signal<i64>,
    /// Called once when zero is reached (e.g. to enable a button).
    #[prop(into, optional)]
    on_zero: Option<Callback<()>>,
) -> impl IntoView {
    let clock = use_server_clock();
    let i18n = use_i18n();
    let left = RwSignal::new(remaining_ms(target.get_untracked(), clock.now_ms()));
    let alive = StoredValue::new(true);
    let fired = StoredValue::new(false);
    // One timer at a time, re-armed from the absolute target on every tick.
    fn arm(target: Signal<i64>, clock: ServerClock, left: RwSignal<i64>, alive: StoredValue<bool>, fired: StoredValue<bool>, on_zero: Option<Callback<()>>) {
        if !alive.try_get_value().unwrap_or(false) {
            return;
        }
        let now_left = remaining_ms(target.get_untracked(), clock.now_ms());
        left.set(now_left);
        match delay_to_next_tick(now_left) {
            Some(ms) => set_timeout(move || arm(target, clock, left, alive, fired, on_zero), std::time::Duration::from_millis(ms as u64)),
            None => {
                if !fired.get_value() {
                    fired.set_value(true);
                    if let Some(cb) = on_zero {
                        cb.run(());
                    }
                }
            }
        }
    }
    Effect::new(move |_| {
        target.track();
        clock.estimate.track();
        fired.set_value(false);
        arm(target, clock, left, alive, fired, on_zero);
    });
    on_cleanup(move || alive.set_value(false));
    view! {
        <span class="countdown" role="timer">{move || format_remaining(i18n.t(), left.get())}</span>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH};
    use proptest::prelude::*;

    #[test]
    fn shows_whole_seconds_rounded_up_and_days_past_a_day() {
        assert_eq!(format_remaining(&ZH, 0), "00:00:00");
        assert_eq!(format_remaining(&ZH, 1), "00:00:01");
        assert_eq!(format_remaining(&ZH, 1000), "00:00:01");
        assert_eq!(format_remaining(&ZH, 1001), "00:00:02");
        assert_eq!(format_remaining(&ZH, 3_600_000), "01:00:00");
        assert_eq!(format_remaining(&ZH, 2 * 86_400_000 + 3_723_000), "2天 01:02:03");
        assert_eq!(format_remaining(&EN, 86_400_000 + 1000), "1d 00:00:01");
    }

    #[test]
    fn ticks_land_on_second_boundaries_and_stop_at_zero() {
        assert_eq!(delay_to_next_tick(2_500), Some(500));
        assert_eq!(delay_to_next_tick(2_000), Some(1000));
        assert_eq!(delay_to_next_tick(1), Some(1));
        assert_eq!(delay_to_next_tick(0), None);
        assert_eq!(remaining_ms(1000, 5000), 0);
    }

    proptest! {
        /// After waiting the scheduled delay, the shown second has moved on by exactly one.
        #[test]
        fn each_tick_moves_the_display_by_one_second(remaining in 1i64..10_000_000) {
            let delay = delay_to_next_tick(remaining).expect("ticks while time is left") as i64;
            prop_assert!((1..=1000).contains(&delay));
            prop_assert_eq!(shown_seconds(remaining - delay), shown_seconds(remaining) - 1);
        }
    }
}
