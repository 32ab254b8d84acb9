//! The one API client: base URL from configuration, bearer token, timeouts, retries for reads,
//! idempotency keys for writes, and one error type every page turns into a clear message.

mod early;
pub mod retry;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;

use crate::config::Config;
use leptos::prelude::*;
use crate::json::{self, FromJson, Json, ToJson};

/// Everything that can go wrong with a request, as the app distinguishes it.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, refused, or the connection broke mid-answer.
    Network,
    /// No answer within the configured time.
    Timeout,
    /// The API answered with an error status and (usually) the contract's error body.
    Http {
        status: u16,
        /// The contract's stable machine code (`version_conflict`, …), or `http_<status>`.
        code: String,
        /// The API's human message, possibly empty.
        message: String,
        retry_after_s: Option<u64>,
        /// The whole error body, for codes that carry more (`current`, `fields`, `max_quantity`).
        body: Json,
    },
    /// A success whose body is not what the contract promises.
    Decode(String),
}

impl ApiError {
    /// The contract's error code, if the API sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Http { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The signed-in session is no longer valid.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Builds the error for a non-success answer from its status and body text.
    pub fn from_answer(status: u16, retry_after: Option<&str>, text: &str) -> ApiError {
        let body = json::parse(text).unwrap_or(Json::Null);
        let code = body
            .get("code")
            .and_then(Json::as_str)
            .filter(|c| !c.is_empty() && c.len() <= 64)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("http_{status}"));
        let message = body.get("message").and_then(Json::as_str).unwrap_or_default().chars().take(200).collect();
        let retry_after_s = retry_after
            .and_then(|v| v.trim().parse().ok())
            .or_else(|| body.get("retry_after_s").and_then(Json::as_u64));
        ApiError::Http { status, code, message, retry_after_s, body }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network => write!(f, "network error"),
            ApiError::Timeout => write!(f, "timed out"),
            ApiError::Http { status, code, .. } => write!(f, "HTTP {status} {code}"),
            ApiError::Decode(why) => write!(f, "unexpected answer: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Decodes a success body; anything the contract does not promise becomes `Decode`, never a panic.
pub fn decode<T: FromJson>(text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    json::from_str(text).map_err(|e| ApiError::Decode(e.0.chars().take(160).collect()))
}

/// A fresh idempotency key for one user intent: 22 characters of `[A-Za-z0-9_-]` (128 bits).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (never in a supported browser): fall back to Math.random, still unique enough per user.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    key_from_bytes(&bytes)
}

/// The URL-safe text of 16 random bytes.
pub fn key_from_bytes(bytes: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = String::with_capacity(22);
    for &b in bytes {
        bits = (bits << 8) | b as u32;
        n += 8;
        while n >= 6 {
            n -= 6;
            out.push(ALPHABET[((bits >> n) & 63) as usize] as char);
        }
    }
    if n > 0 {
        out.push(ALPHABET[((bits << (6 - n)) & 63) as usize] as char);
    }
    out
}

/// The API client every page uses (from context: `expect_context::<ApiClient>()`).
#[derive(Clone)]
pub struct ApiClient {
    base: String,
    timeout_ms: u32,
    /// The session token, sent as a bearer token; never put in a URL.
    pub token: RwSignal<Option<String>>,
    /// The designer preview's scenario, sent as `X-Scenario` (a real API ignores it).
    pub scenario: RwSignal<Option<String>>,
    /// Bumped when the API refuses our token (401): the app signs in again.
    pub expired: RwSignal<u32>,
}

impl ApiClient {
    pub fn new(config: &Config) -> ApiClient {
        ApiClient {
            base: config.api_base.clone(),
            timeout_ms: config.request_timeout_ms,
            token: RwSignal::new(None),
            expired: RwSignal::new(0),
            scenario: RwSignal::new(None),
        }
    }

    /// A page's read of `path`: asked when created, again on `refetch()` (retry buttons).
    pub fn resource<T>(&self, path: impl Into<String>) -> Fetched<T>
    where
        T: FromJson + Send + Sync + 'static,
    {
        let api = self.clone();
        let path: String = path.into();
        Fetched::new(move || {
            let api = api.clone();
            let path = path.clone();
            async move { api.get::<T>(&path).await }
        })
    }

    /// A read, retried with backoff when the failure is transient.
    pub async fn get<T: FromJson>(&self, path: &str) -> Result<T, ApiError> {
        let text = retrying(|| self.send_once("GET", path, fetch::Body::None, None)).await?;
        decode(&text)
    }

    /// A read as `get`, with the answer's text as it came (to keep it without encoding it again).
    pub async fn get_with_text<T: FromJson>(&self, path: &str) -> Result<(T, String), ApiError> {
        let text = retrying(|| self.send_once("GET", path, fetch::Body::None, None)).await?;
        Ok((decode(&text)?, text))
    }

    /// A write, sent once. Pass an idempotency key for anything that must not happen twice;
    /// the caller keeps the key so a retry of the same intent reuses it.
    pub async fn send<T: FromJson, B: ToJson>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
        idempotency_key: Option<&str>,
    ) -> Result<T, ApiError> {
        let body = match body {
            Some(b) => Some(json::to_string(b)),
            None => None,
        };
        let text = self.send_once(method, path, body.map(fetch::Body::Json).unwrap_or(fetch::Body::None), idempotency_key).await?;
        decode(&text)
    }

    /// A multipart upload (pictures, voice notes) to `path`, retried like a read: an upload
    /// that arrives twice only leaves a stored file nothing refers to, while giving up on a
    /// flaky network would cost the person their picture.
    pub async fn send_form<T: FromJson>(&self, path: &str, form: web_sys::FormData) -> Result<T, ApiError> {
        let text = retrying(|| self.send_once("POST", path, fetch::Body::Form(form.clone()), None)).await?;
        decode(&text)
    }

    /// A JSON upload (media WeChat already holds, by its serverId), retried like `send_form`.
    pub async fn send_upload<T: FromJson, B: ToJson>(&self, path: &str, body: &B) -> Result<T, ApiError> {
        let body = json::to_string(body);
        let text = retrying(|| self.send_once("POST", path, fetch::Body::Json(body.clone()), None)).await?;
        decode(&text)
    }

    /// A write to a URL outside the API's base (the stand-in's simulated payment).
    pub async fn send_to<T: FromJson, B: ToJson>(&self, method: &str, url: &str, body: Option<&B>) -> Result<T, ApiError> {
        let body = match body {
            Some(b) => fetch::Body::Json(json::to_string(b)),
            None => fetch::Body::None,
        };
        let headers = [("Accept", "application/json".to_owned()), ("Content-Type", "application/json".to_owned())];
        let (status, retry_after, text) = fetch::fetch_text(method, url, &headers, body, self.timeout_ms).await?;
        if (200..300).contains(&status) {
            decode(&text)
        } else {
            Err(ApiError::from_answer(status, retry_after.as_deref(), &text))
        }
    }

    async fn send_once(
        &self,
        method: &str,
        path: &str,
        body: fetch::Body,
        idempotency_key: Option<&str>,
    ) -> Result<String, ApiError> {
        let mut headers: Vec<(&str, String)> = vec![("Accept", "application/json".into())];
        if let Some(token) = self.token.get_untracked() {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
        if let Some(s) = self.scenario.get_untracked() {
            headers.push(("X-Scenario", s));
        }
        if let Some(key) = idempotency_key {
            headers.push(("Idempotency-Key", key.to_owned()));
        }
        // A form sets its own multipart content type.
        if matches!(body, fetch::Body::Json(_)) {
            headers.push(("Content-Type", "application/json".into()));
        }
        let url = format!("{}{}", self.base, path);
        let sent_token = self.token.get_untracked();
        // A plain read the start-up script already asked for (`early`) is not asked again.
        let early = match (&sent_token, &body) {
            (Some(token), fetch::Body::None) if method == "GET" && idempotency_key.is_none() && self.scenario.get_untracked().is_none() => {
                early::take(&url, token).await
            }
            _ => None,
        };
        let (status, retry_after, text) = match early {
            Some(answer) => answer,
            None => fetch::fetch_text(method, &url, &headers, body, self.timeout_ms).await?,
        };
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            // Only the token this request carried is known to be dead (a newer one may exist).
            if status == 401 && sent_token.is_some() && self.token.try_get_untracked().flatten() == sent_token {
                let _ = self.expired.try_update(|n| *n += 1);
            }
            Err(ApiError::from_answer(status, retry_after.as_deref(), &text))
        }
    }
}

/// Runs `attempt()` again after a transient failure, with backoff (`retry::read_retry_delay`).
async fn retrying<F, Fut>(attempt: F) -> Result<String, ApiError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<String, ApiError>>,
{
    let mut failures = 0;
    loop {
        match attempt().await {
            Ok(text) => return Ok(text),
            Err(e) => match retry::read_retry_delay(failures, &e) {
                Some(ms) => {
                    gloo_timers::future::TimeoutFuture::new(ms).await;
                    failures += 1;
                }
                None => return Err(e),
            },
        }
    }
}

/// A page's read of the API: nothing yet (loading), then the answer or the error. It is asked
/// when created, again on `refetch()`, and again when a signal read while making the request
/// changes (the selected tab, the address's id); an answer to an older request is dropped.
///
/// Two signals rather than a `LocalResource`: Leptos' async-derived machinery and `Suspense`
/// cost every area that reads anything 12–16 kB (brotli) of code per first visit (issue 11),
/// for behaviour these pages do not use. `ui::fetched` shows it: loading, the page, or the error
/// with a retry.
pub struct Fetched<T: Send + Sync + 'static> {
    answer: RwSignal<Option<Result<T, ApiError>>>,
    asked: RwSignal<u32>,
    /// Set by `refetch`: a good answer stays on screen while the new one comes.
    keep_shown: StoredValue<bool>,
}

impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

impl<T: Send + Sync + 'static> Fetched<T> {
    /// `request` makes the request (reading any signals it depends on) and returns its future.
    pub fn new<F, Fut>(request: F) -> Fetched<T>
    where
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
    {
        let answer = RwSignal::new(None);
        let asked = RwSignal::new(0u32);
        let keep_shown = StoredValue::new(false);
        let latest = StoredValue::new(0u32);
        // A render effect runs at once (the request leaves now, not a tick later) and again
        // when what the request read changes; it lives as long as the page that made it.
        let effect = RenderEffect::new(move |_: Option<()>| {
            asked.track();
            let future = request();
            let keep = keep_shown.try_get_value().unwrap_or(false) && answer.with_untracked(|a| matches!(a, Some(Ok(_))));
            keep_shown.set_value(false);
            if !keep && answer.with_untracked(Option::is_some) {
                answer.set(None);
            }
            let n = latest.get_value().wrapping_add(1);
            latest.set_value(n);
            leptos::task::spawn_local(async move {
                let result = future.await;
                // The page may be gone, or a newer request on its way.
                if latest.try_get_value() == Some(n) {
                    let _ = answer.try_set(Some(result));
                }
            });
        });
        // Dropped (and so stopped) with the page.
        StoredValue::new_local(effect);
        Fetched { answer, asked, keep_shown }
    }

    /// Ask again (a retry, or after a change the page made).
    pub fn refetch(&self) {
        self.keep_shown.set_value(true);
        self.asked.update(|n| *n = n.wrapping_add(1));
    }
}

impl<T: Clone + Send + Sync + 'static> Fetched<T> {
    /// The answer so far (`None` while loading), tracked.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.answer.get()
    }

    pub fn get_untracked(&self) -> Option<Result<T, ApiError>> {
        self.answer.get_untracked()
    }
}

mod fetch {
    use super::ApiError;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    pub enum Body {
        None,
        Json(String),
        Form(web_sys::FormData),
    }

    /// One HTTP exchange with an abort after `timeout_ms`: (status, Retry-After, body text).
    pub async fn fetch_text(
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Body,
        timeout_ms: u32,
    ) -> Result<(u16, Option<String>, String), ApiError> {
        let window = web_sys::window().ok_or(ApiError::Network)?;
        let controller = web_sys::AbortController::new().map_err(|_| ApiError::Network)?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_signal(Some(&controller.signal()));
        let header_map = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
        for (name, value) in headers {
            header_map.set(name, value).map_err(|_| ApiError::Network)?;
        }
        init.set_headers(&header_map);
        match &body {
            Body::None => {}
            Body::Json(b) => init.set_body(&wasm_bindgen::JsValue::from_str(b)),
            Body::Form(f) => init.set_body(f),
        }
        let timed_out = Rc::new(Cell::new(false));
        let flag = timed_out.clone();
        // Dropping the timer (when this function returns) cancels it.
        let _timer = gloo_timers::callback::Timeout::new(timeout_ms, move || {
            flag.set(true);
            controller.abort();
        });
        let failed = |timed_out: &Rc<Cell<bool>>| if timed_out.get() { ApiError::Timeout } else { ApiError::Network };
        let response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| failed(&timed_out))?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Network)?;
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let text_promise = response.text().map_err(|_| failed(&timed_out))?;
        let text = JsFuture::from(text_promise).await.map_err(|_| failed(&timed_out))?;
        Ok((response.status(), retry_after, text.as_string().unwrap_or_default()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn error_bodies_become_typed_errors() {
        let e = ApiError::from_answer(409, None, r#"{"code":"version_conflict","message":"改过了","current":{"version":3}}"#);
        assert_eq!(e.code(), Some("version_conflict"));
        match &e {
            ApiError::Http { message, body, .. } => {
                assert_eq!(message, "改过了");
                assert_eq!(body["current"]["version"].as_i64(), Some(3));
            }
            other => panic!("{other:?}"),
        }
        let plain = ApiError::from_answer(502, None, "<html>Bad gateway</html>");
        assert_eq!(plain.code(), Some("http_502"));
        let busy = ApiError::from_answer(429, Some("3"), "{}");
        assert!(matches!(busy, ApiError::Http { retry_after_s: Some(3), .. }));
        assert!(ApiError::from_answer(401, None, "").is_unauthorized());
    }

    #[test]
    fn a_body_of_the_wrong_shape_is_a_decode_error() {
        #[derive(Debug)]
        struct ServerTime {
            #[allow(dead_code)]
            now_ms: i64,
        }
        impl FromJson for ServerTime {
            fn from_json(v: &Json) -> Result<Self, json::JsonError> {
                Ok(ServerTime { now_ms: v.record()?.field("now_ms")? })
            }
        }
        assert!(decode::<ServerTime>(r#"{"now_ms": 5}"#).is_ok());
        assert!(matches!(decode::<ServerTime>(r#"{"data": [1,2,3]}"#), Err(ApiError::Decode(_))));
        assert!(matches!(decode::<ServerTime>(r#"{"stores": [{"name": "oops""#), Err(ApiError::Decode(_))));
        assert!(matches!(decode::<ServerTime>(""), Err(ApiError::Decode(_))));
    }

    #[test]
    fn keys_are_url_safe_and_distinct() {
        let a = key_from_bytes(&[0u8; 16]);
        let b = key_from_bytes(&[255u8; 16]);
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
        assert!(b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    proptest! {
        #[test]
        fn any_error_answer_decodes_without_panicking(status in 400u16..600, text in ".{0,200}", retry in proptest::option::of(".{0,8}")) {
            let e = ApiError::from_answer(status, retry.as_deref(), &text);
            prop_assert_eq!(e.status(), Some(status));
            prop_assert!(e.code().is_some_and(|c| !c.is_empty() && c.len() <= 64));
        }

        #[test]
        fn any_success_body_decodes_or_errors_without_panicking(text in ".{0,300}") {
            let _ = decode::<Json>(&text);
        }

        #[test]
        fn every_key_has_the_contracts_form(bytes in proptest::array::uniform16(any::<u8>())) {
            let key = key_from_bytes(&bytes);
            prop_assert_eq!(key.len(), 22);
            prop_assert!(key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        }
    }
}
