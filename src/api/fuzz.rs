//! Decoders never panic: every response type the app reads is fed arbitrary JSON and
//! mutations of real answers; each must come back as a value or the typed `Decode` error.

use super::{decode, ApiError};
use proptest::prelude::*;
use serde_json::{json, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(json!("<script>alert(1)</script>")),
        Just(json!("\u{202e}evil\u{0000}")),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Real answers to mutate (shapes as the contract gives them).
fn samples() -> Vec<Value> {
    vec![
        json!({"version": 3, "updated_at": 1, "stores": [{"store_id": "s", "name": "店", "channel": "mall", "lines": [{"line_id": "l", "sku_id": "k", "store_id": "s", "title": "T", "spec": "", "image_url": "", "unit_price_fen": 100, "price_when_added_fen": 100, "quantity": 1, "stock": 5, "limit_per_person": 2, "selected": true, "status": "ok"}]}]}),
        json!({"posts": [{"post_id": "m1", "author": {"staff_id": "s", "name": "n", "title": "t", "avatar_url": ""}, "text": "x", "attachment": {"kind": "images", "images": [{"url": "/a", "width": 1, "height": 1}]}, "created_at": 1, "like_count": 0, "liked_by_me": false, "comment_count": 0, "first_comments": []}], "next_cursor": null}),
        json!({"child": {"child_id": "c", "name": "n", "avatar_url": "", "class_name": "k", "week_status": "sent"}, "week": "2026-W48", "starts_on": "2026-11-23", "status": "sent", "version": 1,
               "schema": {"sections": [{"section_id": "s", "title": "t", "filled_by": "teacher", "fields": [{"field_id": "f", "label": "l", "kind": "rating", "required": true}]}]}, "values": {"s": {"f": 3}}, "comments": []}),
        json!({"now_ms": 1, "sessions": [{"session_id": "a", "title": "10:00", "starts_at": 1, "ends_at": 2}]}),
    ]
}

/// Every type decoded from `text`: none may panic.
fn decode_all(text: &str) {
    fn one<T: crate::json::FromJson>(text: &str) {
        match decode::<T>(text) {
            Ok(_) | Err(ApiError::Decode(_)) => {}
            Err(other) => panic!("a decode failure must be a Decode error, got {other:?}"),
        }
    }
    one::<crate::cart::Cart>(text);
    one::<crate::cart::checkout::Preview>(text);
    one::<crate::wechat::pay::Order>(text);
    // The menu is read leniently from any JSON (problems reported, never a panic).
    if let Ok(doc) = decode::<crate::json::Json>(text) {
        let _ = crate::menu::domain::parse_menu(&doc, &[]);
    }
    one::<crate::session::SessionInfo>(text);
    one::<crate::seckill::SeckillSessions>(text);
    one::<crate::seckill::domain::SeckillItem>(text);
    one::<crate::seckill::domain::GrabAnswer>(text);
    one::<crate::handbook::domain::Handbook>(text);
    one::<crate::handbook::domain::HandbookChildren>(text);
    one::<crate::handbook::notices::Notice>(text);
    one::<crate::handbook::notices::LeaveRequest>(text);
    one::<crate::moments::MomentPage>(text);
    one::<crate::moments::domain::CommentPage>(text);
}

/// Replaces the value at a path picked by `pick` with `with`.
fn mutate(v: &mut Value, pick: &[usize], with: Value) {
    match (v, pick.split_first()) {
        (Value::Object(m), Some((i, rest))) if !m.is_empty() => {
            let key = m.keys().nth(i % m.len()).cloned().unwrap_or_default();
            if let Some(child) = m.get_mut(&key) {
                if rest.is_empty() { *child = with } else { mutate(child, rest, with) }
            }
        }
        (Value::Array(a), Some((i, rest))) if !a.is_empty() => {
            let n = a.len();
            if rest.is_empty() { a[i % n] = with } else { mutate(&mut a[i % n], rest, with) }
        }
        (slot, _) => *slot = with,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        decode_all(&v.to_string());
    }

    #[test]
    fn mutated_answers_never_panic(which in 0usize..4, pick in proptest::collection::vec(0usize..8, 1..6), with in any_json()) {
        let mut v = samples()[which].clone();
        mutate(&mut v, &pick, with);
        decode_all(&v.to_string());
    }

    #[test]
    fn broken_text_never_panics(s in "\\PC{0,40}", cut in 0usize..400) {
        decode_all(&s);
        let real = samples()[cut % 4].to_string();
        let at = real.char_indices().map(|(i, _)| i).nth(cut % real.chars().count()).unwrap_or(0);
        decode_all(&real[..at]);
    }
}

#[test]
fn the_samples_themselves_decode() {
    assert!(decode::<crate::cart::Cart>(&samples()[0].to_string()).is_ok());
    assert!(decode::<crate::moments::MomentPage>(&samples()[1].to_string()).is_ok());
    assert!(decode::<crate::handbook::domain::Handbook>(&samples()[2].to_string()).is_ok());
    assert!(decode::<crate::seckill::SeckillSessions>(&samples()[3].to_string()).is_ok());
}
