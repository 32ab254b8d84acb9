//! An order after it is placed: pay it (or later, before its deadline), cancel it, and see
//! what the server says about it — paid only when the server has been told by WeChat Pay.

use crate::api::ApiClient;
use crate::config::Config;
use crate::i18n::{format_fen, use_i18n};
use crate::ui::{error_message, fetched, use_toast, ActionSheet, Button, ButtonKind, Cell, Cells, Countdown, Dialog, SheetAction};
use crate::wechat::pay::{self, Order, OrderStatus, PayAttempt};
use crate::wechat::JsSdk;
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::router::use_params;

/// The order page (`/orders/:order_id`), also where payment ends up.
#[component]
pub fn OrderPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let params = use_params();
    let id = params.with_untracked(|p| p.get("order_id").unwrap_or_default());
    let order = api.resource::<Order>(format!("/orders/{id}"));
    view! { {fetched(order, |o: Order| view! { <OrderView initial=o/> })} }
}

/// One order with its actions; `initial` is what the server said when the page opened.
#[component]
pub fn OrderView(initial: Order) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let config = expect_context::<Config>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let order = RwSignal::new(initial);
    let paying = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let simulator = RwSignal::new(false);
    let prepay = RwSignal::new(String::new());
    let need_wechat = RwSignal::new(false);
    let confirm_cancel = RwSignal::new(false);
    let order_id = order.with_untracked(|o| o.order_id.clone());

    let confirm = {
        let (api, order_id) = (api.clone(), order_id.clone());
        move || {
            let (api, order_id) = (api.clone(), order_id.clone());
            confirming.set(true);
            leptos::task::spawn_local(async move {
                let answer = pay::confirm(&api, &order_id).await;
                // Left the page meanwhile: nothing here to update.
                if order.is_disposed() {
                    return;
                }
                match answer {
                    Ok(o) => order.set(o),
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
                confirming.set(false);
            });
        }
    };
    let start_pay = {
        let (api, config, order_id, confirm) = (api.clone(), config.clone(), order_id.clone(), confirm.clone());
        move || {
            let (api, config, order_id, confirm) = (api.clone(), config.clone(), order_id.clone(), confirm.clone());
            paying.set(true);
            leptos::task::spawn_local(async move {
                let answer = pay::pay(&api, &sdk, &config, &order_id).await;
                if order.is_disposed() {
                    return;
                }
                match answer {
                    Ok(PayAttempt::Submitted) => confirm(),
                    Ok(PayAttempt::Cancelled) => toaster.info(i18n.t().pay_cancelled),
                    Ok(PayAttempt::Failed(_)) => toaster.error(i18n.t().pay_failed),
                    Ok(PayAttempt::Simulate { prepay_id }) => {
                        prepay.set(prepay_id);
                        simulator.set(true);
                    }
                    Ok(PayAttempt::OpenInWechat) => need_wechat.set(true),
                    Err(e) => {
                        toaster.error(error_message(i18n.t(), &e));
                        // The order may have changed meanwhile (paid elsewhere, expired).
                        confirm();
                    }
                }
                paying.set(false);
            });
        }
    };
    let simulate = {
        let (api, config, confirm) = (api.clone(), config.clone(), confirm.clone());
        move |choice: usize| {
            let outcome = ["ok", "cancel", "fail"][choice.min(2)];
            let (api, config, confirm) = (api.clone(), config.clone(), confirm.clone());
            leptos::task::spawn_local(async move {
                let answer = pay::simulate(&config, &api, &prepay.get_untracked(), outcome).await;
                if order.is_disposed() {
                    return;
                }
                match answer {
                    Ok(()) if outcome == "ok" => confirm(),
                    Ok(()) if outcome == "cancel" => toaster.info(i18n.t().pay_cancelled),
                    Ok(()) => toaster.error(i18n.t().pay_failed),
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
            });
        }
    };
    let cancel_order = {
        let (api, order_id) = (api.clone(), order_id.clone());
        move || {
            let (api, order_id) = (api.clone(), order_id.clone());
            leptos::task::spawn_local(async move {
                let answer = api.send::<Order, ()>("POST", &format!("/orders/{order_id}/cancel"), None, None).await;
                if order.is_disposed() {
                    return;
                }
                match answer {
                    Ok(o) => order.set(o),
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
            });
        }
    };

    let status = move || order.with(|o| o.status);
    let headline = move || {
        let m = i18n.t();
        match status() {
            OrderStatus::PendingPayment if confirming.get() => m.pay_confirming,
            OrderStatus::PendingPayment => m.order_pending,
            OrderStatus::Paid => m.order_paid,
            OrderStatus::Cancelled => m.order_cancelled,
            OrderStatus::Failed => m.pay_failed,
            OrderStatus::Expired => m.order_expired,
        }
    };
    let pending = move || status() == OrderStatus::PendingPayment;
    let start_pay_tap = start_pay.clone();
    view! {
        <section class="order" aria-live="polite">
            <h1 class="page-title order-status" data-status=move || format!("{:?}", status())>{headline}</h1>
            <p class="order-total">
                {move || i18n.t().cart_total}" "<strong class="price">{move || format_fen(order.with(|o| o.total_fen))}</strong>
            </p>
            <When when=move || pending() && !confirming.get()>
                <p class="order-deadline">{move || i18n.t().pay_within}" "<Countdown target=Signal::derive(move || order.with(|o| o.pay_by)) on_zero=confirm.clone()/></p>
            </When>
        </section>
        <Cells title=Signal::derive(move || Some(i18n.t().order_stores.to_owned()))>
            <Keyed each=move || order.with(|o| o.sub_orders.clone()) key=|s| s.store_id.clone() let:sub>
                <Cell title=sub.store_name.clone() value=format_fen(sub.amount_fen)/>
            </Keyed>
        </Cells>
        <div class="actions">
            <When when=move || pending() && !confirming.get()>
                <Button loading=paying on_click=start_pay_tap.clone()>{move || i18n.t().pay_now}</Button>
                <Button kind=ButtonKind::Default on_click=move || confirm_cancel.set(true)>{move || i18n.t().cancel_order}</Button>
            </When>
            <When when=move || pending() && confirming.get()>
                <Button kind=ButtonKind::Default loading=true on_click=|| ()>{move || i18n.t().pay_confirming}</Button>
            </When>
        </div>
        <ActionSheet open=simulator title=Signal::derive(move || Some(i18n.t().pay_simulated.to_owned()))
            actions=Signal::derive(move || {
                let m = i18n.t();
                vec![
                    SheetAction { label: m.pay_sim_ok.to_owned(), danger: false },
                    SheetAction { label: m.pay_sim_cancel.to_owned(), danger: false },
                    SheetAction { label: m.pay_sim_fail.to_owned(), danger: true },
                ]
            })
            on_choose=simulate/>
        <Dialog open=need_wechat alert=true title=Signal::derive(move || i18n.t().pay_in_wechat.to_owned()) on_confirm=|| ()/>
        <Dialog open=confirm_cancel danger=true title=Signal::derive(move || i18n.t().cancel_order_confirm.to_owned())
            confirm_text=Signal::derive(move || Some(i18n.t().cancel_order.to_owned())) on_confirm=cancel_order/>
    }
}
