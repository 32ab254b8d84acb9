//! The shopping cart carried on the server.

pub mod domain;

use crate::api::ApiClient;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{fetched, Empty};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    Ok,
    OutOfStock,
    Delisted,
    PriceChanged,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub line_id: String,
    pub sku_id: String,
    pub store_id: String,
    pub title: String,
    pub spec: String,
    pub image_url: String,
    pub unit_price_fen: i64,
    pub price_when_added_fen: i64,
    pub quantity: i64,
    pub stock: i64,
    pub limit_per_person: i64,
    pub selected: bool,
    pub status: LineStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartStore {
    pub store_id: String,
    pub name: String,
    pub channel: String,
    pub lines: Vec<CartLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub version: i64,
    pub updated_at: i64,
    pub stores: Vec<CartStore>,
}

impl Cart {
    pub fn lines(&self) -> impl Iterator<Item = &CartLine> {
        self.stores.iter().flat_map(|s| s.lines.iter())
    }
}

/// My cart, read from the server.
#[component]
pub fn CartPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let cart = api.resource::<Cart>("/cart");
    view! {
        <h1 class="page-title">{move || i18n.t().cart_title}</h1>
        {fetched(cart, move |cart: Cart| {
            if cart.stores.is_empty() {
                return view! { <Empty text=i18n.t().cart_empty.to_owned()/> }.into_any();
            }
            let (pieces, total) = domain::selected_total(&cart);
            view! {
                <For each=move || cart.stores.clone() key=|s| s.store_id.clone() let:store>
                    <section class="cells" aria-label=store.name.clone()>
                        <h2 class="cells-title">{store.name.clone()}</h2>
                        <For each=move || store.lines.clone() key=|l| l.line_id.clone() let:line>
                            <div class="cell cart-line" class:unavailable=line.status != LineStatus::Ok>
                                <div class="cell-body">
                                    <p class="cell-title">{line.title.clone()}</p>
                                    <p class="cell-desc">{line.spec.clone()}</p>
                                </div>
                                <div class="cell-foot">
                                    <span class="price">{format_fen(line.unit_price_fen)}</span>
                                    " ×"{line.quantity}
                                </div>
                            </div>
                        </For>
                    </section>
                </For>
                <div class="summary">
                    {move || i18n.t().cart_total}": "<strong class="price">{format_fen(total)}</strong>
                    " ("{pieces}")"
                </div>
            }
            .into_any()
        })}
    }
}
