//! Moments: cursor paging to the true end, idempotent likes and comments, deleting my own.

mod support;

use serde_json::json;
use std::collections::HashSet;
use support::Client;

#[tokio::test(flavor = "multi_thread")]
async fn paging_walks_every_post_once_newest_first() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut last_time = i64::MAX;
    loop {
        let path = match &cursor {
            Some(cur) => format!("/moments?limit=50&cursor={cur}"),
            None => "/moments?limit=50".to_owned(),
        };
        let page = c.get(&path).await.body;
        for p in page["posts"].as_array().into_iter().flatten() {
            assert!(seen.insert(p["post_id"].as_str().unwrap_or_default().to_owned()), "a post appears twice");
            let t = p["created_at"].as_i64().unwrap_or(0);
            assert!(t <= last_time, "newest first");
            last_time = t;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), standin::moments::SEEDED_POSTS as usize);
    assert_eq!(c.get("/moments?limit=0").await.status, 400);
    assert_eq!(c.get("/moments?cursor=garbage").await.status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn new_posts_are_counted_and_likes_count_once() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let page = c.get("/moments?limit=1").await.body;
    let newest = page["posts"][0]["post_id"].as_str().unwrap_or_default().to_owned();
    let likes = page["posts"][0]["like_count"].as_i64().unwrap_or(0);
    c.raw("POST", "/__standin/moments", Some(json!({"text": "新到的秋冬款"})), &[]).await;
    assert_eq!(c.get(&format!("/moments/updates?since={newest}")).await.body["new_count"], 1);
    let first = c.call("PUT", &format!("/moments/{newest}/like"), None, &[]).await;
    let second = c.call("PUT", &format!("/moments/{newest}/like"), None, &[]).await;
    assert_eq!((first.body["like_count"].as_i64(), second.body["like_count"].as_i64()), (Some(likes + 1), Some(likes + 1)));
    let undone = c.call("DELETE", &format!("/moments/{newest}/like"), None, &[]).await;
    assert_eq!(undone.body["like_count"].as_i64(), Some(likes));
}

#[tokio::test(flavor = "multi_thread")]
async fn comments_replies_and_deleting_only_my_own() {
    let mut c = Client::new();
    c.sign_in("u-xiaoman");
    let post = "m00006";
    let before = c.get(&format!("/moments/{post}/comments")).await.body;
    let someone_else = before["comments"][0].clone();
    let key = [("idempotency-key", "comment-key-1")];
    let mine = c.call("POST", &format!("/moments/{post}/comments"), Some(json!({"text": "  好看！  ", "reply_to_comment_id": someone_else["comment_id"]})), &key).await;
    assert_eq!(mine.status, 201);
    assert_eq!(mine.body["text"], "好看！");
    assert_eq!(mine.body["reply_to"]["author_name"], someone_else["author"]["name"]);
    let retry = c.call("POST", &format!("/moments/{post}/comments"), Some(json!({"text": "  好看！  ", "reply_to_comment_id": someone_else["comment_id"]})), &key).await;
    assert_eq!((retry.status.as_u16(), &retry.body["comment_id"]), (200, &mine.body["comment_id"]), "a retry posts once");
    let too_long = c.call("POST", &format!("/moments/{post}/comments"), Some(json!({"text": "长".repeat(301)})), &[("idempotency-key", "comment-key-2")]).await;
    assert_eq!(too_long.code(), "validation_failed");
    let not_mine = c.call("DELETE", &format!("/moments/{post}/comments/{}", someone_else["comment_id"].as_str().unwrap_or_default()), None, &[]).await;
    assert_eq!(not_mine.status, 403);
    let deleted = c.call("DELETE", &format!("/moments/{post}/comments/{}", mine.body["comment_id"].as_str().unwrap_or_default()), None, &[]).await;
    assert_eq!(deleted.status, 204);
    let after = c.get(&format!("/moments/{post}/comments")).await.body;
    assert_eq!(after["comments"].as_array().map(Vec::len), before["comments"].as_array().map(Vec::len));
}
