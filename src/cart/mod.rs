//! The shopping cart carried on the server.

pub mod checkout;
pub mod domain;
pub mod orders;
mod page;
pub mod shared;
pub mod shop;
pub mod store;
pub mod unpaid;

use crate::json_record;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineStatus {
    #[default]
    Ok,
    OutOfStock,
    Delisted,
    PriceChanged,
}

#[derive(Clone, Debug, Default, PartialEq)]
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

#[derive(Clone, Debug, PartialEq)]
pub struct CartStore {
    pub store_id: String,
    pub name: String,
    pub channel: String,
    pub lines: Vec<CartLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cart {
    pub version: i64,
    pub updated_at: i64,
    pub stores: Vec<CartStore>,
}

crate::json_enum!(LineStatus { Ok = "ok", OutOfStock = "out_of_stock", Delisted = "delisted", PriceChanged = "price_changed" });

json_record!(read write CartLine {
    line_id, sku_id, store_id, title, spec, image_url, unit_price_fen, price_when_added_fen, quantity, stock, limit_per_person,
    selected, status,
});
json_record!(read write CartStore { store_id, name, channel, lines });
json_record!(read write Cart { version, updated_at, stores });

impl Cart {
    pub fn lines(&self) -> impl Iterator<Item = &CartLine> {
        self.stores.iter().flat_map(|s| s.lines.iter())
    }
}

/// The cart page (`/cart`).
pub use page::CartPage;
