//! The service account's custom menu, as followers use it, and a previewer for operators.

pub mod domain;
pub mod preview;

use crate::api::{ApiClient, ApiError};
use crate::config::Config;
use crate::i18n::use_i18n;
use crate::links::check_link;
use crate::ui::{fetched, use_toast, Deferred, ErrorView, HalfScreen, LazyImage, Popover, TextField};
use crate::wechat::open_tags::LaunchWeapp;
use crate::wechat::pictures::{PicturePicker, Upload};
use crate::wechat::{self, JsSdk, Outcome, Scan};
use domain::{parse_menu, truncate_display, usable, Action, MenuButton, SUB_WIDTH, TOP_WIDTH};
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::json::{Json, ToJson};
use crate::json_record;

/// What the API is sent for a button a page cannot complete by itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MenuEvent {
    /// Sent as `type`.
    pub kind: String,
    pub key: Option<String>,
    pub media_id: Option<String>,
    pub article_id: Option<String>,
    pub value: Option<String>,
    pub scan_result: Option<String>,
    pub upload_ids: Option<Vec<String>>,
    pub location: Option<EventLocation>,
}

impl ToJson for MenuEvent {
    /// Only what the button has: absent fields are left out, not sent as null.
    fn to_json(&self) -> Json {
        let mut fields = vec![
            ("type", self.kind.to_json()),
            ("key", self.key.to_json()),
            ("media_id", self.media_id.to_json()),
            ("article_id", self.article_id.to_json()),
            ("value", self.value.to_json()),
            ("scan_result", self.scan_result.to_json()),
            ("upload_ids", self.upload_ids.to_json()),
            ("location", self.location.to_json()),
        ];
        fields.retain(|(_, v)| !v.is_null());
        Json::object(fields)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventLocation {
    pub latitude: f64,
    pub longitude: f64,
}
json_record!(write EventLocation { latitude, longitude });

impl MenuEvent {
    /// The event of a button, before any scan, pictures or location are added.
    pub fn of(action: &Action) -> MenuEvent {
        let mut e = MenuEvent { kind: action.kind().to_owned(), ..Default::default() };
        match action {
            Action::Click { key } | Action::ScanPush { key } | Action::ScanWait { key } | Action::PicSysPhoto { key }
            | Action::PicPhotoOrAlbum { key } | Action::PicWeixin { key } | Action::LocationSelect { key } => e.key = Some(key.clone()),
            Action::MediaId { media_id } | Action::ViewLimited { media_id } => e.media_id = Some(media_id.clone()),
            Action::ArticleId { article_id } | Action::ArticleViewLimited { article_id } => e.article_id = Some(article_id.clone()),
            Action::Console { value, .. } => e.value = Some(value.clone()),
            Action::View { .. } | Action::MiniProgram { .. } => {}
        }
        e
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub title: String,
    pub description: String,
    pub url: String,
    pub pic_url: String,
}
json_record!(read Article { title, description: default, url, pic_url: default });

/// The account's answer to a menu event.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuReply {
    pub kind: String,
    pub text: String,
    pub image_url: String,
    pub articles: Vec<Article>,
}
json_record!(read MenuReply { kind, text: default, image_url: default, articles: default });

/// One exchange in the conversation: what the follower did, and the account's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    pub id: u32,
    pub asked: String,
    pub event: MenuEvent,
    pub answer: Answer,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Pending,
    Reply(MenuReply),
    Failed(ApiError),
}

impl Answer {
    /// Which kind of answer this is: a row's key, so that it is rebuilt when its answer comes (a
    /// retry goes back to `Pending` first). Not the answer's `Debug` text: formatting strings with
    /// `{:?}` links core's Unicode tables into the page's code.
    pub fn stage(&self) -> u8 {
        match self {
            Answer::Pending => 0,
            Answer::Reply(_) => 1,
            Answer::Failed(_) => 2,
        }
    }
}

/// The conversation and how to add to it (from context on the menu page).
#[derive(Clone, Copy)]
pub struct Conversation {
    pub exchanges: RwSignal<Vec<Exchange>>,
    next: StoredValue<u32>,
}

impl Conversation {
    pub fn new() -> Conversation {
        Conversation { exchanges: RwSignal::new(Vec::new()), next: StoredValue::new(0) }
    }

    /// Sends an event and shows it pending, then the reply or the failure (with retry).
    pub fn send(&self, api: &ApiClient, asked: String, event: MenuEvent) {
        let id = self.next.get_value() + 1;
        self.next.set_value(id);
        self.exchanges.update(|list| list.push(Exchange { id, asked, event: event.clone(), answer: Answer::Pending }));
        self.deliver(api, id, event);
    }

    /// Sends an exchange's event again after a failure.
    pub fn retry(&self, api: &ApiClient, id: u32) {
        let event = self.exchanges.with_untracked(|l| l.iter().find(|e| e.id == id).map(|e| e.event.clone()));
        if let Some(event) = event {
            self.set(id, Answer::Pending);
            self.deliver(api, id, event);
        }
    }

    fn set(&self, id: u32, answer: Answer) {
        // The follower may have left the page while the account was answering.
        let _ = self.exchanges.try_update(|list| {
            if let Some(e) = list.iter_mut().find(|e| e.id == id) {
                e.answer = answer;
            }
        });
    }

    fn deliver(&self, api: &ApiClient, id: u32, event: MenuEvent) {
        let (api, this) = (api.clone(), *self);
        leptos::task::spawn_local(async move {
            let answer = match api.send::<MenuReply, _>("POST", "/menu/events", Some(&event), None).await {
                Ok(reply) => Answer::Reply(reply),
                Err(e) => Answer::Failed(e),
            };
            this.set(id, answer);
        });
    }
}

impl Default for Conversation {
    fn default() -> Self {
        Self::new()
    }
}

/// The follower's menu page: the account's replies above, the menu bar below.
#[component]
pub fn MenuPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let config = expect_context::<Config>();
    let i18n = use_i18n();
    let conversation = Conversation::new();
    provide_context(conversation);
    let menu = api.resource::<Json>("/menu");
    view! {
        <div class="chat">
            <h1 class="page-title">{move || i18n.t().app_title}</h1>
            <ConversationView/>
        </div>
        {fetched(menu, move |doc: Json| {
            let (menu, problems) = parse_menu(&doc, &config.link_allowlist);
            if !problems.is_empty() {
                leptos::logging::warn!("menu has {} problem(s); showing what is usable", problems.len());
            }
            let buttons = usable(&menu);
            if buttons.is_empty() {
                let text = if menu.closed { i18n.t().menu_closed } else { i18n.t().menu_unusable };
                return view! { <div class="menubar menubar-empty"><p>{text}</p></div> }.into_any();
            }
            view! { <MenuBar buttons/> }.into_any()
        })}
    }
}

/// The replies so far, newest last.
#[component]
pub fn ConversationView() -> impl IntoView {
    let conversation = expect_context::<Conversation>();
    let api = expect_context::<ApiClient>();
    let config = expect_context::<Config>();
    let i18n = use_i18n();
    view! {
        <div class="conversation" aria-live="polite">
            <Keyed each=move || conversation.exchanges.get() key=|e| (e.id, e.answer.stage()) let:e>
                <div class="exchange">
                    <p class="bubble bubble-mine">{e.asked.clone()}</p>
                    {match e.answer.clone() {
                        Answer::Pending => view! { <p class="bubble bubble-pending"><span class="spinner" aria-hidden="true"></span></p> }.into_any(),
                        Answer::Failed(error) => {
                            let api = api.clone();
                            let id = e.id;
                            view! { <ErrorView error on_retry=move || conversation.retry(&api, id)/> }.into_any()
                        }
                        Answer::Reply(reply) => view! { <Reply reply allowlist=config.link_allowlist.clone()/> }.into_any(),
                    }}
                </div>
            </Keyed>
        </div>
        <When when=move || conversation.exchanges.with(Vec::is_empty)>
            <p class="page-desc">{move || i18n.t().home_menu}</p>
        </When>
    }
}

/// The account's reply: text as text, a picture, or article cards whose links are checked.
#[component]
fn Reply(reply: MenuReply, allowlist: Vec<String>) -> impl IntoView {
    match reply.kind.as_str() {
        "image" => view! { <div class="bubble bubble-image"><LazyImage src=reply.image_url size=(4, 3)/></div> }.into_any(),
        "news" => view! {
            <div class="articles">
                {reply.articles.into_iter().map(|a| {
                    let card = view! {
                        <LazyImage src=a.pic_url.clone() size=(16, 9)/>
                        <p class="article-title">{a.title.clone()}</p>
                        <p class="article-desc">{a.description.clone()}</p>
                    };
                    match check_link(&a.url, &allowlist) {
                        Ok(href) => view! { <a class="article" href=href rel="noopener noreferrer">{card}</a> }.into_any(),
                        Err(_) => view! { <div class="article">{card}</div> }.into_any(),
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        "none" => view! { <span></span> }.into_any(),
        _ => view! { <p class="bubble bubble-theirs">{reply.text}</p> }.into_any(),
    }
}

/// Runs a button's action as the follower tapped it.
pub fn run_action(button: &MenuButton) {
    let Some(action) = button.action.clone() else { return };
    let api = expect_context::<ApiClient>();
    let config = expect_context::<Config>();
    let sdk = expect_context::<JsSdk>();
    let conversation = expect_context::<Conversation>();
    let toaster = use_toast();
    let typed_code = expect_context::<TypedCode>();
    let i18n = use_i18n();
    let asked = format!("{}「{}」", i18n.t().menu_you_tapped, button.name);
    match action.clone() {
        Action::View { url } => match check_link(&url, &config.link_allowlist) {
            Ok(safe) => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign(&safe);
                }
            }
            Err(_) => toaster.error(i18n.t().menu_unsafe_link),
        },
        // Rendered as open tags or pickers in the bar; a tap here means nothing else to do.
        Action::MiniProgram { .. } | Action::PicSysPhoto { .. } | Action::PicPhotoOrAlbum { .. } | Action::PicWeixin { .. } => {}
        Action::ScanPush { .. } | Action::ScanWait { .. } => {
            leptos::task::spawn_local(async move {
                let outcome = wechat::scan(&sdk).await;
                if conversation.exchanges.is_disposed() {
                    return;
                }
                match outcome {
                    Scan::Code(code) => conversation.send(&api, format!("{}：{code}", i18n.t().menu_sent_code), MenuEvent { scan_result: Some(code), ..MenuEvent::of(&action) }),
                    Scan::TypeIt => typed_code.ask(action),
                    Scan::Cancelled => {}
                    Scan::Failed(_) => toaster.error(i18n.t().menu_failed),
                }
            });
        }
        Action::LocationSelect { .. } => {
            leptos::task::spawn_local(async move {
                let outcome = wechat::location(&sdk).await;
                if conversation.exchanges.is_disposed() {
                    return;
                }
                match outcome {
                    Outcome::Ok(loc) => conversation.send(
                        &api,
                        i18n.t().menu_sent_location.to_owned(),
                        MenuEvent { location: Some(EventLocation { latitude: loc.latitude, longitude: loc.longitude }), ..MenuEvent::of(&action) },
                    ),
                    Outcome::Cancelled => {}
                    Outcome::Failed(_) => toaster.error(i18n.t().menu_failed),
                }
            });
        }
        _ => conversation.send(&api, asked, MenuEvent::of(&action)),
    }
}

/// Where a typed code is asked for when no scanner is available.
#[derive(Clone, Copy)]
pub struct TypedCode {
    pub open: RwSignal<bool>,
    pub action: RwSignal<Option<Action>>,
}

impl TypedCode {
    fn ask(&self, action: Action) {
        self.action.set(Some(action));
        self.open.set(true);
    }
}

/// The bottom bar as in WeChat: equal columns; a button with sub-buttons opens them above it.
#[component]
pub fn MenuBar(
    /// The usable buttons (at most three, each with at most five sub-buttons).
    buttons: Vec<MenuButton>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toaster = use_toast();
    let api = expect_context::<ApiClient>();
    let conversation = expect_context::<Conversation>();
    let typed = TypedCode { open: RwSignal::new(false), action: RwSignal::new(None) };
    provide_context(typed);
    // One sub-menu open at a time.
    let opens: Vec<RwSignal<bool>> = buttons.iter().map(|_| RwSignal::new(false)).collect();
    let all = opens.clone();
    let columns = buttons.len();
    view! {
        <nav class="menubar" style:grid-template-columns=format!("repeat({columns}, 1fr)") aria-label=move || i18n.t().menu_title>
            {buttons.into_iter().zip(opens).map(|(button, open)| {
                let all = all.clone();
                let short = truncate_display(&button.name, TOP_WIDTH);
                let full = button.name.clone();
                let has_subs = !button.sub_buttons.is_empty();
                let subs = StoredValue::new(button.sub_buttons.clone());
                let api = StoredValue::new(api.clone());
                let me = button.clone();
                view! {
                    <div class="menubar-item">
                        <button type="button" class="menubar-button" class:menubar-has-subs=has_subs title=full.clone() aria-label=full.clone()
                            aria-expanded=move || has_subs.then(|| if open.get() { "true" } else { "false" })
                            on:click=move |_| {
                                if has_subs {
                                    let was = open.get_untracked();
                                    for o in &all { if o.get_untracked() { o.set(false); } }
                                    open.set(!was);
                                } else {
                                    run_action(&me);
                                }
                            }>{short}</button>
                        <When when=move || has_subs>
                            <Popover open=open label=full.clone()>
                                {subs.get_value().into_iter().map(|sub| sub_item(sub, open, toaster, api.get_value(), conversation)).collect_view()}
                            </Popover>
                        </When>
                    </div>
                }
            }).collect_view()}
        </nav>
        <Deferred wanted=typed.open load=menu_code/>
    }
}

crate::deferred_part!(
    /// Asks for the code a scan would have read, where no scanner is (outside WeChat): its code
    /// comes the first time it is wanted, or fetched ahead once the menu has shown.
    menu_code => {
        let typed = expect_context::<TypedCode>();
        let conversation = expect_context::<Conversation>();
        let api = expect_context::<ApiClient>();
        let i18n = use_i18n();
        let code = RwSignal::new(String::new());
        let send_code = move |_| {
            let text = code.get_untracked().trim().to_owned();
            if let (false, Some(action)) = (text.is_empty(), typed.action.get_untracked()) {
                conversation.send(&api, format!("{}：{text}", i18n.t().menu_sent_code), MenuEvent { scan_result: Some(text), ..MenuEvent::of(&action) });
                code.set(String::new());
                typed.open.set(false);
            }
        };
        view! {
            <HalfScreen open=typed.open title=Signal::derive(move || i18n.t().menu_type_code.to_owned())>
                <p class="page-desc">{move || i18n.t().menu_scan_hint}</p>
                <TextField label=Signal::derive(move || i18n.t().menu_type_code.to_owned()) value=code max_length=200/>
                <div class="actions"><button class="btn btn-primary" on:click=send_code.clone()>{move || i18n.t().menu_send}</button></div>
            </HalfScreen>
        }
    }
);

/// One sub-button in the popover: pictures need the picker itself under the finger (a file
/// input opens only from a tap), mini programs the open tag; the rest run their action.
fn sub_item(sub: MenuButton, open: RwSignal<bool>, toaster: crate::ui::Toaster, api: ApiClient, conversation: Conversation) -> AnyView {
    let label = truncate_display(&sub.name, SUB_WIDTH);
    let full = sub.name.clone();
    match sub.action.clone() {
        Some(action @ (Action::PicSysPhoto { .. } | Action::PicPhotoOrAlbum { .. } | Action::PicWeixin { .. })) => {
            let i18n = use_i18n();
            view! {
                <PicturePicker remaining=9usize
                    on_uploaded={move |uploads: Vec<Upload>| {
                        open.set(false);
                        let ids = uploads.into_iter().map(|u| u.upload_id).collect();
                        conversation.send(&api, i18n.t().menu_sent_pictures.to_owned(), MenuEvent { upload_ids: Some(ids), ..MenuEvent::of(&action) });
                    }}
                    on_error=move |e: String| toaster.error(e)>
                    <span class="popover-item" role="menuitem" title=full>{label}</span>
                </PicturePicker>
            }
            .into_any()
        }
        Some(Action::MiniProgram { url, appid, pagepath }) => view! {
            <div class="popover-item" role="menuitem"><LaunchWeapp username=appid path=pagepath fallback_url=url label=label/></div>
        }
        .into_any(),
        _ => view! {
            <button type="button" class="popover-item" role="menuitem" title=full on:click=move |_| {
                open.set(false);
                run_action(&sub);
            }>{label}</button>
        }
        .into_any(),
    }
}
