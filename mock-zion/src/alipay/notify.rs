//! Alipay's asynchronous notification (the `notify_url` POST, the "webhook"). To Zion's
//! backend (this mock) it is applied at once: the order is marked paid; when it lands is
//! [`Notifications`](crate::notifications::Notifications)' business. To any other backend it
//! is POSTed over HTTP with Alipay's retries by [`super::notify_delivery`].

use std::time::Instant;

use serde_json::json;

use super::keys::run_keys;
use super::notify_delivery::Outbound;
use super::sign::{sign_content, Purpose};
use super::{timestamp, Trade, TradeStatus};
use crate::journal::Received;
use crate::money::fen_to_yuan_text;
use crate::notifications::Notification;
use crate::orders::mark_paid;
use crate::state::State;

/// A trade was just paid: its notification goes to Zion after the scenario's delay, or to a
/// merchant backend's `notify_url` after that delay and then on Alipay's retry schedule
/// (never, when the scenario said so).
pub fn after_payment(state: &mut State, trade: &Trade) {
    if is_ours(state, trade) {
        let now = state.clock.now();
        state.notifications.schedule(
            Notification::Alipay {
                out_trade_no: trade.out_trade_no.clone(),
            },
            now,
        );
    } else if let Some(delay) = state.notifications.delay {
        // A merchant backend is a process of its own on the wall clock, so its deliveries are too.
        send_to_merchant(state, trade, Instant::now() + delay);
    }
}

/// Delivers the notification of a paid trade now (again, if it was delivered before). To
/// Zion: journals Alipay's signed `trade_status_sync` POST and applies it to the order; to a
/// merchant backend: starts its deliveries. Returns whether the order changed — `false` for
/// a duplicate, which must change nothing, and for a merchant backend's trade.
pub fn deliver(state: &mut State, out_trade_no: &str) -> bool {
    let Some(trade) = state.alipay.trades.get(out_trade_no).cloned() else {
        return false;
    };
    if trade.status != TradeStatus::TradeSuccess {
        return false;
    }
    if !is_ours(state, &trade) {
        send_to_merchant(state, &trade, Instant::now());
        return false;
    }
    let body = signed_body(state, &trade);
    let changed = match trade.out_trade_no.parse::<i64>() {
        Ok(order_id) => mark_paid(state, order_id),
        Err(_) => false,
    };
    let received = Received::notification(trade.notify_url.clone(), FORM, body);
    state.journal.record(
        received,
        None,
        json!({"changed_order": changed}),
        200,
        json!("success"),
    );
    changed
}

fn is_ours(state: &State, trade: &Trade) -> bool {
    trade.notify_url.starts_with(&state.base_url)
}

fn send_to_merchant(state: &State, trade: &Trade, due: Instant) {
    // The courier is gone only when the instance is shutting down.
    let _ = state.courier.send(Outbound {
        due,
        url: trade.notify_url.clone(),
        body: signed_body(state, trade),
        notify_id: notify_id(trade),
        speedup: state.config.alipay.notify_retry_speedup,
    });
}

/// The content type of Alipay's notification POST.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The notification's `notify_id`: one per trade, the same in every delivery.
fn notify_id(trade: &Trade) -> String {
    format!("2026{}", trade.trade_no)
}

/// Alipay's signed `trade_status_sync` form for a paid trade, form-encoded.
fn signed_body(state: &State, trade: &Trade) -> String {
    let now = timestamp();
    let amount = fen_to_yuan_text(trade.amount_fen);
    let seller_id = state.config.alipay.seller_id.clone();
    let mut params: Vec<(&str, String)> = vec![
        ("notify_time", now.clone()),
        ("notify_type", "trade_status_sync".into()),
        ("notify_id", notify_id(trade)),
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
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
        .finish()
}
