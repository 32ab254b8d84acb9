//! Customer moments: the staff's posts.

use crate::api::ApiClient;
use crate::clock::ServerClock;
use crate::i18n::{relative_time, use_i18n};
use crate::ui::{fetched, Empty};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffAuthor {
    pub staff_id: String,
    pub name: String,
    pub title: String,
    pub avatar_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    pub post_id: String,
    pub author: StaffAuthor,
    pub text: String,
    pub created_at: i64,
    pub like_count: i64,
    pub comment_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MomentPage {
    pub posts: Vec<Moment>,
    pub next_cursor: Option<String>,
}

#[component]
pub fn MomentsPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = expect_context::<ServerClock>();
    let i18n = use_i18n();
    let page = api.resource::<MomentPage>("/moments?limit=10");
    view! {
        <h1 class="page-title">{move || i18n.t().moments_title}</h1>
        {fetched(page, move |page: MomentPage| {
            if page.posts.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            view! {
                <div class="feed">
                    <For each=move || page.posts.clone() key=|p| p.post_id.clone() let:p>
                        <article class="moment">
                            <header class="moment-author">
                                <strong>{p.author.name.clone()}</strong>
                                <span class="moment-title">{p.author.title.clone()}</span>
                            </header>
                            <p class="moment-text">{p.text.clone()}</p>
                            <footer class="moment-time">{move || relative_time(i18n.t(), clock.now_ms(), p.created_at)}</footer>
                        </article>
                    </For>
                </div>
            }
            .into_any()
        })}
    }
}
