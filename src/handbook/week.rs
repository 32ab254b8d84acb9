//! One child's week: my sections as forms (drafts kept as they are typed, checked before a
//! save, the API's field errors on the fields, a moved version resolved field by field), the
//! other side's read-only, the teacher's send, and the week's messages.

use super::domain::{self, FieldConflict, FieldDef, FieldErrors, Handbook, HandbookChildren, Kind, Pick, SectionDef, SectionDraft, Values, WeekStatus};
use crate::api::{new_idempotency_key, ApiClient, ApiError, Fetched};
use crate::i18n::{relative_time, use_i18n, I18n};
use crate::session::{Role, Session};
use crate::ui::form::TextArea;
use crate::ui::{error_message, use_toast, Button, ButtonKind, DeferredContent, ErrorView, Loading, Toaster};
use crate::wechat::pictures::{PicturePicker, Upload};
use crate::wechat::voice::VoiceNote;
use crate::ui::Delivery;
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::router::Link;
use crate::router::use_params;
use crate::json::{FromJson, Json, ToJson};
use std::collections::BTreeMap;

/// The draft key of one section of one child's week, per person.
fn draft_key(user_id: &str, child_id: &str, week: &str, section_id: &str) -> String {
    format!("handbook.{user_id}.{child_id}.{week}.{section_id}")
}

/// The draft key of the message I am writing on a week (`path`: the week's API path).
fn comment_draft_key(path: &str) -> String {
    format!("comment.{}", path.replace('/', "_"))
}

/// `/school/:child_id/:week`.
#[component]
pub fn WeekPage() -> impl IntoView {
    let params = use_params();
    let child_id = Memo::new(move |_| params.with(|p| p.get("child_id").unwrap_or_default()));
    let week = Memo::new(move |_| params.with(|p| p.get("week").unwrap_or_default()));
    // Rebuilt for another child or week (next / previous child keeps the page).
    view! {
        {move || {
            let (child_id, week) = (child_id.get(), week.get());
            view! { <WeekView child_id week/> }
        }}
    }
}

/// What the week's forms part needs from its page (`week_forms`).
#[derive(Clone)]
struct WeekParts {
    handbook: RwSignal<Option<Result<Handbook, ApiError>>>,
    /// `/handbook/children/{child}/weeks/{week}`.
    path: String,
    child_id: String,
    week: String,
    role: Role,
    user_id: String,
    /// Whether the week is before the current one (read-only).
    past: Memo<bool>,
    roster: Fetched<HandbookChildren>,
    /// Last week's values, when the teacher asks to copy them.
    copy_from: RwSignal<Option<Handbook>>,
}

/// One child's week, as the signed-in parent or teacher sees it: the sections before my first
/// form show with the page; my forms, the teacher's send and the week's messages come after them
/// (`week_forms`, their own code in the release build) when they are within a screen of view, so
/// a parent reads the teacher's week as soon as it is here.
#[component]
pub fn WeekView(
    /// The child.
    child_id: String,
    /// ISO week (`2026-W48`).
    week: String,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let session = expect_context::<Session>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let role = session.user.get_untracked().map(|u| u.role).unwrap_or(Role::Follower);
    let user_id = session.user.get_untracked().map(|u| u.user_id).unwrap_or_default();
    let handbook = RwSignal::new(None::<Result<Handbook, ApiError>>);
    // From the first week shown on, the forms' part is wanted.
    let shown = RwSignal::new(false);
    let path = format!("/handbook/children/{child_id}/weeks/{week}");
    let load = {
        let (api, path) = (api.clone(), path.clone());
        move || {
            let (api, path) = (api.clone(), path.clone());
            handbook.set(None);
            leptos::task::spawn_local(async move {
                let mut answer = api.get::<Handbook>(&path).await;
                // A parent opening a sent week tells the teacher so, once.
                if let Ok(h) = &answer {
                    if role == Role::Parent && h.status == WeekStatus::Sent {
                        if let Ok(read) = api.send::<Handbook, ()>("POST", &format!("{path}/read"), None, None).await {
                            answer = Ok(read);
                        }
                    }
                }
                let ok = answer.is_ok();
                if handbook.try_set(Some(answer)).is_none() && ok {
                    shown.set(true);
                }
            });
        }
    };
    load();
    // The roster, for next / previous child.
    let roster = api.resource::<HandbookChildren>("/handbook/children");
    let neighbours = {
        let child_id = child_id.clone();
        move || {
            let list = roster.get().and_then(Result::ok).map(|r| r.children).unwrap_or_default();
            let at = list.iter().position(|c| c.child_id == child_id);
            let prev = at.and_then(|i| i.checked_sub(1)).and_then(|i| list.get(i)).map(|c| c.child_id.clone());
            let next = at.and_then(|i| list.get(i + 1)).map(|c| c.child_id.clone());
            (prev, next)
        }
    };
    // A memo: the roster arriving after the week (it usually comes first) must not build the
    // forms again under a teacher already typing, unless it makes the week a past one.
    let past = {
        let week = week.clone();
        Memo::new(move |_| roster.get().and_then(Result::ok).is_some_and(|r| r.week != week))
    };
    // Last week's values, when the teacher asks to copy them.
    let copy_from = RwSignal::new(None::<Handbook>);
    let copying = RwSignal::new(false);
    // Fetched and applied by the writes' code (`week_write`): a teacher's first screen does not wait for it.
    let copy_last_week = {
        let (api, path) = (api.clone(), domain::previous_week(&week).map(|prev| format!("/handbook/children/{child_id}/weeks/{prev}")));
        move || {
            let Some(path) = path.clone() else { return };
            copying.set(true);
            write_week(api.clone(), toaster, i18n, WeekWrite::CopyLastWeek { path, copy_from, copying });
        }
    };
    provide_context(WeekParts { handbook, path: path.clone(), child_id: child_id.clone(), week: week.clone(), role, user_id: user_id.clone(), past, roster, copy_from });
    // The forms come when they are within a screen of view: a parent reads the teacher's six
    // sections first and their own is below them, so its code is not what the page waits for
    // (the loader fetches it ahead once the page has shown). A teacher's forms are at the top; an
    // unsent draft of mine (a section or a message) has them at once, for that is what I came
    // back for.
    let forms_at = NodeRef::<leptos::html::Div>::new();
    let forms_wanted = crate::ui::lists::use_near_view(forms_at, "0px 0px 100% 0px", true);
    if !crate::drafts::keys_under(&draft_key(&user_id, &child_id, &week, "")).is_empty() || !crate::drafts::keys_under(&comment_draft_key(&path)).is_empty() {
        forms_wanted.set(true);
    }
    let load_again = load.clone();
    let (cid, wk) = (child_id, week);
    view! {
        {move || match handbook.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => {
                let load = load_again.clone();
                view! { <ErrorView error on_retry=move || load()/> }.into_any()
            }
            Some(Ok(h)) => {
                let copy_last_week = copy_last_week.clone();
                let past = past.get();
                let at_once = domain::before_first_form(&h.schema.sections, role, h.status, past);
                view! {
                    <header class="week-header">
                        <h1 class="page-title">{h.child.name.clone()}</h1>
                        <p class="page-desc">
                            {(i18n.t().hb_week_of)(&h.starts_on)}" · "
                            <span class="status-tag week-status" data-status=format!("{:?}", h.status)>{(i18n.t().hb_status)(h.status)}</span>
                        </p>
                        // The roster may come after the week: only the links wait for it.
                        {let (cid, wk, neighbours) = (cid.clone(), wk.clone(), neighbours.clone());
                        move || {
                            let (prev, next) = neighbours();
                            view! {
                                <nav class="week-nav">
                                    {prev.map(|p| view! { <Link href=format!("/school/{p}/{wk}") attr:class="btn btn-default btn-small prev-child">{i18n.t().hb_prev_child}</Link> })}
                                    <Link href=format!("/school/{cid}/history") attr:class="btn btn-default btn-small history">{i18n.t().hb_history}</Link>
                                    {next.map(|n| view! { <Link href=format!("/school/{n}/{wk}") attr:class="btn btn-default btn-small next-child">{i18n.t().hb_next_child}</Link> })}
                                </nav>
                            }
                        }}
                    </header>
                    <When when=move || role == Role::Teacher && !past>
                        <div class="actions actions-row">
                            <Button kind=ButtonKind::Default small=true loading=copying on_click=copy_last_week.clone()>{i18n.t().hb_copy_last_week}</Button>
                        </div>
                    </When>
                    <When when=move || role == Role::Parent && !h.status.sent()>
                        <p class="state state-note not-sent">{i18n.t().hb_not_sent_yet}</p>
                    </When>
                    {h.schema.sections.iter().take(at_once).cloned().map(|section| {
                        let values = h.section_values(&section.section_id);
                        view! { <SectionView section values/> }
                    }).collect_view()}
                }.into_any()
            }
        }}
        <When when=move || shown.get()>
            <div class="hb-forms" node_ref=forms_at>
                <When when=move || forms_wanted.get()>
                    <DeferredContent load=week_forms/>
                </When>
            </div>
        </When>
    }
}

crate::deferred_part!(
    /// The week from my first form on (my sections as forms, the other side's that follow as
    /// text), the teacher's send, and the week's messages: most of the page's code, so it comes
    /// after the sections a parent reads first.
    week_forms => {
        let parts = expect_context::<WeekParts>();
        let WeekParts { handbook, role, past, roster, copy_from, .. } = parts.clone();
        let api = expect_context::<ApiClient>();
        let i18n = use_i18n();
        let toaster = use_toast();
        // Teacher speed: one field's value saved for every other child of the class this week.
        let apply_to_class = {
            let (api, child_id, week) = (api.clone(), parts.child_id.clone(), parts.week.clone());
            Callback::new(move |(section_id, field_id, value): (String, String, Json)| {
                let others: Vec<String> = roster.get_untracked().and_then(Result::ok).map(|r| r.children.into_iter().map(|c| c.child_id).filter(|c| *c != child_id).collect()).unwrap_or_default();
                write_week(api.clone(), toaster, i18n, WeekWrite::ApplyToClass { week: week.clone(), others, section_id, field_id, value });
            })
        };
        let sending = RwSignal::new(false);
        let send = {
            let (api, path) = (api.clone(), parts.path.clone());
            move || {
                sending.set(true);
                write_week(api.clone(), toaster, i18n, WeekWrite::Send { path: path.clone(), handbook, sending });
            }
        };
        // The messages come when they are within a screen of view (below all the sections), or
        // at once when a message of mine is waiting unsent.
        let messages_at = NodeRef::<leptos::html::Div>::new();
        let messages_wanted = crate::ui::lists::use_near_view(messages_at, "0px 0px 100% 0px", true);
        if !crate::drafts::keys_under(&comment_draft_key(&parts.path)).is_empty() {
            messages_wanted.set(true);
        }
        view! {
            {move || {
                let Some(Ok(h)) = handbook.get() else { return ().into_any() };
                let send = send.clone();
                let past = past.get();
                let at_once = domain::before_first_form(&h.schema.sections, role, h.status, past);
                view! {
                    {h.schema.sections.iter().skip(at_once).cloned().map(|section| {
                        if domain::is_form(&section, role, h.status, past) {
                            let key = draft_key(&parts.user_id, &parts.child_id, &parts.week, &section.section_id);
                            let apply = (role == Role::Teacher).then_some(apply_to_class);
                            view! { <SectionForm section handbook path=parts.path.clone() draft_key=key copy_from apply_to_class=apply/> }.into_any()
                        } else {
                            let values = h.section_values(&section.section_id);
                            view! { <SectionView section values/> }.into_any()
                        }
                    }).collect_view()}
                    <When when=move || role == Role::Teacher && matches!(h.status, WeekStatus::NotStarted | WeekStatus::TeacherDone) && !past>
                        <div class="actions">
                            <Button loading=sending on_click=send.clone()>{i18n.t().hb_send}</Button>
                        </div>
                    </When>
                }.into_any()
            }}
            <div class="hb-messages" node_ref=messages_at>
                <When when=move || messages_wanted.get()>
                    <DeferredContent load=week_messages/>
                </When>
            </div>
        }
    }
);

crate::deferred_part!(
    /// The week's messages, at the bottom of the week: their code (a keyed list, the server's
    /// clock) comes when they are near, not with the forms a teacher fills in first.
    week_messages => {
        let parts = expect_context::<WeekParts>();
        let comments = parts.handbook.get_untracked().and_then(Result::ok).map(|h| h.comments).unwrap_or_default();
        view! { <Comments path=parts.path.clone() comments/> }
    }
);

/// The other side's section (or a past week's): values as text; pictures and voice as media.
#[component]
fn SectionView(section: SectionDef, values: Values) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="cells hb-section hb-section-readonly" data-section=section.section_id.clone()>
            <header class="cells-title">{section.title.clone()}" · "<span class="hb-filled-by">{i18n.t().hb_filled_by_other}</span></header>
            {section.fields.iter().map(|f| {
                let v = values.get(&f.field_id).cloned();
                view! {
                    <div class="cell hb-value" data-field=f.field_id.clone() data-kind=f.kind.clone()>
                        <div class="cell-body">
                            <p class="cell-desc">{f.label.clone()}</p>
                            {media_or_text(f, v.as_ref())}
                        </div>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

/// Pictures and voice notes play; everything else reads as text (API text is always text).
fn media_or_text(f: &FieldDef, v: Option<&Json>) -> AnyView {
    match (f.kind(), v) {
        (Kind::Photos, Some(Json::Array(list))) if !list.is_empty() => view! {
            <div class="hb-photos">
                {list.iter().filter_map(|p| p["url"].as_str().and_then(crate::links::media_src)).map(|u| view! { <img class="hb-photo" src=u alt="" loading="lazy"/> }).collect_view()}
            </div>
        }.into_any(),
        (Kind::Voice, Some(v)) if v["url"].as_str().and_then(crate::links::media_src).is_some() => {
            view! { <audio class="hb-voice" controls=true preload="none" src=v["url"].as_str().and_then(crate::links::media_src).unwrap_or_default()></audio> }.into_any()
        }
        _ => view! { <p class="cell-title">{domain::display_value(f, v)}</p> }.into_any(),
    }
}

/// My side's section: every edit kept as a draft; checked, then saved against its version.
#[component]
fn SectionForm(
    section: SectionDef,
    /// The week, replaced by what the API answers.
    handbook: RwSignal<Option<Result<Handbook, ApiError>>>,
    /// `/handbook/children/{child}/weeks/{week}`.
    path: String,
    draft_key: String,
    /// Last week's values to fill in, when the teacher asks.
    copy_from: RwSignal<Option<Handbook>>,
    /// The teacher's "apply to the whole class" for one field: (section, field, value).
    apply_to_class: Option<Callback<(String, String, Json)>>,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let section_id = section.section_id.clone();
    let loaded = handbook.get_untracked().and_then(Result::ok);
    let saved_now = loaded.as_ref().map(|h| h.section_values(&section_id)).unwrap_or_default();
    let version_now = loaded.as_ref().map(|h| h.version).unwrap_or(0);
    // What the API has, and the version my edits are based on.
    let saved = RwSignal::new(saved_now.clone());
    let base_version = RwSignal::new(version_now);
    let restored = crate::drafts::load::<SectionDraft>(&draft_key);
    if let Some(d) = &restored {
        base_version.set(d.base_version);
    }
    let values = RwSignal::new(restored.map(|d| d.values).unwrap_or(saved_now));
    // Bumped when values are set from outside (discard, copy, merge): the editors start again.
    let generation = RwSignal::new(0u32);
    let errors = RwSignal::new(FieldErrors::new());
    // A newer version than mine, and what shows both field by field (its code comes with the save's).
    let conflict = RwSignal::new(None::<(Handbook, ViewFn)>);
    // How the person's picks are applied (set below: applying them may save again).
    let resolver = StoredValue::new(None::<Callback<Vec<(FieldConflict, Pick)>>>);
    let saving = RwSignal::new(false);
    let section = StoredValue::new(section);
    let dirty = Memo::new(move |_| values.with(|v| saved.with(|s| !section.with_value(|sec| domain::conflicts(sec, v, s)).is_empty())));
    crate::drafts::keep(
        draft_key.clone(),
        Signal::derive(move || SectionDraft { base_version: base_version.get(), values: values.get() }),
        move |d: &SectionDraft| saved.with_untracked(|s| !section.with_value(|sec| domain::conflicts(sec, &d.values, s)).is_empty()),
    );
    let draft_key = StoredValue::new(draft_key);
    let reset_to = move |v: Values| {
        values.set(v);
        errors.set(BTreeMap::new());
        generation.update(|g| *g += 1);
    };
    Effect::new(move |_| {
        if let Some(h) = copy_from.get() {
            let last = h.section_values(&section.with_value(|s| s.section_id.clone()));
            if !last.is_empty() {
                reset_to(last);
            }
        }
    });
    let discard = move || {
        crate::drafts::discard(&draft_key.get_value());
        base_version.set(handbook.get_untracked().and_then(Result::ok).map(|h| h.version).unwrap_or(0));
        reset_to(saved.get_untracked());
    };
    let path = StoredValue::new(path);
    // Checked, then sent, by the save's own code (`week_write`): nothing is sent unchecked.
    let save = move || {
        saving.set(true);
        let form = SectionSave { section, values, saved, base_version, handbook, conflict, resolver, errors, saving, draft_key };
        write_week(api.clone(), toaster, i18n, WeekWrite::Save { form, path: path.get_value() });
    };
    let save_now = save.clone();
    let resolve = move |picks: Vec<(FieldConflict, Pick)>| {
        let Some((current, _)) = conflict.get_untracked() else { return };
        let theirs = current.section_values(&section.with_value(|s| s.section_id.clone()));
        let merged = domain::merge(&theirs, &picks);
        let keep_any = picks.iter().any(|(_, p)| *p == Pick::Mine);
        conflict.set(None);
        reset_to(merged);
        if keep_any {
            save_now();
        } else {
            crate::drafts::discard(&draft_key.get_value());
            handbook.set(Some(Ok(current)));
        }
    };
    resolver.set_value(Some(Callback::new(resolve)));
    let title = section.with_value(|s| s.title.clone());
    let sid = section.with_value(|s| s.section_id.clone());
    view! {
        <section class="cells hb-section hb-section-mine" data-section=sid>
            <header class="cells-title hb-section-title">
                {title}
                <When when=move || dirty.get()>
                    <span class="hb-draft" role="status">{move || i18n.t().hb_draft_unsent}</span>
                    <button type="button" class="btn-link hb-discard" on:click=move |_| discard()>{move || i18n.t().hb_discard}</button>
                </When>
            </header>
            {move || {
                generation.track();
                let sid = section.with_value(|s| s.section_id.clone());
                section.with_value(|s| s.fields.clone()).into_iter().map(|f| {
                    let apply = apply_to_class.map(|cb| {
                        let (sid, fid) = (sid.clone(), f.field_id.clone());
                        Callback::new(move |v: Json| cb.run((sid.clone(), fid.clone(), v)))
                    });
                    field_editor(f, values, errors, apply)
                }).collect_view()
            }}
            {move || conflict.get().map(|(_, shown)| shown.run())}
            <div class="actions">
                <Button kind=ButtonKind::Primary loading=saving on_click=save.clone()>{move || i18n.t().hb_save}</Button>
            </div>
        </section>
    }
}

/// What saving one of my sections changes on the page.
#[derive(Clone, Copy)]
struct SectionSave {
    section: StoredValue<SectionDef>,
    /// What is in the form.
    values: RwSignal<Values>,
    /// What the API has.
    saved: RwSignal<Values>,
    /// The version my edits are based on.
    base_version: RwSignal<i64>,
    handbook: RwSignal<Option<Result<Handbook, ApiError>>>,
    /// A newer version, and what shows both (`ConflictView`).
    conflict: RwSignal<Option<(Handbook, ViewFn)>>,
    /// Applies the picks made there.
    resolver: StoredValue<Option<Callback<Vec<(FieldConflict, Pick)>>>>,
    errors: RwSignal<FieldErrors>,
    saving: RwSignal<bool>,
    draft_key: StoredValue<String>,
}

/// What my side writes to the week: its code is a module of its own in the release build
/// (`week_write`), fetched ahead once the forms show, for editing needs none of it.
enum WeekWrite {
    /// One of my sections, checked, then sent against the version the form was based on
    /// (`path`: the week's).
    Save { form: SectionSave, path: String },
    /// The teacher sends the week to the family.
    Send { path: String, handbook: RwSignal<Option<Result<Handbook, ApiError>>>, sending: RwSignal<bool> },
    /// The teacher's "copy last week": that week's values (`path`) into the forms, as drafts.
    CopyLastWeek { path: String, copy_from: RwSignal<Option<Handbook>>, copying: RwSignal<bool> },
    /// The teacher's "apply to the whole class": one field's value for each of `others`.
    ApplyToClass { week: String, others: Vec<String>, section_id: String, field_id: String, value: Json },
}

/// Runs a write once its code is here; when that cannot be fetched it is the network, and the
/// form (kept as a draft) can try again.
fn write_week(api: ApiClient, toaster: Toaster, i18n: I18n, write: WeekWrite) {
    let busy = match &write {
        WeekWrite::Save { form, .. } => Some(form.saving),
        WeekWrite::Send { sending, .. } => Some(*sending),
        WeekWrite::CopyLastWeek { copying, .. } => Some(*copying),
        WeekWrite::ApplyToClass { .. } => None,
    };
    leptos::task::spawn_local(async move {
        #[cfg(wxf_split)]
        let code = week_write(api, toaster, i18n, write).await;
        #[cfg(not(wxf_split))]
        let code = week_write(api, toaster, i18n, write);
        match code {
            Ok(writing) => writing.await,
            Err(_) => {
                toaster.error(error_message(i18n.t(), &ApiError::Network));
                if let Some(busy) = busy {
                    let _ = busy.try_set(false);
                }
            }
        }
    });
}

/// `WeekWrite`'s code, behind its split point.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(week_write, wasm_split_path = ::leptos::wasm_split, fallible))]
fn week_write(api: ApiClient, toaster: Toaster, i18n: I18n, write: WeekWrite) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(match write {
        WeekWrite::Save { form, path } => Box::pin(save_section(api, toaster, i18n, form, path)),
        WeekWrite::Send { path, handbook, sending } => Box::pin(async move {
            match api.send::<Handbook, ()>("POST", &format!("{path}/send"), None, None).await {
                Ok(h) => {
                    let _ = handbook.try_set(Some(Ok(h)));
                    toaster.success(i18n.t().hb_sent_ok);
                }
                Err(e) => toaster.error(error_message(i18n.t(), &e)),
            }
            let _ = sending.try_set(false);
        }),
        WeekWrite::CopyLastWeek { path, copy_from, copying } => Box::pin(async move {
            let answer = api.get::<Handbook>(&path).await;
            // The teacher may have left the page meanwhile.
            if copying.is_disposed() {
                return;
            }
            match answer {
                Ok(h) if !h.values.is_empty() => {
                    copy_from.set(Some(h));
                    toaster.info(i18n.t().hb_copied);
                }
                Ok(_) => toaster.info(i18n.t().hb_nothing_last_week),
                Err(e) => toaster.error(error_message(i18n.t(), &e)),
            }
            copying.set(false);
        }),
        WeekWrite::ApplyToClass { week, others, section_id, field_id, value } => Box::pin(async move {
            let mut done = 0;
            for child in &others {
                let path = format!("/handbook/children/{child}/weeks/{week}");
                // Each child's own version and other values: nothing of theirs is overwritten.
                let Ok(h) = api.get::<Handbook>(&path).await else { continue };
                let values = domain::with_field(&h.section_values(&section_id), &field_id, &value);
                let body = Json::object(vec![("version", h.version.into()), ("values", values.to_json())]);
                if api.send::<Handbook, _>("PUT", &format!("{path}/sections/{section_id}"), Some(&body), None).await.is_ok() {
                    done += 1;
                }
            }
            let m = i18n.t();
            if done == others.len() {
                toaster.success((m.hb_applied)(done as i64));
            } else {
                toaster.error((m.hb_applied_some)(done as i64, (others.len() - done) as i64));
            }
        }),
    })
}

/// Checks one of my sections (its problems go on its fields, and nothing is sent), then saves it:
/// the API's answer replaces the week; a moved version is merged
/// when nothing of mine differs, or shown field by field; the API's field errors go on the
/// fields. Whatever fails, the draft stays.
async fn save_section(api: ApiClient, toaster: Toaster, i18n: I18n, form: SectionSave, path: String) {
    let SectionSave { section, values, saved, base_version, handbook, conflict, resolver, errors, saving, draft_key } = form;
    // Left the page while this code came: the draft stays for the next visit.
    let Some(to_send) = section.try_with_value(|s| domain::values_to_send(s, &values.get_untracked())) else { return };
    let problems = section.with_value(|s| domain::check_section(s, &to_send));
    if !problems.is_empty() {
        errors.set(problems);
        toaster.info(i18n.t().hb_check_fields);
        saving.set(false);
        return;
    }
    errors.set(FieldErrors::new());
    let url = format!("{path}/sections/{}", section.with_value(|s| s.section_id.clone()));
    let body = Json::object(vec![("version", base_version.get_untracked().into()), ("values", to_send.to_json())]);
    let draft = draft_key.try_get_value();
    let answer = api.send::<Handbook, _>("PUT", &url, Some(&body), None).await;
    if saving.is_disposed() {
        // Left the page meanwhile: a save the API took needs its draft no more; any other
        // outcome keeps the draft for the next visit.
        if let (Ok(_), Some(draft)) = (&answer, draft) {
            crate::drafts::discard(&draft);
        }
        return;
    }
    let section_id = section.with_value(|s| s.section_id.clone());
    match answer {
        Ok(h) => {
            crate::drafts::discard(&draft_key.get_value());
            saved.set(h.section_values(&section_id));
            base_version.set(h.version);
            handbook.set(Some(Ok(h)));
            toaster.success(i18n.t().hb_saved);
        }
        Err(e) if e.code() == Some("version_conflict") => {
            let current = match &e {
                ApiError::Http { body, .. } => Handbook::from_json(&body["current"]).ok(),
                _ => None,
            };
            match current {
                Some(current) => {
                    let theirs = current.section_values(&section_id);
                    let found = section.with_value(|s| domain::conflicts(s, &values.get_untracked(), &theirs));
                    saved.set(theirs);
                    base_version.set(current.version);
                    if found.is_empty() {
                        // Nothing of mine differs: the newer version already says it.
                        crate::drafts::discard(&draft_key.get_value());
                        handbook.set(Some(Ok(current)));
                    } else {
                        let shown = section.get_value();
                        let on_resolve = Callback::new(move |picks: Vec<(FieldConflict, Pick)>| {
                            if let Some(resolve) = resolver.get_value() {
                                resolve.run(picks);
                            }
                        });
                        conflict.set(Some((current, ViewFn::from(move || view! { <ConflictView found=found.clone() section=shown.clone() on_resolve/> }))));
                    }
                }
                None => toaster.error(error_message(i18n.t(), &e)),
            }
        }
        Err(e) => {
            let by_field = domain::field_errors(&e, &section_id);
            if by_field.is_empty() {
                // Kept as a draft: nothing typed is lost; the person can save again.
                toaster.error(error_message(i18n.t(), &e));
            } else {
                errors.set(by_field);
                toaster.info(i18n.t().hb_check_fields);
            }
        }
    }
    saving.set(false);
}

/// One field of my section: pictures and voice with their pickers (`media_slot`), every other
/// kind as the schema's data (`editor::FieldControl`).
fn field_editor(field: FieldDef, values: RwSignal<Values>, errors: RwSignal<FieldErrors>, apply: Option<Callback<Json>>) -> AnyView {
    match field.kind() {
        Kind::Photos | Kind::Voice => media_slot(field, values, errors),
        _ => view! { <super::editor::FieldControl field values errors apply/> }.into_any(),
    }
}

/// What a media field's part needs (`week_media`).
#[derive(Clone)]
struct MediaFieldParts {
    field: FieldDef,
    values: RwSignal<Values>,
    errors: RwSignal<FieldErrors>,
}

/// Where pictures or a voice note go: built when the field comes within a screen of view. Their
/// views and pickers are code of their own (`week_media`), which a teacher's first screen (her
/// sections' text, stars and choices) does not wait for; the loader fetches it ahead once the
/// week has shown, so it is there when she scrolls down.
fn media_slot(field: FieldDef, values: RwSignal<Values>, errors: RwSignal<FieldErrors>) -> AnyView {
    let at = NodeRef::<leptos::html::Div>::new();
    let near = crate::ui::lists::use_near_view(at, "0px 0px 100% 0px", true);
    let slot = field.field_id.clone();
    let parts = MediaFieldParts { field, values, errors };
    view! {
        <div class="hb-media-slot" data-slot=slot node_ref=at>
            {move || near.get().then(|| view! { <leptos::context::Provider value=parts.clone()><DeferredContent load=week_media/></leptos::context::Provider> })}
        </div>
    }
    .into_any()
}

crate::deferred_part!(
    /// A media field of my section, once near: its pictures or note, and their pickers.
    week_media => {
        let MediaFieldParts { field, values, errors } = expect_context::<MediaFieldParts>();
        view! { <MediaField field values errors/> }
    }
);

/// Pictures (uploaded as they are picked) or a voice note: their values are the uploads'.
#[component]
fn MediaField(field: FieldDef, values: RwSignal<Values>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let toaster = use_toast();
    let id = field.field_id.clone();
    let start = values.with_untracked(|v| v.get(&id).cloned()).unwrap_or(Json::Null);
    let error = {
        let id = id.clone();
        move || errors.with(|e| e.get(&id).and_then(Json::as_str).map(str::to_owned))
    };
    let media = RwSignal::new(start);
    // The uploads' list (pictures) or the one note (voice) is the field's value.
    Effect::new(move |_| {
        let v = media.get();
        values.update(|all| {
            all.insert(id.clone(), v);
        })
    });
    let body = if field.kind() == Kind::Photos {
        let max = field.max_count.unwrap_or(9);
        let photos = move || media.with(|m| m.as_array().cloned().unwrap_or_default());
        view! {
            <div class="hb-photos">
                {move || photos().into_iter().enumerate().map(|(i, p)| view! {
                    <span class="hb-photo-slot">
                        <img class="hb-photo" src=p["url"].as_str().and_then(crate::links::media_src).unwrap_or_default() alt=""/>
                        <button type="button" class="hb-photo-remove" aria-label=move || i18n.t().delete on:click=move |_| media.update(|m| {
                            let mut list = m.as_array().cloned().unwrap_or_default();
                            if i < list.len() { list.remove(i); }
                            *m = Json::from(list);
                        })>"×"</button>
                    </span>
                }).collect_view()}
            </div>
            // Uploads go on their own; the text of the section never waits for them.
            <PicturePicker remaining=Signal::derive(move || max.saturating_sub(photos().len()))
                on_uploaded={move |ups: Vec<Upload>| media.update(|m| {
                    let mut list = m.as_array().cloned().unwrap_or_default();
                    list.extend(ups.into_iter().map(|u| Json::object(vec![("upload_id", u.upload_id.into()), ("url", u.url.into())])));
                    list.truncate(max);
                    *m = Json::from(list);
                })}
                on_error={move |m: String| toaster.error(m)}>
                {move || i18n.t().hb_add_photos}
            </PicturePicker>
        }.into_any()
    } else {
        view! {
            {move || media.with(|n| n["url"].as_str().and_then(crate::links::media_src)).map(|u| view! { <audio class="hb-voice" controls=true preload="none" src=u></audio> })}
            <VoiceNote on_recorded={move |u: Upload| media.set(Json::object(vec![("upload_id", u.upload_id.into()), ("url", u.url.into())]))} on_error={move |m: String| toaster.error(m)}/>
        }.into_any()
    };
    view! {
        <div class="hb-field" data-field=field.field_id.clone() data-kind=field.kind.clone()>
            <div class="field">
                <p class="field-label">{field.label.clone()}</p>
                {body}
                {move || error().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
        </div>
    }
}

/// Both versions of what differs, with a choice per field.
#[component]
fn ConflictView(found: Vec<FieldConflict>, section: SectionDef, #[prop(into)] on_resolve: Callback<Vec<(FieldConflict, Pick)>>) -> impl IntoView {
    let i18n = use_i18n();
    let picks = RwSignal::new(found.iter().map(|_| Pick::Mine).collect::<Vec<_>>());
    let found = StoredValue::new(found);
    let all = move |p: Pick| on_resolve.run(found.with_value(|f| f.iter().cloned().map(|c| (c, p)).collect()));
    let chosen = move || on_resolve.run(found.with_value(|f| f.iter().cloned().zip(picks.get_untracked()).collect()));
    view! {
        <div class="hb-conflict" role="alertdialog" aria-label=move || i18n.t().hb_conflict_title>
            <p class="hb-conflict-title">{move || i18n.t().hb_conflict_title}</p>
            {found.get_value().into_iter().enumerate().map(|(i, c)| {
                let f = section.fields.iter().find(|f| f.field_id == c.field_id).cloned();
                let label = f.as_ref().map(|f| f.label.clone()).unwrap_or_else(|| c.field_id.clone());
                let (mine, theirs) = f.map(|f| (domain::display_value(&f, Some(&c.mine)), domain::display_value(&f, Some(&c.theirs)))).unwrap_or_default();
                let name = format!("conflict-{}", c.field_id);
                view! {
                    <fieldset class="hb-conflict-field" data-field=c.field_id.clone()>
                        <legend>{label}</legend>
                        <label class="hb-pick">
                            <input type="radio" name=name.clone() value="mine" prop:checked=move || picks.with(|p| p.get(i) == Some(&Pick::Mine)) on:change=move |_| picks.update(|p| p[i] = Pick::Mine)/>
                            <span>{move || i18n.t().hb_mine}": "{mine.clone()}</span>
                        </label>
                        <label class="hb-pick">
                            <input type="radio" name=name value="theirs" prop:checked=move || picks.with(|p| p.get(i) == Some(&Pick::Theirs)) on:change=move |_| picks.update(|p| p[i] = Pick::Theirs)/>
                            <span>{move || i18n.t().hb_theirs}": "{theirs.clone()}</span>
                        </label>
                    </fieldset>
                }
            }).collect_view()}
            <div class="actions actions-row">
                <button type="button" class="btn btn-default btn-small keep-mine" on:click=move |_| all(Pick::Mine)>{move || i18n.t().hb_keep_mine}</button>
                <button type="button" class="btn btn-default btn-small take-theirs" on:click=move |_| all(Pick::Theirs)>{move || i18n.t().hb_take_theirs}</button>
                <button type="button" class="btn btn-primary btn-small save-merge" on:click=move |_| chosen()>{move || i18n.t().hb_save_merge}</button>
            </div>
        </div>
    }
}

/// A message of the week's thread as the page holds it: sent, on its way, or failed.
#[derive(Clone, Debug, PartialEq)]
struct Message {
    /// The server's id, or the idempotency key while not yet sent.
    id: String,
    author: String,
    text: String,
    created_at: i64,
    state: Delivery,
}

/// The week's messages between teacher and parent, with my unsent ones marked and retryable.
#[component]
fn Comments(path: String, comments: Vec<domain::HandbookComment>) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let session = expect_context::<Session>();
    let clock = crate::clock::use_server_clock();
    let i18n = use_i18n();
    let me = session.user.get_untracked().map(|u| u.name).unwrap_or_default();
    let list = RwSignal::new(
        comments.into_iter().map(|c| Message { id: c.comment_id, author: c.author_name, text: c.text, created_at: c.created_at, state: Delivery::Sent }).collect::<Vec<_>>(),
    );
    let draft_key = comment_draft_key(&path);
    let text = RwSignal::new(crate::drafts::load::<String>(&draft_key).unwrap_or_default());
    crate::drafts::keep(draft_key.clone(), text.into(), |t: &String| !t.trim().is_empty());
    let url = StoredValue::new(format!("{path}/comments"));
    // Sends (or resends, with the same key) one message.
    let deliver = move |key: String, body: String| {
        let api = api.clone();
        list.update(|l| {
            if let Some(m) = l.iter_mut().find(|m| m.id == key) {
                m.state = Delivery::Pending;
            }
        });
        leptos::task::spawn_local(async move {
            let answer = api.send::<domain::HandbookComment, _>("POST", &url.get_value(), Some(&Json::object(vec![("text", body.into())])), Some(&key)).await;
            // Left the page meanwhile: the message was sent or not, there is no list to mark.
            if list.is_disposed() {
                return;
            }
            list.update(|l| {
                if let Some(m) = l.iter_mut().find(|m| m.id == key) {
                    match answer {
                        Ok(c) => *m = Message { id: c.comment_id, author: c.author_name, text: c.text, created_at: c.created_at, state: Delivery::Sent },
                        Err(_) => m.state = Delivery::Failed,
                    }
                }
            });
        });
    };
    let post = {
        let (deliver, me, draft_key) = (deliver.clone(), me.clone(), draft_key.clone());
        move || {
            let body = text.get_untracked().trim().to_owned();
            if body.is_empty() {
                return;
            }
            let key = new_idempotency_key();
            list.update(|l| l.push(Message { id: key.clone(), author: me.clone(), text: body.clone(), created_at: clock.now_ms(), state: Delivery::Pending }));
            text.set(String::new());
            crate::drafts::discard(&draft_key);
            deliver(key, body);
        }
    };
    view! {
        <section class="cells hb-comments">
            <header class="cells-title">{move || i18n.t().hb_comments}</header>
            <Keyed each=move || list.get() key=|m| (m.id.clone(), m.state) let:m>
                {
                    let deliver = deliver.clone();
                    let (key, body) = (m.id.clone(), m.text.clone());
                    view! {
                        <div class="cell hb-comment" data-state=format!("{:?}", m.state)>
                            <div class="cell-body">
                                <p class="cell-desc">{m.author.clone()}" · "{move || relative_time(i18n.t(), clock.now_ms(), m.created_at)}</p>
                                <p class="cell-title hb-comment-text">{m.text.clone()}</p>
                                {match m.state {
                                    Delivery::Sent => ().into_any(),
                                    Delivery::Pending => view! { <p class="cell-desc hb-pending">{move || i18n.t().sending}</p> }.into_any(),
                                    Delivery::Failed => view! {
                                        <button type="button" class="btn-link hb-retry" on:click=move |_| deliver(key.clone(), body.clone())>{move || i18n.t().send_failed_retry}</button>
                                    }.into_any(),
                                }}
                            </div>
                        </div>
                    }
                }
            </Keyed>
            <div class="hb-composer">
                <TextArea label=Signal::derive(move || i18n.t().hb_comments.to_owned()) value=text max_length=500 placeholder=Signal::derive(move || Some(i18n.t().hb_comment_placeholder.to_owned()))/>
                <div class="actions">
                    <button type="button" class="btn btn-primary btn-small hb-comment-send" disabled=move || text.with(|t| t.trim().is_empty()) on:click=move |_| post()>{move || i18n.t().send}</button>
                </div>
            </div>
        </section>
    }
}
