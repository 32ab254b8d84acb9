//! The home page: who I am, the server's time, and live entries into each area.

use crate::api::ApiClient;
use crate::cart::domain;
use crate::clock::use_server_clock;
use crate::config::Config;
use crate::i18n::{use_i18n, Lang};
use crate::moments::LatestMoments;
use crate::seckill::{live_session, SeckillSessions};
use crate::session::{start_sign_in, Role, Session};
use crate::ui::{fetched, Cell, Cells};
use leptos::prelude::*;
use crate::ui::When;

/// The server's time of day as `HH:MM:SS` in the phone's time zone.
fn time_of_day(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

#[component]
pub fn HomePage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let clock = use_server_clock();
    let session = expect_context::<Session>();
    let config = expect_context::<Config>();
    let i18n = use_i18n();

    // The clock face repaints once a second; the time itself always comes from the server clock.
    let now = RwSignal::new(clock.now_ms());
    let tick = set_interval_with_handle(move || now.set(clock.now_ms()), std::time::Duration::from_millis(1000)).ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });

    let carts = crate::cart::store::use_cart();
    let sessions = api.resource::<SeckillSessions>("/seckill/sessions");
    let moments = api.resource::<LatestMoments>("/moments?limit=1");

    // The newest moment as one line of text: loading shows nothing, a failure says so.
    let latest = Signal::derive(move || match moments.get() {
        Some(Ok(latest)) => latest.headline(),
        Some(Err(e)) => Some(crate::ui::error_message(i18n.t(), &e)),
        None => None,
    });
    let user = move || session.user.get();
    let role = move || {
        let m = i18n.t();
        match user() {
            Some(u) if u.is_guest => m.guest,
            Some(u) => match u.role {
                Role::Follower => m.role_follower,
                Role::Parent => m.role_parent,
                Role::Teacher => m.role_teacher,
            },
            None => "",
        }
    };
    let switch_lang = move |_| i18n.set(if i18n.lang.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh });
    let sign_in = StoredValue::new(config);

    view! {
        <header class="home-header">
            <div>
                <p class="home-hello">{move || i18n.t().hello}", "<span class="home-name">{move || user().map(|u| u.name).unwrap_or_default()}</span></p>
                <span class="badge role-badge">{role}</span>
            </div>
            <div class="home-actions">
                <When when=move || user().is_some_and(|u| u.is_guest)>
                    <button class="btn btn-primary btn-small" on:click=move |_| sign_in.with_value(start_sign_in)>{move || i18n.t().sign_in}</button>
                </When>
                <button class="btn btn-default btn-small" on:click=switch_lang>{move || i18n.t().language}</button>
            </div>
        </header>
        <p class="home-clock">{move || i18n.t().server_time}" "<time class="server-time">{move || time_of_day(now.get())}</time></p>
        <Cells>
            <Cell title=Signal::derive(move || i18n.t().home_menu.to_owned()) href="/menu"/>
            <Cell title=Signal::derive(move || i18n.t().home_cart.to_owned()) href="/cart">
                <span class="home-cart-count">
                    {move || match (carts.shown(), carts.load_error.get()) {
                        (Some(c), _) => (i18n.t().home_cart_lines)(domain::line_count(&c)),
                        (None, Some(e)) => crate::ui::error_message(i18n.t(), &e),
                        (None, None) => i18n.t().loading.to_owned(),
                    }}
                </span>
            </Cell>
            <Cell title=Signal::derive(move || i18n.t().home_seckill.to_owned()) href="/seckill">
                <span class="home-seckill">
                    {fetched(sessions, move |list: SeckillSessions| view! {
                        {move || match live_session(&list, now.get()) {
                            Some(s) => (i18n.t().home_seckill_live)(&s.title),
                            None => i18n.t().home_seckill_none.to_owned(),
                        }}
                    })}
                </span>
            </Cell>
            <Cell title=Signal::derive(move || i18n.t().home_moments.to_owned()) href="/moments" class="home-latest" desc=latest/>
        </Cells>
    }
}
