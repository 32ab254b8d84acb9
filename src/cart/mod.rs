//! The shopping cart carried on the server.

pub mod checkout;
pub mod domain;
pub mod orders;
mod page;
pub mod shared;
pub mod shop;
pub mod store;
pub mod unpaid;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    #[default]
    Ok,
    OutOfStock,
    Delisted,
    PriceChanged,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

/// The cart page (`/cart`).
pub use page::CartPage;
