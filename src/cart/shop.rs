//! The shop's products by store: the way into the cart (and back to it from an empty one).

use super::domain::Change;
use super::store::{use_cart, CartStore};
use crate::api::ApiClient;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{fetched, use_toast, Empty, LazyImage};
use leptos::prelude::*;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    pub store_id: String,
    pub name: String,
}
json_record!(read Store { store_id, name });

#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub sku_id: String,
    pub store_id: String,
    pub title: String,
    pub spec: String,
    pub image_url: String,
    pub price_fen: i64,
    pub stock: i64,
    pub status: String,
}
json_record!(read Product { sku_id, store_id, title, spec, image_url, price_fen, stock, status });

#[derive(Clone, Debug, PartialEq)]
struct Stores {
    stores: Vec<Store>,
}
json_record!(read Stores { stores });

#[derive(Clone, Debug, PartialEq)]
struct Products {
    products: Vec<Product>,
}
json_record!(read Products { products });

#[component]
pub fn ShopPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let stores = api.resource::<Stores>("/stores");
    let products = api.resource::<Products>("/products");
    // Opened once here; each product's row takes it from context.
    use_cart();
    view! {
        <h1 class="page-title">{move || i18n.t().shop_title}</h1>
        {fetched(stores, move |stores: Stores| {
            fetched(products, move |products: Products| {
                if products.products.is_empty() {
                    return view! { <Empty/> }.into_any();
                }
                stores.stores.clone().into_iter().map(|store| {
                    let mine: Vec<Product> = products.products.iter().filter(|p| p.store_id == store.store_id).cloned().collect();
                    view! {
                        <section class="cells" aria-label=store.name.clone()>
                            <h2 class="cells-title">{store.name.clone()}</h2>
                            {mine.into_iter().map(|p| view! { <ProductRow product=p/> }).collect_view()}
                        </section>
                    }
                }).collect_view().into_any()
            })
        })}
    }
}

#[component]
fn ProductRow(product: Product) -> impl IntoView {
    let carts = expect_context::<CartStore>();
    let toaster = use_toast();
    let i18n = use_i18n();
    let buyable = product.status == "on_sale" && product.stock > 0;
    let sku = product.sku_id.clone();
    view! {
        <div class="cell product" data-sku=product.sku_id.clone()>
            <LazyImage src=product.image_url.clone() size=(1, 1) class="line-image".to_owned()/>
            <div class="cell-body">
                <p class="cell-title">{product.title.clone()}</p>
                <p class="cell-desc">{product.spec.clone()}</p>
                <span class="price">{format_fen(product.price_fen)}</span>
            </div>
            <button class="btn btn-primary btn-small add-to-cart" disabled=!buyable on:click=move |_| {
                carts.change(Change::Add { sku_id: sku.clone(), quantity: 1 });
                toaster.success(i18n.t().added_to_cart);
            }>{move || if buyable { i18n.t().add_to_cart } else { i18n.t().sold_out }}</button>
        </div>
    }
}
