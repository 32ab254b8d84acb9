//! Seckill flash sales.

pub mod domain;

use crate::api::ApiClient;
use crate::clock::ServerClock;
use crate::i18n::use_i18n;
use crate::ui::{fetched, Cell, Cells, Empty};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeckillSession {
    pub session_id: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeckillSessions {
    pub now_ms: i64,
    pub sessions: Vec<SeckillSession>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Live,
    Ended,
}

/// Where a session is at a server instant: the start is inclusive, the end exclusive.
pub fn phase(s: &SeckillSession, now_ms: i64) -> Phase {
    if now_ms < s.starts_at {
        Phase::Upcoming
    } else if now_ms < s.ends_at {
        Phase::Live
    } else {
        Phase::Ended
    }
}

/// The session on now, if any.
pub fn live_session(list: &SeckillSessions, now_ms: i64) -> Option<&SeckillSession> {
    list.sessions.iter().find(|s| phase(s, now_ms) == Phase::Live)
}

#[component]
pub fn SeckillPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = expect_context::<ServerClock>();
    let i18n = use_i18n();
    let sessions = api.resource::<SeckillSessions>("/seckill/sessions");
    view! {
        <h1 class="page-title">{move || i18n.t().seckill_title}</h1>
        {fetched(sessions, move |list: SeckillSessions| {
            if list.sessions.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            view! {
                <Cells>
                    <For each=move || list.sessions.clone() key=|s| s.session_id.clone() let:s>
                        <Cell title=s.title.clone() class="seckill-session">
                            {move || match phase(&s, clock.now_ms()) {
                                Phase::Upcoming => i18n.t().seckill_upcoming,
                                Phase::Live => i18n.t().seckill_live,
                                Phase::Ended => i18n.t().seckill_ended,
                            }}
                        </Cell>
                    </For>
                </Cells>
            }
            .into_any()
        })}
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn phases_switch_at_server_instants() {
        let s = SeckillSession { session_id: "a".into(), title: "10:00".into(), starts_at: 1000, ends_at: 2000 };
        assert_eq!(phase(&s, 999), Phase::Upcoming);
        assert_eq!(phase(&s, 1000), Phase::Live);
        assert_eq!(phase(&s, 1999), Phase::Live);
        assert_eq!(phase(&s, 2000), Phase::Ended);
    }
}
