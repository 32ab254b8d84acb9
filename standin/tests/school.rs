//! The handbook, notices and leave: roles, validation, conflicts and status flow.

mod support;

use serde_json::{json, Value};
use support::Client;

fn week_of(c: &Value) -> String {
    c["week"].as_str().unwrap_or_default().to_owned()
}

fn teacher_values() -> Vec<(&'static str, Value)> {
    vec![
        ("meals", json!({"appetite": 5, "speed": "fast", "meal_notes": "吃得很香"})),
        ("nap", json!({"nap_minutes": 100, "nap_quality": 4})),
        ("mood_health", json!({"mood": "happy", "temperature": 36.5, "symptoms": ["none"], "medication": "", "medication_time": null})),
        ("self_care", json!({"toileting": "independent", "self_care": ["washing"]})),
        ("learning", json!({"social": 4, "learning_notes": "认识了秋天", "photos": []})),
        ("teacher_comment", json!({"comment": "很棒的一周", "suggestion": "", "next_checkup": "2026-12-01"})),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn who_i_am_decides_what_i_see() {
    let mut parent = Client::new();
    parent.sign_in("p-wang");
    let mine = parent.get("/handbook/children").await.body;
    assert_eq!(mine["role"], "parent");
    assert_eq!(mine["children"].as_array().map(Vec::len), Some(2), "a parent sees both children");
    let teacher = parent.as_user("t-chen");
    let class = teacher.get("/handbook/children").await.body;
    assert_eq!(class["children"].as_array().map(Vec::len), Some(12), "the teacher sees the class roster");
    let follower = parent.as_user("u-xiaoman");
    assert_eq!(follower.get("/handbook/children").await.status, 403);
    let other_class = teacher.get(&format!("/handbook/children/c-anan/weeks/{}", week_of(&class))).await;
    assert_eq!(other_class.status, 403, "a teacher sees only their class");
    // The parent does not see the teacher's unsent work.
    let lele = parent.get(&format!("/handbook/children/c-lele/weeks/{}", week_of(&class))).await.body;
    assert_eq!(lele["status"], "teacher_done");
    assert!(lele["values"].get("meals").is_none(), "unsent teacher sections are hidden from the parent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_fills_and_sends_the_parent_reads_and_replies() {
    let mut teacher = Client::new();
    teacher.sign_in("t-chen");
    let week = week_of(&teacher.get("/handbook/children").await.body);
    let base = format!("/handbook/children/c-mingming/weeks/{week}");
    let hb = teacher.get(&base).await.body;
    assert_eq!(hb["status"], "not_started");
    let not_ready = teacher.post(&format!("{base}/send"), json!({})).await;
    assert_eq!(not_ready.code(), "validation_failed", "cannot send an incomplete week");
    let mut version = hb["version"].as_i64().unwrap_or(0);
    for (section, values) in teacher_values() {
        let saved = teacher.call("PUT", &format!("{base}/sections/{section}"), Some(json!({"version": version, "values": values})), &[]).await;
        assert_eq!(saved.status, 200, "{section}: {}", saved.body);
        version = saved.body["version"].as_i64().unwrap_or(0);
    }
    let sent = teacher.post(&format!("{base}/send"), json!({})).await;
    assert_eq!(sent.body["status"], "sent");
    let parent = teacher.as_user("p-chen");
    let read = parent.post(&format!("{base}/read"), json!({})).await;
    assert_eq!(read.body["status"], "read");
    assert_eq!(read.body["values"]["meals"]["appetite"], 5);
    let forbidden = parent.call("PUT", &format!("{base}/sections/meals"), Some(json!({"version": read.body["version"], "values": {}})), &[]).await;
    assert_eq!(forbidden.status, 403, "a parent cannot write the teacher's section");
    let invalid = parent.call("PUT", &format!("{base}/sections/home"), Some(json!({"version": read.body["version"], "values": {"home_mood": 9, "ack": true}})), &[]).await;
    assert_eq!(invalid.status, 422);
    let fields: Vec<&str> = invalid.body["fields"].as_array().into_iter().flatten().filter_map(|f| f["field"].as_str()).collect();
    assert!(fields.contains(&"home_mood") && fields.contains(&"home_notes"), "{fields:?}");
    let reply = parent.call("PUT", &format!("{base}/sections/home"), Some(json!({"version": read.body["version"], "values": {"home_notes": "谢谢老师", "ack": true}})), &[]).await;
    assert_eq!(reply.body["status"], "replied");
    let seen = teacher.get(&base).await.body;
    assert_eq!(seen["values"]["home"]["home_notes"], "谢谢老师");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_real_conflict_is_refused() {
    let mut teacher = Client::new();
    teacher.sign_in("t-chen");
    let week = week_of(&teacher.get("/handbook/children").await.body);
    let base = format!("/handbook/children/c-duoduo/weeks/{week}");
    let hb = teacher.get(&base).await.body;
    let v = hb["version"].as_i64().unwrap_or(0);
    let parent = teacher.as_user("p-li");
    // The parent replies meanwhile: a different section, so the teacher's save still goes through.
    let reply = parent.call("PUT", &format!("{base}/sections/home"), Some(json!({"version": v, "values": {"home_notes": "好的", "ack": true}})), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let edit = teacher.call("PUT", &format!("{base}/sections/nap"), Some(json!({"version": v, "values": {"nap_minutes": 90}})), &[]).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    // A second teacher device with the old version editing the same section conflicts.
    let stale = teacher.call("PUT", &format!("{base}/sections/nap"), Some(json!({"version": v, "values": {"nap_minutes": 30}})), &[]).await;
    assert_eq!((stale.status.as_u16(), stale.code()), (409, "version_conflict"));
    assert_eq!(stale.body["current"]["values"]["nap"]["nap_minutes"], 90);
}

#[tokio::test(flavor = "multi_thread")]
async fn notices_count_read_receipts_once_and_leave_is_decided_once() {
    let mut parent = Client::new();
    parent.sign_in("p-li");
    let notices = parent.get("/notices").await.body;
    let first = notices["notices"][0].clone();
    let id = first["notice_id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(first["read_by_me"], false);
    parent.post(&format!("/notices/{id}/read"), json!({})).await;
    let again = parent.post(&format!("/notices/{id}/read"), json!({})).await;
    assert_eq!(again.body["read_count"], 1, "a receipt counts once");
    let teacher = parent.as_user("t-chen");
    let receipts = teacher.get(&format!("/notices/{id}/receipts")).await.body;
    assert_eq!(receipts["read"].as_array().map(Vec::len), Some(1));
    assert_eq!(receipts["unread"].as_array().map(Vec::len), Some(11));
    assert_eq!(parent.get(&format!("/notices/{id}/receipts")).await.status, 403);
    let leave = parent.call("POST", "/leave-requests", Some(json!({"child_id": "c-duoduo", "from_date": "2026-12-01", "to_date": "2026-11-30", "reason": "看病"})), &[("idempotency-key", "leave-key-01")]).await;
    assert_eq!(leave.code(), "validation_failed", "the end cannot be before the start");
    let ok = parent.call("POST", "/leave-requests", Some(json!({"child_id": "c-duoduo", "from_date": "2026-12-01", "to_date": "2026-12-02", "reason": "看病"})), &[("idempotency-key", "leave-key-01")]).await;
    assert_eq!(ok.status, 201);
    let leave_id = ok.body["leave_id"].as_str().unwrap_or_default().to_owned();
    let decided = teacher.post(&format!("/leave-requests/{leave_id}/decision"), json!({"decision": "approved"})).await;
    assert_eq!(decided.body["status"], "approved");
    let twice = teacher.post(&format!("/leave-requests/{leave_id}/decision"), json!({"decision": "declined"})).await;
    assert_eq!(twice.code(), "already_decided");
    let listed = parent.get("/leave-requests").await.body;
    assert!(listed["leave_requests"].as_array().is_some_and(|l| l.iter().any(|x| x["leave_id"] == leave_id.as_str() && x["status"] == "approved")));
}
