//! The service account's custom menu: both JSON shapes WeChat returns, parsed into one model,
//! with every rule checked. A broken menu still yields every button that is usable, so the
//! follower's bar is never blank; each problem says where it is and what WeChat would answer.

use crate::links::check_link;
use crate::json::Json;

/// What a button does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Click { key: String },
    View { url: String },
    ScanPush { key: String },
    ScanWait { key: String },
    PicSysPhoto { key: String },
    PicPhotoOrAlbum { key: String },
    PicWeixin { key: String },
    LocationSelect { key: String },
    MediaId { media_id: String },
    ViewLimited { media_id: String },
    MiniProgram { url: String, appid: String, pagepath: String },
    ArticleId { article_id: String },
    ArticleViewLimited { article_id: String },
    /// Menus set up in WeChat's web console: `text`, `img`, `voice`, `video`, `news`.
    Console { kind: String, value: String },
}

impl Action {
    /// The WeChat `type` string.
    pub fn kind(&self) -> &str {
        match self {
            Action::Click { .. } => "click",
            Action::View { .. } => "view",
            Action::ScanPush { .. } => "scancode_push",
            Action::ScanWait { .. } => "scancode_waitmsg",
            Action::PicSysPhoto { .. } => "pic_sysphoto",
            Action::PicPhotoOrAlbum { .. } => "pic_photo_or_album",
            Action::PicWeixin { .. } => "pic_weixin",
            Action::LocationSelect { .. } => "location_select",
            Action::MediaId { .. } => "media_id",
            Action::ViewLimited { .. } => "view_limited",
            Action::MiniProgram { .. } => "miniprogram",
            Action::ArticleId { .. } => "article_id",
            Action::ArticleViewLimited { .. } => "article_view_limited",
            Action::Console { kind, .. } => kind,
        }
    }
}

/// One button: it acts itself, or it opens its sub-buttons.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuButton {
    pub name: String,
    /// `button[1].sub_button[3]`: where it is in the JSON.
    pub path: String,
    pub action: Option<Action>,
    pub sub_buttons: Vec<MenuButton>,
    /// It broke a rule: shown marked in the previewer, left out of the follower's bar.
    pub invalid: bool,
}

/// The menu as followers see it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Menu {
    pub buttons: Vec<MenuButton>,
    /// A `get_current_selfmenu_info` answer with `is_menu_open: 0`.
    pub closed: bool,
}

/// What is wrong, in words the app translates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    NotAMenu,
    ButtonCount { found: usize },
    SubButtonCount { found: usize },
    TypeAndSubButtons,
    NoTypeNorSubButtons,
    UnknownType { kind: String },
    NestedSubButtons,
    NameMissing,
    NameTooLong { bytes: usize, max: usize },
    Missing { field: &'static str },
    KeyTooLong { bytes: usize },
    UrlTooLong { bytes: usize },
    UnsafeUrl,
    NotAnObject,
}

/// One broken rule with its place and WeChat's error code, when WeChat has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub code: Option<u32>,
    pub kind: ProblemKind,
}

pub const MAX_TOP: usize = 3;
pub const MAX_SUB: usize = 5;
pub const TOP_NAME_BYTES: usize = 16;
pub const SUB_NAME_BYTES: usize = 60;
pub const KEY_BYTES: usize = 128;
pub const URL_BYTES: usize = 1024;

fn text(v: &Json, field: &str) -> Option<String> {
    v.get(field).and_then(Json::as_str).map(str::to_owned).filter(|s| !s.is_empty())
}

/// The sub-buttons of a button in either shape (`[...]` or `{"list": [...]}`).
fn sub_list(v: &Json) -> Option<&Vec<Json>> {
    match v.get("sub_button") {
        Some(Json::Array(a)) => Some(a),
        Some(list @ Json::Object(_)) => list.get("list").and_then(Json::as_array),
        _ => None,
    }
}

struct Checker<'a> {
    allowlist: &'a [String],
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: &str, code: Option<u32>, kind: ProblemKind) {
        self.problems.push(Problem { path: path.to_owned(), code, kind });
    }

    /// The action of a button with a `type`, checking what that type needs.
    fn action(&mut self, v: &Json, kind: &str, path: &str, top: bool) -> Option<Action> {
        let before = self.problems.len();
        let required = |field: &'static str, this: &mut Self| -> String {
            let value = text(v, field);
            if value.is_none() {
                this.report(&format!("{path}.{field}"), None, ProblemKind::Missing { field });
            }
            value.unwrap_or_default()
        };
        let (key_code, url_code, domain_code) = if top { (40019, 40020, 40054) } else { (40026, 40027, 40055) };
        let keyed = |this: &mut Self, make: fn(String) -> Action| -> Action {
            let key = required("key", this);
            if key.len() > KEY_BYTES {
                this.report(&format!("{path}.key"), Some(key_code), ProblemKind::KeyTooLong { bytes: key.len() });
            }
            make(key)
        };
        let url_checked = |this: &mut Self, url: String| -> String {
            if url.len() > URL_BYTES {
                this.report(&format!("{path}.url"), Some(url_code), ProblemKind::UrlTooLong { bytes: url.len() });
            } else if !url.is_empty() && check_link(&url, this.allowlist).is_err() {
                this.report(&format!("{path}.url"), Some(domain_code), ProblemKind::UnsafeUrl);
            }
            url
        };
        let action = match kind {
            "click" => keyed(self, |key| Action::Click { key }),
            "scancode_push" => keyed(self, |key| Action::ScanPush { key }),
            "scancode_waitmsg" => keyed(self, |key| Action::ScanWait { key }),
            "pic_sysphoto" => keyed(self, |key| Action::PicSysPhoto { key }),
            "pic_photo_or_album" => keyed(self, |key| Action::PicPhotoOrAlbum { key }),
            "pic_weixin" => keyed(self, |key| Action::PicWeixin { key }),
            "location_select" => keyed(self, |key| Action::LocationSelect { key }),
            "view" => {
                let url = required("url", self);
                Action::View { url: url_checked(self, url) }
            }
            "media_id" => Action::MediaId { media_id: required("media_id", self) },
            "view_limited" => Action::ViewLimited { media_id: required("media_id", self) },
            "article_id" => Action::ArticleId { article_id: required("article_id", self) },
            "article_view_limited" => Action::ArticleViewLimited { article_id: required("article_id", self) },
            "miniprogram" => {
                let url = required("url", self);
                let url = url_checked(self, url);
                Action::MiniProgram { url, appid: required("appid", self), pagepath: required("pagepath", self) }
            }
            "text" | "img" | "voice" | "video" | "news" => Action::Console { kind: kind.to_owned(), value: required("value", self) },
            other => {
                let code = if top { 40017 } else { 40024 };
                self.report(&format!("{path}.type"), Some(code), ProblemKind::UnknownType { kind: other.chars().take(40).collect() });
                return None;
            }
        };
        (self.problems.len() == before).then_some(action)
    }

    fn button(&mut self, v: &Json, path: String, top: bool) -> MenuButton {
        let before = self.problems.len();
        if !v.as_object().is_some() {
            self.report(&path, None, ProblemKind::NotAnObject);
            return MenuButton { name: String::new(), path, action: None, sub_buttons: vec![], invalid: true };
        }
        let name = v.get("name").and_then(Json::as_str).unwrap_or_default().to_owned();
        let (max, code) = if top { (TOP_NAME_BYTES, 40018) } else { (SUB_NAME_BYTES, 40025) };
        if name.trim().is_empty() {
            self.report(&format!("{path}.name"), Some(code), ProblemKind::NameMissing);
        } else if name.len() > max {
            self.report(&format!("{path}.name"), Some(code), ProblemKind::NameTooLong { bytes: name.len(), max });
        }
        let kind = v.get("type").and_then(Json::as_str).filter(|t| !t.is_empty());
        let subs = sub_list(v).cloned().unwrap_or_default();
        let mut action = None;
        let mut sub_buttons = Vec::new();
        match (kind, subs.is_empty()) {
            (Some(_), false) if top => self.report(&path, Some(40017), ProblemKind::TypeAndSubButtons),
            (None, true) => self.report(&format!("{path}.type"), Some(if top { 40017 } else { 40024 }), ProblemKind::NoTypeNorSubButtons),
            _ => {}
        }
        if !subs.is_empty() && !top {
            self.report(&format!("{path}.sub_button"), Some(40024), ProblemKind::NestedSubButtons);
        }
        if let Some(kind) = kind {
            action = self.action(v, kind, &path, top);
        }
        // Sub-buttons are checked even beside a `type`: every problem is reported.
        if top && !subs.is_empty() {
            if subs.len() > MAX_SUB {
                self.report(&format!("{path}.sub_button"), Some(40023), ProblemKind::SubButtonCount { found: subs.len() });
            }
            for (i, sub) in subs.iter().enumerate() {
                sub_buttons.push(self.button(sub, format!("{path}.sub_button[{i}]"), false));
            }
        }
        let own_problems = self.problems[before..].iter().any(|p| !p.path.starts_with(&format!("{path}.sub_button[")));
        MenuButton { name, path, action, sub_buttons, invalid: own_problems }
    }
}

/// Parses either menu shape; every problem is reported, nothing panics. `allowlist` limits the
/// hosts `view` and `miniprogram` links may point at (empty: any http(s) host).
pub fn parse_menu(doc: &Json, allowlist: &[String]) -> (Menu, Vec<Problem>) {
    let mut checker = Checker { allowlist, problems: Vec::new() };
    let (buttons, prefix, closed) = if let Some(menu) = doc.get("menu") {
        (menu.get("button").and_then(Json::as_array), "button", false)
    } else if let Some(info) = doc.get("selfmenu_info") {
        let closed = doc.get("is_menu_open").and_then(Json::as_i64) == Some(0);
        (info.get("button").and_then(Json::as_array), "button", closed)
    } else {
        checker.report("", None, ProblemKind::NotAMenu);
        return (Menu::default(), checker.problems);
    };
    let list = buttons.cloned().unwrap_or_default();
    if closed && list.is_empty() {
        return (Menu { buttons: vec![], closed: true }, vec![]);
    }
    if list.is_empty() || list.len() > MAX_TOP {
        checker.report(prefix, Some(40016), ProblemKind::ButtonCount { found: list.len() });
    }
    let buttons = list.iter().enumerate().map(|(i, b)| checker.button(b, format!("{prefix}[{i}]"), true)).collect();
    (Menu { buttons, closed }, checker.problems)
}

/// The buttons a follower gets: at most three top buttons and five sub-buttons each, broken
/// ones left out (a top button whose sub-buttons are all broken goes too).
pub fn usable(menu: &Menu) -> Vec<MenuButton> {
    menu.buttons
        .iter()
        .filter(|b| !b.invalid)
        .map(|b| MenuButton { sub_buttons: b.sub_buttons.iter().filter(|s| !s.invalid).take(MAX_SUB).cloned().collect(), ..b.clone() })
        .filter(|b| b.action.is_some() || !b.sub_buttons.is_empty())
        .take(MAX_TOP)
        .collect()
}

/// How wide a character is on WeChat's bar: CJK and other wide characters count two.
fn width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Cuts a name to `max` width units with "..." as WeChat's client does (about 4 CJK characters
/// on a top button: `max` 8; about 8 in a sub-menu: `max` 16).
pub fn truncate_display(name: &str, max: usize) -> String {
    let total: usize = name.chars().map(width).sum();
    if total <= max {
        return name.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in name.chars() {
        if used + width(c) > max.saturating_sub(2) {
            break;
        }
        used += width(c);
        out.push(c);
    }
    out.push_str("...");
    out
}

pub const TOP_WIDTH: usize = 8;
pub const SUB_WIDTH: usize = 16;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// The tests write menus with serde_json's `json!`; the parser reads the app's `Json`.
    fn parse_menu(doc: &Value, allowlist: &[String]) -> (Menu, Vec<Problem>) {
        super::parse_menu(&crate::json::parse(&doc.to_string()).expect("valid JSON"), allowlist)
    }

    fn get_shape() -> Value {
        json!({"menu": {"button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001", "sub_button": []},
            {"name": "菜单", "sub_button": [
                {"type": "view", "name": "搜索", "url": "https://www.example.com/", "sub_button": []},
                {"type": "miniprogram", "name": "小程序", "url": "https://m.example.com", "appid": "wx286b93c14bbf93aa", "pagepath": "pages/lunar/index", "sub_button": []},
                {"type": "scancode_waitmsg", "name": "扫码", "key": "rselfmenu_0_0", "sub_button": []},
                {"type": "pic_photo_or_album", "name": "拍照或者相册发图", "key": "rselfmenu_1_1", "sub_button": []},
                {"type": "location_select", "name": "发送位置", "key": "rselfmenu_2_0", "sub_button": []}
            ]},
            {"type": "media_id", "name": "图片", "media_id": "MEDIA_ID1", "sub_button": []}
        ], "menuid": 208396938}})
    }

    #[test]
    fn both_shapes_parse_into_one_model() {
        let (menu, problems) = parse_menu(&get_shape(), &[]);
        assert_eq!(problems, vec![]);
        assert_eq!(menu.buttons.len(), 3);
        assert_eq!(menu.buttons[1].sub_buttons.len(), 5);
        assert_eq!(menu.buttons[1].sub_buttons[1].action.as_ref().map(Action::kind), Some("miniprogram"));
        let selfmenu = json!({"is_menu_open": 1, "selfmenu_info": {"button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001"},
            {"name": "菜单", "sub_button": {"list": [
                {"type": "text", "name": "营业时间", "value": "10:00–22:00"},
                {"type": "news", "name": "新品", "value": "KZ2Fp", "news_info": {"list": []}}
            ]}}
        ]}});
        let (menu, problems) = parse_menu(&selfmenu, &[]);
        assert_eq!(problems, vec![]);
        assert_eq!(menu.buttons[1].sub_buttons[0].action, Some(Action::Console { kind: "text".into(), value: "10:00–22:00".into() }));
        let closed = json!({"is_menu_open": 0, "selfmenu_info": {"button": []}});
        assert_eq!(parse_menu(&closed, &[]), (Menu { buttons: vec![], closed: true }, vec![]));
    }

    #[test]
    fn every_rule_is_reported_with_its_path_and_code() {
        let broken = json!({"menu": {"button": [
            {"type": "click", "name": "这是一个名字实在太长的按钮", "key": "K", "sub_button": []},
            {"name": "服务", "type": "click", "key": "BOTH", "sub_button": [
                {"type": "view", "name": "危险链接", "url": "javascript:alert(1)", "sub_button": []}
            ]},
            {"name": "更多", "sub_button": [
                {"type": "view", "name": "危险链接", "url": "javascript:alert(1)", "sub_button": []},
                {"type": "teleport", "name": "未知类型", "key": "X", "sub_button": []},
                {"type": "click", "name": "缺少key", "sub_button": []},
                {"type": "click", "name": "ok", "key": "k".repeat(129), "sub_button": []},
                {"type": "view", "name": "ok", "url": format!("https://a.com/{}", "x".repeat(1024)), "sub_button": []},
                {"type": "click", "name": "第六个", "key": "K6", "sub_button": []}
            ]},
            {"type": "click", "name": "第四个", "key": "FOURTH", "sub_button": []}
        ]}});
        let (_, problems) = parse_menu(&broken, &[]);
        let has = |path: &str, code: Option<u32>| problems.iter().any(|p| p.path == path && p.code == code);
        assert!(has("button", Some(40016)), "four top buttons");
        assert!(has("button[0].name", Some(40018)), "name over 16 bytes");
        assert!(has("button[1]", Some(40017)), "type and sub-buttons");
        assert!(has("button[1].sub_button[0].url", Some(40055)), "problems under a broken button are still reported");
        assert!(has("button[2].sub_button", Some(40023)), "six sub-buttons");
        assert!(has("button[2].sub_button[0].url", Some(40055)), "javascript: link");
        assert!(has("button[2].sub_button[1].type", Some(40024)), "unknown type");
        assert!(has("button[2].sub_button[2].key", None), "missing key");
        assert!(has("button[2].sub_button[3].key", Some(40026)), "key over 128 bytes");
        assert!(has("button[2].sub_button[4].url", Some(40027)), "url over 1024 bytes");
    }

    #[test]
    fn names_are_measured_in_utf8_bytes() {
        let menu = |name: &str| json!({"menu": {"button": [{"type": "click", "name": name, "key": "k"}]}});
        assert!(parse_menu(&menu("五个汉字啊"), &[]).1.is_empty(), "15 bytes");
        assert!(!parse_menu(&menu("六个汉字啊啊"), &[]).1.is_empty(), "18 bytes");
        assert!(parse_menu(&menu("🎉🎉🎉🎉"), &[]).1.is_empty(), "emoji are 4 bytes: 16");
        assert!(!parse_menu(&menu("🎉🎉🎉🎉a"), &[]).1.is_empty());
    }

    #[test]
    fn a_broken_menu_still_offers_what_works() {
        let broken = json!({"menu": {"button": [
            {"type": "click", "name": "这是一个名字实在太长的按钮", "key": "K"},
            {"name": "更多", "sub_button": [
                {"type": "view", "name": "危险", "url": "javascript:alert(1)"},
                {"type": "click", "name": "好的", "key": "OK"}
            ]},
            {"type": "view", "name": "官网", "url": "https://shop.example.com/"}
        ]}});
        let (menu, _) = parse_menu(&broken, &[]);
        let bar = usable(&menu);
        let names: Vec<&str> = bar.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, vec!["更多", "官网"]);
        assert_eq!(bar[0].sub_buttons.len(), 1);
        assert_eq!(bar[0].sub_buttons[0].name, "好的");
    }

    #[test]
    fn the_allow_list_limits_links() {
        let doc = json!({"menu": {"button": [{"type": "view", "name": "官网", "url": "https://evil.example.org/"}]}});
        let (_, problems) = parse_menu(&doc, &["shop.example.com".to_owned()]);
        assert_eq!(problems[0].code, Some(40054));
    }

    #[test]
    fn names_are_cut_at_wechats_display_widths() {
        assert_eq!(truncate_display("今日特卖", TOP_WIDTH), "今日特卖");
        assert_eq!(truncate_display("今日特卖会场", TOP_WIDTH), "今日特...");
        assert_eq!(truncate_display("Search", TOP_WIDTH), "Search");
        assert_eq!(truncate_display("Membership", TOP_WIDTH), "Member...");
        assert_eq!(truncate_display("这是一个非常非常长的子菜单名字", SUB_WIDTH), "这是一个非常非...");
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            ".{0,20}".prop_map(Value::String),
            prop_oneof![Just("click"), Just("view"), Just("miniprogram"), Just("text"), Just("name"), Just("sub_button"), Just("button"), Just("list")].prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::hash_map(
                    prop_oneof![Just("menu"), Just("button"), Just("sub_button"), Just("list"), Just("type"), Just("name"), Just("key"), Just("url"), Just("selfmenu_info"), Just("appid"), Just("pagepath"), Just("value")].prop_map(str::to_owned),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A menu that follows every rule.
    fn valid_menu() -> impl Strategy<Value = Value> {
        let name = |max_chars: usize| proptest::collection::vec(prop_oneof![Just('菜'), Just('单'), Just('a'), Just('Z')], 1..=max_chars).prop_map(|c| c.into_iter().collect::<String>());
        let leaf = (name(20), 0u8..4, "[A-Z_]{1,20}").prop_map(|(n, k, key)| match k {
            0 => json!({"type": "click", "name": n, "key": key}),
            1 => json!({"type": "view", "name": n, "url": format!("https://shop.example.com/{key}")}),
            2 => json!({"type": "media_id", "name": n, "media_id": key}),
            _ => json!({"type": "location_select", "name": n, "key": key}),
        });
        let top = prop_oneof![
            (name(5), "[A-Z]{1,10}").prop_map(|(n, key)| json!({"type": "click", "name": n, "key": key})),
            (name(5), proptest::collection::vec(leaf, 1..=5)).prop_map(|(n, subs)| json!({"name": n, "sub_button": subs})),
        ];
        proptest::collection::vec(top, 1..=3).prop_map(|b| json!({"menu": {"button": b}}))
    }

    proptest! {
        #[test]
        fn never_panics_on_any_json(doc in arbitrary_json()) {
            let (menu, problems) = parse_menu(&doc, &[]);
            let bar = usable(&menu);
            prop_assert!(bar.len() <= MAX_TOP);
            prop_assert!(bar.iter().all(|b| b.sub_buttons.len() <= MAX_SUB));
            prop_assert!(problems.iter().all(|p| p.path.len() < 200));
        }

        #[test]
        fn accepts_every_menu_that_follows_the_rules(doc in valid_menu()) {
            let (menu, problems) = parse_menu(&doc, &[]);
            prop_assert_eq!(problems, vec![]);
            prop_assert_eq!(usable(&menu).len(), menu.buttons.len());
        }

        #[test]
        fn refuses_a_menu_with_one_rule_broken(doc in valid_menu(), which in 0u8..4) {
            let mut doc = doc;
            let buttons = doc["menu"]["button"].as_array_mut().expect("buttons");
            match which {
                0 => buttons.extend(vec![json!({"type": "click", "name": "x", "key": "k"}); 4]),
                1 => buttons[0]["name"] = json!("十七个字节的名字啊"),
                2 => buttons[0]["type"] = json!("teleport"),
                _ => { buttons[0] = json!({"type": "view", "name": "x", "url": "javascript:alert(1)"}); }
            }
            let (_, problems) = parse_menu(&doc, &[]);
            prop_assert!(!problems.is_empty());
        }
    }
}
