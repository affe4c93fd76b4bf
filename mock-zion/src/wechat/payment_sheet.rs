//! What the WeChat client does when a Mini Program calls `wx.requestPayment`: it checks the
//! parameters are the ones WeChat Pay issued (the `paySign` verifies over them), shows the
//! payment sheet, and answers the callback with the outcome. mp-sim's `wx.requestPayment`
//! stub asks this (`POST /__mock/wechat/request-payment`), so a changed parameter fails the
//! way the real client fails.

use serde_json::{json, Value};

use super::payment::pay_sign_content;
use super::SheetOutcome;
use crate::alipay::keys::run_keys;
use crate::notifications::Notification;
use crate::state::State;

/// The answer for the page: `{"errMsg": "requestPayment:ok"}`, `{"errMsg":
/// "requestPayment:fail …"}`, or `{"pending": true}` when the sheet never closes.
pub fn request_payment(state: &mut State, params: &Value) -> Value {
    let fail = |reason: String| json!({ "errMsg": format!("requestPayment:fail {reason}") });
    let mut fields = Vec::new();
    for name in ["timeStamp", "nonceStr", "package", "signType", "paySign"] {
        match params.get(name) {
            Some(Value::String(value)) => fields.push(value.as_str()),
            Some(other) => {
                return fail(format!(
                    "parameter error: parameter.{name} should be String instead of {};",
                    json_type(other)
                ))
            }
            None => {
                return fail(format!(
                    "parameter error: parameter.{name} should be String instead of Undefined;"
                ))
            }
        }
    }
    let [time_stamp, nonce_str, package, sign_type, pay_sign] = fields[..] else {
        return fail("parameter error".into());
    };
    let prepay_id = package.strip_prefix("prepay_id=").unwrap_or_default();
    let Some(prepay) = state.wechat.prepays.get(prepay_id).cloned() else {
        return fail(format!(
            "订单不存在或已过期 (package \"{package}\" was not issued by createWechatPayment)"
        ));
    };
    if sign_type != "RSA" {
        return fail(format!("支付验证签名失败 (signType must be \"RSA\" for WeChat Pay API v3, got \"{sign_type}\")"));
    }
    let content = pay_sign_content(&prepay.app_id, time_stamp, nonce_str, package);
    if !run_keys().merchant.public().verify(&content, pay_sign) {
        return fail("支付验证签名失败 (paySign does not verify: timeStamp, nonceStr, package and paySign must be passed exactly as createWechatPayment returned them)".into());
    }
    if prepay.paid {
        return fail("该订单已支付".into());
    }
    match state.wechat.outcome.clone() {
        SheetOutcome::Pay => {
            if let Some(p) = state.wechat.prepays.get_mut(prepay_id) {
                p.paid = true;
            }
            let now = state.clock.now();
            state.notifications.schedule(
                Notification::Wechat {
                    prepay_id: prepay_id.to_string(),
                },
                now,
            );
            json!({ "errMsg": "requestPayment:ok" })
        }
        SheetOutcome::Cancel => json!({ "errMsg": "requestPayment:fail cancel" }),
        SheetOutcome::Fail { reason } => fail(reason),
        SheetOutcome::Never => json!({ "pending": true }),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}
