//! Handbook rules that need no browser: the schema the API sends, what each kind of field
//! accepts (checked here before a save, with the same codes the API uses), the API's field
//! errors mapped onto fields, and how a draft meets a version that moved on.

use crate::api::ApiError;
use crate::session::Role;
use crate::json::{map_of, Json, ToJson};
use std::collections::BTreeMap;
use crate::json_record;

/// The week's status: not started → teacher done → sent → read → replied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WeekStatus {
    NotStarted,
    TeacherDone,
    Sent,
    Read,
    Replied,
    /// A status this app does not know yet.
    Other,
}

// Any other text is a status this app does not know yet, not a broken week.
crate::json_enum!(WeekStatus {
    NotStarted = "not_started",
    TeacherDone = "teacher_done",
    Sent = "sent",
    Read = "read",
    Replied = "replied",
    Other = "other",
} unknown => Other);

impl WeekStatus {
    /// Whether parents can see and answer the week.
    pub fn sent(self) -> bool {
        matches!(self, WeekStatus::Sent | WeekStatus::Read | WeekStatus::Replied)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChildSummary {
    pub child_id: String,
    pub name: String,
    pub avatar_url: String,
    pub class_name: String,
    pub week_status: WeekStatus,
}
json_record!(read write ChildSummary { child_id, name, avatar_url, class_name, week_status });

#[derive(Clone, Debug, PartialEq)]
pub struct HandbookChildren {
    pub week: String,
    pub role: Role,
    pub children: Vec<ChildSummary>,
}
json_record!(read write HandbookChildren { week, role, children });

#[derive(Clone, Debug, PartialEq)]
pub struct WeekSummary {
    pub week: String,
    pub starts_on: String,
    pub status: WeekStatus,
}
json_record!(read write WeekSummary { week, starts_on, status });

#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}
json_record!(read write ChoiceOption { value, label });

/// A field as the schema describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub field_id: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub options: Vec<ChoiceOption>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
    pub unit: Option<String>,
    pub max_length: Option<usize>,
    pub max_count: Option<usize>,
    pub help: Option<String>,
}
json_record!(read write FieldDef { field_id, label, kind, required, options: default, min, max, step, unit, max_length, max_count, help });

/// The kinds this app can edit; anything else is shown read-only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Rating,
    SingleChoice,
    MultiChoice,
    Number,
    /// Whole minutes.
    Duration,
    Time,
    Date,
    ShortText,
    LongText,
    Photos,
    Voice,
    Acknowledgement,
    Unknown,
}

impl FieldDef {
    pub fn kind(&self) -> Kind {
        match self.kind.as_str() {
            "rating" => Kind::Rating,
            "single_choice" => Kind::SingleChoice,
            "multi_choice" => Kind::MultiChoice,
            "number" => Kind::Number,
            "duration" => Kind::Duration,
            "time" => Kind::Time,
            "date" => Kind::Date,
            "short_text" => Kind::ShortText,
            "long_text" => Kind::LongText,
            "photos" => Kind::Photos,
            "voice" => Kind::Voice,
            "acknowledgement" => Kind::Acknowledgement,
            _ => Kind::Unknown,
        }
    }

    /// The label of a choice value (the value itself when the schema no longer has it).
    pub fn option_label(&self, value: &str) -> String {
        self.options.iter().find(|o| o.value == value).map(|o| o.label.clone()).unwrap_or_else(|| value.to_owned())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionDef {
    pub section_id: String,
    pub title: String,
    pub filled_by: Role,
    pub fields: Vec<FieldDef>,
}
json_record!(read write SectionDef { section_id, title, filled_by, fields });

#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub sections: Vec<SectionDef>,
}
json_record!(read write Schema { sections });

#[derive(Clone, Debug, PartialEq)]
pub struct HandbookComment {
    pub comment_id: String,
    pub author_name: String,
    pub author_role: Role,
    pub text: String,
    pub created_at: i64,
}
json_record!(read write HandbookComment { comment_id, author_name, author_role, text, created_at });

/// One child's week.
#[derive(Clone, Debug, PartialEq)]
pub struct Handbook {
    pub child: ChildSummary,
    pub week: String,
    pub starts_on: String,
    pub status: WeekStatus,
    pub version: i64,
    pub schema: Schema,
    /// section_id → field_id → value.
    pub values: BTreeMap<String, Json>,
    pub comments: Vec<HandbookComment>,
}
json_record!(read write Handbook { child, week, starts_on, status, version, schema, values, comments });

/// A section's values (field_id → value).
pub type Values = BTreeMap<String, Json>;

/// Each field's problem, by field id: its message, as JSON text. The same map as a section's
/// values, so the forms' signals and memos of both are one type's code, not two.
pub type FieldErrors = Values;

impl Handbook {
    /// The saved values of one section (empty when nothing was saved).
    pub fn section_values(&self, section_id: &str) -> Values {
        self.values.get(section_id).and_then(Json::as_object).map(|fields| map_of(fields.iter().cloned())).unwrap_or_default()
    }
}

/// Whether `role` fills this section (the other side's are read-only).
pub fn is_mine(section: &SectionDef, role: Role) -> bool {
    section.filled_by == role
}

/// Whether `role` edits this section this week: my side's, a parent's once the week is sent,
/// never a past week's (the other side's, and past weeks, read as text).
pub fn is_form(section: &SectionDef, role: Role, status: WeekStatus, past: bool) -> bool {
    is_mine(section, role) && (role == Role::Teacher || status.sent()) && !past
}

/// How many of the week's sections come before its first form (all of them when it has none):
/// the page shows those at once, and the rest come with the forms' code, below them, so nothing
/// on screen moves when it arrives.
pub fn before_first_form(sections: &[SectionDef], role: Role, status: WeekStatus, past: bool) -> usize {
    sections.iter().position(|s| is_form(s, role, status, past)).unwrap_or(sections.len())
}

/// Whether a value counts as not filled in (an unticked acknowledgement is not given).
pub fn is_blank(v: Option<&Json>) -> bool {
    match v {
        None | Some(Json::Null) => true,
        Some(Json::Str(s)) => s.trim().is_empty(),
        Some(Json::Array(a)) => a.is_empty(),
        Some(Json::Bool(b)) => !b,
        _ => false,
    }
}

/// What is wrong with one field's value: the API's code and a message for the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

fn problem(code: &'static str, message: String) -> Option<Problem> {
    Some(Problem { code, message })
}

fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else { return false };
    h.len() == 2 && m.len() == 2 && h.parse::<u8>().is_ok_and(|h| h < 24) && m.parse::<u8>().is_ok_and(|m| m < 60)
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1000..=9999).contains(&y) && (1..=days).contains(&d)
}

fn is_upload(v: &Json) -> bool {
    v["upload_id"].as_str().is_some() && v["url"].as_str().is_some()
}

/// The problem with a value for `field`, if any — the same rules and codes as the API's, so
/// most mistakes are caught before a round trip.
pub fn check_field(field: &FieldDef, value: Option<&Json>) -> Option<Problem> {
    let label = &field.label;
    if is_blank(value) {
        return if field.required { problem("required", format!("请填写「{label}」")) } else { None };
    }
    let v = value?;
    let in_range = |x: f64| field.min.is_none_or(|m| x >= m) && field.max.is_none_or(|m| x <= m);
    let range = || {
        let fmt = |x: Option<f64>| x.map(crate::json::number_text).unwrap_or_default();
        format!("「{label}」应在 {} 到 {} 之间", fmt(field.min), fmt(field.max))
    };
    let option = |s: &str| field.options.iter().any(|o| o.value == s);
    match field.kind() {
        Kind::Rating | Kind::Duration => match v.as_i64() {
            Some(x) if in_range(x as f64) => None,
            Some(_) => problem("range", range()),
            None => problem("type", format!("「{label}」应为整数")),
        },
        Kind::Number => match v.as_f64() {
            Some(x) if in_range(x) => None,
            Some(_) => problem("range", range()),
            None => problem("type", format!("「{label}」应为数字")),
        },
        Kind::SingleChoice => (!v.as_str().is_some_and(option)).then(|| Problem { code: "option", message: format!("「{label}」的选项无效") }),
        Kind::MultiChoice => {
            let ok = v.as_array().is_some_and(|a| a.iter().all(|x| x.as_str().is_some_and(option)));
            (!ok).then(|| Problem { code: "option", message: format!("「{label}」的选项无效") })
        }
        Kind::ShortText | Kind::LongText => match v.as_str() {
            Some(s) if field.max_length.is_none_or(|max| s.chars().count() <= max) => None,
            Some(_) => problem("too_long", format!("「{label}」最多 {} 字", field.max_length.unwrap_or(0))),
            None => problem("type", format!("「{label}」应为文字")),
        },
        Kind::Time => (!v.as_str().is_some_and(valid_time)).then(|| Problem { code: "format", message: format!("「{label}」应为 时:分") }),
        Kind::Date => (!v.as_str().is_some_and(valid_date)).then(|| Problem { code: "format", message: format!("「{label}」应为日期") }),
        Kind::Photos => match v.as_array() {
            Some(a) if a.len() > field.max_count.unwrap_or(9) => problem("too_many", format!("「{label}」最多 {} 张", field.max_count.unwrap_or(9))),
            Some(a) if a.iter().all(is_upload) => None,
            _ => problem("upload", format!("「{label}」的图片无效，请重新上传")),
        },
        Kind::Voice => (!is_upload(v)).then(|| Problem { code: "upload", message: format!("「{label}」的语音无效，请重新录制") }),
        Kind::Acknowledgement => v.as_bool().is_none().then(|| Problem { code: "type", message: format!("「{label}」应为是或否") }),
        // Not ours to fill: never sent, never blocks a save.
        Kind::Unknown => None,
    }
}

/// Every problem of a section's values, by field id.
pub fn check_section(section: &SectionDef, values: &Values) -> FieldErrors {
    map_of(section.fields.iter().filter_map(|f| check_field(f, values.get(&f.field_id)).map(|p| (f.field_id.clone(), Json::from(p.message)))))
}

/// The values a save sends: only the fields this app can fill (unknown kinds are not ours).
pub fn values_to_send(section: &SectionDef, values: &Values) -> Values {
    map_of(section.fields.iter().filter(|f| f.kind() != Kind::Unknown).map(|f| (f.field_id.clone(), values.get(&f.field_id).cloned().unwrap_or(Json::Null))))
}

/// The API's per-field errors (`fields: [{field, code, message}]`) by field id; a field named
/// `section.field` (from a send) is kept under its field id when it is in `section_id`.
pub fn field_errors(error: &ApiError, section_id: &str) -> FieldErrors {
    let ApiError::Http { body, .. } = error else { return BTreeMap::new() };
    let Some(fields) = body["fields"].as_array() else { return BTreeMap::new() };
    map_of(fields.iter().filter_map(|f| {
        let name = f["field"].as_str()?;
        let message = Json::from(f["message"].as_str().unwrap_or_default());
        match name.split_once('.') {
            Some((section, field)) if section == section_id => Some((field.to_owned(), message)),
            Some(_) => None,
            None => Some((name.to_owned(), message)),
        }
    }))
}

/// A value as text for reading (choices by their labels, minutes as minutes).
pub fn display_value(field: &FieldDef, value: Option<&Json>) -> String {
    let Some(v) = value.filter(|v| !is_blank(Some(v))) else { return "—".to_owned() };
    match (field.kind(), v) {
        (Kind::SingleChoice, Json::Str(s)) => field.option_label(s),
        (Kind::MultiChoice, Json::Array(a)) => a.iter().filter_map(Json::as_str).map(|s| field.option_label(s)).collect::<Vec<_>>().join("、"),
        (Kind::Rating, Json::Num(_)) => {
            let n = v.as_i64().unwrap_or(0).clamp(0, 10) as usize;
            let max = field.max.unwrap_or(5.0).clamp(1.0, 10.0) as usize;
            format!("{}{}", "★".repeat(n.min(max)), "☆".repeat(max.saturating_sub(n)))
        }
        (Kind::Acknowledgement, Json::Bool(b)) => if *b { "✓".to_owned() } else { "—".to_owned() },
        (Kind::Photos, Json::Array(a)) => format!("{} 张", a.len()),
        (_, Json::Str(s)) => format!("{s}{}", field.unit.as_deref().map(|u| format!(" {u}")).filter(|_| field.kind() == Kind::Number).unwrap_or_default()),
        (_, Json::Num(n)) => format!("{n}{}", field.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default()),
        (_, other) => other.to_text(),
    }
}

/// Text typed into a number box as the value sent: blank is null, otherwise a number (an
/// integer for ratings and durations); unparseable text stays text so the check can say so.
pub fn number_from_text(kind: Kind, text: &str) -> Json {
    let t = text.trim();
    if t.is_empty() {
        return Json::Null;
    }
    match kind {
        Kind::Duration | Kind::Rating => t.parse::<i64>().map(Json::from).unwrap_or_else(|_| Json::Str(t.to_owned())),
        _ => crate::json::parse_number(t).map(|f| f.to_json()).unwrap_or_else(|| Json::Str(t.to_owned())),
    }
}

/// What a typed field (text, number, duration, date, time) shows for a saved value: a number
/// as the API wrote it, text as is, anything else as nothing.
pub fn text_of(value: &Json) -> String {
    match value {
        Json::Num(n) => n.to_string(),
        Json::Str(s) => s.clone(),
        _ => String::new(),
    }
}

/// The value a typed field holds for what was typed: numbers parsed (`number_from_text`), an
/// empty date or time is no value, text is kept as typed.
pub fn value_from_text(kind: Kind, text: &str) -> Json {
    match kind {
        Kind::Number | Kind::Duration => number_from_text(kind, text),
        Kind::Date | Kind::Time if text.is_empty() => Json::Null,
        _ => Json::Str(text.to_owned()),
    }
}

/// A section's values with one field set (the rest kept): what "apply to the whole class"
/// saves for each other child.
pub fn with_field(existing: &Values, field_id: &str, value: &Json) -> Values {
    let mut next = existing.clone();
    next.insert(field_id.to_owned(), value.clone());
    next
}

/// A draft: what was typed in one section, against the version it was started on.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionDraft {
    pub base_version: i64,
    pub values: Values,
}
json_record!(read write SectionDraft { base_version, values });

/// How one field differs between my draft and the version that moved on.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConflict {
    pub field_id: String,
    pub mine: Json,
    pub theirs: Json,
}

/// The fields where my values and theirs disagree (blank equals missing).
pub fn conflicts(section: &SectionDef, mine: &Values, theirs: &Values) -> Vec<FieldConflict> {
    section
        .fields
        .iter()
        .filter(|f| f.kind() != Kind::Unknown)
        .filter_map(|f| {
            let (m, t) = (mine.get(&f.field_id), theirs.get(&f.field_id));
            let same = (is_blank(m) && is_blank(t)) || m == t;
            (!same).then(|| FieldConflict { field_id: f.field_id.clone(), mine: m.cloned().unwrap_or(Json::Null), theirs: t.cloned().unwrap_or(Json::Null) })
        })
        .collect()
}

/// Which side wins a field in a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Mine,
    Theirs,
}

/// Their values with my choices applied field by field (fields not chosen keep theirs).
pub fn merge(theirs: &Values, picks: &[(FieldConflict, Pick)]) -> Values {
    let mut merged = theirs.clone();
    for (c, pick) in picks {
        if *pick == Pick::Mine {
            merged.insert(c.field_id.clone(), c.mine.clone());
        }
    }
    merged
}

/// The ISO week before `week` ("2026-W01" → "2025-W52" or "-W53").
pub fn previous_week(week: &str) -> Option<String> {
    let (y, w) = week.split_once("-W")?;
    let (y, w): (i32, u32) = (y.parse().ok()?, w.parse().ok()?);
    if w > 1 {
        return Some(format!("{y}-W{:02}", w - 1));
    }
    // A year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year.
    let prev = y - 1;
    let jan1 = weekday_of_jan1(prev);
    let leap = (prev % 4 == 0 && prev % 100 != 0) || prev % 400 == 0;
    let weeks = if jan1 == 4 || (leap && jan1 == 3) { 53 } else { 52 };
    Some(format!("{prev}-W{weeks}"))
}

/// 1 = Monday … 7 = Sunday.
fn weekday_of_jan1(y: i32) -> u32 {
    // Zeller-style count from a known Monday (2001-01-01).
    let days: i64 = (2001..y as i64).map(|yy| if (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 { 366 } else { 365 }).sum::<i64>()
        - (y as i64..2001).map(|yy| if (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 { 366 } else { 365 }).sum::<i64>();
    (days.rem_euclid(7) + 1) as u32
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use crate::json;
    use crate::json::FromJson;

    fn field(kind: &str, extra: Json) -> FieldDef {
        let mut f = json!({"field_id": "f", "label": "体温", "kind": kind, "required": true});
        if let (Json::Object(obj), Json::Object(more)) = (&mut f, extra) {
            obj.extend(more);
        }
        FieldDef::from_json(&f).expect("field")
    }

    #[test]
    fn the_schema_parses_and_unknown_kinds_and_statuses_do_not_break_it() {
        let s: SectionDef = FromJson::from_json(&json!({"section_id": "s", "title": "T", "filled_by": "teacher", "fields": [
            {"field_id": "a", "label": "A", "kind": "rating", "required": true, "min": 1, "max": 5},
            {"field_id": "b", "label": "B", "kind": "hologram", "required": false}]})).expect("parse");
        assert_eq!(s.fields[0].kind(), Kind::Rating);
        assert_eq!(s.fields[1].kind(), Kind::Unknown);
        let st: WeekStatus = FromJson::from_json(&json!("archived")).expect("status");
        assert_eq!(st, WeekStatus::Other);
    }

    #[test]
    fn each_kind_is_checked_like_the_api_does() {
        let t = field("number", json!({"min": 35, "max": 42, "unit": "℃"}));
        assert_eq!(check_field(&t, Some(&json!(36.6))), None);
        assert_eq!(check_field(&t, Some(&json!(43))).map(|p| p.code), Some("range"));
        assert_eq!(check_field(&t, Some(&json!("36,6"))).map(|p| p.code), Some("type"));
        assert_eq!(check_field(&t, None).map(|p| p.code), Some("required"));
        let r = field("rating", json!({"min": 1, "max": 5}));
        assert_eq!(check_field(&r, Some(&json!(4.5))).map(|p| p.code), Some("type"), "ratings are whole");
        let c = field("single_choice", json!({"options": [{"value": "happy", "label": "开心"}]}));
        assert_eq!(check_field(&c, Some(&json!("happy"))), None);
        assert_eq!(check_field(&c, Some(&json!("sad"))).map(|p| p.code), Some("option"));
        let m = field("multi_choice", json!({"options": [{"value": "none", "label": "无"}]}));
        assert_eq!(check_field(&m, Some(&json!(["none", "x"]))).map(|p| p.code), Some("option"));
        let s = field("short_text", json!({"max_length": 3}));
        assert_eq!(check_field(&s, Some(&json!("一二三"))), None, "characters, not bytes");
        assert_eq!(check_field(&s, Some(&json!("一二三四"))).map(|p| p.code), Some("too_long"));
        assert_eq!(check_field(&field("time", json!({})), Some(&json!("24:00"))).map(|p| p.code), Some("format"));
        assert_eq!(check_field(&field("time", json!({})), Some(&json!("21:30"))), None);
        assert_eq!(check_field(&field("date", json!({})), Some(&json!("2026-02-29"))).map(|p| p.code), Some("format"));
        assert_eq!(check_field(&field("date", json!({})), Some(&json!("2028-02-29"))), None);
        let p = field("photos", json!({"max_count": 1}));
        let photo = json!({"upload_id": "u1", "url": "/media/u1"});
        assert_eq!(check_field(&p, Some(&json!([photo]))), None);
        assert_eq!(check_field(&p, Some(&json!([photo, photo]))).map(|p| p.code), Some("too_many"));
        assert_eq!(check_field(&field("voice", json!({})), Some(&json!({"url": "x"}))).map(|p| p.code), Some("upload"));
        assert_eq!(check_field(&field("acknowledgement", json!({})), Some(&json!(true))), None);
        assert_eq!(check_field(&field("acknowledgement", json!({})), Some(&json!(false))).map(|p| p.code), Some("required"), "unticked is not given");
        assert_eq!(check_field(&field("hologram", json!({})), Some(&json!({"x": 1}))), None, "unknown kinds never block");
    }

    #[test]
    fn the_apis_field_errors_land_on_fields() {
        let e = ApiError::Http {
            status: 422,
            code: "validation_failed".into(),
            message: "x".into(),
            retry_after_s: None,
            body: json!({"fields": [{"field": "temperature", "code": "range", "message": "太高"}, {"field": "home.ack", "code": "required", "message": "请确认"}, {"field": "meals.appetite", "code": "required", "message": "别的栏"}]}),
        };
        let home = field_errors(&e, "home");
        assert_eq!(home.get("temperature").and_then(Json::as_str), Some("太高"));
        assert_eq!(home.get("ack").and_then(Json::as_str), Some("请确认"));
        assert!(!home.contains_key("appetite"), "another section's problem stays there");
        assert!(field_errors(&ApiError::Network, "home").is_empty());
    }

    #[test]
    fn applying_one_field_keeps_the_others() {
        let existing = values(Some("早睡"), Some(2), None);
        let next = with_field(&existing, "b", &json!(5));
        assert_eq!(next.get("a"), Some(&json!("早睡")));
        assert_eq!(next.get("b"), Some(&json!(5)));
        assert_eq!(with_field(&Values::new(), "c", &json!("好")).len(), 1);
    }

    #[test]
    fn numbers_typed_become_numbers_and_blank_is_null() {
        assert_eq!(number_from_text(Kind::Number, " 36.6 "), json!(36.6));
        assert_eq!(number_from_text(Kind::Duration, "110"), json!(110));
        assert_eq!(number_from_text(Kind::Duration, "1.5"), json!("1.5"), "kept so the check can say why");
        assert_eq!(number_from_text(Kind::Number, ""), Json::Null);
    }

    #[test]
    fn typed_fields_show_what_was_saved_and_hold_what_is_typed() {
        assert_eq!(text_of(&json!(36.6)), "36.6");
        assert_eq!(text_of(&json!("12:30")), "12:30");
        assert_eq!(text_of(&Json::Null), "");
        assert_eq!(text_of(&json!(true)), "");
        assert_eq!(value_from_text(Kind::Number, "36.6"), json!(36.6));
        assert_eq!(value_from_text(Kind::Duration, "90"), json!(90));
        assert_eq!(value_from_text(Kind::Time, ""), Json::Null, "an empty picker is no value");
        assert_eq!(value_from_text(Kind::Date, "2026-11-25"), json!("2026-11-25"));
        assert_eq!(value_from_text(Kind::ShortText, ""), json!(""), "text is kept as typed, even empty");
        assert_eq!(value_from_text(Kind::LongText, " 好 "), json!(" 好 "));
        // What a saved number shows is what it becomes again, unchanged.
        for v in [json!(0), json!(36.5), json!(240)] {
            assert_eq!(value_from_text(Kind::Number, &text_of(&v)), v);
        }
    }

    #[test]
    fn weeks_step_back_across_years() {
        assert_eq!(previous_week("2026-W48").as_deref(), Some("2026-W47"));
        assert_eq!(previous_week("2026-W01").as_deref(), Some("2025-W52"));
        assert_eq!(previous_week("2021-W01").as_deref(), Some("2020-W53"), "2020 had 53 weeks");
        assert_eq!(previous_week("2016-W01").as_deref(), Some("2015-W53"), "so did 2015");
        assert_eq!(previous_week("nonsense"), None);
    }

    fn section() -> SectionDef {
        FromJson::from_json(&json!({"section_id": "home", "title": "在家", "filled_by": "parent", "fields": [
            {"field_id": "a", "label": "A", "kind": "short_text", "required": false},
            {"field_id": "b", "label": "B", "kind": "rating", "required": false},
            {"field_id": "c", "label": "C", "kind": "long_text", "required": false},
            {"field_id": "x", "label": "X", "kind": "hologram", "required": false}]})).expect("section")
    }

    fn values(a: Option<&str>, b: Option<i64>, c: Option<&str>) -> Values {
        let mut v = Values::new();
        if let Some(a) = a {
            v.insert("a".into(), json!(a));
        }
        if let Some(b) = b {
            v.insert("b".into(), json!(b));
        }
        if let Some(c) = c {
            v.insert("c".into(), json!(c));
        }
        v
    }

    #[test]
    fn the_page_shows_the_sections_before_the_first_form_at_once() {
        let by = |who: &str, id: &str| -> SectionDef { FromJson::from_json(&json!({"section_id": id, "title": id, "filled_by": who, "fields": []})).expect("section") };
        let week = [by("teacher", "meals"), by("teacher", "nap"), by("parent", "home"), by("teacher", "note")];
        // A parent reads the teacher's sections first; their own is the first form.
        assert_eq!(before_first_form(&week, Role::Parent, WeekStatus::Sent, false), 2);
        // Not sent yet, or a past week: no form, every section shows with the page.
        assert_eq!(before_first_form(&week, Role::Parent, WeekStatus::TeacherDone, false), 4);
        assert_eq!(before_first_form(&week, Role::Parent, WeekStatus::Read, true), 4);
        // A teacher fills the first section: nothing comes before it.
        assert_eq!(before_first_form(&week, Role::Teacher, WeekStatus::NotStarted, false), 0);
        assert!(!is_form(&week[0], Role::Parent, WeekStatus::Sent, false) && is_form(&week[2], Role::Parent, WeekStatus::Replied, false));
        assert!(!is_form(&week[2], Role::Follower, WeekStatus::Sent, false), "followers fill nothing");
    }

    #[test]
    fn conflicts_are_the_fields_that_differ_and_blank_equals_missing() {
        let mine = values(Some("早睡"), Some(4), Some(""));
        let theirs = values(Some("晚睡"), Some(4), None);
        let found = conflicts(&section(), &mine, &theirs);
        assert_eq!(found.iter().map(|c| c.field_id.as_str()).collect::<Vec<_>>(), vec!["a"]);
        assert!(values_to_send(&section(), &mine).get("x").is_none(), "unknown kinds are not sent");
    }

    proptest! {
        #[test]
        fn a_merge_takes_exactly_what_was_picked(
            mine in (proptest::option::of("[a-c]{0,2}"), proptest::option::of(0i64..3), proptest::option::of("[a-c]{0,2}")),
            theirs in (proptest::option::of("[a-c]{0,2}"), proptest::option::of(0i64..3), proptest::option::of("[a-c]{0,2}")),
            picks in proptest::collection::vec(any::<bool>(), 3),
        ) {
            let mine = values(mine.0.as_deref(), mine.1, mine.2.as_deref());
            let theirs = values(theirs.0.as_deref(), theirs.1, theirs.2.as_deref());
            let found = conflicts(&section(), &mine, &theirs);
            let all_mine: Vec<_> = found.iter().cloned().map(|c| (c, Pick::Mine)).collect();
            let all_theirs: Vec<_> = found.iter().cloned().map(|c| (c, Pick::Theirs)).collect();
            // Keeping all of mine leaves nothing in conflict with mine; taking theirs changes nothing.
            prop_assert!(conflicts(&section(), &mine, &merge(&theirs, &all_mine)).is_empty());
            prop_assert_eq!(merge(&theirs, &all_theirs), theirs.clone());
            let mixed: Vec<_> = found.iter().cloned().zip(picks.iter()).map(|(c, m)| (c, if *m { Pick::Mine } else { Pick::Theirs })).collect();
            let merged = merge(&theirs, &mixed);
            for (c, pick) in &mixed {
                let want = if *pick == Pick::Mine { &c.mine } else { &c.theirs };
                let got = merged.get(&c.field_id).cloned().unwrap_or(Json::Null);
                prop_assert!(got == *want || (is_blank(Some(&got)) && is_blank(Some(want))));
            }
        }

        #[test]
        fn checking_never_panics_on_anything_the_api_sends(kind in "[a-z_]{0,14}", v in any::<Option<i64>>(), s in ".{0,5}") {
            let f = field(&kind, json!({"min": 0, "max": 9, "max_length": 3, "options": [{"value": "a", "label": "A"}]}));
            let _ = check_field(&f, v.map(Json::from).as_ref());
            let _ = check_field(&f, Some(&json!(s)));
            let _ = display_value(&f, Some(&json!([s])));
        }
    }
}
