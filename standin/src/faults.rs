//! Fault injection: latency, errors, timeouts, dropped connections and bad bodies, by rule.
//!
//! Rules come from command-line flags (for the whole run) or from `/__standin/faults` at run
//! time (for one test). A rule with `after: true` lets the handler run first and then spoils
//! the answer: the write happened, the client never heard of it — the case idempotency keys
//! exist for.

use crate::http::ApiError;
use crate::Shared;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct FaultRule {
    /// latency | error | unavailable | timeout | drop | malformed | wrong_shape | unauthorized |
    /// too_many | hostile (the answer's human text and links replaced by injection payloads)
    pub kind: String,
    /// Only paths under /api/v1 starting with this (e.g. "/cart"); all when absent.
    #[serde(default)]
    pub path: Option<String>,
    /// Only this method (GET, POST, …); all when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Only this many times; for ever when absent.
    #[serde(default)]
    pub times: Option<u32>,
    /// Probability of applying, 0–1; always when absent.
    #[serde(default)]
    pub rate: Option<f64>,
    /// Run the handler first, then spoil its answer.
    #[serde(default)]
    pub after: bool,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// With `latency`: up to this much more, split at random between the way in (before the
    /// handler reads its clock) and the way out, as a real network's jitter is.
    #[serde(default)]
    pub jitter_ms: Option<u64>,
    #[serde(default)]
    pub retry_after_s: Option<u64>,
}

#[derive(Default)]
pub struct Faults {
    pub rules: Vec<FaultRule>,
    /// How many times each rule fired, for tests.
    pub fired: Vec<(String, String)>,
}

impl Faults {
    /// The first rule that applies to this request, consuming one of its `times`.
    fn take(&mut self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rng = rand::thread_rng();
        let index = self.rules.iter().position(|r| {
            r.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
                && r.path.as_deref().is_none_or(|p| path.starts_with(p))
                && r.times.is_none_or(|t| t > 0)
                && r.rate.is_none_or(|p| rng.gen_bool(p.clamp(0.0, 1.0)))
        })?;
        let rule = self.rules[index].clone();
        if let Some(t) = self.rules[index].times.as_mut() {
            *t -= 1;
        }
        self.fired.push((rule.kind.clone(), format!("{method} {path}")));
        Some(rule)
    }
}

fn spoiled(rule: &FaultRule) -> Response {
    match rule.kind.as_str() {
        "error" => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器开小差了").into_response(),
        "unavailable" => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "服务繁忙，请稍后再试")
            .retry_after(rule.retry_after_s.unwrap_or(1))
            .into_response(),
        "unauthorized" => ApiError::new(StatusCode::UNAUTHORIZED, "session_expired", "登录已过期，请重新登录").into_response(),
        "too_many" => ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "请求太频繁")
            .retry_after(rule.retry_after_s.unwrap_or(1))
            .into_response(),
        "malformed" => {
            let mut r = (StatusCode::OK, "{\"stores\": [{\"name\": \"oops\"").into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        "wrong_shape" => {
            let mut r = (StatusCode::OK, "{\"data\": [1, 2, 3], \"ok\": true}").into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        // Headers go out, then the connection breaks mid-body.
        "drop" => {
            let broken = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped by fault injection"))
            });
            let mut r = Response::new(Body::from_stream(broken));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "unknown fault").into_response(),
    }
}

pub async fn inject(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let rule = {
        let mut faults = s.faults.lock().unwrap_or_else(|p| p.into_inner());
        faults.take(&method, &path)
    };
    let Some(rule) = rule else { return next.run(req).await };
    match rule.kind.as_str() {
        "latency" => {
            let (way_in, way_out) = {
                let mut rng = rand::thread_rng();
                let total = rng.gen_range(0..=rule.jitter_ms.unwrap_or(0));
                let way_in = rng.gen_range(0..=total);
                (way_in, total - way_in)
            };
            let base = rule.latency_ms.unwrap_or(if rule.jitter_ms.is_some() { 0 } else { 3000 });
            tokio::time::sleep(Duration::from_millis(base + way_in)).await;
            let answer = next.run(req).await;
            tokio::time::sleep(Duration::from_millis(way_out)).await;
            answer
        }
        "hostile" => {
            let answer = next.run(req).await;
            hostile(answer).await
        }
        "timeout" => {
            if rule.after {
                let _ = next.run(req).await;
            }
            // Longer than any client waits.
            tokio::time::sleep(Duration::from_secs(120)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        _ if rule.after => {
            let _ = next.run(req).await;
            spoiled(&rule)
        }
        _ => spoiled(&rule),
    }
}

/// Payloads that try to run script (they set `window.__pwned`), hide text or break layout.
pub const HOSTILE_TEXT: [&str; 9] = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "<script>window.__pwned=1</script>",
    "<svg/onload=window.__pwned=1>",
    "\"><iframe src=\"javascript:window.top.__pwned=1\"></iframe>",
    "\u{202e}gpj.exe 右到左",
    "零\u{200b}宽\u{200d}字\u{feff}符\u{0007}",
    "{{7*7}}${7*7}<b>粗</b>",
    "𝕌𝕟𝕚𝕔𝕠𝕕𝕖 ẞ 🧨 Z̷̢̛a̵l̶g̸o̵",
    "<a href=\"javascript:window.__pwned=1\">点我</a>",
];

/// Links that must never be followed.
pub const HOSTILE_URLS: [&str; 4] = [
    "javascript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "https://shop.example.com@evil.example/",
    "//evil.example/x",
];

/// Keys whose string values are people's words (never ids, codes or states).
const TEXT_KEYS: [&str; 20] = [
    "name", "title", "text", "spec", "label", "author_name", "child_name", "parent_name", "class_name",
    "reason", "note", "help", "comment", "suggestion", "meal_notes", "learning_notes", "home_notes", "question", "medication", "message",
];
const URL_KEYS: [&str; 1] = ["url"];

fn spoil_json(v: &mut serde_json::Value, n: &mut usize, long_done: &mut bool) {
    match v {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    serde_json::Value::String(s) if TEXT_KEYS.contains(&key.as_str()) => {
                        *n += 1;
                        // One 100 KB text per answer: layout must survive it.
                        *s = if key == "text" && !*long_done {
                            *long_done = true;
                            format!("{}{}", HOSTILE_TEXT[0], "长".repeat(100 * 1024 / 3))
                        } else {
                            HOSTILE_TEXT[*n % HOSTILE_TEXT.len()].to_owned()
                        };
                    }
                    serde_json::Value::String(s) if URL_KEYS.contains(&key.as_str()) => {
                        *n += 1;
                        *s = HOSTILE_URLS[*n % HOSTILE_URLS.len()].to_owned();
                    }
                    other => spoil_json(other, n, long_done),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| spoil_json(i, n, long_done)),
        _ => {}
    }
}

/// The answer with its human text and links replaced by hostile ones (JSON answers only).
async fn hostile(answer: Response) -> Response {
    let (mut parts, body) = answer.into_parts();
    let is_json = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("application/json"));
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    if !is_json {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
    let (mut n, mut long_done) = (0usize, false);
    spoil_json(&mut json, &mut n, &mut long_done);
    let text = json.to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}
