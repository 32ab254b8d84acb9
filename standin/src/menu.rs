//! Menu: the account's custom menu in WeChat's JSON, and the replies to menu events.

use crate::http::{now_ms, ApiError, ApiResult, Body, Caller, Scenario};
use crate::Shared;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub async fn get_menu(State(s): State<Shared>, _caller: Caller, scenario: Scenario) -> Json<Value> {
    let w = s.world();
    let menu = match scenario.0.as_deref() {
        Some("selfmenu") => w.menu["selfmenu"].clone(),
        Some("invalid_menu") => w.menu["invalid"].clone(),
        // WeChat's answer for an account whose menu is switched off.
        Some("empty") => json!({"is_menu_open": 0, "selfmenu_info": {"button": []}}),
        Some("long_text") => {
            let mut m = w.menu["menu_get"].clone();
            m["menu"]["button"][0]["name"] = json!("超长名字的按钮");
            m["menu"]["button"][0]["sub_button"][0]["name"] = json!("这是一个非常非常长的子菜单名字");
            m
        }
        _ => w.menu["menu_get"].clone(),
    };
    Json(menu)
}

#[derive(Deserialize, serde::Serialize)]
pub struct MenuEvent {
    #[serde(rename = "type")]
    kind: String,
    key: Option<String>,
    media_id: Option<String>,
    article_id: Option<String>,
    value: Option<String>,
    scan_result: Option<String>,
    upload_ids: Option<Vec<String>>,
    location: Option<Location>,
}

#[derive(Deserialize, serde::Serialize)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    label: Option<String>,
}

fn missing(field: &str) -> ApiError {
    ApiError::fields(vec![(field.into(), "required", format!("缺少 {field}"))])
}

pub async fn menu_event(State(s): State<Shared>, caller: Caller, Body(ev): Body<MenuEvent>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    let reply_for = |key: &str, w: &crate::World| -> Value {
        w.menu["replies"].get(key).cloned().unwrap_or_else(|| json!({"kind": "text", "text": "收到，我们会尽快回复您。"}))
    };
    let key = ev.key.as_deref().filter(|k| !k.is_empty());
    let reply = match ev.kind.as_str() {
        "click" => reply_for(key.ok_or_else(|| missing("key"))?, &w),
        "scancode_push" | "scancode_waitmsg" => {
            key.ok_or_else(|| missing("key"))?;
            let result = ev.scan_result.as_deref().filter(|r| !r.is_empty()).ok_or_else(|| missing("scan_result"))?;
            json!({"kind": "text", "text": format!("扫码结果：{result}。该商品会员价请到店咨询。")})
        }
        "pic_sysphoto" | "pic_photo_or_album" | "pic_weixin" => {
            key.ok_or_else(|| missing("key"))?;
            let ids = ev.upload_ids.as_deref().unwrap_or_default();
            if ids.is_empty() || ids.len() > 9 {
                return Err(ApiError::fields(vec![("upload_ids".into(), "count", "请选择 1–9 张图片".into())]));
            }
            if let Some(bad) = ids.iter().find(|id| !w.uploads.contains_key(*id)) {
                return Err(ApiError::fields(vec![("upload_ids".into(), "unknown", format!("图片 {bad} 不存在"))]));
            }
            json!({"kind": "text", "text": format!("已收到 {} 张图片，正在为您寻找同款。", ids.len())})
        }
        "location_select" => {
            key.ok_or_else(|| missing("key"))?;
            let loc = ev.location.as_ref().ok_or_else(|| missing("location"))?;
            if !(-90.0..=90.0).contains(&loc.latitude) || !(-180.0..=180.0).contains(&loc.longitude) {
                return Err(ApiError::fields(vec![("location".into(), "range", "位置不正确".into())]));
            }
            let label = loc.label.clone().unwrap_or_else(|| format!("{:.4}, {:.4}", loc.latitude, loc.longitude));
            json!({"kind": "text", "text": format!("您在「{label}」附近。离您最近的门店：上品折扣 · 武汉广场店（约 1.2 公里）。")})
        }
        "media_id" | "view_limited" => reply_for(ev.media_id.as_deref().ok_or_else(|| missing("media_id"))?, &w),
        "article_id" | "article_view_limited" => reply_for(ev.article_id.as_deref().ok_or_else(|| missing("article_id"))?, &w),
        "text" => json!({"kind": "text", "text": ev.value.clone().ok_or_else(|| missing("value"))?}),
        "img" | "voice" | "video" | "news" => reply_for(ev.value.as_deref().ok_or_else(|| missing("value"))?, &w),
        other => {
            return Err(ApiError::unprocessable("unsupported_type", format!("菜单类型 {other} 不需要发送事件")));
        }
    };
    let record = json!({"user_id": caller.user_id, "at": now_ms(), "event": serde_json::to_value(&ev).unwrap_or_default()});
    w.records.menu_events.push(record);
    Ok(Json(reply))
}
