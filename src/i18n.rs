//! Every user-visible string, in one typed catalog per language. A missing English string is a
//! compile error, not a blank on screen; the catalog costs no parsing at start-up.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language of a browser language tag (`zh-CN`, `en-US`, …); Chinese first.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The catalog. In the release build English is there once `ready` has fetched it (until
    /// then, and if it could not be, the Chinese one: `I18n` shows English only once it is ready).
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::Zh => &ZH,
            #[cfg(not(wxf_split))]
            Lang::En => &EN,
            #[cfg(wxf_split)]
            Lang::En => ENGLISH.get().copied().unwrap_or(&ZH),
        }
    }

    /// The language a start shows: the remembered choice, else the browser's.
    pub fn wanted() -> Lang {
        let window = web_sys::window();
        let remembered = window.as_ref().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(LANG_KEY).ok().flatten());
        let browser = window.as_ref().and_then(|w| w.navigator().language());
        Lang::from_tag(remembered.or(browser).as_deref().unwrap_or("zh-CN"))
    }

    /// Whether this language's catalog can be shown now.
    pub fn is_ready(self) -> bool {
        #[cfg(wxf_split)]
        if self == Lang::En {
            return ENGLISH.get().is_some();
        }
        true
    }

    /// Makes this language's catalog ready (`false`: it could not be fetched). In the release
    /// build English takes its texts (a file index.html's first script begins fetching when
    /// English is wanted: `window.__wxfEnglish`) and its code (a module of its own).
    pub async fn ready(self) -> bool {
        #[cfg(wxf_split)]
        if !self.is_ready() {
            let Some(texts) = english_file().await else { return false };
            let Ok(Some(catalog)) = english_catalog(texts).await else {
                leptos::logging::warn!("the English catalog could not be loaded");
                return false;
            };
            let _ = ENGLISH.set(Box::leak(Box::new(catalog)));
        }
        true
    }
}

/// The English catalog once fetched (release build).
#[cfg(wxf_split)]
static ENGLISH: std::sync::OnceLock<&'static Messages> = std::sync::OnceLock::new();

/// The English texts file's content, kept for the rest of the visit (the catalog points into it).
#[cfg(wxf_split)]
async fn english_file() -> Option<&'static str> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let fetch_texts = js_sys::Reflect::get(&window, &"__wxfEnglish".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let promise = fetch_texts.call0(&window).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let text = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_string()?;
    Some(Box::leak(text.into_boxed_str()))
}

/// The catalog. Field names say where a string is used.
pub struct Messages {
    pub app_title: &'static str,
    pub tab_home: &'static str,
    pub tab_seckill: &'static str,
    pub tab_cart: &'static str,
    pub tab_school: &'static str,
    pub tab_moments: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub empty: &'static str,
    pub signing_in: &'static str,
    pub sign_in: &'static str,
    pub guest: &'static str,
    pub role_follower: &'static str,
    pub role_parent: &'static str,
    pub role_teacher: &'static str,
    pub hello: &'static str,
    pub server_time: &'static str,
    pub home_menu: &'static str,
    pub home_cart: &'static str,
    pub home_cart_lines: fn(usize) -> String,
    pub home_seckill: &'static str,
    pub home_seckill_live: fn(&str) -> String,
    pub home_seckill_none: &'static str,
    pub home_moments: &'static str,
    pub not_found: &'static str,
    pub back_home: &'static str,
    pub err_network: &'static str,
    pub err_timeout: &'static str,
    pub err_server: &'static str,
    pub err_decode: &'static str,
    pub err_session: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_busy: fn(u64) -> String,
    pub minutes_ago: fn(i64) -> String,
    pub hours_ago: fn(i64) -> String,
    pub days_ago: fn(i64) -> String,
    pub just_now: &'static str,
    pub menu_title: &'static str,
    pub cart_title: &'static str,
    pub cart_total: &'static str,
    pub cart_unavailable: &'static str,
    pub cart_empty: &'static str,
    pub seckill_title: &'static str,
    pub seckill_live: &'static str,
    pub seckill_upcoming: &'static str,
    pub seckill_ended: &'static str,
    pub school_title: &'static str,
    pub school_only: &'static str,
    pub hb_status: fn(crate::handbook::domain::WeekStatus) -> &'static str,
    pub hb_all: &'static str,
    pub hb_apply_class: &'static str,
    pub hb_applied: fn(i64) -> String,
    pub hb_applied_some: fn(i64, i64) -> String,
    pub minutes_unit: &'static str,
    pub hb_history: &'static str,
    pub hb_notices: &'static str,
    pub hb_leave: &'static str,
    pub hb_save: &'static str,
    pub hb_saved: &'static str,
    pub hb_send: &'static str,
    pub hb_sent_ok: &'static str,
    pub hb_draft_unsent: &'static str,
    pub hb_discard: &'static str,
    pub hb_conflict_title: &'static str,
    pub hb_keep_mine: &'static str,
    pub hb_take_theirs: &'static str,
    pub hb_save_merge: &'static str,
    pub hb_mine: &'static str,
    pub hb_theirs: &'static str,
    pub hb_copy_last_week: &'static str,
    pub hb_copied: &'static str,
    pub hb_nothing_last_week: &'static str,
    pub hb_prev_child: &'static str,
    pub hb_next_child: &'static str,
    pub hb_comments: &'static str,
    pub hb_comment_placeholder: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub send_failed_retry: &'static str,
    pub hb_not_sent_yet: &'static str,
    pub hb_check_fields: &'static str,
    pub hb_add_photos: &'static str,
    pub hb_read_only_kind: &'static str,
    pub hb_filled_by_other: &'static str,
    pub hb_week_of: fn(&str) -> String,
    pub notice_read_count: fn(i64, i64) -> String,
    pub notice_read: &'static str,
    pub notice_unread: &'static str,
    pub leave_new: &'static str,
    pub leave_child: &'static str,
    pub leave_from: &'static str,
    pub leave_to: &'static str,
    pub leave_reason: &'static str,
    pub leave_submit: &'static str,
    pub leave_sent: &'static str,
    pub leave_status: fn(&str) -> &'static str,
    pub leave_approve: &'static str,
    pub leave_decline: &'static str,
    pub leave_dates_order: &'static str,
    pub moments_title: &'static str,
    pub moments_full_text: &'static str,
    pub moments_collapse: &'static str,
    pub moments_new_posts: fn(i64) -> String,
    pub moments_view_all: fn(i64) -> String,
    pub moments_comment: &'static str,
    pub moments_like: &'static str,
    pub moments_reply_to: fn(&str) -> String,
    pub moments_say_something: &'static str,
    pub moments_delete_confirm: &'static str,
    pub moments_link_blocked: &'static str,
    pub moments_like_failed: &'static str,
    pub moments_play: &'static str,
    pub moments_load_more_comments: &'static str,
    pub language: &'static str,
    pub cancel: &'static str,
    pub ok: &'static str,
    pub close: &'static str,
    pub required: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub stars: fn(u8) -> String,
    pub picture_n: fn(usize, usize) -> String,
    pub preview: &'static str,
    pub no_more: &'static str,
    pub pull_to_refresh: &'static str,
    pub release_to_refresh: &'static str,
    pub refreshing: &'static str,
    pub days_prefix: fn(i64) -> String,
    pub showcase_title: &'static str,
    pub theme_auto: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub care_mode: &'static str,
    pub delete: &'static str,
    pub deleted: &'static str,
    pub submit: &'static str,
    pub select_all: &'static str,
    pub remind_me: &'static str,
    pub quantity: &'static str,
    pub confirm_delete: &'static str,
    pub confirm_delete_text: &'static str,
    pub share: &'static str,
    pub share_to_friend: &'static str,
    pub copy_link: &'static str,
    pub coupons: &'static str,
    pub name: &'static str,
    pub note: &'static str,
    pub temperature: &'static str,
    pub mood: &'static str,
    pub self_care: &'static str,
    pub appetite: &'static str,
    pub date: &'static str,
    pub time: &'static str,
    pub validate: &'static str,
    pub upload_failed: &'static str,
    pub seckill_sold_out: &'static str,
    pub seckill_limit_reached: &'static str,
    pub seckill_grab: &'static str,
    pub seckill_queued: &'static str,
    pub seckill_won: &'static str,
    pub seckill_not_started: &'static str,
    pub seckill_starts_in: &'static str,
    pub seckill_reminded: &'static str,
    pub seckill_reminder_set: &'static str,
    pub seckill_reminder_off: &'static str,
    pub seckill_limit: fn(i64, i64) -> String,
    pub unpaid_orders: &'static str,
    pub unpaid_short: &'static str,
    pub no_unpaid_orders: &'static str,
    pub done: &'static str,
    pub edit: &'static str,
    pub undo: &'static str,
    pub checkout: &'static str,
    pub go_shopping: &'static str,
    pub clear_unavailable: &'static str,
    pub subtotal: &'static str,
    pub sold_out: &'static str,
    pub delisted: &'static str,
    pub accept_price: &'static str,
    pub share_cart_title: &'static str,
    pub share_cart_desc: &'static str,
    pub share_link_copied: &'static str,
    pub share_with_menu: &'static str,
    pub shop_title: &'static str,
    pub add_to_cart: &'static str,
    pub added_to_cart: &'static str,
    pub share_revoked: &'static str,
    pub share_expired: &'static str,
    pub my_cart: &'static str,
    pub address: &'static str,
    pub add_address: &'static str,
    pub shipping: &'static str,
    pub goods: &'static str,
    pub discount: &'static str,
    pub place_order: &'static str,
    pub phone: &'static str,
    pub region: &'static str,
    pub detail: &'static str,
    pub cart_unsynced: fn(usize) -> String,
    pub cart_unavailable_n: fn(usize) -> String,
    pub removed_n: fn(usize) -> String,
    pub confirm_remove_n: fn(usize) -> String,
    pub only_left: fn(i64) -> String,
    pub stock_left: fn(i64) -> String,
    pub seckill_queue_position: fn(i64) -> String,
    pub seckill_wait: fn(u64) -> String,
    pub price_changed: fn(&str, &str) -> String,
    pub copied_n: fn(i64) -> String,
    pub copied_some: fn(i64, i64) -> String,
    pub shared_by: fn(&str) -> String,
    pub copy_to_my_cart: fn(usize) -> String,
    pub coupons_usable: fn(usize) -> String,
    pub total_changed: fn(&str) -> String,
    pub menu_closed: &'static str,
    pub menu_unusable: &'static str,
    pub menu_unsafe_link: &'static str,
    pub menu_type_code: &'static str,
    pub menu_send: &'static str,
    pub menu_you_tapped: &'static str,
    pub menu_scan_hint: &'static str,
    pub menu_sent_pictures: &'static str,
    pub menu_sent_location: &'static str,
    pub menu_sent_code: &'static str,
    pub menu_failed: &'static str,
    pub preview_title: &'static str,
    pub preview_paste: &'static str,
    pub preview_load_current: &'static str,
    pub preview_upload: &'static str,
    pub preview_share: &'static str,
    pub preview_copied: &'static str,
    pub preview_ok: &'static str,
    pub preview_problems: &'static str,
    pub preview_would: &'static str,
    pub json_invalid: &'static str,
    pub menu_problem: fn(&crate::menu::domain::ProblemKind) -> String,
    pub menu_would: fn(&crate::menu::domain::Action) -> String,
    pub voice_record: &'static str,
    pub voice_stop: &'static str,
    pub voice_failed: &'static str,
    pub voice_unsupported: &'static str,
    pub subscribe_failed: &'static str,
    pub pay_now: &'static str,
    pub pay_within: &'static str,
    pub pay_confirming: &'static str,
    pub pay_cancelled: &'static str,
    pub pay_failed: &'static str,
    pub pay_in_wechat: &'static str,
    pub pay_simulated: &'static str,
    pub pay_sim_ok: &'static str,
    pub pay_sim_cancel: &'static str,
    pub pay_sim_fail: &'static str,
    pub order_pending: &'static str,
    pub order_paid: &'static str,
    pub order_cancelled: &'static str,
    pub order_expired: &'static str,
    pub order_stores: &'static str,
    pub cancel_order: &'static str,
    pub cancel_order_confirm: &'static str,
    pub grabbed_pct: fn(u32) -> String,
    pub max_quantity: fn(i64) -> String,
}

pub static ZH: Messages = Messages {
    app_title: "上品折扣",
    tab_home: "首页",
    tab_seckill: "秒杀",
    tab_cart: "购物车",
    tab_school: "家园",
    tab_moments: "动态",
    loading: "正在加载",
    retry: "重试",
    empty: "暂无内容",
    signing_in: "正在登录",
    sign_in: "登录",
    guest: "游客",
    role_follower: "粉丝",
    role_parent: "家长",
    role_teacher: "老师",
    hello: "你好",
    server_time: "服务器时间",
    home_menu: "公众号菜单",
    home_cart: "购物车",
    home_cart_lines: |n| format!("{n} 件商品"),
    home_seckill: "限时秒杀",
    home_seckill_live: |title| format!("{title} 场正在抢购"),
    home_seckill_none: "暂无进行中的场次",
    home_moments: "最新动态",
    not_found: "页面不存在",
    back_home: "返回首页",
    err_network: "网络不给力，请检查网络后重试",
    err_timeout: "请求超时，请稍后重试",
    err_server: "服务器开小差了，请稍后重试",
    err_decode: "收到的数据有误，请稍后重试",
    err_session: "登录已过期，请重新登录",
    err_forbidden: "没有权限查看",
    err_not_found: "内容不存在或已删除",
    err_busy: |s| format!("请求太频繁，请 {s} 秒后重试"),
    minutes_ago: |n| format!("{n}分钟前"),
    hours_ago: |n| format!("{n}小时前"),
    days_ago: |n| format!("{n}天前"),
    just_now: "刚刚",
    menu_title: "公众号菜单",
    cart_title: "购物车",
    cart_total: "合计",
    cart_unavailable: "失效商品",
    cart_empty: "购物车空空如也",
    seckill_title: "限时秒杀",
    seckill_live: "抢购中",
    seckill_upcoming: "即将开始",
    seckill_ended: "已结束",
    school_title: "家园联系册",
    school_only: "家园联系册只对家长和老师开放",
    hb_status: |s| { use crate::handbook::domain::WeekStatus::*; match s { NotStarted => "未开始", TeacherDone => "老师已填", Sent => "已发送", Read => "家长已读", Replied => "家长已回复", Other => "—" } },
    hb_all: "全部",
    hb_apply_class: "应用到全班",
    hb_applied: |n| format!("已为另外 {n} 位小朋友填上"),
    hb_applied_some: |n, failed| format!("已填 {n} 位，{failed} 位没有成功，请稍后再试"),
    minutes_unit: "分钟",
    hb_history: "往期手册",
    hb_notices: "班级通知",
    hb_leave: "请假",
    hb_save: "保存",
    hb_saved: "已保存",
    hb_send: "发送给家长",
    hb_sent_ok: "已发送给家长",
    hb_draft_unsent: "草稿未保存",
    hb_discard: "放弃草稿",
    hb_conflict_title: "这一栏已被修改，请选择保留哪一份",
    hb_keep_mine: "全部用我的",
    hb_take_theirs: "全部用已保存的",
    hb_save_merge: "按所选保存",
    hb_mine: "我的",
    hb_theirs: "已保存的",
    hb_copy_last_week: "沿用上周",
    hb_copied: "已填入上周的内容，请检查后保存",
    hb_nothing_last_week: "上周没有可沿用的内容",
    hb_prev_child: "上一个",
    hb_next_child: "下一个",
    hb_comments: "留言",
    hb_comment_placeholder: "写给老师或家长…",
    send: "发送",
    sending: "发送中…",
    send_failed_retry: "发送失败，点此重试",
    hb_not_sent_yet: "老师还没有发送本周手册",
    hb_check_fields: "请检查标红的内容",
    hb_add_photos: "添加照片",
    hb_read_only_kind: "此项请在新版本中查看",
    hb_filled_by_other: "对方填写",
    hb_week_of: |d| format!("{d} 起的一周"),
    notice_read_count: |r, n| format!("已读 {r}/{n}"),
    notice_read: "已读",
    notice_unread: "未读",
    leave_new: "申请请假",
    leave_child: "孩子",
    leave_from: "开始日期",
    leave_to: "结束日期",
    leave_reason: "事由",
    leave_submit: "提交申请",
    leave_sent: "已提交，等待老师审批",
    leave_status: |s| match s { "approved" => "已批准", "declined" => "未批准", _ => "待审批" },
    leave_approve: "批准",
    leave_decline: "不批准",
    leave_dates_order: "结束日期不能早于开始日期",
    moments_title: "客户朋友圈",
    moments_full_text: "全文",
    moments_collapse: "收起",
    moments_new_posts: |n| format!("有 {n} 条新动态"),
    moments_view_all: |n| format!("查看全部 {n} 条评论"),
    moments_comment: "评论",
    moments_like: "赞",
    moments_reply_to: |n| format!("回复 {n}"),
    moments_say_something: "说点什么…",
    moments_delete_confirm: "删除这条评论？",
    moments_link_blocked: "链接不可用",
    moments_like_failed: "没赞上，请稍后再试",
    moments_play: "播放视频",
    moments_load_more_comments: "更多评论",
    language: "English",
    cancel: "取消",
    ok: "确定",
    close: "关闭",
    required: "必填",
    decrease: "减少",
    increase: "增加",
    stars: |n| format!("{n} 星"),
    picture_n: |i, n| format!("第 {i} 张，共 {n} 张"),
    preview: "图片预览",
    no_more: "没有更多了",
    pull_to_refresh: "下拉刷新",
    release_to_refresh: "松开刷新",
    refreshing: "正在刷新",
    days_prefix: |d| format!("{d}天 "),
    showcase_title: "组件一览",
    theme_auto: "跟随系统",
    theme_light: "浅色",
    theme_dark: "深色",
    care_mode: "关怀模式（大字）",
    delete: "删除",
    deleted: "已删除",
    submit: "提交",
    select_all: "全选",
    remind_me: "开抢提醒",
    quantity: "数量",
    confirm_delete: "确定删除？",
    confirm_delete_text: "删除后不能恢复",
    share: "分享",
    share_to_friend: "发送给朋友",
    copy_link: "复制链接",
    coupons: "优惠券",
    name: "姓名",
    note: "备注",
    temperature: "体温",
    mood: "情绪",
    self_care: "自理能力",
    appetite: "食欲",
    date: "日期",
    time: "时间",
    validate: "检查填写",
    upload_failed: "上传失败，请重试",
    seckill_sold_out: "已抢光",
    seckill_limit_reached: "已达限购",
    seckill_grab: "立即抢购",
    seckill_queued: "排队中…",
    seckill_won: "抢到了！请在时限内支付",
    seckill_not_started: "还没开始，已校准时间",
    seckill_starts_in: "距开始",
    seckill_reminded: "已设提醒",
    seckill_reminder_set: "开抢前会提醒你",
    seckill_reminder_off: "已取消提醒",
    seckill_limit: |limit, bought| format!("每人限购 {limit} 件（已买 {bought}）"),
    unpaid_orders: "待支付订单",
    unpaid_short: "待支付",
    no_unpaid_orders: "没有待支付的订单",
    done: "完成",
    edit: "编辑",
    undo: "撤销",
    checkout: "结算",
    go_shopping: "去逛逛",
    clear_unavailable: "清空失效商品",
    subtotal: "小计",
    sold_out: "已售罄",
    delisted: "已下架",
    accept_price: "按新价格购买",
    share_cart_title: "我的购物车",
    share_cart_desc: "看看我挑的好物",
    share_link_copied: "分享链接已复制，发给朋友吧",
    share_with_menu: "点击右上角「···」发送给朋友",
    shop_title: "逛商城",
    add_to_cart: "加入购物车",
    added_to_cart: "已加入购物车",
    share_revoked: "分享者已取消了这个分享",
    share_expired: "分享链接已过期",
    my_cart: "我的购物车",
    address: "收货地址",
    add_address: "添加收货地址",
    shipping: "运费",
    goods: "商品",
    discount: "优惠",
    place_order: "提交订单",
    phone: "手机号",
    region: "所在地区",
    detail: "详细地址",
    cart_unsynced: |n| format!("{n} 项修改还没有保存到服务器"),
    cart_unavailable_n: |n| format!("失效商品（{n}）"),
    removed_n: |n| format!("已删除 {n} 件商品"),
    confirm_remove_n: |n| format!("确定删除这 {n} 件商品？"),
    only_left: |n| format!("库存仅剩 {n} 件"),
    stock_left: |n| format!("剩余 {n} 件"),
    seckill_queue_position: |n| format!("排队中 · 第 {n} 位"),
    seckill_wait: |s| format!("{s} 秒后再抢"),
    price_changed: |old, new| format!("价格变化：{old} → {new}"),
    copied_n: |n| format!("已加入 {n} 件到你的购物车"),
    copied_some: |n, skipped| format!("已加入 {n} 件，{skipped} 件无法加入（售罄、下架或超出限购）"),
    shared_by: |name| format!("{name} 分享的购物车"),
    copy_to_my_cart: |n| format!("加入我的购物车（{n}）"),
    coupons_usable: |n| format!("{n} 张可用"),
    total_changed: |total| format!("价格有变化，新的合计为 {total}，确认提交？"),
    menu_closed: "公众号暂未开启菜单",
    menu_unusable: "菜单暂不可用",
    menu_unsafe_link: "这个链接不安全，已为你拦截",
    menu_type_code: "输入条码或二维码内容",
    menu_send: "发送",
    menu_you_tapped: "你点击了",
    menu_scan_hint: "当前环境无法扫码，请手动输入",
    menu_sent_pictures: "发送了图片",
    menu_sent_location: "发送了位置",
    menu_sent_code: "发送了扫码结果",
    menu_failed: "发送失败",
    preview_title: "菜单预览",
    preview_paste: "粘贴菜单 JSON（menu/get 或 get_current_selfmenu_info）",
    preview_load_current: "载入当前菜单",
    preview_upload: "上传文件",
    preview_share: "分享预览链接",
    preview_copied: "预览链接已复制",
    preview_ok: "菜单符合全部规则",
    preview_problems: "问题",
    preview_would: "点击后将",
    json_invalid: "不是有效的 JSON",
    menu_problem: problem_zh,
    menu_would: would_zh,
    voice_record: "录音",
    voice_stop: "停止录音",
    voice_failed: "录音失败，请重试",
    voice_unsupported: "当前浏览器不支持录音，请在微信中打开",
    subscribe_failed: "订阅失败，请重试",
    pay_now: "立即支付",
    pay_within: "剩余支付时间",
    pay_confirming: "正在确认支付结果",
    pay_cancelled: "已取消支付，订单可在截止前继续支付",
    pay_failed: "支付失败，请重试",
    pay_in_wechat: "请在微信中打开本页完成支付",
    pay_simulated: "模拟微信支付（开发环境）",
    pay_sim_ok: "支付成功",
    pay_sim_cancel: "取消支付",
    pay_sim_fail: "支付失败",
    order_pending: "待支付",
    order_paid: "支付成功",
    order_cancelled: "订单已取消",
    order_expired: "订单已超时关闭",
    order_stores: "各店铺金额",
    cancel_order: "取消订单",
    cancel_order_confirm: "确定取消这个订单？",
    grabbed_pct: |p| format!("已抢 {p}%"),
    max_quantity: |n| format!("最多只能买 {n} 件"),
};

/// The English catalog, its texts apart from its code. Most followers read Chinese, and every
/// first visit downloaded both catalogs: the release build (`--cfg wxf_split`) sends the English
/// texts as a file of their own (`english_texts`, written out by `src/bin/english_texts.rs`) and
/// the English code as a module of its own, both fetched only when English is wanted (`ready`).
/// Everywhere else `EN` is an ordinary static.
macro_rules! english {
    (texts { $($text:ident: $value:literal,)* } code { $($code:ident: $f:expr,)* }) => {
        #[cfg(not(wxf_split))]
        pub static EN: Messages = Messages { $($text: $value,)* $($code: $f,)* };

        /// The English texts, in the order `english_catalog` reads them (linked only where used:
        /// the build step that writes them out, and the tests).
        pub fn english_texts() -> Vec<&'static str> {
            vec![$($value),*]
        }

        /// The English catalog from the texts file (one text per line); `None` when the file does
        /// not hold exactly the texts this build expects.
        #[cfg(wxf_split)]
        #[leptos::wasm_split::wasm_split(lang_english, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn english_catalog(texts: &'static str) -> Result<Option<Messages>, leptos::wasm_split::SplitLoaderError> {
            let mut next = texts.split('\n');
            let messages = Messages {
                $($text: match next.next() { Some(text) => text, None => return Ok(None) },)*
                $($code: $f,)*
            };
            Ok(next.next().is_none().then_some(messages))
        }
    };
}

english! {
    texts {
        app_title: "Shangpin Outlet",
        tab_home: "Home",
        tab_seckill: "Flash sale",
        tab_cart: "Cart",
        tab_school: "School",
        tab_moments: "Moments",
        loading: "Loading",
        retry: "Retry",
        empty: "Nothing here yet",
        signing_in: "Signing in",
        sign_in: "Sign in",
        guest: "Guest",
        role_follower: "Follower",
        role_parent: "Parent",
        role_teacher: "Teacher",
        hello: "Hello",
        server_time: "Server time",
        home_menu: "Account menu",
        home_cart: "Cart",
        home_seckill: "Flash sale",
        home_seckill_none: "No sale on right now",
        home_moments: "Latest moment",
        not_found: "Page not found",
        back_home: "Back to home",
        err_network: "No connection. Check your network and retry.",
        err_timeout: "The request timed out. Please retry.",
        err_server: "Something went wrong on our side. Please retry.",
        err_decode: "We received something unexpected. Please retry.",
        err_session: "Your session has expired. Please sign in again.",
        err_forbidden: "You don't have access to this.",
        err_not_found: "This no longer exists.",
        just_now: "Just now",
        menu_title: "Account menu",
        cart_title: "Cart",
        cart_total: "Total",
        cart_unavailable: "Unavailable",
        cart_empty: "Your cart is empty",
        seckill_title: "Flash sale",
        seckill_live: "On now",
        seckill_upcoming: "Upcoming",
        seckill_ended: "Ended",
        school_title: "Home-school handbook",
        school_only: "The handbook is for parents and teachers",
        hb_all: "All",
        hb_apply_class: "Apply to the whole class",
        minutes_unit: "min",
        hb_history: "Past weeks",
        hb_notices: "Class notices",
        hb_leave: "Leave",
        hb_save: "Save",
        hb_saved: "Saved",
        hb_send: "Send to parents",
        hb_sent_ok: "Sent to the parents",
        hb_draft_unsent: "Unsaved draft",
        hb_discard: "Discard draft",
        hb_conflict_title: "This section changed meanwhile: choose what to keep",
        hb_keep_mine: "Keep all mine",
        hb_take_theirs: "Take all saved",
        hb_save_merge: "Save as chosen",
        hb_mine: "Mine",
        hb_theirs: "Saved",
        hb_copy_last_week: "Copy last week",
        hb_copied: "Last week filled in: check, then save",
        hb_nothing_last_week: "Nothing to copy from last week",
        hb_prev_child: "Previous",
        hb_next_child: "Next",
        hb_comments: "Messages",
        hb_comment_placeholder: "Write to the teacher or parent…",
        send: "Send",
        sending: "Sending…",
        send_failed_retry: "Not sent: tap to retry",
        hb_not_sent_yet: "The teacher has not sent this week yet",
        hb_check_fields: "Please check the fields in red",
        hb_add_photos: "Add photos",
        hb_read_only_kind: "Shown as is (newer field)",
        hb_filled_by_other: "Filled by the other side",
        notice_read: "Read",
        notice_unread: "Unread",
        leave_new: "Ask for leave",
        leave_child: "Child",
        leave_from: "From",
        leave_to: "To",
        leave_reason: "Reason",
        leave_submit: "Send request",
        leave_sent: "Sent: waiting for the teacher",
        leave_approve: "Approve",
        leave_decline: "Decline",
        leave_dates_order: "The end cannot be before the start",
        moments_title: "Moments",
        moments_full_text: "More",
        moments_collapse: "Less",
        moments_comment: "Comment",
        moments_like: "Like",
        moments_say_something: "Say something…",
        moments_delete_confirm: "Delete this comment?",
        moments_link_blocked: "Link unavailable",
        moments_like_failed: "Could not like: try again later",
        moments_play: "Play video",
        moments_load_more_comments: "More comments",
        language: "中文",
        cancel: "Cancel",
        ok: "OK",
        close: "Close",
        required: "required",
        decrease: "Decrease",
        increase: "Increase",
        preview: "Picture preview",
        no_more: "No more",
        pull_to_refresh: "Pull to refresh",
        release_to_refresh: "Release to refresh",
        refreshing: "Refreshing",
        showcase_title: "Widgets",
        theme_auto: "System",
        theme_light: "Light",
        theme_dark: "Dark",
        care_mode: "Care mode (large type)",
        delete: "Delete",
        deleted: "Deleted",
        submit: "Submit",
        select_all: "Select all",
        remind_me: "Remind me",
        quantity: "Quantity",
        confirm_delete: "Delete this?",
        confirm_delete_text: "This cannot be undone.",
        share: "Share",
        share_to_friend: "Send to a friend",
        copy_link: "Copy link",
        coupons: "Coupons",
        name: "Name",
        note: "Note",
        temperature: "Temperature",
        mood: "Mood",
        self_care: "Self-care",
        appetite: "Appetite",
        date: "Date",
        time: "Time",
        validate: "Check",
        upload_failed: "Upload failed. Please retry.",
        seckill_sold_out: "Sold out",
        seckill_limit_reached: "Limit reached",
        seckill_grab: "Grab it",
        seckill_queued: "In the queue…",
        seckill_won: "Got it! Pay before the deadline",
        seckill_not_started: "Not started yet — the time was corrected",
        seckill_starts_in: "Starts in",
        seckill_reminded: "Reminder set",
        seckill_reminder_set: "We'll remind you before it starts",
        seckill_reminder_off: "Reminder cancelled",
        unpaid_orders: "Orders to pay",
        unpaid_short: "To pay",
        no_unpaid_orders: "No orders waiting for payment",
        done: "Done",
        edit: "Edit",
        undo: "Undo",
        checkout: "Checkout",
        go_shopping: "Go shopping",
        clear_unavailable: "Clear unavailable",
        subtotal: "Subtotal",
        sold_out: "Sold out",
        delisted: "No longer sold",
        accept_price: "Buy at the new price",
        share_cart_title: "My cart",
        share_cart_desc: "Have a look at what I picked",
        share_link_copied: "Link copied: send it to a friend",
        share_with_menu: "Tap ··· at the top right to send it to a friend",
        shop_title: "Shop",
        add_to_cart: "Add to cart",
        added_to_cart: "Added to cart",
        share_revoked: "The sharer has withdrawn this cart",
        share_expired: "This shared cart has expired",
        my_cart: "My cart",
        address: "Delivery address",
        add_address: "Add a delivery address",
        shipping: "Shipping",
        goods: "Goods",
        discount: "Discount",
        place_order: "Place order",
        phone: "Phone",
        region: "Region",
        detail: "Street address",
        menu_closed: "This account's menu is switched off",
        menu_unusable: "The menu is unavailable",
        menu_unsafe_link: "This link is unsafe and was blocked",
        menu_type_code: "Type the code",
        menu_send: "Send",
        menu_you_tapped: "You tapped",
        menu_scan_hint: "Scanning isn't available here: type the code",
        menu_sent_pictures: "Sent pictures",
        menu_sent_location: "Sent your location",
        menu_sent_code: "Sent a scanned code",
        menu_failed: "Not sent",
        preview_title: "Menu preview",
        preview_paste: "Paste the menu JSON (menu/get or get_current_selfmenu_info)",
        preview_load_current: "Load the live menu",
        preview_upload: "Upload a file",
        preview_share: "Share this preview",
        preview_copied: "Preview link copied",
        preview_ok: "The menu follows every rule",
        preview_problems: "Problems",
        preview_would: "Tapping it will",
        json_invalid: "Not valid JSON",
        voice_record: "Record",
        voice_stop: "Stop",
        voice_failed: "Recording failed. Please retry.",
        voice_unsupported: "This browser cannot record. Open the page in WeChat.",
        subscribe_failed: "Could not subscribe. Please retry.",
        pay_now: "Pay now",
        pay_within: "Pay within",
        pay_confirming: "Confirming payment",
        pay_cancelled: "Payment cancelled. You can still pay before the deadline.",
        pay_failed: "Payment failed. Please retry.",
        pay_in_wechat: "Open this page in WeChat to pay",
        pay_simulated: "Simulated WeChat Pay (development)",
        pay_sim_ok: "Pay",
        pay_sim_cancel: "Cancel payment",
        pay_sim_fail: "Fail payment",
        order_pending: "Awaiting payment",
        order_paid: "Paid",
        order_cancelled: "Order cancelled",
        order_expired: "Order closed: not paid in time",
        order_stores: "By store",
        cancel_order: "Cancel order",
        cancel_order_confirm: "Cancel this order?",
    }
    code {
        home_cart_lines: |n| if n == 1 { "1 item".to_owned() } else { format!("{n} items") },
        home_seckill_live: |title| format!("The {title} sale is on"),
        err_busy: |s| format!("Too many requests. Retry in {s} s."),
        minutes_ago: |n| format!("{n} min ago"),
        hours_ago: |n| if n == 1 { "1 hour ago".to_owned() } else { format!("{n} hours ago") },
        days_ago: |n| if n == 1 { "1 day ago".to_owned() } else { format!("{n} days ago") },
        hb_status: |s| { use crate::handbook::domain::WeekStatus::*; match s { NotStarted => "Not started", TeacherDone => "Teacher done", Sent => "Sent", Read => "Read by parent", Replied => "Parent replied", Other => "—" } },
        hb_applied: |n| format!("Filled in for {n} other children"),
        hb_applied_some: |n, failed| format!("Filled in for {n}; {failed} failed, try again later"),
        hb_week_of: |d| format!("Week of {d}"),
        notice_read_count: |r, n| format!("Read {r}/{n}"),
        leave_status: |s| match s { "approved" => "Approved", "declined" => "Declined", _ => "Pending" },
        moments_new_posts: |n| format!("{n} new posts"),
        moments_view_all: |n| format!("View all {n} comments"),
        moments_reply_to: |n| format!("Reply to {n}"),
        stars: |n| if n == 1 { "1 star".to_owned() } else { format!("{n} stars") },
        picture_n: |i, n| format!("Picture {i} of {n}"),
        days_prefix: |d| format!("{d}d "),
        seckill_limit: |limit, bought| format!("{limit} per person ({bought} bought)"),
        cart_unsynced: |n| if n == 1 { "1 change not saved yet".to_owned() } else { format!("{n} changes not saved yet") },
        cart_unavailable_n: |n| format!("Unavailable ({n})"),
        removed_n: |n| if n == 1 { "1 item removed".to_owned() } else { format!("{n} items removed") },
        confirm_remove_n: |n| if n == 1 { "Remove this item?".to_owned() } else { format!("Remove these {n} items?") },
        only_left: |n| format!("Only {n} left"),
        stock_left: |n| format!("{n} left"),
        seckill_queue_position: |n| format!("In line · No. {n}"),
        seckill_wait: |s| format!("Retry in {s} s"),
        price_changed: |old, new| format!("Price changed: {old} → {new}"),
        copied_n: |n| format!("Added {n} to your cart"),
        copied_some: |n, skipped| format!("Added {n}; {skipped} could not be added (sold out, no longer sold, or over the limit)"),
        shared_by: |name| format!("{name}'s cart"),
        copy_to_my_cart: |n| format!("Add to my cart ({n})"),
        coupons_usable: |n| format!("{n} usable"),
        total_changed: |total| format!("Prices changed: the new total is {total}. Place the order?"),
        menu_problem: problem_en,
        menu_would: would_en,
        grabbed_pct: |p| format!("{p}% claimed"),
        max_quantity: |n| if n == 1 { "You can buy at most 1".to_owned() } else { format!("You can buy at most {n}") },
    }
}

fn problem_zh(k: &crate::menu::domain::ProblemKind) -> String {
    use crate::menu::domain::ProblemKind::*;
    match k {
        NotAMenu => "这不是菜单 JSON（缺少 menu 或 selfmenu_info）".into(),
        ButtonCount { found } => format!("一级菜单应为 1–3 个，现在是 {found} 个"),
        SubButtonCount { found } => format!("二级菜单应为 1–5 个，现在是 {found} 个"),
        TypeAndSubButtons => "一个按钮不能既有 type 又有 sub_button".into(),
        NoTypeNorSubButtons => "按钮缺少 type，也没有 sub_button".into(),
        UnknownType { kind } => format!("未知的按钮类型「{kind}」"),
        NestedSubButtons => "二级菜单不能再有子菜单".into(),
        NameMissing => "按钮名称不能为空".into(),
        NameTooLong { bytes, max } => format!("名称 {bytes} 字节，超过 {max} 字节（汉字占 3 字节）"),
        Missing { field } => format!("缺少 {field}"),
        KeyTooLong { bytes } => format!("key 有 {bytes} 字节，超过 128 字节"),
        UrlTooLong { bytes } => format!("url 有 {bytes} 字节，超过 1024 字节"),
        UnsafeUrl => "链接不安全或不在允许的域名内".into(),
        NotAnObject => "按钮应为对象".into(),
    }
}

fn problem_en(k: &crate::menu::domain::ProblemKind) -> String {
    use crate::menu::domain::ProblemKind::*;
    match k {
        NotAMenu => "Not a menu JSON (no menu or selfmenu_info)".into(),
        ButtonCount { found } => format!("1–3 top buttons allowed, found {found}"),
        SubButtonCount { found } => format!("1–5 sub-buttons allowed, found {found}"),
        TypeAndSubButtons => "A button cannot have both a type and sub_button".into(),
        NoTypeNorSubButtons => "The button has neither a type nor sub_button".into(),
        UnknownType { kind } => format!("Unknown button type \"{kind}\""),
        NestedSubButtons => "A sub-button cannot have sub-buttons".into(),
        NameMissing => "The name is empty".into(),
        NameTooLong { bytes, max } => format!("The name is {bytes} bytes, over {max} (a Chinese character is 3)"),
        Missing { field } => format!("{field} is missing"),
        KeyTooLong { bytes } => format!("The key is {bytes} bytes, over 128"),
        UrlTooLong { bytes } => format!("The url is {bytes} bytes, over 1024"),
        UnsafeUrl => "The link is unsafe or outside the allowed domains".into(),
        NotAnObject => "A button must be an object".into(),
    }
}

fn would_zh(a: &crate::menu::domain::Action) -> String {
    use crate::menu::domain::Action::*;
    match a {
        View { url } => format!("打开链接 {url}"),
        MiniProgram { appid, pagepath, .. } => format!("打开小程序 {appid} 的 {pagepath}"),
        ScanPush { key } | ScanWait { key } => format!("扫码，然后发送事件 {key}"),
        PicSysPhoto { key } | PicPhotoOrAlbum { key } | PicWeixin { key } => format!("选择图片，然后发送事件 {key}"),
        LocationSelect { key } => format!("获取位置，然后发送事件 {key}"),
        Click { key } => format!("发送点击事件 {key}，显示公众号的回复"),
        MediaId { media_id } | ViewLimited { media_id } => format!("显示素材 {media_id}"),
        ArticleId { article_id } | ArticleViewLimited { article_id } => format!("显示图文 {article_id}"),
        Console { kind, value } => format!("显示 {kind} 回复 {value}"),
    }
}

fn would_en(a: &crate::menu::domain::Action) -> String {
    use crate::menu::domain::Action::*;
    match a {
        View { url } => format!("open {url}"),
        MiniProgram { appid, pagepath, .. } => format!("open mini program {appid} at {pagepath}"),
        ScanPush { key } | ScanWait { key } => format!("scan a code, then send event {key}"),
        PicSysPhoto { key } | PicPhotoOrAlbum { key } | PicWeixin { key } => format!("choose pictures, then send event {key}"),
        LocationSelect { key } => format!("get the location, then send event {key}"),
        Click { key } => format!("send click {key} and show the account's reply"),
        MediaId { media_id } | ViewLimited { media_id } => format!("show material {media_id}"),
        ArticleId { article_id } | ArticleViewLimited { article_id } => format!("show article {article_id}"),
        Console { kind, value } => format!("show the {kind} reply {value}"),
    }
}

/// Money from integer fen: `¥12.30`, `-¥0.05`.
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", abs / 100, abs % 100)
}

/// "3分钟前" / "3 min ago", from two server instants.
pub fn relative_time(m: &Messages, now_ms: i64, then_ms: i64) -> String {
    let minutes = (now_ms - then_ms).max(0) / 60_000;
    match minutes {
        0 => m.just_now.to_owned(),
        1..=59 => (m.minutes_ago)(minutes),
        60..=1439 => (m.hours_ago)(minutes / 60),
        _ => (m.days_ago)(minutes / 1440),
    }
}

/// The chosen language (from context: `expect_context::<I18n>()`).
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

const LANG_KEY: &str = "wxf.lang";

impl I18n {
    /// The remembered choice, else the browser's language (Chinese if English could not be
    /// fetched: `start` makes it ready before the app mounts).
    pub fn from_browser() -> I18n {
        let lang = Some(Lang::wanted()).filter(|l| l.is_ready()).unwrap_or(Lang::Zh);
        // index.html says zh-CN until the app knows better (screen readers, the crash screen).
        tell_document(lang);
        I18n { lang: RwSignal::new(lang) }
    }

    /// The catalog of the current language (reactive).
    pub fn t(&self) -> &'static Messages {
        self.lang.get().messages()
    }

    /// Switches language, remembers it and tells the document.
    pub fn set(&self, lang: Lang) {
        self.show(lang);
        if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
    }

    /// Switches language for this visit only (a preview address) and tells the document; once
    /// its catalog is ready, if it has to be fetched first.
    pub fn show(&self, lang: Lang) {
        if lang.is_ready() {
            self.lang.set(lang);
            tell_document(lang);
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if lang.ready().await && this.lang.try_set(lang).is_none() {
                tell_document(lang);
            }
        });
    }
}

/// `<html lang>`: what the page's text is in.
fn tell_document(lang: Lang) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.code());
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money_formats_from_fen() {
        assert_eq!(format_fen(1230), "¥12.30");
        assert_eq!(format_fen(5), "¥0.05");
        assert_eq!(format_fen(0), "¥0.00");
        assert_eq!(format_fen(-5), "-¥0.05");
        assert_eq!(format_fen(i64::MIN), "-¥92233720368547758.08");
    }

    #[test]
    fn relative_times_in_both_languages() {
        let now = 1_000_000_000_000;
        assert_eq!(relative_time(&ZH, now, now - 30_000), "刚刚");
        assert_eq!(relative_time(&ZH, now, now - 3 * 60_000), "3分钟前");
        assert_eq!(relative_time(&EN, now, now - 3 * 60_000), "3 min ago");
        assert_eq!(relative_time(&EN, now, now - 60 * 60_000), "1 hour ago");
        assert_eq!(relative_time(&ZH, now, now - 49 * 3_600_000), "2天前");
        assert_eq!(relative_time(&ZH, now, now + 60_000), "刚刚", "a future instant is now");
    }

    #[test]
    fn english_texts_are_one_per_line_in_the_catalogs_order() {
        let texts = english_texts();
        assert!(texts.iter().all(|t| !t.contains('\n')), "a text with a line break would shift every text after it");
        // The order the release build reads them back in: the struct's text fields as listed.
        assert_eq!(texts.first(), Some(&EN.app_title));
        assert_eq!(texts.get(1), Some(&EN.tab_home));
        assert!(texts.len() > 200, "{} texts", texts.len());
    }

    #[test]
    fn language_follows_the_tag() {
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_tag(""), Lang::Zh);
    }

    proptest! {
        #[test]
        fn money_round_trips(fen in any::<i64>()) {
            let text = format_fen(fen);
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            let parsed: i128 = digits.parse().unwrap_or(-1);
            prop_assert_eq!(parsed, (fen as i128).abs());
            prop_assert_eq!(text.starts_with('-'), fen < 0);
        }
    }
}
