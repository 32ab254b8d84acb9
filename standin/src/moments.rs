//! Customer moments: the staff's posts with cursor paging, likes and comments.

use crate::http::{idempotency_key, now_ms, once, ApiError, ApiResult, Body, Caller, Scenario};
use crate::world::{avatar_url, MomentCommentRec, PostRec, World, HOUR_MS, MINUTE_MS};
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub const SEEDED_POSTS: i64 = 230;
pub const COMMENT_PAGE: usize = 20;

fn photo(seed: i64, n: usize, w: i64, h: i64) -> Value {
    json!({"url": format!("/media/photo-{seed}-{n}-{w}x{h}.svg"), "width": w, "height": h})
}

/// The attachment of the n-th seeded post: every kind and every picture count occurs.
fn seeded_attachment(seq: i64, links: &[Value]) -> Value {
    let images = |count: usize| {
        let list: Vec<Value> = (0..count).map(|n| photo(seq, n, 800, 800)).collect();
        json!({"kind": "images", "images": list})
    };
    match seq % 10 {
        0 => Value::Null,
        1 => json!({"kind": "images", "images": [photo(seq, 0, 1080, 720)]}),
        2 => json!({"kind": "images", "images": [photo(seq, 0, 720, 1280)]}),
        3 => images(2),
        4 => images(3),
        5 => images(4),
        6 => images(6),
        7 => images(9),
        8 => json!({"kind": "video", "video": {"url": format!("/media/video-{seq}.mp4"),
            "poster_url": format!("/media/poster-{seq}-1280x720.svg"), "width": 1280, "height": 720, "duration_s": 15 + seq % 40}}),
        _ => {
            let link = links.get((seq as usize) % links.len().max(1)).cloned().unwrap_or(Value::Null);
            json!({"kind": "link", "link": {"url": link["url"], "title": link["title"], "cover_url": format!("/media/cover-{seq}.svg")}})
        }
    }
}

pub fn seed(w: &mut World, now: i64, fixture: &Value) {
    seed_posts(w, now, fixture, SEEDED_POSTS);
}

/// Replaces the feed with `count` posts (control plane: the 10,000-post benchmark).
pub fn refill(w: &mut World, now: i64, count: i64) {
    let fixture: Value = serde_json::from_str(include_str!("../fixtures/moments.json")).unwrap_or_default();
    w.posts.clear();
    w.moment_comments.clear();
    w.likes.clear();
    seed_posts(w, now, &fixture, count.clamp(0, 100_000));
}

fn seed_posts(w: &mut World, now: i64, fixture: &Value, count: i64) {
    let texts: Vec<String> = fixture["texts"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_owned)).collect();
    let links = fixture["links"].as_array().cloned().unwrap_or_default();
    let names: Vec<String> = fixture["commenters"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_owned)).collect();
    let says: Vec<String> = fixture["comment_texts"].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_owned)).collect();
    let staff_count = w.staff.len().max(1);
    for seq in 1..=count {
        let post_id = format!("m{seq:05}");
        let created_at = now - (count + 1 - seq) * 3 * HOUR_MS - (seq * 7 % 50) * MINUTE_MS;
        w.posts.push(PostRec {
            seq,
            post_id: post_id.clone(),
            staff: seq as usize % staff_count,
            text: texts.get(seq as usize % texts.len().max(1)).cloned().unwrap_or_default(),
            attachment: seeded_attachment(seq, &links),
            created_at,
            base_likes: seq * 37 % 50,
        });
        let mut comments = Vec::new();
        for n in 0..(seq % 7) as usize {
            let staff_reply = n % 3 == 2;
            let (user_id, name) = if staff_reply {
                let s = &w.staff[seq as usize % staff_count];
                (s.staff_id.clone(), s.name.clone())
            } else {
                let name = names.get((seq as usize + n) % names.len().max(1)).cloned().unwrap_or_default();
                (format!("fan-{}", crate::world::short_hash(&name)), name)
            };
            let reply_to = staff_reply.then(|| comments.last().map(|c: &MomentCommentRec| (c.comment_id.clone(), c.name.clone()))).flatten();
            let text = if staff_reply { "有的，欢迎到店或私信我。".to_owned() } else { says.get((seq as usize * 3 + n) % says.len().max(1)).cloned().unwrap_or_default() };
            comments.push(MomentCommentRec {
                comment_id: format!("{post_id}-c{n}"),
                post_id: post_id.clone(),
                user_id,
                name,
                is_staff: staff_reply,
                text,
                reply_to,
                created_at: created_at + (n as i64 + 1) * 10 * MINUTE_MS,
            });
        }
        w.moment_comments.insert(post_id, comments);
    }
}

/// Publishes a new post at the top of the feed (control plane: "new posts" in tests).
pub fn publish(w: &mut World, text: &str, now: i64) -> String {
    let seq = w.posts.iter().map(|p| p.seq).max().unwrap_or(0) + 1;
    let post_id = format!("m{seq:05}");
    w.posts.push(PostRec { seq, post_id: post_id.clone(), staff: 0, text: text.to_owned(), attachment: Value::Null, created_at: now, base_likes: 0 });
    w.moment_comments.insert(post_id.clone(), Vec::new());
    post_id
}

fn comment_json(w: &World, c: &MomentCommentRec, caller: &Caller) -> Value {
    let _ = w;
    json!({
        "comment_id": c.comment_id, "post_id": c.post_id,
        "author": {"user_id": c.user_id, "name": c.name, "avatar_url": avatar_url(&c.name), "is_staff": c.is_staff},
        "text": c.text,
        "reply_to": c.reply_to.as_ref().map(|(id, name)| json!({"comment_id": id, "author_name": name})),
        "created_at": c.created_at, "mine": c.user_id == caller.user_id,
    })
}

fn like_count(w: &World, p: &PostRec) -> i64 {
    p.base_likes + w.likes.iter().filter(|(post, _)| *post == p.post_id).count() as i64
}

fn post_json(w: &World, p: &PostRec, caller: &Caller, scenario: &Scenario) -> Value {
    let staff = &w.staff[p.staff.min(w.staff.len().saturating_sub(1))];
    let comments = w.moment_comments.get(&p.post_id).map(Vec::as_slice).unwrap_or_default();
    let text = if scenario.is("long_text") { p.text.repeat(12) } else { p.text.clone() };
    json!({
        "post_id": p.post_id,
        "author": {"staff_id": staff.staff_id, "name": staff.name, "title": staff.title, "avatar_url": avatar_url(&staff.name)},
        "text": text, "attachment": p.attachment, "created_at": p.created_at,
        "like_count": like_count(w, p), "liked_by_me": w.likes.contains(&(p.post_id.clone(), caller.user_id.clone())),
        "comment_count": comments.len(),
        "first_comments": comments.iter().take(3).map(|c| comment_json(w, c, caller)).collect::<Vec<_>>(),
    })
}

fn kind_of(p: &PostRec) -> String {
    match p.attachment["kind"].as_str() {
        Some("images") => format!("images_{}", p.attachment["images"].as_array().map(Vec::len).unwrap_or(0)),
        Some(kind) => kind.to_owned(),
        None => "text_only".to_owned(),
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

fn parse_cursor(cursor: &str, prefix: char) -> ApiResult<i64> {
    cursor
        .strip_prefix(prefix)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| ApiError::bad_request("cursor 无效"))
}

pub async fn list(State(s): State<Shared>, caller: Caller, scenario: Scenario, Query(q): Query<PageQuery>) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::bad_request("limit 应在 1 到 50 之间"));
    }
    let before = match &q.cursor {
        Some(c) => parse_cursor(c, 'm')?,
        None => i64::MAX,
    };
    let w = s.world();
    // Designers' scenarios pick one attachment kind (images_1, images_4, images_9, video, link, text_only).
    let kind_filter = scenario.0.as_deref().filter(|k| k.starts_with("images_") || ["video", "link", "text_only"].contains(k));
    let mut posts: Vec<&PostRec> = w
        .posts
        .iter()
        .filter(|p| p.seq < before && !scenario.is("empty"))
        .filter(|p| kind_filter.is_none_or(|k| kind_of(p) == k))
        .collect();
    posts.sort_by_key(|p| -p.seq);
    let more = posts.len() > limit as usize;
    posts.truncate(limit as usize);
    let next_cursor = if more { posts.last().map(|p| format!("m{}", p.seq)) } else { None };
    let body: Vec<Value> = posts.iter().map(|p| post_json(&w, p, &caller, &scenario)).collect();
    Ok(Json(json!({"posts": body, "next_cursor": next_cursor})))
}

#[derive(Deserialize)]
pub struct Since {
    since: String,
}

pub async fn updates(State(s): State<Shared>, _caller: Caller, Query(q): Query<Since>) -> ApiResult<Json<Value>> {
    let w = s.world();
    let seq = w.posts.iter().find(|p| p.post_id == q.since).map(|p| p.seq).ok_or_else(|| ApiError::bad_request("since 无效"))?;
    Ok(Json(json!({"new_count": w.posts.iter().filter(|p| p.seq > seq).count()})))
}

fn set_like(s: &Shared, caller: &Caller, post_id: &str, liked: bool) -> ApiResult<Json<Value>> {
    let mut w = s.world();
    let post = w.posts.iter().find(|p| p.post_id == post_id).cloned().ok_or_else(|| ApiError::not_found("动态"))?;
    let key = (post_id.to_owned(), caller.user_id.clone());
    if liked {
        w.likes.insert(key);
    } else {
        w.likes.remove(&key);
    }
    Ok(Json(json!({"liked": liked, "like_count": like_count(&w, &post)})))
}

pub async fn like(State(s): State<Shared>, caller: Caller, Path(post_id): Path<String>) -> ApiResult<Json<Value>> {
    set_like(&s, &caller, &post_id, true)
}

pub async fn unlike(State(s): State<Shared>, caller: Caller, Path(post_id): Path<String>) -> ApiResult<Json<Value>> {
    set_like(&s, &caller, &post_id, false)
}

pub async fn list_comments(State(s): State<Shared>, caller: Caller, Path(post_id): Path<String>, Query(q): Query<PageQuery>) -> ApiResult<Json<Value>> {
    let w = s.world();
    let all = w.moment_comments.get(&post_id).ok_or_else(|| ApiError::not_found("动态"))?;
    let start = match &q.cursor {
        Some(c) => parse_cursor(c, 'k')? as usize,
        None => 0,
    };
    let page: Vec<Value> = all.iter().skip(start).take(COMMENT_PAGE).map(|c| comment_json(&w, c, &caller)).collect();
    let end = start + page.len();
    let next = (end < all.len()).then(|| format!("k{end}"));
    Ok(Json(json!({"comments": page, "next_cursor": next})))
}

#[derive(Deserialize, serde::Serialize)]
pub struct NewComment {
    text: String,
    reply_to_comment_id: Option<String>,
}

pub async fn comment(
    State(s): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(post_id): Path<String>,
    Body(req): Body<NewComment>,
) -> ApiResult<impl IntoResponse> {
    let key = idempotency_key(&headers)?;
    let text = req.text.trim().to_owned();
    let n = text.chars().count();
    if n == 0 || n > 300 {
        let (code, msg) = if n == 0 { ("required", "评论不能为空") } else { ("too_long", "评论最多 300 字") };
        return Err(ApiError::fields(vec![("text".into(), code, msg.into())]));
    }
    let now = now_ms();
    let mut w = s.world();
    let comments = w.moment_comments.get(&post_id).cloned().ok_or_else(|| ApiError::not_found("动态"))?;
    let reply_to = match &req.reply_to_comment_id {
        Some(id) => Some(
            comments
                .iter()
                .find(|c| &c.comment_id == id)
                .map(|c| (c.comment_id.clone(), c.name.clone()))
                .ok_or_else(|| ApiError::fields(vec![("reply_to_comment_id".into(), "unknown", "回复的评论已不存在".into())]))?,
        ),
        None => None,
    };
    let request = serde_json::to_value(&req).unwrap_or_default();
    let scope = format!("moment-comment:{post_id}");
    once(&mut w, &caller, &scope, &key, &request, |w| {
        let c = MomentCommentRec {
            comment_id: w.id("mc"),
            post_id: post_id.clone(),
            user_id: caller.user_id.clone(),
            name: w.user_name(&caller.user_id),
            is_staff: false,
            text,
            reply_to,
            created_at: now,
        };
        let body = comment_json(w, &c, &caller);
        w.records.comments_created.push(json!({"kind": "moment", "key": key, "user_id": caller.user_id, "comment_id": c.comment_id}));
        w.moment_comments.entry(post_id.clone()).or_default().push(c);
        Ok((StatusCode::CREATED, body))
    })
}

pub async fn delete_comment(State(s): State<Shared>, caller: Caller, Path((post_id, comment_id)): Path<(String, String)>) -> ApiResult<StatusCode> {
    let mut w = s.world();
    let list = w.moment_comments.get_mut(&post_id).ok_or_else(|| ApiError::not_found("动态"))?;
    let index = list.iter().position(|c| c.comment_id == comment_id).ok_or_else(|| ApiError::not_found("评论"))?;
    if list[index].user_id != caller.user_id {
        return Err(ApiError::forbidden("只能删除自己的评论"));
    }
    list.remove(index);
    Ok(StatusCode::NO_CONTENT)
}
