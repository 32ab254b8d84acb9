//! When a failed request is tried again, and after how long.

use super::ApiError;

/// Attempts in all for a read (the first and two retries).
pub const MAX_READ_ATTEMPTS: u32 = 3;
const BASE_DELAY_MS: u32 = 400;
const MAX_DELAY_MS: u32 = 5_000;
/// A server asking for more than this is not waited for automatically.
const MAX_RETRY_AFTER_S: u64 = 10;

/// The delay before attempt `attempt + 1` of a read that failed with `error`, or `None` when it
/// must not be retried. Only reads are retried automatically: a write is repeated only by the
/// user or by a flow that resends the same idempotency key.
pub fn read_retry_delay(attempt: u32, error: &ApiError) -> Option<u32> {
    if attempt + 1 >= MAX_READ_ATTEMPTS {
        return None;
    }
    let backoff = (BASE_DELAY_MS << attempt.min(8)).min(MAX_DELAY_MS);
    match error {
        ApiError::Network | ApiError::Timeout => Some(backoff),
        ApiError::Http { status, retry_after_s, .. } => match (*status, retry_after_s) {
            (429 | 503, Some(s)) if *s <= MAX_RETRY_AFTER_S => Some((*s as u32) * 1000),
            (429 | 503, Some(_)) => None,
            (500 | 502 | 503 | 504 | 429, None) => Some(backoff),
            _ => None,
        },
        // The same server sends the same bad body again.
        ApiError::Decode(_) => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn http(status: u16, retry_after_s: Option<u64>) -> ApiError {
        ApiError::Http { status, code: String::new(), message: String::new(), retry_after_s, body: crate::json::Json::Null }
    }

    #[test]
    fn transient_failures_back_off_then_stop() {
        assert_eq!(read_retry_delay(0, &ApiError::Network), Some(400));
        assert_eq!(read_retry_delay(1, &ApiError::Timeout), Some(800));
        assert_eq!(read_retry_delay(2, &ApiError::Network), None);
        assert_eq!(read_retry_delay(0, &http(502, None)), Some(400));
    }

    #[test]
    fn client_errors_and_bad_bodies_are_final() {
        for status in [400, 401, 403, 404, 409, 410, 422] {
            assert_eq!(read_retry_delay(0, &http(status, None)), None, "{status}");
        }
        assert_eq!(read_retry_delay(0, &ApiError::Decode("x".into())), None);
    }

    #[test]
    fn retry_after_is_honoured_within_reason() {
        assert_eq!(read_retry_delay(0, &http(429, Some(2))), Some(2000));
        assert_eq!(read_retry_delay(0, &http(503, Some(1))), Some(1000));
        assert_eq!(read_retry_delay(0, &http(503, Some(600))), None, "a long wait is the user's call");
    }
}
