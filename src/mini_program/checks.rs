//! Verdicts on the WeChat Mini Program flow (seed 000), read from mock-zion's journal and
//! mp-sim's record of wx calls. Each names the rule the app broke and what it did instead.

use mock_zion::{EntryKind, Journal};
use serde_json::{Map, Value};

use crate::mini_program::shopper::SimState;
use crate::web::checks::Flow;

/// The payment parameters WeChat's client checks, in the order `wx.requestPayment` takes them.
const SHEET_PARAMS: [&str; 5] = ["timeStamp", "nonceStr", "package", "signType", "paySign"];

/// Orders the create-order actionflow made: `(order_id, amount in fen)`.
fn created_orders(journal: &Journal) -> Vec<(i64, i64)> {
    journal
        .calls("fz_invoke_action_flow")
        .filter_map(|(entry, call)| {
            let key = call.alias.as_deref().unwrap_or("fz_invoke_action_flow");
            let made = entry.response.get("data")?.get(key)?;
            Some((
                made.get("order_id")?.as_i64()?,
                made.get("amount")?.as_i64()?,
            ))
        })
        .collect()
}

/// Every `createWechatPayment` paid an order the create-order actionflow made, as a Mini
/// Program payment.
///
/// # Errors
/// A made-up order id, another payment type, or no call.
pub fn pays_created_order(journal: &Journal) -> Result<(), String> {
    let created = created_orders(journal);
    for (entry, call) in crate::web::checks::calls_of(journal, "createWechatPayment")? {
        let order = call.arguments.get("orderId").and_then(Value::as_i64);
        if !created.iter().any(|(id, _)| Some(*id) == order) {
            let made: Vec<i64> = created.iter().map(|(id, _)| *id).collect();
            return Err(format!(
                "createWechatPayment (journal #{}) was asked to pay order {}, but the orders the create-order actionflow made are {made:?}: use the order_id the actionflow returned",
                entry.seq,
                call.arguments.get("orderId").unwrap_or(&Value::Null)
            ));
        }
        let kind = call
            .arguments
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind != "WECHATPAY_MINIPROGRAM" {
            return Err(format!("createWechatPayment (journal #{}) was sent type {kind}; a Mini Program payment must be type WECHATPAY_MINIPROGRAM", entry.seq));
        }
    }
    Ok(())
}

/// Every `createWechatPayment` asked for its order's amount in yuan (fen / 100).
///
/// # Errors
/// Another amount (the order's fen, say), or no call.
pub fn amount_in_yuan(journal: &Journal) -> Result<(), String> {
    let created = created_orders(journal);
    for (entry, call) in crate::web::checks::calls_of(journal, "createWechatPayment")? {
        let order = call.arguments.get("orderId").and_then(Value::as_i64);
        let Some((_, fen)) = created.iter().find(|(id, _)| Some(*id) == order) else {
            return pays_created_order(journal);
        };
        let sent = call
            .arguments
            .get("amount")
            .map(Value::to_string)
            .unwrap_or_default();
        if mock_zion::money::yuan_text_to_fen(&sent) != Some(*fen) {
            return Err(format!(
                "createWechatPayment (journal #{}) was sent amount {sent} for an order of {fen} fen; the amount is in yuan (fen / 100), so it must be {}",
                entry.seq,
                mock_zion::money::fen_to_yuan_text(*fen)
            ));
        }
    }
    Ok(())
}

/// The payment parameters each successful `createWechatPayment` issued.
fn issued(journal: &Journal) -> Vec<Map<String, Value>> {
    journal
        .calls("createWechatPayment")
        .filter_map(|(entry, call)| {
            let key = call.alias.as_deref().unwrap_or("createWechatPayment");
            let result = entry.response.get("data")?.get(key)?;
            let message = result.get("message")?.as_str()?;
            match serde_json::from_str(message) {
                Ok(Value::Object(params)) => Some(params),
                _ => None,
            }
        })
        .collect()
}

/// `wx.requestPayment` was called once with the parameters exactly as createWechatPayment
/// issued them (PROTOCOLS.md: "All payment parameters must be exactly the ones the backend
/// returned").
///
/// # Errors
/// No call, or a changed, missing or retyped parameter — named, with both values.
pub fn parameters_unchanged(journal: &Journal, sim: &SimState) -> Result<(), String> {
    let issued = issued(journal);
    let Some(last) = issued.last() else {
        return Err("createWechatPayment never issued payment parameters".into());
    };
    let Some(call) = sim.payment_sheets().last() else {
        return Err("the app never called wx.requestPayment".into());
    };
    for name in SHEET_PARAMS {
        let passed = call.args.get(name).unwrap_or(&Value::Null);
        let expected = last.get(name).unwrap_or(&Value::Null);
        if passed != expected {
            let passed = match passed {
                Value::Null => "nothing".to_string(),
                other => other.to_string(),
            };
            return Err(format!(
                "wx.requestPayment was given {name} {passed}, but createWechatPayment issued {expected}: pass JSON.parse(message)'s fields unchanged (WeChat answered {})",
                call.result.get("errMsg").unwrap_or(&Value::Null)
            ));
        }
    }
    Ok(())
}

/// The app never opened WeChat's payment sheet.
///
/// # Errors
/// A `wx.requestPayment` call.
pub fn sheet_never_opened(sim: &SimState) -> Result<(), String> {
    match sim.payment_sheets().next() {
        None => Ok(()),
        Some(call) => Err(format!(
            "the app called wx.requestPayment (wx call #{}) although Zion refused to create the payment",
            call.seq
        )),
    }
}

/// After WeChat's sheet answered `requestPayment:ok`, the app waited at least `min_wait_ms`
/// and then asked Zion for the order's status.
///
/// # Errors
/// No successful payment, no status query after it, or one too soon.
pub fn status_queried_after_waiting(
    flow: &Flow<'_>,
    journal: &Journal,
    min_wait_ms: u128,
) -> Result<(), String> {
    let paid = journal.entries().iter().find(|e| {
        e.kind == EntryKind::Control
            && e.url.ends_with("/wechat/request-payment")
            && e.response.get("errMsg").and_then(Value::as_str) == Some("requestPayment:ok")
    });
    let Some(paid) = paid else {
        return Err("WeChat's payment sheet never answered requestPayment:ok".into());
    };
    let Some(query) = flow.status_queries.iter().find(|q| q.seq > paid.seq) else {
        return Err("the app never asked Zion for the order status after wx.requestPayment succeeded: success from WeChat's sheet only means the shopper paid, not that Zion has confirmed the order".into());
    };
    let waited = query.elapsed_ms.saturating_sub(paid.elapsed_ms);
    if waited < min_wait_ms {
        return Err(format!("the app queried the order status {waited} ms after wx.requestPayment succeeded; it must first wait 2–3 s for Zion to receive WeChat's payment notification"));
    }
    Ok(())
}

/// One order, one `createWechatPayment` call and one payment sheet — however often the shopper
/// tapped.
///
/// # Errors
/// Names what happened more than once.
pub fn paid_once(journal: &Journal, sim: &SimState, orders: usize) -> Result<(), String> {
    let payments = journal.calls("createWechatPayment").count();
    let sheets = sim.payment_sheets().count();
    match (orders, payments, sheets) {
        (1, 1, 1) => Ok(()),
        _ => Err(format!(
            "a second tap must not pay again: the Mini Program created {orders} order(s), called createWechatPayment {payments} time(s) and opened WeChat's payment sheet {sheets} time(s); disable the pay button while a payment is under way"
        )),
    }
}

/// What WeChat answered `wx.requestPayment` when it refused for a reason the scenario did not
/// choose (the client's own checks: a parameter of the wrong type, a `signType` it does not
/// take, a `paySign` that does not verify) — the cause of whatever the app showed next.
pub fn unexpected_sheet_answer(sim: &SimState, chosen: &mock_zion::SheetOutcome) -> Option<String> {
    let chosen_reason = match chosen {
        mock_zion::SheetOutcome::Fail { reason } => Some(reason.as_str()),
        _ => None,
    };
    sim.payment_sheets().find_map(|call| {
        let answer = call.result.get("errMsg")?.as_str()?;
        let reason = answer.strip_prefix(&format!("{}:fail", call.api))?.trim();
        (reason != "cancel" && Some(reason) != chosen_reason).then(|| answer.to_string())
    })
}

/// The Mini Program logged in the Zion way exactly once: one `loginWithWechatMiniApp` that
/// Zion accepted (a launch that logs in twice, or never, is named with what it did).
///
/// # Errors
/// How many accepted log-ins there were, and the refusals.
pub fn logged_in_with_wechat_once(journal: &Journal) -> Result<(), String> {
    let calls: Vec<_> = journal.calls("loginWithWechatMiniApp").collect();
    let accepted = calls
        .iter()
        .filter(|(entry, _)| entry.errors.is_empty())
        .count();
    if accepted == 1 {
        return Ok(());
    }
    let refused: Vec<String> = calls
        .iter()
        .flat_map(|(entry, _)| entry.errors.iter().cloned())
        .collect();
    Err(format!(
        "the Mini Program should log in with loginWithWechatMiniApp(code from wx.login) once, but Zion accepted {accepted} log-in(s){}",
        if refused.is_empty() {
            String::new()
        } else {
            format!(" and refused: {}", refused.join(" | "))
        }
    ))
}
