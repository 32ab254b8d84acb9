//! The designer gallery (`/preview`): every page in each of its states, rendered by the real
//! app in phone frames against the stand-in's scenarios, with theme and language switches and a
//! deep link per entry. Only the scenario differs from what ships.

use leptos::prelude::*;
use crate::router::use_location;
use crate::json_record;

/// One page in one state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Stable id for deep links (`cart.empty`).
    pub id: &'static str,
    pub area: &'static str,
    pub state: &'static str,
    /// The page; `{week}` is this week's ISO week.
    pub path: &'static str,
    /// The stand-in scenario (empty: none).
    pub scenario: &'static str,
    /// Who looks at it (a stand-in user).
    pub user: &'static str,
}

const fn e(id: &'static str, area: &'static str, state: &'static str, path: &'static str, scenario: &'static str, user: &'static str) -> Entry {
    Entry { id, area, state, path, scenario, user }
}

const FAN: &str = "u-xiaoman";
const PARENT: &str = "p-wang";
const TEACHER: &str = "t-chen";

/// Every entry of the gallery.
pub const ENTRIES: &[Entry] = &[
    e("home.normal", "home", "normal", "/", "", FAN),
    e("menu.normal", "menu", "normal: every button type", "/menu", "", FAN),
    e("menu.invalid", "menu", "invalid menu", "/menu", "invalid_menu", FAN),
    e("menu.error", "menu", "error", "/menu", "error", FAN),
    e("menu.loading", "menu", "loading", "/menu", "loading", FAN),
    e("cart.normal", "cart", "normal: unavailable lines, price changed", "/cart", "", FAN),
    e("cart.empty", "cart", "empty", "/cart", "empty", FAN),
    e("cart.error", "cart", "error", "/cart", "error", FAN),
    e("cart.loading", "cart", "loading", "/cart", "loading", FAN),
    e("cart.checkout", "cart", "checkout", "/checkout", "", FAN),
    e("cart.orders", "cart", "orders to pay", "/orders", "", FAN),
    e("shop.normal", "cart", "shop", "/shop", "", FAN),
    e("seckill.normal", "seckill", "live, upcoming, sold out, limit reached", "/seckill", "", FAN),
    e("seckill.sold_out", "seckill", "sold out", "/seckill", "sold_out", FAN),
    e("seckill.queue", "seckill", "queued grabs", "/seckill", "queue", FAN),
    e("seckill.empty", "seckill", "empty", "/seckill", "empty", FAN),
    e("seckill.error", "seckill", "error", "/seckill", "error", FAN),
    e("seckill.loading", "seckill", "loading", "/seckill", "loading", FAN),
    e("school.roster", "handbook", "teacher: class roster", "/school", "", TEACHER),
    e("school.teacher", "handbook", "teacher view: every field kind", "/school/c-lele/{week}", "", TEACHER),
    e("school.parent", "handbook", "parent view", "/school/c-anan/{week}", "", PARENT),
    e("school.unknown_field", "handbook", "unknown field kind", "/school/c-anan/{week}", "unknown_field", PARENT),
    e("school.history", "handbook", "past weeks", "/school/c-anan/history", "", PARENT),
    e("school.notices", "handbook", "notices", "/school/notices", "", PARENT),
    e("school.leave", "handbook", "leave requests", "/school/leave", "", PARENT),
    e("school.error", "handbook", "error", "/school", "error", PARENT),
    e("school.loading", "handbook", "loading", "/school", "loading", PARENT),
    e("moments.normal", "moments", "normal", "/moments", "", FAN),
    e("moments.images_1", "moments", "one picture", "/moments", "images_1", FAN),
    e("moments.images_4", "moments", "four pictures", "/moments", "images_4", FAN),
    e("moments.images_9", "moments", "nine pictures", "/moments", "images_9", FAN),
    e("moments.video", "moments", "video", "/moments", "video", FAN),
    e("moments.link", "moments", "link card", "/moments", "link", FAN),
    e("moments.text_only", "moments", "text only", "/moments", "text_only", FAN),
    e("moments.long_text", "moments", "long text", "/moments", "long_text", FAN),
    e("moments.empty", "moments", "empty", "/moments", "empty", FAN),
    e("moments.error", "moments", "error", "/moments", "error", FAN),
    e("moments.loading", "moments", "loading", "/moments", "loading", FAN),
];

/// A phone the gallery frames pages in (CSS pixels; safe areas at top and bottom).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phone {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub safe_top: u32,
    pub safe_bottom: u32,
}

pub const PHONES: [Phone; 3] = [
    Phone { name: "Android 360×800", width: 360, height: 800, safe_top: 24, safe_bottom: 0 },
    Phone { name: "iPhone 375×667", width: 375, height: 667, safe_top: 20, safe_bottom: 0 },
    Phone { name: "iPhone 390×844", width: 390, height: 844, safe_top: 47, safe_bottom: 34 },
];

/// The address that renders `entry` in the app: its page with the scenario, theme and language.
pub fn entry_url(entry: &Entry, week: &str, theme: &str, lang: &str) -> String {
    let path = entry.path.replace("{week}", week);
    let mut query = vec![format!("theme={theme}"), format!("lang={lang}")];
    if !entry.scenario.is_empty() {
        query.insert(0, format!("scenario={}", entry.scenario));
    }
    format!("{path}?{}", query.join("&"))
}

/// The gallery's own deep link for an entry.
pub fn deep_link(entry: &Entry, theme: &str, lang: &str) -> String {
    format!("/preview?entry={}&theme={theme}&lang={lang}", entry.id)
}

/// `/preview`.
#[component]
pub fn GalleryPage() -> impl IntoView {
    let query = use_location().query();
    let chosen = Memo::new(move |_| query.with(|q| crate::router::query_value(q, "entry")).and_then(|id| ENTRIES.iter().find(|e| e.id == id).copied()).unwrap_or(ENTRIES[0]));
    let theme = Memo::new(move |_| query.with(|q| crate::router::query_value(q, "theme")).filter(|t| ["light", "dark", "care"].contains(&t.as_str())).unwrap_or_else(|| "light".into()));
    let lang = Memo::new(move |_| query.with(|q| crate::router::query_value(q, "lang")).filter(|l| ["zh", "en"].contains(&l.as_str())).unwrap_or_else(|| "zh".into()));
    // The frames show the page as the entry's person: signed in through the stand-in's sign-in
    // (this gallery is a stand-in tool), then framed once the session is stored.
    let ready = RwSignal::new(None::<Result<String, crate::api::ApiError>>);
    let attempt = RwSignal::new(0u32);
    let api = expect_context::<crate::api::ApiClient>();
    let previews_on = expect_context::<crate::config::Config>().preview;
    Effect::new(move |_| {
        let entry = chosen.get();
        attempt.track();
        ready.set(None);
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let _ = ready.try_set(Some(sign_in_as(&api, entry.user).await));
        });
    });
    let link = move |e: &Entry| deep_link(e, &theme.get(), &lang.get());
    view! {
        <div class="gallery">
            <h1 class="page-title">"Preview gallery"</h1>
            {(!previews_on).then(|| view! {
                <p class="state" role="alert">"Previews are off in this deployment (wxf:preview): the frames show the live API, not each state."</p>
            })}
            <nav class="gallery-switches">
                {["light", "dark", "care"].into_iter().map(|t| view! {
                    <a class="btn btn-default btn-small" aria-current=move || (theme.get() == t).then_some("true") href=move || deep_link(&chosen.get(), t, &lang.get())>{t}</a>
                }).collect_view()}
                {[("zh", "中文"), ("en", "English")].into_iter().map(|(l, name)| view! {
                    <a class="btn btn-default btn-small" aria-current=move || (lang.get() == l).then_some("true") href=move || deep_link(&chosen.get(), &theme.get(), l)>{name}</a>
                }).collect_view()}
                <a class="btn btn-default btn-small" href="/preview/widgets">"Widgets"</a>
            </nav>
            <div class="gallery-body">
                <ul class="gallery-index">
                    {ENTRIES.iter().map(|e| view! {
                        <li><a class="gallery-entry" data-entry=e.id data-path=e.path data-scenario=e.scenario data-user=e.user aria-current=move || (chosen.get().id == e.id).then_some("page") href=move || link(e)>
                            <span class="gallery-area">{e.area}</span>" · "{e.state}
                        </a></li>
                    }).collect_view()}
                </ul>
                <div class="gallery-phones">
                    {move || match ready.get() {
                        None => view! { <crate::ui::Loading/> }.into_any(),
                        Some(Err(error)) => view! { <crate::ui::ErrorView error on_retry=move |_| attempt.update(|n| *n += 1)/> }.into_any(),
                        Some(Ok(week)) => {
                            let src = entry_url(&chosen.get(), &week, &theme.get(), &lang.get());
                            PHONES.iter().map(|p| view! {
                                <figure class="phone">
                                    <div class="phone-frame" style:width=format!("{}px", p.width) style:height=format!("{}px", p.height)>
                                        <div class="phone-notch" style:height=format!("{}px", p.safe_top)></div>
                                        <iframe class="phone-screen" title=p.name src=src.clone() width=p.width height=p.height - p.safe_top - p.safe_bottom></iframe>
                                        <div class="phone-home" style:height=format!("{}px", p.safe_bottom)></div>
                                    </div>
                                    <figcaption>{p.name}</figcaption>
                                </figure>
                            }).collect_view().into_any()
                        }
                    }}
                </div>
            </div>
        </div>
    }
}

/// Signs in as a stand-in user (its control plane mints the code) and stores the session where
/// the app looks for it, so the frames open as that person; returns this week's ISO week (for
/// the handbook entries; empty for followers).
async fn sign_in_as(api: &crate::api::ApiClient, user: &str) -> Result<String, crate::api::ApiError> {
    struct Code {
        code: String,
    }
    json_record!(read Code { code });
    let code: Code = api.send_to("POST", "/__standin/oauth/code", Some(&crate::json::Json::object(vec![("user_id", user.into())]))).await?;
    let session: crate::json::Json = api.send("POST", "/session/oauth", Some(&crate::json::Json::object(vec![("code", code.code.into())])), None).await?;
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item("wxf.session", &session.to_text());
    }
    api.token.set(session["token"].as_str().map(str::to_owned));
    struct Week {
        week: String,
    }
    json_record!(read Week { week });
    // Only families have a handbook (a follower would be refused).
    if !matches!(session["user"]["role"].as_str(), Some("parent" | "teacher")) {
        return Ok(String::new());
    }
    Ok(api.get::<Week>("/handbook/children").await.map(|w| w.week).unwrap_or_default())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_unique_and_every_area_has_its_basic_states() {
        let mut ids: Vec<&str> = ENTRIES.iter().map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ENTRIES.len(), "ids are unique");
        for area in ["menu", "cart", "seckill", "handbook", "moments"] {
            for state in ["normal", "error", "loading"] {
                assert!(ENTRIES.iter().any(|e| e.area == area && (e.state.starts_with(state) || (state == "normal" && e.scenario.is_empty()))), "{area} has {state}");
            }
        }
    }

    #[test]
    fn entry_addresses_carry_scenario_theme_and_language() {
        let e = ENTRIES.iter().find(|e| e.id == "school.unknown_field").copied().expect("entry");
        assert_eq!(entry_url(&e, "2026-W48", "dark", "en"), "/school/c-anan/2026-W48?scenario=unknown_field&theme=dark&lang=en");
        assert_eq!(deep_link(&e, "care", "zh"), "/preview?entry=school.unknown_field&theme=care&lang=zh");
        let plain = ENTRIES[0];
        assert_eq!(entry_url(&plain, "", "light", "zh"), "/?theme=light&lang=zh");
    }
}
