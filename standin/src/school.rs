//! Kindergarten: the weekly handbook, uploads, class notices with read receipts, leave requests.

use crate::http::{idempotency_key, now_ms, once, ApiError, ApiResult, Body, Caller, Scenario};
use crate::world::{
    avatar_url, beijing_day, date_string, iso_week_of, monday_of, parse_date, week_monday, ChildRec, FieldDef,
    LeaveRec, NoticeRec, Role, SectionDef, UploadRec, WeekRec, World, DAY_MS,
};
use crate::Shared;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Largest upload accepted (pictures are downscaled by the client first).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

pub fn seed(w: &mut World, now: i64, school: &Value) {
    let today = beijing_day(now);
    let this_week = iso_week_of(today);
    let sample = school["sample_values"].as_object().cloned().unwrap_or_default();
    let teacher_ids: Vec<String> =
        w.sections.iter().filter(|s| s.filled_by == Role::Teacher).map(|s| s.section_id.clone()).collect();
    let children: Vec<String> = w.children.iter().map(|c| c.child_id.clone()).collect();
    for (n, child) in children.iter().enumerate() {
        // Five past weeks, finished: read and answered by the parent.
        for back in 1..=5 {
            let week = iso_week_of(monday_of(today) - back * 7);
            let mut rec = WeekRec { status: "replied", version: 2, values: sample.clone(), ..Default::default() };
            for section in sample.keys() {
                rec.section_changed_at.insert(section.clone(), 1);
            }
            rec.comments.push(json!({"comment_id": format!("hc-{child}-{back}"), "author_name": "陈老师",
                "author_role": "teacher", "text": "这周表现很好，继续加油！", "created_at": now - back * 7 * DAY_MS}));
            w.weeks.insert((child.clone(), week), rec);
        }
        // This week: a spread of states across the class.
        let status = match n {
            0 => "teacher_done",
            2 => "sent",
            3 => "read",
            4 => "replied",
            1 => "sent",
            _ => "not_started",
        };
        let mut rec = WeekRec { status, version: 0, ..Default::default() };
        if status != "not_started" {
            for id in &teacher_ids {
                if let Some(v) = sample.get(id) {
                    rec.values.insert(id.clone(), v.clone());
                    rec.version += 1;
                    rec.section_changed_at.insert(id.clone(), rec.version);
                }
            }
        }
        if status == "replied" {
            if let Some(v) = sample.get("home") {
                rec.values.insert("home".into(), v.clone());
                rec.version += 1;
                rec.section_changed_at.insert("home".into(), rec.version);
            }
        }
        w.weeks.insert((child.clone(), this_week.clone()), rec);
    }
    for (n, notice) in school["notices"].as_array().into_iter().flatten().enumerate() {
        for class in w.classes.clone() {
            let author = w.user_name(&class.teacher_id);
            w.notices.push(NoticeRec {
                notice_id: format!("nt-{}-{n}", class.class_id),
                class_id: class.class_id.clone(),
                title: notice["title"].as_str().unwrap_or_default().to_owned(),
                text: notice["text"].as_str().unwrap_or_default().to_owned(),
                attachments: notice["attachments"].as_array().cloned().unwrap_or_default(),
                author_name: author,
                published_at: now - notice["days_ago"].as_i64().unwrap_or(0) * DAY_MS,
            });
        }
    }
    w.notices.sort_by_key(|n| -n.published_at);
    w.leave.push(LeaveRec {
        leave_id: "lv-seed-1".into(),
        child_id: "c-duoduo".into(),
        parent_id: "p-li".into(),
        from_date: date_string(today + 1),
        to_date: date_string(today + 2),
        reason: "回老家参加婚礼".into(),
        status: "pending",
        requested_at: now - 3 * 3_600_000,
        decided_at: None,
        note: String::new(),
    });
}

fn child_json(w: &World, c: &ChildRec, week: &str) -> Value {
    let status = w.weeks.get(&(c.child_id.clone(), week.to_owned())).map(|r| r.status).unwrap_or("not_started");
    let class = w.classes.iter().find(|k| k.class_id == c.class_id).map(|k| k.name.clone()).unwrap_or_default();
    json!({"child_id": c.child_id, "name": c.name, "avatar_url": avatar_url(&c.name), "class_name": class, "week_status": status})
}

/// The child, if the caller may see it: its parent, or the teacher of its class.
fn visible_child(w: &World, caller: &Caller, child_id: &str) -> ApiResult<ChildRec> {
    let child = w.children.iter().find(|c| c.child_id == child_id).cloned().ok_or_else(|| ApiError::not_found("幼儿"))?;
    let allowed = match caller.role {
        Role::Parent => child.parent_id == caller.user_id,
        Role::Teacher => w.classes.iter().any(|k| k.class_id == child.class_id && k.teacher_id == caller.user_id),
        Role::Follower => false,
    };
    if allowed {
        Ok(child)
    } else {
        Err(ApiError::forbidden("只有孩子的家长和班级老师可以查看"))
    }
}

fn current_week(now: i64) -> String {
    iso_week_of(beijing_day(now))
}

/// A week that exists for the calendar and is not in the future.
fn checked_week(week: &str, now: i64) -> ApiResult<i64> {
    let monday = week_monday(week).ok_or_else(|| ApiError::bad_request("周次格式应为 2026-W48"))?;
    if monday > monday_of(beijing_day(now)) {
        return Err(ApiError::not_found("这一周的手册"));
    }
    Ok(monday)
}

#[derive(Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

pub async fn list_children(State(s): State<Shared>, caller: Caller, scenario: Scenario, Query(q): Query<WeekQuery>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let week = q.week.unwrap_or_else(|| current_week(now));
    checked_week(&week, now)?;
    let w = s.world();
    let children: Vec<Value> = match caller.role {
        Role::Parent => w.children.iter().filter(|c| c.parent_id == caller.user_id).map(|c| child_json(&w, c, &week)).collect(),
        Role::Teacher => {
            let classes: Vec<&str> =
                w.classes.iter().filter(|k| k.teacher_id == caller.user_id).map(|k| k.class_id.as_str()).collect();
            w.children.iter().filter(|c| classes.contains(&c.class_id.as_str())).map(|c| child_json(&w, c, &week)).collect()
        }
        Role::Follower => return Err(ApiError::forbidden("家园联系册只对家长和老师开放")),
    };
    let children = if scenario.is("empty") { vec![] } else { children };
    Ok(Json(json!({"week": week, "role": caller.role, "children": children})))
}

pub async fn list_weeks(State(s): State<Shared>, caller: Caller, Path(child_id): Path<String>) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let w = s.world();
    let child = visible_child(&w, &caller, &child_id)?;
    let this_week = current_week(now);
    let mut weeks: Vec<(i64, String)> = w
        .weeks
        .keys()
        .filter(|(c, _)| *c == child.child_id)
        .filter_map(|(_, wk)| Some((week_monday(wk)?, wk.clone())))
        .collect();
    if !weeks.iter().any(|(_, wk)| *wk == this_week) {
        weeks.push((monday_of(beijing_day(now)), this_week));
    }
    weeks.sort_by_key(|(monday, _)| -monday);
    let body: Vec<Value> = weeks
        .iter()
        .map(|(monday, wk)| {
            let status = w.weeks.get(&(child.child_id.clone(), wk.clone())).map(|r| r.status).unwrap_or("not_started");
            json!({"week": wk, "starts_on": date_string(*monday), "status": status})
        })
        .collect();
    Ok(Json(json!({"weeks": body})))
}

fn schema_json(w: &World, scenario: &Scenario) -> Value {
    let mut sections = serde_json::to_value(&w.sections).unwrap_or_default();
    if scenario.is("unknown_field") {
        if let Some(list) = sections.as_array_mut() {
            list.push(json!({"section_id": "growth", "title": "成长曲线", "filled_by": "teacher", "fields": [
                {"field_id": "height_chart", "label": "身高曲线", "kind": "growth_chart", "required": false}]}));
        }
    }
    json!({"sections": sections})
}

fn handbook_json(w: &World, caller: &Caller, child: &ChildRec, week: &str, monday: i64, scenario: &Scenario) -> Value {
    let rec = w.weeks.get(&(child.child_id.clone(), week.to_owned())).cloned().unwrap_or(WeekRec { status: "not_started", ..Default::default() });
    // A parent sees the teacher's sections only once the week has been sent.
    let unsent = matches!(rec.status, "not_started" | "teacher_done");
    let mut values = Map::new();
    for (section_id, v) in &rec.values {
        let by_teacher = w.sections.iter().any(|s| &s.section_id == section_id && s.filled_by == Role::Teacher);
        if !(caller.role == Role::Parent && by_teacher && unsent) {
            values.insert(section_id.clone(), v.clone());
        }
    }
    if scenario.is("long_text") {
        let long = "今天".repeat(240);
        values.insert("teacher_comment".into(), json!({"comment": long, "suggestion": long}));
    }
    json!({
        "child": child_json(w, child, week), "week": week, "starts_on": date_string(monday),
        "status": rec.status, "version": rec.version, "schema": schema_json(w, scenario),
        "values": values, "comments": rec.comments,
    })
}

pub async fn get_week(State(s): State<Shared>, caller: Caller, scenario: Scenario, Path((child_id, week)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let monday = checked_week(&week, now_ms())?;
    let w = s.world();
    let child = visible_child(&w, &caller, &child_id)?;
    Ok(Json(handbook_json(&w, &caller, &child, &week, monday, &scenario)))
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Bool(b)) => !b,
        _ => false,
    }
}

fn is_upload(w: &World, v: &Value) -> bool {
    v["upload_id"].as_str().is_some_and(|id| w.uploads.contains_key(id)) && v["url"].is_string()
}

fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else { return false };
    h.len() == 2 && m.len() == 2 && h.parse::<u8>().is_ok_and(|h| h < 24) && m.parse::<u8>().is_ok_and(|m| m < 60)
}

/// The problem with one field's value, if any (the contract's field error codes).
fn check_field(w: &World, f: &FieldDef, v: Option<&Value>) -> Option<(&'static str, String)> {
    if is_empty(v) {
        return f.required.then(|| ("required", format!("请填写「{}」", f.label)));
    }
    let v = v?;
    let in_range = |x: f64| f.min.is_none_or(|m| x >= m) && f.max.is_none_or(|m| x <= m);
    let range_msg = || format!("「{}」应在 {} 到 {} 之间", f.label, f.min.unwrap_or(f64::MIN), f.max.unwrap_or(f64::MAX));
    let option = |s: &str| f.options.iter().flatten().any(|o| o["value"] == s);
    match f.kind.as_str() {
        "rating" | "duration" => match v.as_i64() {
            Some(x) if in_range(x as f64) => None,
            Some(_) => Some(("range", range_msg())),
            None => Some(("type", format!("「{}」应为整数", f.label))),
        },
        "number" => match v.as_f64() {
            Some(x) if in_range(x) => None,
            Some(_) => Some(("range", range_msg())),
            None => Some(("type", format!("「{}」应为数字", f.label))),
        },
        "single_choice" => (!v.as_str().is_some_and(option)).then(|| ("option", format!("「{}」的选项无效", f.label))),
        "multi_choice" => {
            let ok = v.as_array().is_some_and(|a| a.iter().all(|x| x.as_str().is_some_and(option)));
            (!ok).then(|| ("option", format!("「{}」的选项无效", f.label)))
        }
        "short_text" | "long_text" => match v.as_str() {
            Some(s) if f.max_length.is_none_or(|max| s.chars().count() <= max) => None,
            Some(_) => Some(("too_long", format!("「{}」最多 {} 字", f.label, f.max_length.unwrap_or(0)))),
            None => Some(("type", format!("「{}」应为文字", f.label))),
        },
        "time" => (!v.as_str().is_some_and(valid_time)).then(|| ("format", format!("「{}」应为 时:分", f.label))),
        "date" => (!v.as_str().is_some_and(|s| parse_date(s).is_some())).then(|| ("format", format!("「{}」应为日期", f.label))),
        "photos" => match v.as_array() {
            Some(a) if a.len() > f.max_count.unwrap_or(9) => Some(("too_many", format!("「{}」最多 {} 张", f.label, f.max_count.unwrap_or(9)))),
            Some(a) if a.iter().all(|p| is_upload(w, p)) => None,
            _ => Some(("upload", format!("「{}」的图片无效，请重新上传", f.label))),
        },
        "voice" => (!is_upload(w, v)).then(|| ("upload", format!("「{}」的语音无效，请重新录制", f.label))),
        "acknowledgement" => (!v.is_boolean()).then(|| ("type", format!("「{}」应为是或否", f.label))),
        _ => Some(("read_only", format!("「{}」不能在这里填写", f.label))),
    }
}

fn section_problems(w: &World, section: &SectionDef, values: &Map<String, Value>, prefix: &str) -> Vec<(String, &'static str, String)> {
    let mut problems: Vec<(String, &'static str, String)> = section
        .fields
        .iter()
        .filter_map(|f| check_field(w, f, values.get(&f.field_id)).map(|(c, m)| (format!("{prefix}{}", f.field_id), c, m)))
        .collect();
    for key in values.keys() {
        if !section.fields.iter().any(|f| &f.field_id == key) {
            problems.push((format!("{prefix}{key}"), "unknown_field", format!("没有「{key}」这一项")));
        }
    }
    problems
}

fn teacher_sections_complete(w: &World, rec: &WeekRec) -> Vec<(String, &'static str, String)> {
    w.sections
        .iter()
        .filter(|s| s.filled_by == Role::Teacher)
        .flat_map(|s| {
            let values = rec.values.get(&s.section_id).and_then(Value::as_object).cloned().unwrap_or_default();
            section_problems(w, s, &values, &format!("{}.", s.section_id))
        })
        .collect()
}

#[derive(Deserialize, serde::Serialize)]
pub struct SaveSection {
    version: i64,
    values: Map<String, Value>,
}

pub async fn save_section(
    State(s): State<Shared>,
    caller: Caller,
    scenario: Scenario,
    Path((child_id, week, section_id)): Path<(String, String, String)>,
    Body(req): Body<SaveSection>,
) -> ApiResult<Json<Value>> {
    let now = now_ms();
    let monday = checked_week(&week, now)?;
    let mut w = s.world();
    let child = visible_child(&w, &caller, &child_id)?;
    let section = w.sections.iter().find(|s| s.section_id == section_id).cloned().ok_or_else(|| ApiError::not_found("栏目"))?;
    if section.filled_by != caller.role {
        return Err(ApiError::forbidden("这一栏由对方填写"));
    }
    let slot = (child_id.clone(), week.clone());
    let rec = w.weeks.get(&slot).cloned().unwrap_or(WeekRec { status: "not_started", ..Default::default() });
    if caller.role == Role::Parent && matches!(rec.status, "not_started" | "teacher_done") {
        return Err(ApiError::conflict("not_sent", "老师还没有发送本周手册"));
    }
    let changed_at = rec.section_changed_at.get(&section_id).copied().unwrap_or(0);
    if req.version < changed_at || req.version > rec.version {
        let current = handbook_json(&w, &caller, &child, &week, monday, &scenario);
        return Err(ApiError::conflict("version_conflict", "这一栏已被修改，请确认后再保存").with("current", current));
    }
    let problems = section_problems(&w, &section, &req.values, "");
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let mut rec = rec;
    rec.version += 1;
    rec.values.insert(section_id.clone(), Value::Object(req.values.clone()));
    rec.section_changed_at.insert(section_id.clone(), rec.version);
    rec.status = match (caller.role, rec.status) {
        (Role::Teacher, "not_started") if teacher_sections_complete(&w, &rec).is_empty() => "teacher_done",
        (Role::Parent, "sent" | "read") => "replied",
        (_, status) => status,
    };
    w.records.handbook_saves.push(json!({"child_id": child_id, "week": week, "section_id": section_id, "user_id": caller.user_id, "version": rec.version}));
    w.weeks.insert(slot, rec);
    Ok(Json(handbook_json(&w, &caller, &child, &week, monday, &scenario)))
}

pub async fn send_week(State(s): State<Shared>, caller: Caller, scenario: Scenario, Path((child_id, week)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let monday = checked_week(&week, now_ms())?;
    let mut w = s.world();
    let child = visible_child(&w, &caller, &child_id)?;
    if caller.role != Role::Teacher {
        return Err(ApiError::forbidden("只有老师可以发送手册"));
    }
    let slot = (child_id.clone(), week.clone());
    let mut rec = w.weeks.get(&slot).cloned().unwrap_or(WeekRec { status: "not_started", ..Default::default() });
    if matches!(rec.status, "not_started" | "teacher_done") {
        let problems = teacher_sections_complete(&w, &rec);
        if !problems.is_empty() {
            return Err(ApiError::fields(problems));
        }
        rec.status = "sent";
        rec.version += 1;
        w.weeks.insert(slot, rec);
    }
    Ok(Json(handbook_json(&w, &caller, &child, &week, monday, &scenario)))
}

pub async fn read_week(State(s): State<Shared>, caller: Caller, scenario: Scenario, Path((child_id, week)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let monday = checked_week(&week, now_ms())?;
    let mut w = s.world();
    let child = visible_child(&w, &caller, &child_id)?;
    if caller.role == Role::Parent {
        if let Some(rec) = w.weeks.get_mut(&(child_id.clone(), week.clone())) {
            if rec.status == "sent" {
                rec.status = "read";
            }
        }
    }
    Ok(Json(handbook_json(&w, &caller, &child, &week, monday, &scenario)))
}

#[derive(Deserialize, serde::Serialize)]
pub struct NewComment {
    text: String,
}

fn checked_text(text: &str, field: &str, max: usize) -> ApiResult<String> {
    let text = text.trim();
    let n = text.chars().count();
    if n == 0 {
        return Err(ApiError::fields(vec![(field.into(), "required", "内容不能为空".into())]));
    }
    if n > max {
        return Err(ApiError::fields(vec![(field.into(), "too_long", format!("最多 {max} 字"))]));
    }
    Ok(text.to_owned())
}

pub async fn post_comment(
    State(s): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path((child_id, week)): Path<(String, String)>,
    Body(req): Body<NewComment>,
) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    let now = now_ms();
    checked_week(&week, now)?;
    let text = checked_text(&req.text, "text", 500)?;
    let mut w = s.world();
    visible_child(&w, &caller, &child_id)?;
    let request = serde_json::to_value(&req).unwrap_or_default();
    let scope = format!("handbook-comment:{child_id}:{week}");
    once(&mut w, &caller, &scope, &key, &request, |w| {
        let comment = json!({"comment_id": w.id("hc"), "author_name": w.user_name(&caller.user_id),
            "author_role": caller.role, "text": text, "created_at": now});
        let rec = w.weeks.entry((child_id.clone(), week.clone())).or_insert_with(|| WeekRec { status: "not_started", ..Default::default() });
        rec.comments.push(comment.clone());
        if caller.role == Role::Parent && matches!(rec.status, "sent" | "read") {
            rec.status = "replied";
        }
        w.records.comments_created.push(json!({"kind": "handbook", "key": key, "user_id": caller.user_id, "comment_id": comment["comment_id"]}));
        Ok((StatusCode::CREATED, comment))
    })
}

// ---- uploads ----

fn store_upload(w: &mut World, kind: &str, content_type: &str, bytes: Vec<u8>) -> Value {
    let id = w.id("up");
    let size = bytes.len();
    w.uploads.insert(id.clone(), UploadRec { kind: kind.to_owned(), content_type: content_type.to_owned(), bytes });
    json!({"upload_id": id, "kind": kind, "url": format!("/media/upload-{id}"), "bytes": size})
}

pub async fn upload_file(State(s): State<Shared>, _caller: Caller, mut form: Multipart) -> ApiResult<impl IntoResponse> {
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "文件太大了（最大 10 MB）"))
            }
            Err(e) => return Err(ApiError::bad_request(format!("上传格式不正确: {e}"))),
        };
        match field.name() {
            Some("kind") => kind = field.text().await.ok(),
            Some("file") => {
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                let bytes = field.bytes().await.map_err(|_| {
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "文件太大了（最大 10 MB）")
                })?;
                file = Some((content_type, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| ApiError::fields(vec![("kind".into(), "required", "缺少文件类型".into())]))?;
    let (content_type, bytes) = file.ok_or_else(|| ApiError::fields(vec![("file".into(), "required", "缺少文件".into())]))?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "文件太大了（最大 10 MB）"));
    }
    let expected = match kind.as_str() {
        "image" => "image/",
        "voice" => "audio/",
        "video" => "video/",
        _ => return Err(ApiError::fields(vec![("kind".into(), "invalid", "文件类型应为 image、voice 或 video".into())])),
    };
    if !content_type.starts_with(expected) {
        return Err(ApiError::fields(vec![("file".into(), "type", format!("文件应为 {expected}*"))]));
    }
    let mut w = s.world();
    Ok((StatusCode::CREATED, Json(store_upload(&mut w, &kind, &content_type, bytes))))
}

#[derive(Deserialize)]
pub struct WechatMedia {
    server_id: String,
    kind: String,
}

pub async fn import_wechat_media(State(s): State<Shared>, _caller: Caller, Body(req): Body<WechatMedia>) -> ApiResult<impl IntoResponse> {
    if req.server_id.trim().is_empty() {
        return Err(ApiError::fields(vec![("server_id".into(), "required", "缺少 serverId".into())]));
    }
    // The real server fetches the media from WeChat by serverId; the stand-in makes a stand-in.
    let (content_type, bytes) = match req.kind.as_str() {
        "image" => ("image/svg+xml", crate::media::placeholder_svg(&req.server_id, 800, 600).into_bytes()),
        "voice" => ("audio/wav", crate::media::tone_wav(2)),
        _ => return Err(ApiError::fields(vec![("kind".into(), "invalid", "文件类型应为 image 或 voice".into())])),
    };
    let mut w = s.world();
    Ok((StatusCode::CREATED, Json(store_upload(&mut w, &req.kind, content_type, bytes))))
}

// ---- notices ----

/// The classes whose notices the caller receives (parent) or writes (teacher).
fn classes_of(w: &World, caller: &Caller) -> ApiResult<Vec<String>> {
    match caller.role {
        Role::Parent => Ok(w.children.iter().filter(|c| c.parent_id == caller.user_id).map(|c| c.class_id.clone()).collect()),
        Role::Teacher => Ok(w.classes.iter().filter(|k| k.teacher_id == caller.user_id).map(|k| k.class_id.clone()).collect()),
        Role::Follower => Err(ApiError::forbidden("班级通知只对家长和老师开放")),
    }
}

fn class_parents(w: &World, class_id: &str) -> Vec<(String, String, String)> {
    w.children
        .iter()
        .filter(|c| c.class_id == class_id)
        .map(|c| (c.parent_id.clone(), c.parent_name.clone(), c.name.clone()))
        .collect()
}

fn notice_json(w: &World, caller: &Caller, n: &NoticeRec) -> Value {
    let parents = class_parents(w, &n.class_id);
    let mut distinct: Vec<&String> = parents.iter().map(|p| &p.0).collect();
    distinct.sort();
    distinct.dedup();
    let read_count = distinct.iter().filter(|p| w.notice_reads.contains_key(&(n.notice_id.clone(), (**p).clone()))).count();
    json!({
        "notice_id": n.notice_id, "title": n.title, "text": n.text, "attachments": n.attachments,
        "author_name": n.author_name, "published_at": n.published_at,
        "read_by_me": w.notice_reads.contains_key(&(n.notice_id.clone(), caller.user_id.clone())),
        "read_count": read_count, "recipient_count": distinct.len(),
    })
}

pub async fn list_notices(State(s): State<Shared>, caller: Caller, scenario: Scenario) -> ApiResult<Json<Value>> {
    let w = s.world();
    let classes = classes_of(&w, &caller)?;
    let notices: Vec<Value> = w
        .notices
        .iter()
        .filter(|n| classes.contains(&n.class_id) && !scenario.is("empty"))
        .map(|n| notice_json(&w, &caller, n))
        .collect();
    Ok(Json(json!({"notices": notices})))
}

fn visible_notice(w: &World, caller: &Caller, notice_id: &str) -> ApiResult<NoticeRec> {
    let classes = classes_of(w, caller)?;
    w.notices
        .iter()
        .find(|n| n.notice_id == notice_id && classes.contains(&n.class_id))
        .cloned()
        .ok_or_else(|| ApiError::not_found("通知"))
}

#[derive(Deserialize, serde::Serialize)]
pub struct NewNotice {
    title: String,
    text: String,
    upload_ids: Vec<String>,
}

pub async fn publish_notice(State(s): State<Shared>, caller: Caller, headers: HeaderMap, Body(req): Body<NewNotice>) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    if caller.role != Role::Teacher {
        return Err(ApiError::forbidden("只有老师可以发布通知"));
    }
    let title = checked_text(&req.title, "title", 60)?;
    if req.text.chars().count() > 5000 {
        return Err(ApiError::fields(vec![("text".into(), "too_long", "正文最多 5000 字".into())]));
    }
    if req.upload_ids.len() > 9 {
        return Err(ApiError::fields(vec![("upload_ids".into(), "too_many", "最多 9 个附件".into())]));
    }
    let now = now_ms();
    let mut w = s.world();
    let class_id = classes_of(&w, &caller)?.into_iter().next().ok_or_else(|| ApiError::forbidden("没有任教的班级"))?;
    let mut attachments = Vec::new();
    for id in &req.upload_ids {
        let up = w.uploads.get(id).ok_or_else(|| ApiError::fields(vec![("upload_ids".into(), "unknown", format!("附件 {id} 不存在"))]))?;
        attachments.push(json!({"kind": up.kind, "url": format!("/media/upload-{id}")}));
    }
    let request = serde_json::to_value(&req).unwrap_or_default();
    once(&mut w, &caller, "notice", &key, &request, |w| {
        let notice = NoticeRec {
            notice_id: w.id("nt"),
            class_id,
            title,
            text: req.text.clone(),
            attachments,
            author_name: w.user_name(&caller.user_id),
            published_at: now,
        };
        let body = notice_json(w, &caller, &notice);
        w.notices.insert(0, notice);
        Ok((StatusCode::CREATED, body))
    })
}

pub async fn get_notice(State(s): State<Shared>, caller: Caller, Path(notice_id): Path<String>) -> ApiResult<Json<Value>> {
    let w = s.world();
    let n = visible_notice(&w, &caller, &notice_id)?;
    Ok(Json(notice_json(&w, &caller, &n)))
}

pub async fn read_notice(State(s): State<Shared>, caller: Caller, Path(notice_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    let n = visible_notice(&w, &caller, &notice_id)?;
    if caller.role == Role::Parent {
        w.notice_reads.entry((notice_id, caller.user_id.clone())).or_insert_with(now_ms);
    }
    Ok(Json(notice_json(&w, &caller, &n)))
}

pub async fn notice_receipts(State(s): State<Shared>, caller: Caller, Path(notice_id): Path<String>) -> ApiResult<Json<Value>> {
    let w = s.world();
    if caller.role != Role::Teacher {
        return Err(ApiError::forbidden("只有老师可以查看已读情况"));
    }
    let n = visible_notice(&w, &caller, &notice_id)?;
    let (mut read, mut unread) = (Vec::new(), Vec::new());
    for (parent_id, parent_name, child_name) in class_parents(&w, &n.class_id) {
        match w.notice_reads.get(&(notice_id.clone(), parent_id)) {
            Some(at) => read.push(json!({"parent_name": parent_name, "child_name": child_name, "read_at": at})),
            None => unread.push(json!({"parent_name": parent_name, "child_name": child_name})),
        }
    }
    Ok(Json(json!({"read": read, "unread": unread})))
}

// ---- leave ----

fn leave_json(w: &World, l: &LeaveRec) -> Value {
    let child_name = w.children.iter().find(|c| c.child_id == l.child_id).map(|c| c.name.clone()).unwrap_or_default();
    json!({
        "leave_id": l.leave_id, "child_id": l.child_id, "child_name": child_name, "from_date": l.from_date,
        "to_date": l.to_date, "reason": l.reason, "status": l.status, "requested_at": l.requested_at,
        "decided_at": l.decided_at, "note": l.note,
    })
}

pub async fn list_leave(State(s): State<Shared>, caller: Caller) -> ApiResult<Json<Value>> {
    let w = s.world();
    let classes = classes_of(&w, &caller)?;
    let mut list: Vec<&LeaveRec> = w
        .leave
        .iter()
        .filter(|l| match caller.role {
            Role::Parent => l.parent_id == caller.user_id,
            _ => w.children.iter().any(|c| c.child_id == l.child_id && classes.contains(&c.class_id)),
        })
        .collect();
    list.sort_by_key(|l| -l.requested_at);
    Ok(Json(json!({"leave_requests": list.into_iter().map(|l| leave_json(&w, l)).collect::<Vec<_>>()})))
}

#[derive(Deserialize, serde::Serialize)]
pub struct NewLeave {
    child_id: String,
    from_date: String,
    to_date: String,
    reason: String,
}

pub async fn request_leave(State(s): State<Shared>, caller: Caller, headers: HeaderMap, Body(req): Body<NewLeave>) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    let now = now_ms();
    let mut w = s.world();
    let child = visible_child(&w, &caller, &req.child_id)?;
    if caller.role != Role::Parent {
        return Err(ApiError::forbidden("请假由家长提出"));
    }
    let reason = checked_text(&req.reason, "reason", 200)?;
    let (from, to) = (parse_date(&req.from_date), parse_date(&req.to_date));
    let mut problems = Vec::new();
    if from.is_none() {
        problems.push(("from_date".to_owned(), "format", "开始日期无效".to_owned()));
    }
    if to.is_none() {
        problems.push(("to_date".to_owned(), "format", "结束日期无效".to_owned()));
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.push(("to_date".to_owned(), "range", "结束日期不能早于开始日期".to_owned()));
        }
        if f < beijing_day(now) - 7 {
            problems.push(("from_date".to_owned(), "range", "只能补请一周内的假".to_owned()));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let request = serde_json::to_value(&req).unwrap_or_default();
    once(&mut w, &caller, "leave", &key, &request, |w| {
        let leave = LeaveRec {
            leave_id: w.id("lv"),
            child_id: child.child_id.clone(),
            parent_id: caller.user_id.clone(),
            from_date: req.from_date.clone(),
            to_date: req.to_date.clone(),
            reason,
            status: "pending",
            requested_at: now,
            decided_at: None,
            note: String::new(),
        };
        let body = leave_json(w, &leave);
        w.leave.push(leave);
        Ok((StatusCode::CREATED, body))
    })
}

#[derive(Deserialize)]
pub struct Decision {
    decision: String,
    note: Option<String>,
}

pub async fn decide_leave(State(s): State<Shared>, caller: Caller, Path(leave_id): Path<String>, Body(req): Body<Decision>) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    if caller.role != Role::Teacher {
        return Err(ApiError::forbidden("只有老师可以审批请假"));
    }
    let index = w.leave.iter().position(|l| l.leave_id == leave_id).ok_or_else(|| ApiError::not_found("请假申请"))?;
    let child_id = w.leave[index].child_id.clone();
    visible_child(&w, &caller, &child_id).map_err(|_| ApiError::not_found("请假申请"))?;
    let status = match req.decision.as_str() {
        "approved" => "approved",
        "declined" => "declined",
        _ => return Err(ApiError::fields(vec![("decision".into(), "option", "应为 approved 或 declined".into())])),
    };
    if w.leave[index].status != "pending" {
        return Err(ApiError::conflict("already_decided", "这条请假已经处理过了"));
    }
    let note = req.note.unwrap_or_default();
    if note.chars().count() > 200 {
        return Err(ApiError::fields(vec![("note".into(), "too_long", "备注最多 200 字".into())]));
    }
    let l = &mut w.leave[index];
    l.status = status;
    l.decided_at = Some(now_ms());
    l.note = note;
    let l = l.clone();
    Ok(Json(leave_json(&w, &l)))
}
