//! Alipay's asynchronous notification (the `notify_url` POST, the "webhook"): Zion's backend
//! receives it and its actionflow marks the order paid. When it lands is
//! [`Notifications`](crate::notifications::Notifications)' business.

use serde_json::json;

use super::keys::run_keys;
use super::sign::{sign_content, Purpose};
use super::{timestamp, TradeStatus};
use crate::journal::{EntryKind, Received};
use crate::money::fen_to_yuan_text;
use crate::orders::mark_paid;
use crate::state::State;

/// Delivers the notification of a paid trade now (again, if it was delivered before):
/// journals Alipay's signed `trade_status_sync` POST and applies it to the order. Returns
/// whether the order changed — `false` for a duplicate, which must change nothing.
pub fn deliver(state: &mut State, out_trade_no: &str) -> bool {
    let Some(trade) = state.alipay.trades.get(out_trade_no).cloned() else {
        return false;
    };
    if trade.status != TradeStatus::TradeSuccess {
        return false;
    }
    let now = timestamp();
    let amount = fen_to_yuan_text(trade.amount_fen);
    let seller_id = state.config.alipay.seller_id.clone();
    let mut params: Vec<(&str, String)> = vec![
        ("notify_time", now.clone()),
        ("notify_type", "trade_status_sync".into()),
        ("notify_id", format!("2026{}", trade.trade_no)),
        ("app_id", trade.app_id.clone()),
        ("charset", "utf-8".into()),
        ("version", "1.0".into()),
        ("sign_type", "RSA2".into()),
        ("trade_no", trade.trade_no.clone()),
        ("out_trade_no", trade.out_trade_no.clone()),
        ("trade_status", "TRADE_SUCCESS".into()),
        ("total_amount", amount.clone()),
        ("receipt_amount", amount.clone()),
        ("buyer_pay_amount", amount),
        ("gmt_create", now.clone()),
        ("gmt_payment", now),
        ("subject", trade.subject.clone()),
        ("seller_id", seller_id),
        ("auth_app_id", trade.app_id.clone()),
    ];
    let content = sign_content(
        params.iter().map(|(k, v)| (*k, v.as_str())),
        Purpose::Callback,
    );
    params.push(("sign", run_keys().alipay.sign(&content)));
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();

    let ours = trade.notify_url.starts_with(&state.base_url);
    let changed = match trade.out_trade_no.parse::<i64>() {
        Ok(order_id) if ours => mark_paid(state, order_id),
        _ => false,
    };
    let response = if ours {
        json!("success")
    } else {
        json!(format!(
            "not delivered: {} is not this mock's backend",
            trade.notify_url
        ))
    };
    let received = Received {
        kind: EntryKind::Notification,
        method: "POST".into(),
        url: trade.notify_url.clone(),
        headers: [(
            "content-type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        )]
        .into(),
        body,
    };
    state.journal.record(
        received,
        None,
        json!({"changed_order": changed}),
        200,
        response,
    );
    changed
}
