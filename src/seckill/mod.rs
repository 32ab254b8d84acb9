//! Seckill flash sales.

pub mod domain;

use crate::api::{ApiClient, Fetched};
use crate::clock::use_server_clock;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{fetched, use_toast, Button, Countdown, Empty, LazyImage, Progress, Tabs};
use domain::{ItemState, SeckillItem};
use leptos::prelude::*;
use crate::ui::When;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
pub struct SeckillSession {
    pub session_id: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
}
json_record!(read write SeckillSession { session_id, title, starts_at, ends_at });

#[derive(Clone, Debug, PartialEq)]
pub struct SeckillSessions {
    pub now_ms: i64,
    pub sessions: Vec<SeckillSession>,
}
json_record!(read write SeckillSessions { now_ms, sessions });

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

/// The flash-sale page: sessions as tabs, the chosen session's items with a button per state.
#[component]
pub fn SeckillPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let clock = use_server_clock();
    let sessions = api.resource::<SeckillSessions>("/seckill/sessions");
    view! {
        <h1 class="page-title">{move || i18n.t().seckill_title}</h1>
        // Every state and countdown here is a server instant: wait for the clock's first
        // measurement (one round trip, usually done before the page is opened).
        <When when=move || clock.ready() fallback=|| view! { <crate::ui::Loading/> }>
            {fetched(sessions, move |list: SeckillSessions| {
                if list.sessions.is_empty() {
                    return view! { <Empty/> }.into_any();
                }
                view! { <Sessions list/> }.into_any()
            })}
        </When>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct SessionItems {
    session: SeckillSession,
    items: Vec<SeckillItem>,
}
json_record!(read SessionItems { session, items });

#[component]
fn Sessions(list: SeckillSessions) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = use_server_clock();
    let i18n = use_i18n();
    let now = clock.now_ms();
    // The live session first, else the next one, else the last.
    let initial = list
        .sessions
        .iter()
        .position(|s| phase(s, now) == Phase::Live)
        .or_else(|| list.sessions.iter().position(|s| phase(s, now) == Phase::Upcoming))
        .unwrap_or(list.sessions.len().saturating_sub(1));
    let selected = RwSignal::new(initial);
    let sessions = StoredValue::new(list.sessions.clone());
    let labels = Signal::derive(move || {
        let now = clock.now_ms();
        let m = i18n.t();
        sessions.with_value(|list| {
            list.iter()
                .map(|s| {
                    let state = match phase(s, now) {
                        Phase::Live => m.seckill_live,
                        Phase::Upcoming => m.seckill_upcoming,
                        Phase::Ended => m.seckill_ended,
                    };
                    format!("{} {state}", s.title)
                })
                .collect()
        })
    });
    let items = Fetched::new(move || {
        let api = api.clone();
        let id = sessions.with_value(|l| l.get(selected.get()).map(|s| s.session_id.clone())).unwrap_or_default();
        async move { api.get::<SessionItems>(&format!("/seckill/sessions/{id}/items")).await }
    });
    view! {
        <Tabs items=labels selected label=Signal::derive(move || i18n.t().seckill_title.to_owned())/>
        {fetched(items, move |found: SessionItems| {
            if found.items.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            let session = found.session.clone();
            view! {
                <div class="seckill-items">
                    {found.items.into_iter().map(|item| view! { <ItemCard item session=session.clone() on_changed=move || items.refetch()/> }).collect_view()}
                </div>
            }.into_any()
        })}
    }
}

/// One item: picture, prices, progress, and what the follower can do now.
#[component]
fn ItemCard(item: domain::SeckillItem, session: SeckillSession, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let clock = use_server_clock();
    let i18n = use_i18n();
    // Re-evaluated when the countdown reaches server zero (and when the clock is re-measured).
    let tick = RwSignal::new(0u32);
    let (starts_at, ends_at) = (session.starts_at, session.ends_at);
    let it = item.clone();
    let state = Memo::new(move |_| {
        tick.track();
        clock.estimate.track();
        domain::item_state(&it, starts_at, ends_at, clock.now_ms())
    });
    let percent = domain::grabbed_percent(&item);
    let item_id = item.item_id.clone();
    let stock = domain::stock_note(&item);
    view! {
        <article class="cell seckill-item" data-state=move || format!("{:?}", state.get())>
            <LazyImage src=item.image_url.clone() size=(1, 1) class="line-image".to_owned()/>
            <div class="cell-body">
                <p class="cell-title line-title">{item.title.clone()}</p>
                <p class="seckill-prices"><span class="price">{format_fen(item.flash_price_fen)}</span>" "<s class="original">{format_fen(item.original_price_fen)}</s></p>
                <Progress value=percent as f64 / 100.0 label=Signal::derive(move || (i18n.t().grabbed_pct)(percent))/>
                <p class="cell-desc">{move || (i18n.t().grabbed_pct)(percent)}" · "{move || match stock { domain::StockNote::Few(n) => (i18n.t().only_left)(n), domain::StockNote::Left(n) => (i18n.t().stock_left)(n) }}" · "{move || (i18n.t().seckill_limit)(item.limit_per_person, item.bought_by_me)}</p>
                <div class="seckill-action">
                    {move || match state.get() {
                        ItemState::Upcoming => view! {
                            <span class="seckill-starts">{i18n.t().seckill_starts_in}" "<Countdown target=starts_at on_zero=move || tick.update(|t| *t += 1)/></span>
                            <RemindButton item_id=item_id.clone() reminded=item.reminded/>
                        }.into_any(),
                        ItemState::Live => view! { <GrabButton item_id=item_id.clone() on_changed/> }.into_any(),
                        ItemState::SoldOut => view! { <button class="btn btn-default btn-small" disabled=true>{i18n.t().seckill_sold_out}</button> }.into_any(),
                        ItemState::LimitReached => view! { <button class="btn btn-default btn-small" disabled=true>{i18n.t().seckill_limit_reached}</button> }.into_any(),
                        ItemState::Ended => view! { <button class="btn btn-default btn-small" disabled=true>{i18n.t().seckill_ended}</button> }.into_any(),
                    }}
                </div>
            </div>
        </article>
    }
}

/// Grabs once per intent: the key is made on the tap and reused for every resend of it.
#[component]
fn GrabButton(item_id: String, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = use_server_clock();
    let toaster = use_toast();
    let i18n = use_i18n();
    let location = crate::router::use_location();
    let busy = RwSignal::new(false);
    // In line for a queued grab, with the place the server gives (if it does).
    let queued = RwSignal::new(None::<Option<i64>>);
    // Seconds the server asked us to wait (429 Retry-After): the button holds until then.
    let wait_left = RwSignal::new(0u64);
    // An unresolved intent keeps its key: a later tap after no answer resends the same grab.
    let key = StoredValue::new(None::<String>);
    let grab = move || {
        let api = api.clone();
        let item_id = item_id.clone();
        let key_now = key.get_value().unwrap_or_else(crate::api::new_idempotency_key);
        key.set_value(Some(key_now.clone()));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut attempt = 0;
            let outcome = loop {
                let answer = api.send::<domain::GrabAnswer, _>("POST", &format!("/seckill/items/{item_id}/grab"), Some(&crate::json::Json::object(vec![("quantity", 1i64.into())])), Some(&key_now)).await;
                match domain::grab_outcome(answer) {
                    domain::Grab::RetrySameKey if attempt < domain::SAME_KEY_RETRIES => {
                        attempt += 1;
                        gloo_timers::future::TimeoutFuture::new(500 * attempt).await;
                    }
                    other => break other,
                }
            };
            let outcome = match outcome {
                domain::Grab::Queued { ticket_id, poll_after_ms } => {
                    let _ = queued.try_set(Some(None));
                    let mut polls = 0;
                    loop {
                        let Some(wait) = domain::ticket_poll_ms(poll_after_ms, polls) else { break domain::Grab::RetrySameKey };
                        gloo_timers::future::TimeoutFuture::new(wait as u32).await;
                        polls += 1;
                        struct Ticket {
                            state: String,
                            position: Option<i64>,
                            order_id: Option<String>,
                            pay_by: Option<i64>,
                        }
                        json_record!(read Ticket { state, position, order_id, pay_by });
                        match api.get::<Ticket>(&format!("/seckill/tickets/{ticket_id}")).await {
                            Ok(t) if t.state == "won" => break domain::Grab::Won { order_id: t.order_id.unwrap_or_default(), pay_by: t.pay_by.unwrap_or(0) },
                            Ok(t) if t.state == "sold_out" => break domain::Grab::SoldOut,
                            Ok(t) if t.state == "limit_reached" => break domain::Grab::LimitReached,
                            Ok(t) => {
                                let _ = queued.try_set(Some(t.position.filter(|p| *p > 0)));
                            }
                            Err(_) => {}
                        }
                    }
                }
                other => other,
            };
            // A follower who left the page meanwhile still hears the outcome (and a win still
            // opens the order), but the page's own state went with the page.
            let page_gone = busy.is_disposed();
            let _ = queued.try_set(None);
            let _ = busy.try_set(false);
            let changed = move || {
                if !page_gone {
                    on_changed.run(());
                }
            };
            let m = i18n.t();
            match outcome {
                domain::Grab::Won { order_id, .. } => {
                    let _ = key.try_set_value(None);
                    toaster.success(m.seckill_won);
                    location.navigate(&format!("/orders/{order_id}"));
                }
                domain::Grab::SoldOut => { let _ = key.try_set_value(None); toaster.info(m.seckill_sold_out); changed(); }
                domain::Grab::LimitReached => { let _ = key.try_set_value(None); toaster.info(m.seckill_limit_reached); changed(); }
                domain::Grab::Ended => { let _ = key.try_set_value(None); toaster.info(m.seckill_ended); changed(); }
                domain::Grab::NotStarted { .. } => {
                    let _ = key.try_set_value(None);
                    toaster.info(m.seckill_not_started);
                    clock.sync(&api).await;
                    if !busy.is_disposed() {
                        on_changed.run(());
                    }
                }
                domain::Grab::Wait { seconds } => {
                    toaster.info((m.err_busy)(seconds));
                    // A relative wait, so counting down locally is right here.
                    for left in (1..=seconds).rev() {
                        let _ = wait_left.try_set(left);
                        gloo_timers::future::TimeoutFuture::new(1_000).await;
                    }
                    let _ = wait_left.try_set(0);
                }
                domain::Grab::RetrySameKey => toaster.error(m.err_network),
                domain::Grab::Queued { .. } => {}
                domain::Grab::Failed(e) => { let _ = key.try_set_value(None); toaster.error(crate::ui::error_message(m, &e)); }
            }
        });
    };
    view! {
        <Button small=true loading=busy disabled=Signal::derive(move || wait_left.get() > 0) on_click=grab>
            {move || {
                let m = i18n.t();
                match (queued.get(), wait_left.get()) {
                    (Some(Some(place)), _) => (m.seckill_queue_position)(place),
                    (Some(None), _) => m.seckill_queued.to_owned(),
                    (None, 0) => m.seckill_grab.to_owned(),
                    (None, s) => (m.seckill_wait)(s),
                }
            }}
        </Button>
    }
}

/// "Remind me": WeChat's subscription in WeChat, the API's reminder elsewhere; cancellable.
#[component]
fn RemindButton(item_id: String, reminded: bool) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let toaster = use_toast();
    let i18n = use_i18n();
    let on = RwSignal::new(reminded);
    let toggle = move || {
        let (api, item_id) = (api.clone(), item_id.clone());
        let want = !on.get_untracked();
        leptos::task::spawn_local(async move {
            let method = if want { "PUT" } else { "DELETE" };
            match api.send::<crate::json::Json, ()>(method, &format!("/seckill/items/{item_id}/reminder"), None, None).await {
                Ok(_) => {
                    let _ = on.try_set(want);
                    toaster.success(if want { i18n.t().seckill_reminder_set } else { i18n.t().seckill_reminder_off });
                }
                Err(e) => toaster.error(crate::ui::error_message(i18n.t(), &e)),
            }
        });
    };
    let sdk = expect_context::<crate::wechat::JsSdk>();
    let template = expect_context::<crate::config::Config>().subscribe_template_id;
    let has_template = template.is_some();
    let in_wechat = move || sdk.state.get() == crate::wechat::SdkState::Ready && has_template && !on.get();
    let toggle_api = toggle.clone();
    view! {
        <When when=in_wechat fallback=move || {
            let toggle = toggle_api.clone();
            view! {
                <button class="btn btn-default btn-small remind" aria-pressed=move || if on.get() { "true" } else { "false" } on:click=move |_| toggle()>
                    {move || if on.get() { i18n.t().seckill_reminded } else { i18n.t().remind_me }}
                </button>
            }
        }>
            // Inside WeChat: WeChat's own subscription asks the follower; an accepted one is
            // recorded with the API too, so the reminder shows on every device.
            <crate::wechat::open_tags::SubscribeButton
                template_id=template.clone().unwrap_or_default()
                label=Signal::derive(move || i18n.t().remind_me.to_owned())
                on_subscribed={let toggle = toggle.clone(); move |accepted: bool| if accepted { toggle() }}
                on_fallback={let toggle = toggle.clone(); move || toggle()}/>
        </When>
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
