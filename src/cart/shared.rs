//! A cart a friend shared: who shared it, what is in it now, and copying it into mine.

use super::store::use_cart;
use super::{CartLine, CartStore as StoreLines, LineStatus};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{error_message, use_toast, Button, Checkbox, Empty, ErrorView, LazyImage, Loading};
use leptos::prelude::*;
use crate::router::Link;
use crate::router::use_params;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
pub struct Owner {
    pub name: String,
    pub avatar_url: String,
}
json_record!(read Owner { name, avatar_url });

#[derive(Clone, Debug, PartialEq)]
pub struct SharedCart {
    pub owner: Owner,
    pub created_at: i64,
    pub expires_at: i64,
    pub stores: Vec<StoreLines>,
}
json_record!(read SharedCart { owner, created_at, expires_at, stores });

#[derive(Clone, Debug, PartialEq)]
struct Skipped {
    line_id: String,
    reason: String,
}
json_record!(read Skipped { line_id, reason });

#[derive(Clone, Debug, PartialEq)]
struct CopyResult {
    copied: i64,
    skipped: Vec<Skipped>,
}
json_record!(read CopyResult { copied, skipped });

struct CopyRequest {
    line_ids: Vec<String>,
}
json_record!(write CopyRequest { line_ids });

#[component]
pub fn SharedCartPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let token = use_params().with_untracked(|p| p.get("token").unwrap_or_default());
    let shared = api.resource::<SharedCart>(format!("/shared-carts/{token}"));
    move || match shared.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(cart)) => view! { <SharedView cart token=token.clone()/> }.into_any(),
        // Expired or revoked: say so plainly, no retry.
        Some(Err(ApiError::Http { status: 410, code, .. })) => view! {
            <Empty text=if code == "share_revoked" { i18n.t().share_revoked.to_owned() } else { i18n.t().share_expired.to_owned() }>
                <Link href="/shop" attr:class="btn btn-default btn-small">{i18n.t().go_shopping}</Link>
            </Empty>
        }.into_any(),
        Some(Err(error)) => view! { <ErrorView error on_retry=move || shared.refetch()/> }.into_any(),
    }
}

#[component]
fn SharedView(cart: SharedCart, token: String) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let carts = use_cart();
    let toaster = use_toast();
    let i18n = use_i18n();
    let lines: Vec<CartLine> = cart.stores.iter().flat_map(|s| s.lines.iter().cloned()).collect();
    let chosen = RwSignal::new(lines.iter().filter(|l| l.status == LineStatus::Ok).map(|l| l.line_id.clone()).collect::<Vec<_>>());
    let copying = RwSignal::new(false);
    let copy = move || {
        let (api, token) = (api.clone(), token.clone());
        let ids = chosen.get_untracked();
        copying.set(true);
        leptos::task::spawn_local(async move {
            let answer = api.send::<CopyResult, _>("POST", &format!("/shared-carts/{token}/copy"), Some(&CopyRequest { line_ids: ids }), None).await;
            if answer.is_ok() {
                carts.reload();
            }
            match answer {
                Ok(result) => {
                    let m = i18n.t();
                    if result.skipped.is_empty() {
                        toaster.success((m.copied_n)(result.copied));
                    } else {
                        toaster.info((m.copied_some)(result.copied, result.skipped.len() as i64));
                    }
                }
                Err(e) => toaster.error(error_message(i18n.t(), &e)),
            }
            let _ = copying.try_set(false);
        });
    };
    view! {
        <header class="shared-header">
            <LazyImage src=cart.owner.avatar_url.clone() size=(1, 1) class="avatar".to_owned()/>
            <h1 class="page-title">{move || (i18n.t().shared_by)(&cart.owner.name)}</h1>
        </header>
        <section class="cells shared-lines">
            {lines.into_iter().map(|l| {
                let id = l.line_id.clone();
                let available = l.status == LineStatus::Ok;
                let id_check = id.clone();
                view! {
                    <div class="cell cart-line shared-line" class:unavailable=!available>
                        <Checkbox checked=Signal::derive(move || chosen.with(|c| c.contains(&id_check))) disabled=!available
                            on_toggle=move |v| chosen.update(|c| { c.retain(|x| x != &id); if v { c.push(id.clone()); } }) label=l.title.clone()/>
                        <LazyImage src=l.image_url.clone() size=(1, 1) class="line-image".to_owned()/>
                        <div class="cell-body">
                            <p class="cell-title line-title">{l.title.clone()}</p>
                            <p class="cell-desc">{l.spec.clone()}" ×"{l.quantity}</p>
                            <span class="price">{format_fen(l.unit_price_fen)}</span>
                        </div>
                    </div>
                }
            }).collect_view()}
        </section>
        <div class="actions">
            <Button loading=copying disabled=Signal::derive(move || chosen.with(Vec::is_empty)) on_click=copy>
                {move || (i18n.t().copy_to_my_cart)(chosen.with(Vec::len))}
            </Button>
            <Link href="/cart" attr:class="btn btn-default">{move || i18n.t().my_cart}</Link>
        </div>
    }
}
