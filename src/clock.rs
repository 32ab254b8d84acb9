//! Server time: the phone's clock may be hours off, so every time the app shows or acts on is
//! the server's, estimated from round trips to `/time` and carried forward on the browser's
//! monotonic clock (`performance.now()`), which a changed phone clock does not move.

use crate::api::ApiClient;
use leptos::prelude::*;
use crate::json::{FromJson, Json, JsonError};

/// One round trip: local monotonic instants around it, and the server's instant inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub sent_ms: f64,
    pub received_ms: f64,
    pub server_ms: f64,
}

/// server time = local monotonic time + `offset_ms`, give or take `rtt_ms / 2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub offset_ms: f64,
    pub rtt_ms: f64,
}

/// The estimate from the sample with the shortest round trip: its midpoint is the least
/// uncertain moment at which the server read its clock. Impossible samples are ignored.
pub fn estimate(samples: &[Sample]) -> Option<Estimate> {
    samples
        .iter()
        .filter(|s| s.received_ms >= s.sent_ms && s.sent_ms.is_finite() && s.received_ms.is_finite() && s.server_ms.is_finite())
        .min_by(|a, b| (a.received_ms - a.sent_ms).total_cmp(&(b.received_ms - b.sent_ms)))
        .map(|s| Estimate { offset_ms: s.server_ms - (s.sent_ms + s.received_ms) / 2.0, rtt_ms: s.received_ms - s.sent_ms })
}

/// Milliseconds on the browser's monotonic clock, on the epoch scale.
pub fn local_now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.time_origin() + p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// The browser's own timing of the latest `/time` request started since `since_ms` (on the epoch
/// scale): when the request went out and when the answer's first byte came back. Far tighter
/// than instants taken around the call, which include waking this code up and decoding the
/// answer on a slow phone — time that lands after the server read its clock and would make the
/// estimate late. `None` when the browser has no such entry (its timing buffer is full, or a
/// cross-origin API sends no `Timing-Allow-Origin`): then the instants around the call serve.
fn network_timing(since_ms: f64) -> Option<(f64, f64)> {
    use wasm_bindgen::JsCast;
    let performance = web_sys::window()?.performance()?;
    let origin = performance.time_origin();
    let entries = performance.get_entries_by_type("resource");
    for i in (0..entries.length()).rev() {
        let entry: web_sys::PerformanceResourceTiming = entries.get(i).dyn_into().ok()?;
        if origin + entry.start_time() < since_ms {
            return None;
        }
        let name = entry.name();
        if !name.split('?').next().unwrap_or_default().ends_with("/time") {
            continue;
        }
        let (sent, first_byte) = (entry.request_start(), entry.response_start());
        return (sent > 0.0 && first_byte >= sent).then(|| (origin + sent, origin + first_byte));
    }
    None
}

/// How many round trips one synchronisation makes at least.
pub const SYNC_ROUNDS: usize = 4;
/// How many it makes at most, when none of the first came back quickly.
pub const MAX_SYNC_ROUNDS: usize = 8;
/// A round trip short enough to stop at `SYNC_ROUNDS`: the estimate is then within ±150 ms.
const SETTLED_RTT_MS: f64 = 300.0;

/// Whether a synchronisation asks once more, after `taken` round trips whose best gives `best`.
/// On a jittery network the best of four can still be slow (with up to 1 s of jitter, one time
/// in sixteen all four are over half a second), and the countdown is then that far off; more
/// tries make a quick one likely. A network that is simply slow costs four more tiny requests.
pub fn wants_another_round(taken: usize, best: Option<Estimate>) -> bool {
    taken < SYNC_ROUNDS || (taken < MAX_SYNC_ROUNDS && best.is_none_or(|e| e.rtt_ms > SETTLED_RTT_MS))
}

struct ServerTime {
    now_ms: i64,
}

impl FromJson for ServerTime {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(ServerTime { now_ms: v.record()?.field("now_ms")? })
    }
}

/// The server clock pages read times from (`use_server_clock()`).
#[derive(Clone, Copy)]
pub struct ServerClock {
    /// `None` until the first synchronisation; then the current estimate.
    pub estimate: RwSignal<Option<Estimate>>,
    /// Whether the first synchronisation has finished (measured or not): until then times
    /// that matter (countdowns, flash-sale buttons) wait rather than trust the phone.
    pub settled: RwSignal<bool>,
    /// When it was last measured (local monotonic ms).
    last_sync: StoredValue<f64>,
    /// Whether measuring has begun (`use_server_clock`).
    started: StoredValue<bool>,
}

/// The server clock, for a page whose times must be right from the start (countdowns, the flash
/// sale): the first such page starts measuring it (`ServerClock::start`). Not at start: pages
/// without times (the cart, the school's roster) then carry none of its code, and the first
/// measurement begins as the page's own code arrives, alongside its first reads. (The feed, whose
/// "3 minutes ago" can wait, starts it once it has settled.)
pub fn use_server_clock() -> ServerClock {
    let clock = expect_context::<ServerClock>();
    // Without an API (a widget on its own) there is nothing to measure against.
    if let Some(api) = use_context::<ApiClient>() {
        clock.start(&api);
    }
    clock
}

impl ServerClock {
    pub fn new() -> ServerClock {
        ServerClock { estimate: RwSignal::new(None), settled: RwSignal::new(false), last_sync: StoredValue::new(f64::MIN), started: StoredValue::new(false) }
    }

    /// Measures the clock now and keeps it fresh (`watch`), unless that has begun.
    pub fn start(&self, api: &ApiClient) {
        if self.started.try_get_value() == Some(false) {
            self.started.set_value(true);
            self.watch(api);
            let (clock, api) = (*self, api.clone());
            leptos::task::spawn_local(async move { clock.sync(&api).await });
        }
    }

    /// Keeps the estimate fresh: measured again when the page comes back from the background
    /// (the phone may have slept or changed its clock) and every few minutes.
    pub fn watch(&self, api: &ApiClient) {
        use crate::seckill::domain::should_resync;
        use wasm_bindgen::prelude::*;
        use wasm_bindgen::JsCast;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let clock = *self;
        let hidden_at = std::rc::Rc::new(std::cell::Cell::new(None::<f64>));
        let api_visible = api.clone();
        let on_visibility = Closure::<dyn Fn()>::new(move || {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
            let now = local_now_ms();
            if doc.hidden() {
                hidden_at.set(Some(now));
                return;
            }
            let hidden_for = hidden_at.take().map(|t| now - t).unwrap_or(0.0);
            if should_resync(now, clock.last_sync.try_get_value().unwrap_or(f64::MIN), hidden_for) {
                let api = api_visible.clone();
                wasm_bindgen_futures::spawn_local(async move { clock.sync(&api).await });
            }
        });
        let _ = document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
        on_visibility.forget();
        let api_timer = api.clone();
        let periodic = Closure::<dyn Fn()>::new(move || {
            let now = local_now_ms();
            if should_resync(now, clock.last_sync.try_get_value().unwrap_or(f64::MIN), 0.0) {
                let api = api_timer.clone();
                wasm_bindgen_futures::spawn_local(async move { clock.sync(&api).await });
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(periodic.as_ref().unchecked_ref(), 60_000);
        }
        // Both live as long as the page.
        periodic.forget();
    }

    /// The server's current time in ms since the epoch (the local clock until synchronised).
    pub fn now_ms(&self) -> i64 {
        let offset = self.estimate.get_untracked().map(|e| e.offset_ms).unwrap_or(0.0);
        (local_now_ms() + offset).round() as i64
    }

    /// Whether times can be shown: the clock was measured, or measuring gave up (then the
    /// phone's clock is all there is).
    pub fn ready(&self) -> bool {
        self.settled.get() || self.estimate.with(Option::is_some)
    }

    /// Measures the offset with a few round trips and keeps the best; failures keep the last one.
    /// The very first measurement is published after its first round trip (a slow network
    /// should not hold the page), then refined.
    pub async fn sync(&self, api: &ApiClient) {
        let mut samples = Vec::with_capacity(SYNC_ROUNDS);
        let mut taken = 0;
        while wants_another_round(taken, estimate(&samples)) {
            taken += 1;
            let sent_ms = local_now_ms();
            if let Ok(t) = api.get::<ServerTime>("/time").await {
                let (sent_ms, received_ms) = network_timing(sent_ms).unwrap_or((sent_ms, local_now_ms()));
                samples.push(Sample { sent_ms, received_ms, server_ms: t.now_ms as f64 });
                if samples.len() == 1 && self.estimate.try_with_untracked(Option::is_none).unwrap_or(false) {
                    let _ = self.estimate.try_set(estimate(&samples));
                }
            }
        }
        if let Some(e) = estimate(&samples) {
            let _ = self.estimate.try_set(Some(e));
            let _ = self.last_sync.try_set_value(local_now_ms());
        }
        if !self.settled.try_get_untracked().unwrap_or(true) {
            let _ = self.settled.try_set(true);
        }
    }
}

impl Default for ServerClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_shortest_round_trip_wins() {
        let samples = [
            Sample { sent_ms: 0.0, received_ms: 400.0, server_ms: 3_600_300.0 },
            Sample { sent_ms: 1000.0, received_ms: 1040.0, server_ms: 3_601_020.0 },
        ];
        let e = estimate(&samples).expect("estimate");
        assert_eq!(e.rtt_ms, 40.0);
        assert_eq!(e.offset_ms, 3_600_000.0);
        assert_eq!(estimate(&[]), None);
        let impossible = [Sample { sent_ms: 10.0, received_ms: 5.0, server_ms: 0.0 }];
        assert_eq!(estimate(&impossible), None);
    }

    #[test]
    fn a_slow_best_round_trip_asks_again_up_to_a_limit() {
        let quick = Some(Estimate { offset_ms: 0.0, rtt_ms: 180.0 });
        let slow = Some(Estimate { offset_ms: 0.0, rtt_ms: 700.0 });
        // Always the first four.
        assert!((0..SYNC_ROUNDS).all(|n| wants_another_round(n, quick)));
        // Then only while the best is slow (or every try failed), and never past the limit.
        assert!(!wants_another_round(SYNC_ROUNDS, quick));
        assert!(wants_another_round(SYNC_ROUNDS, slow));
        assert!(wants_another_round(SYNC_ROUNDS, None));
        assert!(wants_another_round(MAX_SYNC_ROUNDS - 1, slow));
        assert!(!wants_another_round(MAX_SYNC_ROUNDS, slow));
        assert!(!wants_another_round(MAX_SYNC_ROUNDS, None));
    }

    proptest! {
        /// Whatever the phone's skew and however the network jitters, the error of the estimate
        /// is bounded by half the best round trip plus the path's asymmetry in that trip.
        #[test]
        fn error_is_bounded_by_the_best_round_trip(
            skew_ms in -7_200_000.0f64..7_200_000.0,
            legs in proptest::collection::vec((1.0f64..1000.0, 1.0f64..1000.0), 1..8),
        ) {
            let mut t = 10_000.0;
            let samples: Vec<Sample> = legs.iter().map(|(up, down)| {
                let s = Sample { sent_ms: t, server_ms: t + up + skew_ms, received_ms: t + up + down };
                t += up + down + 50.0;
                s
            }).collect();
            let e = estimate(&samples).expect("estimate");
            let best = legs.iter().map(|(u, d)| u + d).fold(f64::MAX, f64::min);
            prop_assert!((e.rtt_ms - best).abs() < 1e-6);
            prop_assert!((e.offset_ms - skew_ms).abs() <= best / 2.0 + 1e-6);
        }
    }
}
