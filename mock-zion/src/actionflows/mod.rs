//! Actionflows, run by `fz_invoke_action_flow`: the built-in behaviours the seeds' flows need,
//! and a team's own ([`custom`]).
//!
//! In a real Zion project an actionflow is server-side logic the team builds in the editor;
//! the config maps each `actionFlowId` the app calls to one of these behaviours. Both need a
//! logged-in caller, as the seeds' flows do.

use serde_json::{json, Map, Value};

use crate::auth::login_required;
pub mod custom;

use crate::config::{ActionflowBehaviour, ActionflowSpec};
use crate::failure::Failure;
use crate::state::State;

/// Runs the actionflow `flow_id` for `caller` with `args`; returns its `Json` result.
///
/// # Errors
/// No caller, an unknown id, or args the behaviour cannot use; each message names the id
/// and what was wrong.
pub fn invoke(
    state: &mut State,
    caller: Option<i64>,
    flow_id: &str,
    args: &Value,
) -> Result<Value, Failure> {
    let Some(spec) = state.config.actionflows.get(flow_id).cloned() else {
        let known: Vec<&str> = state
            .config
            .actionflows
            .keys()
            .map(String::as_str)
            .collect();
        return Err(Failure::new(
            "NOT_FOUND",
            format!(
                "actionflow \"{flow_id}\" does not exist in this project (known ids: {})",
                known.join(", ")
            ),
        ));
    };
    let caller = caller.ok_or_else(|| login_required("fz_invoke_action_flow"))?;
    let empty = Map::new();
    let args = match args {
        Value::Object(map) => map,
        Value::Null => &empty,
        other => {
            return Err(Failure::new(
                "BAD_USER_INPUT",
                format!("actionflow \"{flow_id}\": args must be a JSON object, got {other}"),
            ))
        }
    };
    match spec {
        ActionflowSpec::Builtin(ActionflowBehaviour::CreateOrder) => {
            create_order(state, caller, flow_id, args)
        }
        ActionflowSpec::Builtin(ActionflowBehaviour::QueryOrderStatus) => {
            query_order_status(state, caller, flow_id, args)
        }
        ActionflowSpec::Custom(flow) => custom::run(state, caller, flow_id, &flow, args),
    }
}

fn create_order(
    state: &mut State,
    caller: i64,
    flow_id: &str,
    args: &Map<String, Value>,
) -> Result<Value, Failure> {
    let bad = |message: String| {
        Failure::new(
            "BAD_USER_INPUT",
            format!("actionflow \"{flow_id}\" (create_order): {message}"),
        )
    };
    let binding = state.config.order_table.clone();
    let product = match args.get("product_id") {
        None | Some(Value::Null) => None,
        Some(id) => {
            let id = id
                .as_i64()
                .ok_or_else(|| bad(format!("args.product_id must be an integer, got {id}")))?;
            let product = state.config.products.iter().find(|p| p.id == id).cloned();
            Some(product.ok_or_else(|| bad(format!("there is no product {id}")))?)
        }
    };
    let amount = match (args.get("amount"), &product) {
        (Some(amount), _) if !amount.is_null() => {
            amount.as_i64().filter(|fen| *fen > 0).ok_or_else(|| {
                bad(format!(
                    "args.amount must be a positive whole number of fen, got {amount}"
                ))
            })?
        }
        (_, Some(product)) => product.price_fen,
        _ => return Err(bad("args needs `amount` (fen) or `product_id`".into())),
    };
    let subject = match args.get("goods_name") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        _ => product
            .map(|p| p.name)
            .unwrap_or_else(|| binding.default_subject.clone()),
    };
    let owner = state
        .config
        .order_table_config()
        .owner
        .clone()
        .unwrap_or_default();
    let mut row = Map::new();
    row.insert(binding.amount_column.clone(), json!(amount));
    row.insert(binding.status_column.clone(), json!(binding.unpaid_status));
    row.insert(binding.subject_column.clone(), json!(subject));
    row.insert(owner, json!(caller));
    let id = state.tables.insert(&binding.name, row).map_err(|e| {
        Failure::new(
            "INTERNAL_SERVER_ERROR",
            format!("actionflow \"{flow_id}\": {e}"),
        )
    })?;
    Ok(json!({ "order_id": id, "amount": amount, "goods_name": subject }))
}

fn query_order_status(
    state: &mut State,
    caller: i64,
    flow_id: &str,
    args: &Map<String, Value>,
) -> Result<Value, Failure> {
    let binding = &state.config.order_table;
    let id = args.get("order_id").and_then(Value::as_i64).ok_or_else(|| {
        Failure::new(
            "BAD_USER_INPUT",
            format!(
                "actionflow \"{flow_id}\" (query_order_status): args.order_id must be an integer, got {}",
                args.get("order_id").map(Value::to_string).unwrap_or_else(|| "nothing".into())
            ),
        )
    })?;
    let row = state
        .tables
        .get_visible(&binding.name, id, Some(caller))
        .ok_or_else(|| {
            Failure::new(
                "NOT_FOUND",
                format!("actionflow \"{flow_id}\": the caller has no order {id}"),
            )
        })?;
    Ok(json!({ "status": row.get(&binding.status_column).cloned().unwrap_or(Value::Null) }))
}
