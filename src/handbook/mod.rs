//! The kindergarten home-school handbook: a parent's children or a teacher's class, each
//! child's week (rendered from the schema the API sends), past weeks, class notices with read
//! receipts, and leave requests.

pub mod domain;
pub mod editor;
pub mod notices;
pub mod week;

use crate::api::{ApiClient, Fetched};
use crate::i18n::use_i18n;
use crate::session::{Role, Session};
use crate::ui::{fetched, Cell, Cells, Empty, Tabs};
use domain::{HandbookChildren, WeekStatus, WeekSummary};
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::json_record;

/// The statuses a teacher filters the roster by, in the order the week moves.
pub const STATUS_FILTERS: [WeekStatus; 5] = [WeekStatus::NotStarted, WeekStatus::TeacherDone, WeekStatus::Sent, WeekStatus::Read, WeekStatus::Replied];

/// `/school`: my children (parent) or my class with each child's status this week (teacher).
#[component]
pub fn SchoolPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let is_family = move || session.user.get().is_some_and(|u| matches!(u.role, Role::Parent | Role::Teacher));
    let children = api.resource::<HandbookChildren>("/handbook/children");
    // 0 = all, then one tab per status.
    let filter = RwSignal::new(0usize);
    view! {
        <h1 class="page-title">{move || i18n.t().school_title}</h1>
        <When when=is_family fallback=move || view! { <Empty text=i18n.t().school_only.to_owned()/> }>
            <Cells>
                <Cell title=Signal::derive(move || i18n.t().hb_notices.to_owned()) href="/school/notices".to_owned() class="school-notices".to_owned()/>
                <Cell title=Signal::derive(move || i18n.t().hb_leave.to_owned()) href="/school/leave".to_owned() class="school-leave".to_owned()/>
            </Cells>
            {fetched(children, move |list: HandbookChildren| {
                let week = list.week.clone();
                let teacher = list.role == Role::Teacher;
                let all = StoredValue::new(list.children.clone());
                let labels = Signal::derive(move || {
                    let m = i18n.t();
                    let count = |s: Option<WeekStatus>| all.with_value(|c| c.iter().filter(|c| s.is_none_or(|s| c.week_status == s)).count());
                    std::iter::once(format!("{} {}", m.hb_all, count(None)))
                        .chain(STATUS_FILTERS.iter().map(|s| format!("{} {}", (m.hb_status)(*s), count(Some(*s)))))
                        .collect::<Vec<_>>()
                });
                let shown = move || {
                    let f = filter.get();
                    all.with_value(|c| c.iter().filter(|c| f == 0 || STATUS_FILTERS.get(f - 1) == Some(&c.week_status)).cloned().collect::<Vec<_>>())
                };
                view! {
                    <p class="page-desc">{week.clone()}</p>
                    <When when=move || teacher>
                        <Tabs items=labels selected=filter label=Signal::derive(move || i18n.t().school_title.to_owned())/>
                    </When>
                    <Cells>
                        <Keyed each=shown key=|c| (c.child_id.clone(), c.week_status) let:c>
                            <Cell title=c.name.clone() desc=c.class_name.clone() href=format!("/school/{}/{}", c.child_id, week) class="roster-child".to_owned()>
                                <span class="status-tag" data-status=format!("{:?}", c.week_status)>{move || (i18n.t().hb_status)(c.week_status)}</span>
                            </Cell>
                        </Keyed>
                    </Cells>
                    <When when=move || shown().is_empty()>
                        <Empty/>
                    </When>
                }
            })}
        </When>
    }
}

/// `/school/:child_id/history`: a child's past weeks, each opening read-only with its comments.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let params = crate::router::use_params();
    let child_id = move || params.with(|p| p.get("child_id").unwrap_or_default());
    #[derive(Clone)]
    struct Weeks {
        weeks: Vec<WeekSummary>,
    }
    json_record!(read Weeks { weeks });
    let weeks = Fetched::new(move || {
        let (api, id) = (api.clone(), child_id());
        async move { api.get::<Weeks>(&format!("/handbook/children/{id}/weeks")).await }
    });
    view! {
        <h1 class="page-title">{move || i18n.t().hb_history}</h1>
        {fetched(weeks, move |list: Weeks| {
            if list.weeks.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            let child = child_id();
            view! {
                <Cells>
                    {list.weeks.into_iter().map(|w| view! {
                        <Cell title=(i18n.t().hb_week_of)(&w.starts_on) desc=w.week.clone() href=format!("/school/{child}/{}", w.week) class="history-week".to_owned()>
                            <span class="status-tag" data-status=format!("{:?}", w.status)>{move || (i18n.t().hb_status)(w.status)}</span>
                        </Cell>
                    }).collect_view()}
                </Cells>
            }.into_any()
        })}
    }
}
