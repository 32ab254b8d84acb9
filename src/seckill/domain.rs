//! Seckill rules that need no browser: which state an item is in at a server instant, what a
//! grab's answer means, and how often to ask about a queued grab.

use crate::api::ApiError;
use crate::json_record;

/// An item of a session, as the API describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SeckillItem {
    pub item_id: String,
    pub session_id: String,
    pub title: String,
    pub image_url: String,
    pub original_price_fen: i64,
    pub flash_price_fen: i64,
    pub stock_total: i64,
    pub stock_left: i64,
    pub limit_per_person: i64,
    pub bought_by_me: i64,
    pub reminded: bool,
}
json_record!(read SeckillItem {
    item_id, session_id, title, image_url, original_price_fen, flash_price_fen, stock_total, stock_left, limit_per_person, bought_by_me, reminded,
});

/// What the follower can do with an item now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemState {
    /// Not started: remind me.
    Upcoming,
    /// On: grab.
    Live,
    SoldOut,
    /// Bought as many as one person may.
    LimitReached,
    Ended,
}

/// The item's state at a server instant. The start is inclusive (the button enables at server
/// zero, not a second late), the end exclusive; the session's window comes first, then what is
/// left, then the follower's own limit.
pub fn item_state(item: &SeckillItem, starts_at: i64, ends_at: i64, now_ms: i64) -> ItemState {
    if now_ms >= ends_at {
        ItemState::Ended
    } else if now_ms < starts_at {
        ItemState::Upcoming
    } else if item.stock_left <= 0 {
        ItemState::SoldOut
    } else if item.bought_by_me >= item.limit_per_person {
        ItemState::LimitReached
    } else {
        ItemState::Live
    }
}

/// Share already grabbed, 0–100 (for "已抢 N%"); never above 100 whatever the API says.
pub fn grabbed_percent(item: &SeckillItem) -> u32 {
    if item.stock_total <= 0 {
        return 100;
    }
    let sold = (item.stock_total - item.stock_left.clamp(0, item.stock_total)) as f64;
    ((sold / item.stock_total as f64) * 100.0).floor().clamp(0.0, 100.0) as u32
}

/// How the stock left is told: "only N left" when it is running out, plainly otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockNote {
    Few(i64),
    Left(i64),
}

/// Stock is running out at 10 or fewer, or a fifth of the total or less.
pub fn stock_note(item: &SeckillItem) -> StockNote {
    let left = item.stock_left.max(0);
    if left <= 10 || left * 5 <= item.stock_total {
        StockNote::Few(left)
    } else {
        StockNote::Left(left)
    }
}

/// A grab's answer (200 won, 202 queued).
#[derive(Clone, Debug, PartialEq)]
pub struct GrabAnswer {
    pub result: String,
    pub order_id: Option<String>,
    pub pay_by: Option<i64>,
    pub ticket_id: Option<String>,
    pub poll_after_ms: Option<u64>,
}
json_record!(read GrabAnswer { result, order_id, pay_by, ticket_id, poll_after_ms });

/// What a grab came to, for the follower.
#[derive(Clone, Debug, PartialEq)]
pub enum Grab {
    Won { order_id: String, pay_by: i64 },
    Queued { ticket_id: String, poll_after_ms: u64 },
    SoldOut,
    LimitReached,
    /// The phone's clock was off: resynchronise and show the real countdown.
    NotStarted { starts_at: Option<i64> },
    Ended,
    /// Too many requests: wait this long before the same grab again.
    Wait { seconds: u64 },
    /// No answer (network, timeout, 5xx): retry with the SAME key — it can never make two orders.
    RetrySameKey,
    /// Anything else: say so.
    Failed(ApiError),
}

/// The meaning of a grab's answer or error.
pub fn grab_outcome(answer: Result<GrabAnswer, ApiError>) -> Grab {
    match answer {
        Ok(a) => match (a.result.as_str(), a.order_id, a.pay_by, a.ticket_id) {
            ("won", Some(order_id), Some(pay_by), _) => Grab::Won { order_id, pay_by },
            ("queued", _, _, Some(ticket_id)) => Grab::Queued { ticket_id, poll_after_ms: a.poll_after_ms.unwrap_or(500).clamp(200, 5_000) },
            _ => Grab::Failed(ApiError::Decode("grab answer without its order or ticket".into())),
        },
        Err(e) => match (e.status(), e.code()) {
            (_, Some("sold_out")) => Grab::SoldOut,
            (_, Some("limit_reached")) => Grab::LimitReached,
            (_, Some("not_started")) => Grab::NotStarted {
                starts_at: match &e {
                    ApiError::Http { body, .. } => body["starts_at"].as_i64(),
                    _ => None,
                },
            },
            (_, Some("ended")) => Grab::Ended,
            (Some(429), _) => Grab::Wait {
                seconds: match &e {
                    ApiError::Http { retry_after_s, .. } => retry_after_s.unwrap_or(1).clamp(1, 30),
                    _ => 1,
                },
            },
            (None, _) | (Some(500..=599), _) => Grab::RetrySameKey,
            _ => Grab::Failed(e),
        },
    }
}

/// How many times a grab is resent with the same key after no answer.
pub const SAME_KEY_RETRIES: u32 = 3;

/// When to ask about a queued grab again (`attempt` from 0): from the server's hint, backing
/// off to 3 s; `None` after about a minute (then the follower is asked to check their orders).
pub fn ticket_poll_ms(hint_ms: u64, attempt: u32) -> Option<u64> {
    if attempt >= 30 {
        return None;
    }
    Some((hint_ms.max(200) << attempt.min(4)).min(3_000))
}

/// When the server clock should be measured again: after this long in the background (the
/// phone may have slept) or this long since the last measurement.
pub const RESYNC_AFTER_HIDDEN_MS: f64 = 10_000.0;
pub const RESYNC_EVERY_MS: f64 = 5.0 * 60_000.0;

/// Whether to measure the clock again now.
pub fn should_resync(now_ms: f64, last_sync_ms: f64, hidden_for_ms: f64) -> bool {
    hidden_for_ms >= RESYNC_AFTER_HIDDEN_MS || now_ms - last_sync_ms >= RESYNC_EVERY_MS
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn item(left: i64, bought: i64) -> SeckillItem {
        SeckillItem {
            item_id: "i".into(),
            session_id: "s".into(),
            title: "t".into(),
            image_url: String::new(),
            original_price_fen: 45900,
            flash_price_fen: 19900,
            stock_total: 50,
            stock_left: left,
            limit_per_person: 1,
            bought_by_me: bought,
            reminded: false,
        }
    }

    #[test]
    fn states_follow_the_server_window_then_stock_then_my_limit() {
        let (start, end) = (10_000, 20_000);
        assert_eq!(item_state(&item(5, 0), start, end, 9_999), ItemState::Upcoming);
        assert_eq!(item_state(&item(5, 0), start, end, 10_000), ItemState::Live, "enabled at server zero exactly");
        assert_eq!(item_state(&item(0, 0), start, end, 15_000), ItemState::SoldOut);
        assert_eq!(item_state(&item(5, 1), start, end, 15_000), ItemState::LimitReached);
        assert_eq!(item_state(&item(5, 0), start, end, 20_000), ItemState::Ended);
        assert_eq!(item_state(&item(0, 1), start, end, 25_000), ItemState::Ended, "ended wins");
    }

    #[test]
    fn only_scarce_stock_is_called_scarce() {
        let mut big = item(400, 0);
        big.stock_total = 1000;
        assert_eq!(stock_note(&big), StockNote::Left(400));
        big.stock_left = 200;
        assert_eq!(stock_note(&big), StockNote::Few(200), "a fifth of the total is running out");
        assert_eq!(stock_note(&item(30, 0)), StockNote::Left(30));
        assert_eq!(stock_note(&item(10, 0)), StockNote::Few(10));
        assert_eq!(stock_note(&item(-3, 0)), StockNote::Few(0), "never a negative count");
    }

    #[test]
    fn progress_is_bounded() {
        assert_eq!(grabbed_percent(&item(50, 0)), 0);
        assert_eq!(grabbed_percent(&item(2, 0)), 96);
        assert_eq!(grabbed_percent(&item(0, 0)), 100);
        assert_eq!(grabbed_percent(&item(-7, 0)), 100);
        assert_eq!(grabbed_percent(&item(90, 0)), 0, "more left than total is nonsense: 0, not negative");
    }

    #[test]
    fn every_answer_means_one_thing() {
        let won = GrabAnswer { result: "won".into(), order_id: Some("o".into()), pay_by: Some(9), ticket_id: None, poll_after_ms: None };
        assert_eq!(grab_outcome(Ok(won)), Grab::Won { order_id: "o".into(), pay_by: 9 });
        let queued = GrabAnswer { result: "queued".into(), order_id: None, pay_by: None, ticket_id: Some("t".into()), poll_after_ms: Some(50) };
        assert_eq!(grab_outcome(Ok(queued)), Grab::Queued { ticket_id: "t".into(), poll_after_ms: 200 });
        let err = |status: u16, body: serde_json::Value, retry: Option<&str>| Err(ApiError::from_answer(status, retry, &body.to_string()));
        assert_eq!(grab_outcome(err(409, json!({"code": "sold_out", "message": ""}), None)), Grab::SoldOut);
        assert_eq!(grab_outcome(err(409, json!({"code": "limit_reached", "message": ""}), None)), Grab::LimitReached);
        assert_eq!(grab_outcome(err(425, json!({"code": "not_started", "message": "", "starts_at": 77}), None)), Grab::NotStarted { starts_at: Some(77) });
        assert_eq!(grab_outcome(err(410, json!({"code": "ended", "message": ""}), None)), Grab::Ended);
        assert_eq!(grab_outcome(err(429, json!({"code": "too_many_requests", "message": ""}), Some("3"))), Grab::Wait { seconds: 3 });
        assert_eq!(grab_outcome(Err(ApiError::Timeout)), Grab::RetrySameKey, "no answer: same key again");
        assert_eq!(grab_outcome(err(503, json!({"code": "unavailable", "message": ""}), None)), Grab::RetrySameKey);
        assert!(matches!(grab_outcome(err(400, json!({"code": "bad_request", "message": ""}), None)), Grab::Failed(_)));
        let broken = GrabAnswer { result: "won".into(), order_id: None, pay_by: None, ticket_id: None, poll_after_ms: None };
        assert!(matches!(grab_outcome(Ok(broken)), Grab::Failed(ApiError::Decode(_))));
    }

    #[test]
    fn the_clock_is_measured_again_after_the_background_and_periodically() {
        assert!(!should_resync(1_000.0, 0.0, 0.0));
        assert!(should_resync(1_000.0, 0.0, 10_000.0), "back from the background");
        assert!(should_resync(RESYNC_EVERY_MS, 0.0, 0.0), "every five minutes");
    }

    proptest! {
        #[test]
        fn ticket_polls_back_off_within_bounds(hint in 0u64..10_000, attempt in 0u32..40) {
            match ticket_poll_ms(hint, attempt) {
                Some(ms) => prop_assert!((200..=3_000).contains(&ms) && attempt < 30),
                None => prop_assert!(attempt >= 30),
            }
        }

        #[test]
        fn exactly_one_state_at_every_instant(left in -5i64..60, bought in 0i64..3, start in 0i64..1000, len in 1i64..1000, now in -100i64..3000) {
            let state = item_state(&item(left, bought), start, start + len, now);
            let in_window = now >= start && now < start + len;
            prop_assert_eq!(state == ItemState::Upcoming, now < start);
            prop_assert_eq!(state == ItemState::Ended, now >= start + len);
            prop_assert_eq!(state == ItemState::Live, in_window && left > 0 && bought < 1);
        }
    }
}
