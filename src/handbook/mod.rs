//! The kindergarten home-school handbook.

use crate::api::ApiClient;
use crate::i18n::use_i18n;
use crate::ui::{fetched, Cell, Cells, Empty};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub child_id: String,
    pub name: String,
    pub avatar_url: String,
    pub class_name: String,
    pub week_status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookChildren {
    pub week: String,
    pub role: crate::session::Role,
    pub children: Vec<ChildSummary>,
}

#[component]
pub fn SchoolPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let session = expect_context::<crate::session::Session>();
    let is_family = move || {
        session.user.get().is_some_and(|u| matches!(u.role, crate::session::Role::Parent | crate::session::Role::Teacher))
    };
    let children = api.resource::<HandbookChildren>("/handbook/children");
    view! {
        <h1 class="page-title">{move || i18n.t().school_title}</h1>
        <Show when=is_family fallback=move || view! { <Empty text=i18n.t().school_only.to_owned()/> }>
            {fetched(children, move |list: HandbookChildren| {
                view! {
                    <p class="page-desc">{list.week.clone()}</p>
                    <Cells>
                        <For each=move || list.children.clone() key=|c| c.child_id.clone() let:c>
                            <Cell title=c.name.clone() value=c.class_name.clone()/>
                        </For>
                    </Cells>
                }
            })}
        </Show>
    }
}
