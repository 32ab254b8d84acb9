//! What every handler shares: the error body, the caller, scenarios, idempotency, static files.

use crate::world::{Role, World};
use crate::Shared;
use axum::extract::{FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// The contract's `Error` body with its HTTP status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
    pub retry_after_s: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, body: json!({"code": code, "message": message.into()}), retry_after_s: None }
    }
    /// Adds a field to the body (max_quantity, current, fields, …).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.body[key] = value.into();
        self
    }
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_s = Some(seconds);
        self.body["retry_after_s"] = json!(seconds);
        self
    }
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what}不存在"))
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    pub fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    /// `validation_failed` with one entry per field.
    pub fn fields(problems: Vec<(String, &str, String)>) -> Self {
        let fields: Vec<Value> =
            problems.into_iter().map(|(f, c, m)| json!({"field": f, "code": c, "message": m})).collect();
        Self::unprocessable("validation_failed", "请检查填写的内容").with("fields", fields)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(s) = self.retry_after_s {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// JSON bodies that fail to decode become the contract's error, not axum's plain text.
pub struct Body<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(ApiError::bad_request(format!("请求格式不正确: {}", rejection.body_text()))),
        }
    }
}

/// The signed-in caller, from `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: String,
    pub role: Role,
    pub is_guest: bool,
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录"))?;
        let world = state.world();
        world.caller(token, now_ms())
    }
}

/// The designer/test scenario of a request (`X-Scenario` header or `?scenario=`), if any.
#[derive(Clone, Debug, Default)]
pub struct Scenario(pub Option<String>);

impl Scenario {
    pub fn is(&self, name: &str) -> bool {
        self.0.as_deref() == Some(name)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Scenario {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Scenario>().cloned().unwrap_or_default())
    }
}

fn scenario_of(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let from_header = headers.get("x-scenario").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let from_query = query.and_then(|q| {
        q.split('&').find_map(|pair| pair.strip_prefix("scenario=").map(str::to_owned))
    });
    from_header.or(from_query).filter(|s| !s.is_empty() && s.len() <= 64)
}

/// Scenarios every route shares; the rest are read by the handlers that know them.
pub async fn scenario_layer(mut req: Request, next: Next) -> Response {
    let scenario = Scenario(scenario_of(req.headers(), req.uri().query()));
    let path = req.uri().path();
    // The clock, the session and the JS-SDK signature are needed to render any page, so they
    // are never part of a page's failure or loading state.
    let infrastructure = path.ends_with("/time") || path.contains("/session") || path.contains("/jssdk");
    match scenario.0.as_deref() {
        _ if infrastructure => {}
        Some("error") => {
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器开小差了，请稍后再试")
                .into_response()
        }
        Some("slow") => tokio::time::sleep(Duration::from_millis(2000)).await,
        // Long enough for a designer to look at the loading state.
        Some("loading") => tokio::time::sleep(Duration::from_secs(30)).await,
        _ => {}
    }
    req.extensions_mut().insert(scenario);
    next.run(req).await
}

pub async fn no_such_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "没有这个接口")
}

/// `Idempotency-Key` of a request: required, 8–64 of `[A-Za-z0-9_-]`.
pub fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::bad_request("缺少 Idempotency-Key"))?;
    let ok = (8..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        return Err(ApiError::bad_request("Idempotency-Key 格式不正确"));
    }
    Ok(key.to_owned())
}

/// Runs `create` once per (user, scope, key): the same key with the same request replays the
/// first answer with 200; with a different request it is refused. Errors are not remembered,
/// so a refused attempt can be retried with the same key.
pub fn once(
    world: &mut World,
    caller: &Caller,
    scope: &str,
    key: &str,
    request: &Value,
    create: impl FnOnce(&mut World) -> ApiResult<(StatusCode, Value)>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let slot = (caller.user_id.clone(), scope.to_owned(), key.to_owned());
    if let Some((seen_request, answer)) = world.idempotency.get(&slot) {
        if seen_request != request {
            return Err(ApiError::unprocessable("idempotency_key_reused", "同一个请求键不能用于不同的请求"));
        }
        return Ok((StatusCode::OK, Json(answer.clone())));
    }
    let (status, answer) = create(world)?;
    world.idempotency.insert(slot, (request.clone(), answer.clone()));
    Ok((status, Json(answer)))
}

/// The built app: hashed assets cached for a year, `index.html` never cached (WeChat keeps an
/// old one otherwise), and every unknown path answered with `index.html` (client-side routes).
pub fn static_app(dir: PathBuf) -> axum::routing::MethodRouter {
    use tower_http::services::{ServeDir, ServeFile};
    let index = dir.join("index.html");
    // Served as a CDN would: the build's precompressed brotli / gzip files when the browser takes them.
    let serve = ServeDir::new(&dir).precompressed_br().precompressed_gzip().fallback(ServeFile::new(index).precompressed_br().precompressed_gzip());
    axum::routing::get_service(serve).layer(axum::middleware::from_fn(cache_headers))
}

/// Trunk names built assets `name-<16 hex digits>[_bg].ext`: such a name never changes content.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split(['-', '.', '_']).any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    let value = if is_hashed_asset(&path) { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_hashed_assets_are_cached_for_long() {
        assert!(is_hashed_asset("/wxfollower-756ed4b22d8b2057_bg.wasm"));
        assert!(is_hashed_asset("/wxfollower-756ed4b22d8b2057.js"));
        assert!(is_hashed_asset("/app-e455e8aaa2a6e0ed.css"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/cart"));
    }
}
