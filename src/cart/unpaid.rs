//! Orders waiting for payment, each with its deadline: pay later without starting over.

use crate::api::ApiClient;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{fetched, Countdown, Empty};
use crate::wechat::pay::Order;
use leptos::prelude::*;
use crate::router::Link;
use crate::json_record;

#[derive(Clone, Debug, PartialEq)]
struct Orders {
    orders: Vec<Order>,
}
json_record!(read Orders { orders });

#[component]
pub fn UnpaidOrdersPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let orders = api.resource::<Orders>("/orders?status=pending_payment");
    view! {
        <h1 class="page-title">{move || i18n.t().unpaid_orders}</h1>
        {fetched(orders, move |list: Orders| {
            if list.orders.is_empty() {
                return view! { <Empty text=i18n.t().no_unpaid_orders.to_owned()/> }.into_any();
            }
            view! {
                <div class="cells">
                    {list.orders.into_iter().map(|o| view! {
                        <Link href=format!("/orders/{}", o.order_id) attr:class="cell cell-link unpaid-order">
                            <div class="cell-body">
                                <p class="cell-title price">{format_fen(o.total_fen)}</p>
                                <p class="cell-desc">{i18n.t().pay_within}" "<Countdown target=o.pay_by/></p>
                            </div>
                        </Link>
                    }).collect_view()}
                </div>
            }.into_any()
        })}
    }
}
