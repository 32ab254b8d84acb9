//! Paying an order: one combined WeChat Pay request for every store of the order. Whatever
//! the page hears back, the order counts as paid only when the API says so.

use super::sdk::{classify, Outcome};
use super::JsSdk;
use crate::api::{ApiClient, ApiError};
use crate::config::Config;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use crate::json::Json;
use crate::json_record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Cancelled,
    Failed,
    Expired,
}

crate::json_enum!(OrderStatus {
    PendingPayment = "pending_payment",
    Paid = "paid",
    Cancelled = "cancelled",
    Failed = "failed",
    Expired = "expired",
});

#[derive(Clone, Debug, PartialEq)]
pub struct SubOrder {
    pub store_id: String,
    pub store_name: String,
    pub amount_fen: i64,
}
json_record!(read write SubOrder { store_id, store_name, amount_fen });

#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub order_id: String,
    pub kind: String,
    pub status: OrderStatus,
    pub total_fen: i64,
    pub created_at: i64,
    pub pay_by: i64,
    pub paid_at: Option<i64>,
    pub sub_orders: Vec<SubOrder>,
}
json_record!(read write Order { order_id, kind, status, total_fen, created_at, pay_by, paid_at: default, sub_orders });

/// WeChat Pay's JSAPI parameters, as the API returns them.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentRequest {
    pub order_id: String,
    pub app_id: String,
    pub time_stamp: String,
    pub nonce_str: String,
    pub package: String,
    pub sign_type: String,
    pub pay_sign: String,
}
json_record!(read write PaymentRequest { order_id, app_id, time_stamp, nonce_str, package, sign_type, pay_sign });

impl PaymentRequest {
    pub fn prepay_id(&self) -> &str {
        self.package.strip_prefix("prepay_id=").unwrap_or(&self.package)
    }
}

/// What happened when the follower tried to pay.
#[derive(Clone, Debug, PartialEq)]
pub enum PayAttempt {
    /// WeChat says it went through: now wait for the server to confirm.
    Submitted,
    /// The follower closed the payment: the order stays payable.
    Cancelled,
    Failed(String),
    /// Development without WeChat: the stand-in's simulated payment takes this prepay id.
    Simulate { prepay_id: String },
    /// Against a real API outside WeChat: payment needs WeChat.
    OpenInWechat,
}

/// How long to wait before asking the order's status again (`attempt` from 0), or `None` to
/// stop asking and show "still confirming" with a manual refresh. About 40 s in all.
pub fn poll_delay_ms(attempt: u32) -> Option<u32> {
    const SCHEDULE: [u32; 12] = [500, 1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000, 5000, 5000, 5000];
    SCHEDULE.get(attempt as usize).copied()
}

/// Asks the API for the order's payment parameters and pays with WeChat (or says how else).
pub async fn pay(api: &ApiClient, sdk: &JsSdk, config: &Config, order_id: &str) -> Result<PayAttempt, ApiError> {
    if !sdk.platform.in_wechat && config.simulated_pay_url.is_none() {
        return Ok(PayAttempt::OpenInWechat);
    }
    let request: PaymentRequest = api.send::<_, ()>("POST", &format!("/orders/{order_id}/payment"), None, None).await?;
    if !sdk.platform.in_wechat {
        return Ok(PayAttempt::Simulate { prepay_id: request.prepay_id().to_owned() });
    }
    Ok(match invoke_bridge(&request).await {
        Outcome::Ok(()) => PayAttempt::Submitted,
        Outcome::Cancelled => PayAttempt::Cancelled,
        Outcome::Failed(e) => PayAttempt::Failed(e),
    })
}

fn bridge() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &"WeixinJSBridge".into()).ok().filter(|b| !b.is_undefined() && !b.is_null())
}

/// `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, waiting for `WeixinJSBridgeReady` when
/// the bridge is not there yet (a page opened early).
async fn invoke_bridge(request: &PaymentRequest) -> Outcome<()> {
    if bridge().is_none() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Outcome::Failed("no document".into()) };
        let arrived = Promise::new(&mut |resolve, _| {
            let _ = document.add_event_listener_with_callback("WeixinJSBridgeReady", &resolve);
            let _ = web_sys::window().map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5000));
        });
        let _ = JsFuture::from(arrived).await;
    }
    let Some(bridge) = bridge() else { return Outcome::Failed("WeixinJSBridge unavailable".into()) };
    let params = super::sdk::object(&[
        ("appId", request.app_id.as_str().into()),
        ("timeStamp", request.time_stamp.as_str().into()),
        ("nonceStr", request.nonce_str.as_str().into()),
        ("package", request.package.as_str().into()),
        ("signType", request.sign_type.as_str().into()),
        ("paySign", request.pay_sign.as_str().into()),
    ]);
    let Ok(invoke) = Reflect::get(&bridge, &"invoke".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return Outcome::Failed("WeixinJSBridge.invoke unavailable".into());
    };
    let answer = Promise::new(&mut |resolve, _| {
        let _ = invoke.call3(&bridge, &"getBrandWCPayRequest".into(), &params, &resolve);
    });
    let res = JsFuture::from(answer).await.unwrap_or(JsValue::NULL);
    let msg = Reflect::get(&res, &"err_msg".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    classify(&msg)
}

/// Tells the stand-in's simulated WeChat Pay how the payment went (`ok`, `cancel`, `fail`).
pub async fn simulate(config: &Config, api: &ApiClient, prepay_id: &str, outcome: &str) -> Result<(), ApiError> {
    let Some(url) = &config.simulated_pay_url else { return Err(ApiError::Network) };
    let simulated = Json::object(vec![("prepay_id", prepay_id.into()), ("outcome", outcome.into())]);
    api.send_to::<Json, _>("POST", url, Some(&simulated)).await.map(|_| ())
}

/// Polls the order until the server decides (paid, failed, cancelled, expired) or the
/// schedule runs out (still pending: the page offers to check again).
pub async fn confirm(api: &ApiClient, order_id: &str) -> Result<Order, ApiError> {
    let mut attempt = 0;
    loop {
        let order: Order = api.get(&format!("/orders/{order_id}")).await?;
        if order.status != OrderStatus::PendingPayment {
            return Ok(order);
        }
        match poll_delay_ms(attempt) {
            Some(ms) => gloo_timers::future::TimeoutFuture::new(ms).await,
            None => return Ok(order),
        }
        attempt += 1;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn polling_backs_off_and_ends() {
        assert_eq!(poll_delay_ms(0), Some(500));
        assert!((0..12).all(|a| poll_delay_ms(a).is_some()));
        assert_eq!(poll_delay_ms(12), None);
        let total: u32 = (0..12).filter_map(poll_delay_ms).sum();
        assert!((30_000..=60_000).contains(&total), "about half a minute to a minute: {total}");
        let schedule: Vec<u32> = (0..12).filter_map(poll_delay_ms).collect();
        assert!(schedule.windows(2).all(|w| w[0] <= w[1]), "never faster than before");
    }

    #[test]
    fn the_prepay_id_is_read_from_the_package() {
        let r = PaymentRequest { order_id: "o".into(), app_id: "a".into(), time_stamp: "1".into(), nonce_str: "n".into(), package: "prepay_id=wx123".into(), sign_type: "RSA".into(), pay_sign: "s".into() };
        assert_eq!(r.prepay_id(), "wx123");
    }
}
