//! The shopping cart carried on the server.

pub mod domain;
pub mod orders;

use crate::api::ApiClient;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{fetched, Cell, Cells, Empty};
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
                    <Cells title=store.name.clone()>
                        <For each=move || store.lines.clone() key=|l| l.line_id.clone() let:line>
                            <Cell
                                title=line.title.clone()
                                desc=line.spec.clone()
                                value=format!("{} ×{}", format_fen(line.unit_price_fen), line.quantity)
                                class=if line.status == LineStatus::Ok { "cart-line" } else { "cart-line unavailable" }
                            />
                        </For>
                    </Cells>
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
