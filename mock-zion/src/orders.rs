//! Business rules of the table bound as the project's order table, shared by every payment
//! channel: which order a payment is for, whether its amount is right, and what "paid" does.

use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::money::{fen_to_yuan_text, yuan_text_to_fen};
use crate::state::State;

/// An order a caller may pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayableOrder {
    /// The order's id.
    pub id: i64,
    /// Its amount in fen.
    pub amount_fen: i64,
    /// Its subject (goods name).
    pub subject: String,
    /// The owning account.
    pub owner: i64,
}

/// The caller's unpaid order `id`, as a payment mutation (`field`) needs it.
///
/// # Errors
/// `NOT_FOUND` when the caller has no such order (it does not exist, or is another
/// account's); `BAD_USER_INPUT` when it is already paid.
pub fn payable(state: &State, caller: i64, id: i64, field: &str) -> Result<PayableOrder, Failure> {
    let binding = &state.config.order_table;
    let row = state.tables.get_visible(&binding.name, id, Some(caller)).ok_or_else(|| {
        Failure::new(
            "NOT_FOUND",
            format!("{field}: order {id} is not an order of the caller — pay the order_id returned by the create-order actionflow, not an id of your own"),
        )
    })?;
    if row.get(&binding.status_column) == Some(&json!(binding.paid_status)) {
        return Err(Failure::new(
            "BAD_USER_INPUT",
            format!("{field}: order {id} is already paid (ACQ.TRADE_HAS_SUCCESS)"),
        ));
    }
    let owner_column = state
        .config
        .order_table_config()
        .owner
        .clone()
        .unwrap_or_default();
    Ok(PayableOrder {
        id,
        amount_fen: row
            .get(&binding.amount_column)
            .and_then(Value::as_i64)
            .unwrap_or(0),
        subject: row
            .get(&binding.subject_column)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        owner: row
            .get(&owner_column)
            .and_then(Value::as_i64)
            .unwrap_or(caller),
    })
}

/// Checks that `yuan` (the JSON number as the app sent it as `argument` of `field`) is
/// exactly the order's amount.
///
/// # Errors
/// `BAD_USER_INPUT` naming both amounts and the unit rule.
pub fn check_yuan(
    order: &PayableOrder,
    yuan: &Value,
    field: &str,
    argument: &str,
) -> Result<(), Failure> {
    let text = yuan.to_string();
    let fen = yuan_text_to_fen(text.trim_matches('"'));
    if fen == Some(order.amount_fen) {
        return Ok(());
    }
    Err(Failure::new(
        "BAD_USER_INPUT",
        format!(
            "{field}: {argument} {text} does not match order {}: it costs {} fen = {} yuan, and {argument} is in yuan (fen / 100)",
            order.id,
            order.amount_fen,
            fen_to_yuan_text(order.amount_fen)
        ),
    ))
}

/// Marks order `id` paid and applies `[on_paid]` to its account, as the provider's
/// notification does through Zion's actionflow. Returns `false` (and changes nothing) when
/// it was paid already: notifications are retried, so duplicates are normal.
pub fn mark_paid(state: &mut State, id: i64) -> bool {
    let config = state.config.clone();
    let binding = &config.order_table;
    let Some(row) = state.tables.get(&binding.name, id) else {
        return false;
    };
    if row.get(&binding.status_column) == Some(&json!(binding.paid_status)) {
        return false;
    }
    let amount_fen = row
        .get(&binding.amount_column)
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let owner_column = config
        .order_table_config()
        .owner
        .clone()
        .unwrap_or_default();
    let owner = row.get(&owner_column).and_then(Value::as_i64);
    let mut paid = Map::new();
    paid.insert(binding.status_column.clone(), json!(binding.paid_status));
    paid.insert(
        binding.pay_amount_column.clone(),
        json!(amount_fen as f64 / 100.0),
    );
    // The config was checked at start, so these columns exist and the values fit.
    let _ = state.tables.update(&binding.name, id, paid);
    let Some(owner) = owner else {
        return true;
    };
    let accounts = &config.account_table.name;
    let mut effect = config.on_paid.account_set.clone();
    if let Some(column) = &config.on_paid.credit_column {
        let before = state
            .tables
            .get(accounts, owner)
            .and_then(|account| account.get(column).and_then(Value::as_i64))
            .unwrap_or(0);
        effect.insert(column.clone(), json!(before + amount_fen));
    }
    let _ = state.tables.update(accounts, owner, effect);
    true
}
