//! Actionflows, run by `fz_invoke_action_flow` (sync) or `fz_create_action_flow_task` (async,
//! [`tasks`]): the built-in behaviours the seeds' flows need, a team's own ([`custom`]), and a
//! scenario's one-off plans for the next call ([`once`]).
//!
//! In a real Zion project an actionflow is server-side logic the team builds in the editor;
//! the config maps each `actionFlowId` the app calls to one of these behaviours. Both need a
//! logged-in caller, as the seeds' flows do.

use serde_json::{json, Map, Value};

use crate::auth::login_required;
pub mod custom;
pub mod once;
pub mod tasks;

use once::Outcome;

use crate::config::{ActionflowBehaviour, ActionflowSpec};
use crate::failure::Failure;
use crate::state::State;

/// Runs the actionflow `flow_id` for `caller` with `args`; returns its `Json` result.
/// A scenario's one-off plan for the id ([`once`]) answers instead, when one is waiting.
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
    let call = Call::new(state, caller, flow_id, args, "fz_invoke_action_flow")?;
    let planned = state
        .planned_actionflows
        .take(flow_id)
        .and_then(|o| o.outcome);
    call.run(state, planned)
}

/// Starts the actionflow `flow_id` as an async task for `caller`; returns the task id
/// ([`tasks`]). The task takes the plan's `duration_ms`, else the actionflow's, else
/// [`tasks::DEFAULT_DURATION`].
///
/// # Errors
/// As [`invoke`], checked when the task is created.
pub fn create_task(
    state: &mut State,
    caller: Option<i64>,
    flow_id: &str,
    args: &Value,
) -> Result<i64, Failure> {
    let call = Call::new(state, caller, flow_id, args, "fz_create_action_flow_task")?;
    let plan = state.planned_actionflows.take(flow_id).unwrap_or_default();
    let configured = match &call.spec {
        ActionflowSpec::Custom(flow) => flow.duration_ms,
        ActionflowSpec::Builtin(_) => None,
    };
    let duration = plan
        .duration_ms
        .or(configured)
        .map_or(tasks::DEFAULT_DURATION, std::time::Duration::from_millis);
    Ok(state.tasks.create(
        flow_id,
        call.caller,
        Value::Object(call.args),
        duration,
        plan.outcome,
        state.clock.now(),
    ))
}

/// Runs the actionflows of the tasks whose end has come (called when the state settles).
pub fn finish_due_tasks(state: &mut State, now: std::time::Instant) {
    for id in state.tasks.due(now) {
        let Some(task) = state.tasks.get(id).cloned() else {
            continue;
        };
        let result = Call::new(state, Some(task.caller), &task.flow_id, &task.args, "")
            .and_then(|call| call.run(state, task.planned.clone()))
            .map_err(|failure| failure.message);
        state.tasks.finish(id, result);
    }
}

/// What `fz_listen_action_flow_result(taskId)` sends now: `{status, output}`.
///
/// # Errors
/// No caller, or a task that does not exist or is another account's.
pub fn task_result(state: &State, caller: Option<i64>, task_id: i64) -> Result<Value, Failure> {
    let caller = caller.ok_or_else(|| login_required("fz_listen_action_flow_result"))?;
    match state.tasks.get(task_id) {
        Some(task) if task.caller == caller => Ok(json!({
            "status": task.status.name(),
            "output": task.output,
        })),
        _ => Err(Failure::new(
            "NOT_FOUND",
            format!("there is no actionflow task {task_id} of the caller's (fz_create_action_flow_task answers the ids)"),
        )),
    }
}

/// One call of an actionflow, checked: the id exists, a caller is logged in, args are an
/// object.
struct Call {
    spec: ActionflowSpec,
    caller: i64,
    flow_id: String,
    args: Map<String, Value>,
}

impl Call {
    fn new(
        state: &State,
        caller: Option<i64>,
        flow_id: &str,
        args: &Value,
        field: &str,
    ) -> Result<Call, Failure> {
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
        let caller = caller.ok_or_else(|| login_required(field))?;
        let args = match args {
            Value::Object(map) => map.clone(),
            Value::Null => Map::new(),
            other => {
                return Err(Failure::new(
                    "BAD_USER_INPUT",
                    format!("actionflow \"{flow_id}\": args must be a JSON object, got {other}"),
                ))
            }
        };
        Ok(Call {
            spec,
            caller,
            flow_id: flow_id.to_string(),
            args,
        })
    }

    fn run(self, state: &mut State, planned: Option<Outcome>) -> Result<Value, Failure> {
        let Call {
            spec,
            caller,
            flow_id,
            args,
        } = self;
        match planned {
            Some(Outcome::Answer(answer)) => {
                return Ok(custom::fill(
                    &answer,
                    &Value::Object(args),
                    caller,
                    &Value::Null,
                ))
            }
            Some(Outcome::Error(message)) => {
                return Err(Failure::new(
                    "ACTIONFLOW_ERROR",
                    format!("actionflow \"{flow_id}\": {message}"),
                ))
            }
            None => {}
        }
        match spec {
            ActionflowSpec::Builtin(ActionflowBehaviour::CreateOrder) => {
                create_order(state, caller, &flow_id, &args)
            }
            ActionflowSpec::Builtin(ActionflowBehaviour::QueryOrderStatus) => {
                query_order_status(state, caller, &flow_id, &args)
            }
            ActionflowSpec::Custom(flow) => custom::run(state, caller, &flow_id, &flow, &args),
        }
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
