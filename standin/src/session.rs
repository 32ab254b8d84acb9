//! Session: WeChat OAuth code exchange, guest sessions, the JS-SDK signature, server time.

use crate::http::{now_ms, ApiError, ApiResult, Body, Caller};
use crate::world::{random_token, Role, CODE_TTL_MS};
use crate::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// The stand-in's jsapi_ticket: the signature is computed exactly as WeChat specifies, over it.
pub const JSAPI_TICKET: &str = "standin-jsapi-ticket";
pub const APP_ID: &str = "wxstandin0000001";

pub async fn server_time() -> Json<Value> {
    Json(json!({"now_ms": now_ms()}))
}

#[derive(Deserialize)]
pub struct OAuthExchange {
    code: String,
    #[allow(dead_code)]
    state: Option<String>,
}

pub async fn exchange_code(State(s): State<Shared>, Body(req): Body<OAuthExchange>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let mut w = s.world();
    let invalid = || ApiError::new(StatusCode::BAD_REQUEST, "oauth_code_invalid", "授权码无效或已过期，请重新授权");
    let code = w.codes.get_mut(&req.code).ok_or_else(invalid)?;
    if code.used {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "oauth_code_used", "授权码已使用，请重新授权"));
    }
    if now - code.issued_at > CODE_TTL_MS {
        return Err(invalid());
    }
    code.used = true;
    let user_id = code.user_id.clone();
    Ok(Json(w.open_session(&user_id, now)))
}

pub async fn guest(State(s): State<Shared>) -> Json<Value> {
    let now = now_ms();
    let mut w = s.world();
    let id = w.id("g");
    w.add_user(&id, "游客", Role::Follower, true);
    Json(w.open_session(&id, now))
}

pub async fn me(State(s): State<Shared>, caller: Caller) -> ApiResult<Json<Value>> {
    let w = s.world();
    let user = w.users.get(&caller.user_id).ok_or_else(|| ApiError::not_found("用户"))?;
    Ok(Json(user.to_json()))
}

#[derive(Deserialize)]
pub struct SignRequest {
    url: String,
}

pub async fn jssdk_signature(Body(req): Body<SignRequest>) -> ApiResult<Json<Value>> {
    let url = req.url;
    let ok = (url.starts_with("https://") || url.starts_with("http://")) && !url.contains('#') && url.len() <= 2048;
    if !ok {
        return Err(ApiError::fields(vec![(
            "url".into(),
            "invalid",
            "签名的地址必须是 http(s) 地址，且不含 # 之后的部分".into(),
        )]));
    }
    let timestamp = now_ms() / 1000;
    let nonce = random_token(16);
    Ok(Json(json!({
        "app_id": APP_ID, "timestamp": timestamp, "nonce_str": nonce,
        "signature": sign(&nonce, timestamp, &url),
    })))
}

/// WeChat's JS-SDK signature: SHA-1 of the sorted query string over the ticket.
pub fn sign(nonce: &str, timestamp: i64, url: &str) -> String {
    let plain = format!("jsapi_ticket={JSAPI_TICKET}&noncestr={nonce}&timestamp={timestamp}&url={url}");
    sha1_smol::Sha1::from(plain).digest().to_string()
}
