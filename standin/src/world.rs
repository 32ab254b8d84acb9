//! The stand-in's in-memory world, seeded from `fixtures/` and placed relative to "now".

use crate::http::{ApiError, ApiResult, Caller};
use axum::http::StatusCode;
use rand::{distributions::Alphanumeric, Rng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// The account is in China: calendars (weeks, seckill slot names) use Beijing time.
pub const BEIJING_OFFSET_MS: i64 = 8 * HOUR_MS;
/// A session token lives this long.
pub const SESSION_TTL_MS: i64 = 24 * HOUR_MS;
/// WeChat's OAuth codes expire after five minutes.
pub const CODE_TTL_MS: i64 = 5 * MINUTE_MS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Follower,
    Parent,
    Teacher,
}

#[derive(Clone, Debug)]
pub struct UserRec {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub is_guest: bool,
}

impl UserRec {
    pub fn to_json(&self) -> Value {
        json!({
            "user_id": self.user_id, "name": self.name, "role": self.role,
            "is_guest": self.is_guest, "avatar_url": avatar_url(&self.name),
        })
    }
}

pub fn avatar_url(name: &str) -> String {
    format!("/media/avatar-{}.svg", short_hash(name))
}

pub fn short_hash(text: &str) -> String {
    let mut h: u32 = 2166136261;
    for b in text.bytes() {
        h = (h ^ b as u32).wrapping_mul(16777619);
    }
    format!("{h:08x}")
}

pub struct SessionRec {
    pub user_id: String,
    pub expires_at: i64,
}

pub struct CodeRec {
    pub user_id: String,
    pub issued_at: i64,
    pub used: bool,
}

// ---- shop ----

#[derive(Clone, Debug, Deserialize)]
pub struct StoreRec {
    pub store_id: String,
    pub name: String,
    pub channel: String,
    pub shipping_fen: i64,
    pub free_shipping_min_fen: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ProductRec {
    pub sku_id: String,
    pub store_id: String,
    pub title: String,
    pub spec: String,
    #[serde(default)]
    pub image_url: String,
    pub price_fen: i64,
    pub stock: i64,
    pub limit_per_person: i64,
    pub status: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CouponRec {
    pub coupon_id: String,
    pub title: String,
    pub discount_fen: i64,
    pub min_spend_fen: i64,
    pub store_id: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct CartRec {
    pub version: i64,
    pub updated_at: i64,
    pub lines: Vec<LineRec>,
}

#[derive(Clone, Debug)]
pub struct LineRec {
    pub line_id: String,
    pub sku_id: String,
    pub quantity: i64,
    pub selected: bool,
    pub price_when_added_fen: i64,
}

pub struct ShareRec {
    pub owner: String,
    /// (sku, quantity) at the time of sharing; prices and availability are read live.
    pub lines: Vec<(String, i64)>,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Cancelled,
    Failed,
    Expired,
}

#[derive(Clone, Debug)]
pub struct OrderRec {
    pub order_id: String,
    pub user_id: String,
    pub kind: &'static str,
    pub status: OrderStatus,
    pub total_fen: i64,
    pub created_at: i64,
    pub pay_by: i64,
    pub paid_at: Option<i64>,
    /// (store_id, store_name, amount_fen)
    pub sub_orders: Vec<(String, String, i64)>,
    /// What stock it holds: (sku or seckill item id, quantity).
    pub holds: Vec<(String, i64)>,
    pub prepay_id: Option<String>,
    pub coupon_ids: Vec<String>,
}

impl OrderRec {
    pub fn to_json(&self) -> Value {
        json!({
            "order_id": self.order_id, "kind": self.kind, "status": self.status,
            "total_fen": self.total_fen, "created_at": self.created_at, "pay_by": self.pay_by,
            "paid_at": self.paid_at,
            "sub_orders": self.sub_orders.iter().map(|(id, name, amount)| json!({
                "store_id": id, "store_name": name, "amount_fen": amount})).collect::<Vec<_>>(),
        })
    }
}

// ---- seckill ----

#[derive(Clone, Debug)]
pub struct SlotRec {
    pub session_id: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Clone, Debug)]
pub struct SeckillItemRec {
    pub item_id: String,
    pub session_id: String,
    pub title: String,
    pub image_url: String,
    pub original_price_fen: i64,
    pub flash_price_fen: i64,
    pub stock_total: i64,
    pub stock_left: i64,
    pub limit_per_person: i64,
}

#[derive(Clone, Debug)]
pub struct TicketRec {
    /// Queue order: tickets are decided first come, first served.
    pub seq: u64,
    pub ticket_id: String,
    pub user_id: String,
    pub item_id: String,
    pub quantity: i64,
    pub resolve_at: i64,
    pub state: &'static str,
    pub order_id: Option<String>,
    pub pay_by: Option<i64>,
}

// ---- school ----

#[derive(Clone, Debug, Deserialize)]
pub struct ClassRec {
    pub class_id: String,
    pub name: String,
    pub teacher_id: String,
}

#[derive(Clone, Debug)]
pub struct ChildRec {
    pub child_id: String,
    pub name: String,
    pub class_id: String,
    pub parent_id: String,
    pub parent_name: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SectionDef {
    pub section_id: String,
    pub title: String,
    pub filled_by: Role,
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FieldDef {
    pub field_id: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_count: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct WeekRec {
    pub status: &'static str,
    pub version: i64,
    pub values: Map<String, Value>,
    /// The version at which each section last changed, to refuse only real conflicts.
    pub section_changed_at: HashMap<String, i64>,
    pub comments: Vec<Value>,
}

#[derive(Clone, Debug)]
pub struct NoticeRec {
    pub notice_id: String,
    pub class_id: String,
    pub title: String,
    pub text: String,
    pub attachments: Vec<Value>,
    pub author_name: String,
    pub published_at: i64,
}

#[derive(Clone, Debug)]
pub struct LeaveRec {
    pub leave_id: String,
    pub child_id: String,
    pub parent_id: String,
    pub from_date: String,
    pub to_date: String,
    pub reason: String,
    pub status: &'static str,
    pub requested_at: i64,
    pub decided_at: Option<i64>,
    pub note: String,
}

pub struct UploadRec {
    pub kind: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

// ---- moments ----

#[derive(Clone, Debug)]
pub struct PostRec {
    pub seq: i64,
    pub post_id: String,
    pub staff: usize,
    pub text: String,
    pub attachment: Value,
    pub created_at: i64,
    pub base_likes: i64,
}

#[derive(Clone, Debug)]
pub struct MomentCommentRec {
    pub comment_id: String,
    pub post_id: String,
    pub user_id: String,
    pub name: String,
    pub is_staff: bool,
    pub text: String,
    pub reply_to: Option<(String, String)>,
    pub created_at: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct StaffRec {
    pub staff_id: String,
    pub name: String,
    pub title: String,
}

/// What tests read back to prove "never twice": every created order, grab, comment and save.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Records {
    pub orders_created: Vec<Value>,
    pub grabs_decided: Vec<Value>,
    pub comments_created: Vec<Value>,
    pub handbook_saves: Vec<Value>,
    pub payments: Vec<Value>,
    pub menu_events: Vec<Value>,
}

pub struct World {
    pub started_at: i64,
    pub users: HashMap<String, UserRec>,
    pub sessions: HashMap<String, SessionRec>,
    pub codes: HashMap<String, CodeRec>,
    pub menu: Value,
    pub stores: Vec<StoreRec>,
    pub products: Vec<ProductRec>,
    pub coupons: Vec<CouponRec>,
    pub addresses: Vec<Value>,
    pub used_coupons: HashSet<(String, String)>,
    pub carts: HashMap<String, CartRec>,
    pub seed_cart: Vec<(String, i64)>,
    pub shares: HashMap<String, ShareRec>,
    pub orders: Vec<OrderRec>,
    pub prepays: HashMap<String, String>,
    pub slots: Vec<SlotRec>,
    pub seckill_items: Vec<SeckillItemRec>,
    pub bought: HashMap<(String, String), i64>,
    pub reminders: HashSet<(String, String)>,
    pub tickets: HashMap<String, TicketRec>,
    pub grab_times: HashMap<String, VecDeque<i64>>,
    pub classes: Vec<ClassRec>,
    pub children: Vec<ChildRec>,
    pub sections: Vec<SectionDef>,
    pub weeks: HashMap<(String, String), WeekRec>,
    pub notices: Vec<NoticeRec>,
    pub notice_reads: HashMap<(String, String), i64>,
    pub leave: Vec<LeaveRec>,
    pub uploads: HashMap<String, UploadRec>,
    pub staff: Vec<StaffRec>,
    pub posts: Vec<PostRec>,
    pub likes: HashSet<(String, String)>,
    pub moment_comments: HashMap<String, Vec<MomentCommentRec>>,
    pub idempotency: HashMap<(String, String, String), (Value, Value)>,
    pub records: Records,
    pub next_id: u64,
}

pub fn random_token(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

fn fixture(text: &str) -> Value {
    // The fixtures are part of this crate and covered by its tests: a broken one is a bug here.
    serde_json::from_str(text).expect("fixture JSON is valid")
}

impl World {
    /// A fresh world whose times are placed around `now` (ms since the epoch).
    pub fn seeded(now: i64) -> World {
        let shop = fixture(include_str!("../fixtures/shop.json"));
        let menu = fixture(include_str!("../fixtures/menu.json"));
        let school = fixture(include_str!("../fixtures/school.json"));
        let moments = fixture(include_str!("../fixtures/moments.json"));
        let mut w = World {
            started_at: now,
            users: HashMap::new(),
            sessions: HashMap::new(),
            codes: HashMap::new(),
            menu,
            stores: serde_json::from_value(shop["stores"].clone()).unwrap_or_default(),
            products: serde_json::from_value(shop["products"].clone()).unwrap_or_default(),
            coupons: serde_json::from_value(shop["coupons"].clone()).unwrap_or_default(),
            addresses: shop["addresses"].as_array().cloned().unwrap_or_default(),
            used_coupons: HashSet::new(),
            carts: HashMap::new(),
            seed_cart: shop["seed_cart"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|l| Some((l["sku_id"].as_str()?.to_owned(), l["quantity"].as_i64()?)))
                        .collect()
                })
                .unwrap_or_default(),
            shares: HashMap::new(),
            orders: Vec::new(),
            prepays: HashMap::new(),
            slots: Vec::new(),
            seckill_items: Vec::new(),
            bought: HashMap::new(),
            reminders: HashSet::new(),
            tickets: HashMap::new(),
            grab_times: HashMap::new(),
            classes: serde_json::from_value(school["classes"].clone()).unwrap_or_default(),
            children: Vec::new(),
            sections: serde_json::from_value(school["sections"].clone()).unwrap_or_default(),
            weeks: HashMap::new(),
            notices: Vec::new(),
            notice_reads: HashMap::new(),
            leave: Vec::new(),
            uploads: HashMap::new(),
            staff: serde_json::from_value(moments["staff"].clone()).unwrap_or_default(),
            posts: Vec::new(),
            likes: HashSet::new(),
            moment_comments: HashMap::new(),
            idempotency: HashMap::new(),
            records: Records::default(),
            next_id: 1,
        };
        for p in &mut w.products {
            p.image_url = format!("/media/product-{}.svg", p.sku_id);
        }
        for (id, name, role) in [
            ("u-xiaoman", "林小满", Role::Follower),
            ("u-yihang", "周一航", Role::Follower),
        ] {
            w.add_user(id, name, role, false);
        }
        for t in school["teachers"].as_array().into_iter().flatten() {
            if let (Some(id), Some(name)) = (t["user_id"].as_str(), t["name"].as_str()) {
                w.add_user(id, name, Role::Teacher, false);
            }
        }
        for c in school["children"].as_array().into_iter().flatten() {
            let child = ChildRec {
                child_id: c["child_id"].as_str().unwrap_or_default().to_owned(),
                name: c["name"].as_str().unwrap_or_default().to_owned(),
                class_id: c["class_id"].as_str().unwrap_or_default().to_owned(),
                parent_id: c["parent"]["user_id"].as_str().unwrap_or_default().to_owned(),
                parent_name: c["parent"]["name"].as_str().unwrap_or_default().to_owned(),
            };
            let (pid, pname) = (child.parent_id.clone(), child.parent_name.clone());
            w.add_user(&pid, &pname, Role::Parent, false);
            w.children.push(child);
        }
        crate::shop::seed(&mut w, now);
        crate::seckill::seed(&mut w, now);
        crate::school::seed(&mut w, now, &school);
        crate::moments::seed(&mut w, now, &moments);
        w
    }

    pub fn add_user(&mut self, id: &str, name: &str, role: Role, is_guest: bool) {
        self.users.entry(id.to_owned()).or_insert_with(|| UserRec {
            user_id: id.to_owned(),
            name: name.to_owned(),
            role,
            is_guest,
        });
    }

    /// A new id with a prefix, unique in this world.
    pub fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}{}", self.next_id, random_token(4).to_lowercase())
    }

    pub fn open_session(&mut self, user_id: &str, now: i64) -> Value {
        let token = random_token(40);
        self.sessions.insert(token.clone(), SessionRec { user_id: user_id.to_owned(), expires_at: now + SESSION_TTL_MS });
        let user = self.users.get(user_id).map(UserRec::to_json).unwrap_or(Value::Null);
        json!({"token": token, "expires_at": now + SESSION_TTL_MS, "user": user})
    }

    pub fn caller(&self, token: &str, now: i64) -> ApiResult<Caller> {
        let expired = || ApiError::new(StatusCode::UNAUTHORIZED, "session_expired", "登录已过期，请重新登录");
        let session = self.sessions.get(token).ok_or_else(expired)?;
        if session.expires_at <= now {
            return Err(expired());
        }
        let user = self.users.get(&session.user_id).ok_or_else(expired)?;
        Ok(Caller { user_id: user.user_id.clone(), role: user.role, is_guest: user.is_guest })
    }

    pub fn user_name(&self, user_id: &str) -> String {
        self.users.get(user_id).map(|u| u.name.clone()).unwrap_or_default()
    }
}

// ---- calendar (proleptic Gregorian, days since 1970-01-01) ----

pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number (since the epoch) in Beijing of an instant.
pub fn beijing_day(ms: i64) -> i64 {
    (ms + BEIJING_OFFSET_MS).div_euclid(DAY_MS)
}

/// Monday of the ISO week containing `day`.
pub fn monday_of(day: i64) -> i64 {
    // 1970-01-01 was a Thursday: weekday index with Monday = 0.
    day - (day + 3).rem_euclid(7)
}

/// ISO week name (`2026-W48`) of a day.
pub fn iso_week_of(day: i64) -> String {
    let thursday = monday_of(day) + 3;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    format!("{year}-W{week:02}")
}

/// Monday (day number) of an ISO week name, if it is one.
pub fn week_monday(week: &str) -> Option<i64> {
    let (y, w) = week.split_once("-W")?;
    let (y, w): (i64, i64) = (y.parse().ok()?, w.parse().ok()?);
    if !(1..=53).contains(&w) {
        return None;
    }
    let jan4 = days_from_civil(y, 1, 4);
    let monday = monday_of(jan4) + (w - 1) * 7;
    (iso_week_of(monday) == week).then_some(monday)
}

pub fn date_string(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let day = days_from_civil(y, m, d);
    (civil_from_days(day) == (y, m, d)).then_some(day)
}

/// Sorted map helper for stable JSON.
pub fn sorted(map: &Map<String, Value>) -> BTreeMap<String, Value> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_match_known_dates() {
        // 2026-11-23 is a Monday in ISO week 48; 2021-01-03 belongs to 2020-W53.
        assert_eq!(iso_week_of(days_from_civil(2026, 11, 23)), "2026-W48");
        assert_eq!(iso_week_of(days_from_civil(2026, 11, 29)), "2026-W48");
        assert_eq!(iso_week_of(days_from_civil(2021, 1, 3)), "2020-W53");
        assert_eq!(week_monday("2026-W48"), Some(days_from_civil(2026, 11, 23)));
        assert_eq!(week_monday("2026-W54"), None);
        assert_eq!(date_string(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
    }

    #[test]
    fn fixtures_seed_a_complete_world() {
        let w = World::seeded(1_795_000_000_000);
        assert!(w.products.len() >= 10 && w.stores.len() >= 3);
        assert!(w.children.len() >= 12 && w.sections.len() >= 6);
        assert!(w.posts.len() >= 200, "a moments feed of 200+ posts");
        assert!(w.slots.len() >= 4 && !w.seckill_items.is_empty());
    }
}
