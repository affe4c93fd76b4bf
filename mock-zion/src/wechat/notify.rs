//! WeChat Pay's notification (API v3 `TRANSACTION.SUCCESS`) to Zion's backend, whose
//! actionflow marks the order paid. The journal shows the resource decrypted: this mock
//! applies it itself, so there is nothing to encrypt for.

use serde_json::json;

use crate::journal::Received;
use crate::orders::mark_paid;
use crate::state::State;

/// Delivers the notification of a paid prepayment now (again, if it was delivered before).
/// Returns whether the order changed — `false` for a duplicate.
pub fn deliver(state: &mut State, prepay_id: &str) -> bool {
    let Some(prepay) = state.wechat.prepays.get(prepay_id).cloned() else {
        return false;
    };
    if !prepay.paid {
        return false;
    }
    let changed = mark_paid(state, prepay.order_id);
    let body = json!({
        "id": format!("EV-{prepay_id}"),
        "event_type": "TRANSACTION.SUCCESS",
        "resource_type": "encrypt-resource",
        "summary": "支付成功",
        "resource_decrypted": {
            "appid": prepay.app_id,
            "mchid": state.config.wechat.mch_id,
            "out_trade_no": prepay.order_id.to_string(),
            "transaction_id": format!("4200{}", prepay.order_id),
            "trade_type": "JSAPI",
            "trade_state": "SUCCESS",
            "amount": { "total": prepay.amount_fen, "currency": "CNY" },
        },
    });
    let received = Received::notification(
        format!("{}/wechat/notify", state.base_url),
        "application/json",
        body.to_string(),
    );
    state.journal.record(
        received,
        None,
        json!({ "changed_order": changed }),
        200,
        json!(null),
    );
    changed
}
