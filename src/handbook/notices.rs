//! Class notices (text, pictures, video, voice) with read receipts, and leave requests.

use crate::api::{new_idempotency_key, ApiClient, Fetched};
use crate::clock::use_server_clock;
use crate::i18n::{relative_time, use_i18n};
use crate::session::{Role, Session};
use crate::ui::form::{ChoiceField, Choice, InputKind, TextArea, TextField};
use crate::ui::{error_message, fetched, use_toast, Button, ButtonKind, Cell, Cells, Empty};
use leptos::prelude::*;
use crate::ui::When;
use crate::router::use_params;
use crate::json::Json;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    pub kind: String,
    pub url: String,
    pub poster_url: Option<String>,
    pub duration_s: Option<i64>,
}
json_record!(read Attachment { kind, url, poster_url, duration_s });

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub notice_id: String,
    pub title: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub author_name: String,
    pub published_at: i64,
    pub read_by_me: bool,
    pub read_count: i64,
    pub recipient_count: i64,
}
json_record!(read Notice { notice_id, title, text, attachments, author_name, published_at, read_by_me, read_count, recipient_count });

#[derive(Clone, Debug)]
struct Notices {
    notices: Vec<Notice>,
}
json_record!(read Notices { notices });

fn role() -> Role {
    use_context::<Session>().and_then(|s| s.user.get_untracked()).map(|u| u.role).unwrap_or(Role::Follower)
}

/// `/school/notices`: newest first; unread ones marked; teachers see how many have read.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = use_server_clock();
    let i18n = use_i18n();
    let teacher = role() == Role::Teacher;
    let notices = api.resource::<Notices>("/notices");
    view! {
        <h1 class="page-title">{move || i18n.t().hb_notices}</h1>
        {fetched(notices, move |list: Notices| {
            if list.notices.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            view! {
                <Cells>
                    {list.notices.into_iter().map(|n| {
                        let foot = if teacher { (i18n.t().notice_read_count)(n.read_count, n.recipient_count) } else if n.read_by_me { i18n.t().notice_read.to_owned() } else { i18n.t().notice_unread.to_owned() };
                        let desc = format!("{} · {}", n.author_name, relative_time(i18n.t(), clock.now_ms(), n.published_at));
                        view! { <Cell title=n.title.clone() desc value=foot href=format!("/school/notices/{}", n.notice_id) class=if n.read_by_me || teacher { "notice".to_owned() } else { "notice notice-unread".to_owned() }/> }
                    }).collect_view()}
                </Cells>
            }.into_any()
        })}
    }
}

#[derive(Clone, Debug)]
struct Receipts {
    read: Vec<ReadReceipt>,
    unread: Vec<Unread>,
}
json_record!(read Receipts { read, unread });

#[derive(Clone, Debug)]
struct ReadReceipt {
    parent_name: String,
    child_name: String,
}
json_record!(read ReadReceipt { parent_name, child_name });

#[derive(Clone, Debug)]
struct Unread {
    parent_name: String,
    child_name: String,
}
json_record!(read Unread { parent_name, child_name });

/// `/school/notices/:notice_id`: the notice with its media; opening it is the read receipt.
#[component]
pub fn NoticePage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = use_server_clock();
    let i18n = use_i18n();
    let params = use_params();
    let id = move || params.with(|p| p.get("notice_id").unwrap_or_default());
    let teacher = role() == Role::Teacher;
    let notice = Fetched::new(move || {
        let (api, id) = (api.clone(), id());
        async move {
            let n = api.get::<Notice>(&format!("/notices/{id}")).await?;
            // The receipt goes once: the API ignores repeats, and we only send when unread.
            if !n.read_by_me && !teacher {
                if let Ok(read) = api.send::<Notice, ()>("POST", &format!("/notices/{id}/read"), None, None).await {
                    return Ok(read);
                }
            }
            Ok(n)
        }
    });
    let api_receipts = expect_context::<ApiClient>();
    let receipts = Fetched::new(move || {
        let (api, id) = (api_receipts.clone(), id());
        async move {
            if teacher {
                api.get::<Receipts>(&format!("/notices/{id}/receipts")).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        {fetched(notice, move |n: Notice| view! {
            <article class="notice-detail">
                <h1 class="page-title">{n.title.clone()}</h1>
                <p class="page-desc">{n.author_name.clone()}" · "{relative_time(i18n.t(), clock.now_ms(), n.published_at)}</p>
                <p class="notice-text">{n.text.clone()}</p>
                <div class="notice-media">
                    {n.attachments.iter().filter_map(|a| Some((a.kind.clone(), crate::links::media_src(&a.url)?, a.poster_url.as_deref().and_then(crate::links::media_src)))).map(|(kind, url, poster)| match kind.as_str() {
                        "image" => view! { <img class="notice-image" src=url alt="" loading="lazy"/> }.into_any(),
                        "video" => view! { <video class="notice-video" src=url poster=poster.unwrap_or_default() controls=true playsinline=true preload="none"></video> }.into_any(),
                        "voice" => view! { <audio class="notice-voice" src=url controls=true preload="none"></audio> }.into_any(),
                        _ => ().into_any(),
                    }).collect_view()}
                </div>
                <When when=move || teacher>
                    <p class="notice-count">{(i18n.t().notice_read_count)(n.read_count, n.recipient_count)}</p>
                </When>
            </article>
        })}
        {fetched(receipts, move |r: Option<Receipts>| r.map(|r| view! {
            <Cells title=Signal::derive(move || Some(i18n.t().notice_read.to_owned()))>
                {r.read.into_iter().map(|x| view! { <Cell title=x.parent_name desc=x.child_name class="receipt-read".to_owned()/> }).collect_view()}
            </Cells>
            <Cells title=Signal::derive(move || Some(i18n.t().notice_unread.to_owned()))>
                {r.unread.into_iter().map(|x| view! { <Cell title=x.parent_name desc=x.child_name class="receipt-unread".to_owned()/> }).collect_view()}
            </Cells>
        }))}
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeaveRequest {
    pub leave_id: String,
    pub child_id: String,
    pub child_name: String,
    pub from_date: String,
    pub to_date: String,
    pub reason: String,
    pub status: String,
    pub requested_at: i64,
    pub note: Option<String>,
}
json_record!(read LeaveRequest { leave_id, child_id, child_name, from_date, to_date, reason, status, requested_at, note });

#[derive(Clone, Debug)]
struct LeaveRequests {
    leave_requests: Vec<LeaveRequest>,
}
json_record!(read LeaveRequests { leave_requests });

/// `/school/leave`: a parent asks for days off; the teacher approves or declines; both see it.
#[component]
pub fn LeavePage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let teacher = role() == Role::Teacher;
    let list = api.resource::<LeaveRequests>("/leave-requests");
    let children = api.resource::<super::domain::HandbookChildren>("/handbook/children");
    // The form (a parent's), kept as a draft until it is sent.
    const DRAFT: &str = "leave_request";
    let saved = crate::drafts::load::<(Option<String>, String, String, String)>(DRAFT).unwrap_or_default();
    let child = RwSignal::new(saved.0);
    let (from, to, reason) = (RwSignal::new(saved.1), RwSignal::new(saved.2), RwSignal::new(saved.3));
    crate::drafts::keep(DRAFT.to_owned(), Signal::derive(move || (child.get(), from.get(), to.get(), reason.get())), |d| !(d.1.is_empty() && d.2.is_empty() && d.3.trim().is_empty()));
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let key = StoredValue::new(new_idempotency_key());
    let submit = {
        let api = api.clone();
        move || {
            let m = i18n.t();
            let (c, f, t, r) = (child.get_untracked(), from.get_untracked(), to.get_untracked(), reason.get_untracked());
            if c.is_none() || f.is_empty() || t.is_empty() || r.trim().is_empty() {
                error.set(Some(m.hb_check_fields.to_owned()));
                return;
            }
            // ISO dates compare as text.
            if t < f {
                error.set(Some(m.leave_dates_order.to_owned()));
                return;
            }
            error.set(None);
            sending.set(true);
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let body = Json::object(vec![("child_id", c.into()), ("from_date", f.into()), ("to_date", t.into()), ("reason", r.trim().into())]);
                let answer = api.send::<LeaveRequest, _>("POST", "/leave-requests", Some(&body), Some(&key.get_value())).await;
                if answer.is_ok() {
                    crate::drafts::discard(DRAFT);
                }
                // The parent may have left the page meanwhile: its fields are gone with it.
                if sending.is_disposed() {
                    return;
                }
                match answer {
                    Ok(_) => {
                        key.set_value(new_idempotency_key());
                        from.set(String::new());
                        to.set(String::new());
                        reason.set(String::new());
                        toaster.success(i18n.t().leave_sent);
                        list.refetch();
                    }
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
                sending.set(false);
            });
        }
    };
    let decide = move |leave_id: String, decision: &'static str| {
        let api = expect_context::<ApiClient>();
        leptos::task::spawn_local(async move {
            match api.send::<LeaveRequest, _>("POST", &format!("/leave-requests/{leave_id}/decision"), Some(&Json::object(vec![("decision", decision.into())])), None).await {
                Ok(_) => list.refetch(),
                Err(e) => toaster.error(error_message(i18n.t(), &e)),
            }
        });
    };
    view! {
        <h1 class="page-title">{move || i18n.t().hb_leave}</h1>
        <When when=move || !teacher>
            <section class="cells leave-form">
                <header class="cells-title">{move || i18n.t().leave_new}</header>
                {move || {
                    let options: Vec<Choice> = children.get().and_then(Result::ok).map(|c| c.children.into_iter().map(|c| Choice { value: c.child_id, label: c.name }).collect()).unwrap_or_default();
                    if child.get_untracked().is_none() {
                        if let Some(first) = options.first() {
                            child.set(Some(first.value.clone()));
                        }
                    }
                    view! { <ChoiceField label=Signal::derive(move || i18n.t().leave_child.to_owned()) options value=child required=true/> }
                }}
                <TextField label=Signal::derive(move || i18n.t().leave_from.to_owned()) value=from kind=InputKind::Date required=true/>
                <TextField label=Signal::derive(move || i18n.t().leave_to.to_owned()) value=to kind=InputKind::Date required=true/>
                <TextArea label=Signal::derive(move || i18n.t().leave_reason.to_owned()) value=reason max_length=200 required=true/>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <div class="actions"><Button kind=ButtonKind::Primary loading=sending on_click=submit.clone()>{move || i18n.t().leave_submit}</Button></div>
            </section>
        </When>
        {fetched(list, move |l: LeaveRequests| {
            if l.leave_requests.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            view! {
                <Cells>
                    {l.leave_requests.into_iter().map(|r| {
                        let pending = r.status == "pending";
                        let (id_yes, id_no) = (r.leave_id.clone(), r.leave_id.clone());
                        view! {
                            <div class="cell leave-request" data-status=r.status.clone()>
                                <div class="cell-body">
                                    <p class="cell-title">{r.child_name.clone()}" · "{r.from_date.clone()}" ~ "{r.to_date.clone()}</p>
                                    <p class="cell-desc">{r.reason.clone()}</p>
                                </div>
                                <span class="status-tag leave-status">{(i18n.t().leave_status)(&r.status)}</span>
                                <When when=move || teacher && pending>
                                    <button type="button" class="btn btn-primary btn-small leave-approve" on:click={let id = id_yes.clone(); move |_| decide(id.clone(), "approved")}>{move || i18n.t().leave_approve}</button>
                                    <button type="button" class="btn btn-default btn-small leave-decline" on:click={let id = id_no.clone(); move |_| decide(id.clone(), "declined")}>{move || i18n.t().leave_decline}</button>
                                </When>
                            </div>
                        }
                    }).collect_view()}
                </Cells>
            }.into_any()
        })}
    }
}
