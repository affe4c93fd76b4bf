//! Zion's `createWechatPayment(orderId, amount, description, type)`: checks what the Mini
//! Program sent against the order, then answers `SignResult { status, message }` whose
//! `message` is the JSON string of the `wx.requestPayment` parameters, `paySign` signed with
//! the run's merchant key over `appId\ntimeStamp\nnonceStr\npackage\n` (WeChat Pay API v3).

use rand::distributions::{Alphanumeric, DistString};
use serde_json::{json, Value};

use super::Prepay;
use crate::alipay::keys::run_keys;
use crate::auth::login_required;
use crate::failure::Failure;
use crate::orders::{check_yuan, payable};
use crate::state::State;

const FIELD: &str = "createWechatPayment";

/// The string WeChat Pay API v3 signs for a Mini Program payment.
///
/// ```
/// assert_eq!(
///     mock_zion::wechat::payment::pay_sign_content("wx1", "1700000000", "abc", "prepay_id=wx2"),
///     "wx1\n1700000000\nabc\nprepay_id=wx2\n"
/// );
/// ```
pub fn pay_sign_content(app_id: &str, time_stamp: &str, nonce_str: &str, package: &str) -> String {
    format!("{app_id}\n{time_stamp}\n{nonce_str}\n{package}\n")
}

/// Runs `createWechatPayment` for `caller` with the field's coerced arguments.
///
/// # Errors
/// One failure per rule, each naming what was sent and what was expected.
pub fn create_wechat_payment(
    state: &mut State,
    caller: Option<i64>,
    args: &Value,
) -> Result<Value, Failure> {
    let caller = caller.ok_or_else(|| login_required(FIELD))?;
    let bad = |message: String| Failure::new("BAD_USER_INPUT", format!("{FIELD}: {message}"));
    let order_id = crate::graphql::scalars::integer(&args["orderId"]).ok_or_else(|| {
        bad(format!(
            "orderId must be an integer, got {}",
            args["orderId"]
        ))
    })?;
    let order = payable(state, caller, order_id, FIELD)?;
    check_yuan(&order, &args["amount"], FIELD, "amount")?;
    let payment_type = args["type"].as_str().unwrap_or_default();
    if payment_type != "WECHATPAY_MINIPROGRAM" {
        return Err(bad(format!(
            "type must be WECHATPAY_MINIPROGRAM for a Mini Program payment, got {payment_type}"
        )));
    }
    let description = args["description"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string();
    if description.is_empty() {
        return Err(bad("description must not be empty".into()));
    }
    if let Some(message) = state.wechat.sign_failure.clone() {
        return Ok(json!({ "status": "FAIL", "message": message }));
    }
    let app_id = state.config.wechat.app_id.clone();
    let mut rng = rand::thread_rng();
    let prepay_id = format!("wx{}", Alphanumeric.sample_string(&mut rng, 30));
    let nonce_str = Alphanumeric.sample_string(&mut rng, 32);
    let time_stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        .to_string();
    let package = format!("prepay_id={prepay_id}");
    let pay_sign = run_keys().merchant.sign(&pay_sign_content(
        &app_id,
        &time_stamp,
        &nonce_str,
        &package,
    ));
    state.wechat.prepays.insert(
        prepay_id.clone(),
        Prepay {
            prepay_id,
            order_id,
            amount_fen: order.amount_fen,
            description,
            app_id: app_id.clone(),
            paid: false,
        },
    );
    let message = json!({
        "appId": app_id,
        "timeStamp": time_stamp,
        "nonceStr": nonce_str,
        "package": package,
        "signType": "RSA",
        "paySign": pay_sign,
    });
    Ok(json!({ "status": "SUCCESS", "message": message.to_string() }))
}
