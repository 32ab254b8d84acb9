//! The menu previewer: paste or upload a menu JSON (either shape) and see it as followers
//! will, with every problem listed and marked on its button; share the preview by link.

use super::domain::{parse_menu, truncate_display, Action, MenuButton, Problem, SUB_WIDTH, TOP_WIDTH};
use crate::api::ApiClient;
use crate::config::Config;
use crate::i18n::use_i18n;
use crate::ui::{use_toast, TextArea};
use crate::wechat::{copy_link, Shared};
use leptos::prelude::*;
use crate::ui::When;
use crate::json::{self, Json};
use wasm_bindgen::JsCast;

const DRAFT_KEY: &str = "menu_preview";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (the preview link carries the JSON in its fragment).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let values: Option<Vec<u8>> = text.bytes().map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u8)).collect();
    for chunk in values?.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, v)| acc | (*v as u32) << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// The menu JSON carried by a preview link's fragment (`#m=…`), if any.
pub fn from_fragment(hash: &str) -> Option<String> {
    let encoded = hash.trim_start_matches('#').strip_prefix("m=")?;
    String::from_utf8(base64url_decode(encoded)?).ok()
}

#[component]
pub fn MenuPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let config = expect_context::<Config>();
    let toaster = use_toast();
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    // A shared link wins; otherwise the operator's last draft comes back after a reload.
    let json = RwSignal::new(from_fragment(&hash).or_else(|| crate::drafts::load::<String>(DRAFT_KEY)).unwrap_or_default());
    crate::drafts::keep(DRAFT_KEY.to_owned(), json.into(), |text: &String| !text.is_empty());
    let allowlist = config.link_allowlist.clone();
    let parsed = Memo::new(move |_| {
        let text = json.get();
        if text.trim().is_empty() {
            return None;
        }
        Some(match json::parse(&text) {
            Ok(doc) => Ok(parse_menu(&doc, &allowlist)),
            Err(e) => Err(e.to_string()),
        })
    });
    let selected = RwSignal::new(None::<String>);
    let would = RwSignal::new(None::<String>);
    let open_sub = RwSignal::new(None::<usize>);

    let load_live = {
        let api = api.clone();
        move |_| {
            let api = api.clone();
            leptos::task::spawn_local(async move {
                match api.get::<Json>("/menu").await {
                    Ok(v) => {
                        let _ = json.try_set(v.to_pretty_text());
                    }
                    Err(e) => toaster.error(crate::ui::error_message(i18n.t(), &e)),
                }
            });
        }
    };
    let on_file = move |ev: web_sys::Event| {
        let file = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0));
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    let _ = json.try_set(text.as_string().unwrap_or_default());
                }
            });
        }
    };
    let share = move |_| {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        let link = format!("{origin}/menu/preview#m={}", base64url_encode(json.get_untracked().as_bytes()));
        if let Some(w) = web_sys::window() {
            let _ = w.history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link)));
        }
        leptos::task::spawn_local(async move {
            match copy_link(&link).await {
                Shared::Copied => toaster.success(i18n.t().preview_copied),
                _ => toaster.info(link),
            }
        });
    };
    let describe = move |b: &MenuButton| {
        would.set(b.action.as_ref().map(|a: &Action| format!("{} {}", i18n.t().preview_would, (i18n.t().menu_would)(a))));
        selected.set(Some(b.path.clone()));
    };
    let is_selected = move |path: &str| selected.with(|s| s.as_deref().is_some_and(|p| p == path || p.starts_with(&format!("{path}."))));

    view! {
        <h1 class="page-title">{move || i18n.t().preview_title}</h1>
        <div class="preview-tools">
            <TextArea label=Signal::derive(move || i18n.t().preview_paste.to_owned()) value=json max_length=20_000/>
            <div class="showcase-row">
                <button class="btn btn-default btn-small load-live" on:click=load_live>{move || i18n.t().preview_load_current}</button>
                <label class="btn btn-default btn-small">{move || i18n.t().preview_upload}<input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_file/></label>
                <button class="btn btn-default btn-small share-preview" on:click=share>{move || i18n.t().preview_share}</button>
            </div>
        </div>
        <div class="phone-frame">
            <div class="phone-screen">
                <p class="page-desc would" aria-live="polite">{move || would.get()}</p>
            </div>
            {move || match parsed.get() {
                Some(Ok((menu, _))) => {
                    let count = menu.buttons.len().max(1);
                    view! {
                        <nav class="menubar menubar-preview" style:grid-template-columns=format!("repeat({count}, 1fr)")>
                            {menu.buttons.into_iter().enumerate().map(|(i, b)| {
                                let subs = b.sub_buttons.clone();
                                let path = b.path.clone();
                                let me = b.clone();
                                view! {
                                    <div class="menubar-item">
                                        <button type="button" class="menubar-button" class:menubar-invalid=b.invalid
                                            class:menubar-selected={let p = path.clone(); move || is_selected(&p)}
                                            data-path=path.clone() title=b.name.clone()
                                            on:click=move |_| {
                                                if me.sub_buttons.is_empty() { describe(&me); } else { open_sub.set(if open_sub.get_untracked() == Some(i) { None } else { Some(i) }); }
                                            }>{truncate_display(&b.name, TOP_WIDTH)}</button>
                                        <When when=move || open_sub.get() == Some(i)>
                                            <div class="popover" role="menu">
                                                {subs.clone().into_iter().map(|s| {
                                                    let me = s.clone();
                                                    let p = s.path.clone();
                                                    view! {
                                                        <button type="button" class="popover-item" class:menubar-invalid=s.invalid
                                                            class:menubar-selected={let p = p.clone(); move || is_selected(&p)}
                                                            data-path=p.clone() role="menuitem" title=s.name.clone()
                                                            on:click=move |_| describe(&me)>{truncate_display(&s.name, SUB_WIDTH)}</button>
                                                    }
                                                }).collect_view()}
                                            </div>
                                        </When>
                                    </div>
                                }
                            }).collect_view()}
                        </nav>
                    }.into_any()
                }
                _ => view! { <nav class="menubar menubar-empty"></nav> }.into_any(),
            }}
        </div>
        <section class="problems" aria-live="polite">
            {move || match parsed.get() {
                None => view! { <span></span> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error problem" role="alert">{i18n.t().json_invalid}": "{e}</p> }.into_any(),
                Some(Ok((_, problems))) if problems.is_empty() => view! { <p class="preview-ok">{i18n.t().preview_ok}</p> }.into_any(),
                Some(Ok((_, problems))) => view! {
                    <h2 class="cells-title">{i18n.t().preview_problems}" ("{problems.len()}")"</h2>
                    <ol class="cells problem-list">
                        {problems.into_iter().map(|p: Problem| {
                            let path = p.path.clone();
                            view! {
                                <li class="cell problem" data-path=p.path.clone() on:click=move |_| selected.set(Some(path.clone()))>
                                    <div class="cell-body">
                                        <p class="cell-title"><code>{if p.path.is_empty() { "$".to_owned() } else { p.path.clone() }}</code>{p.code.map(|c| format!(" · {c}"))}</p>
                                        <p class="cell-desc">{(i18n.t().menu_problem)(&p.kind)}</p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_encodings() {
        assert_eq!(base64url_encode(b""), "");
        assert_eq!(base64url_encode(b"f"), "Zg");
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(from_fragment("#m=eyJhIjoxfQ").as_deref(), Some("{\"a\":1}"));
        assert_eq!(from_fragment("#x=1"), None);
        assert_eq!(base64url_decode("a"), None);
    }

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }

        #[test]
        fn never_panics_decoding(text in ".{0,60}") {
            let _ = base64url_decode(&text);
            let _ = from_fragment(&text);
        }
    }
}
