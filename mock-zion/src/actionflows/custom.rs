//! A team's own actionflows, described in the config (`[actionflows."<id>"]`): a JSON answer,
//! an error, or an insert, select or update on one of the project's tables, with
//! `{{args.<path>}}` and `{{caller.id}}` placeholders taken from the call.
//!
//! ```
//! use mock_zion::actionflows::custom::fill;
//! use serde_json::json;
//! let args = json!({"name": "Ann", "qty": 2});
//! let filled = fill(&json!({"greeting": "hi {{args.name}}", "n": "{{args.qty}}", "me": "{{caller.id}}"}), &args, 7, &json!(null));
//! assert_eq!(filled, json!({"greeting": "hi Ann", "n": 2, "me": 7}));
//! ```

use serde_json::{json, Map, Value};

use crate::config::CustomActionflow;
use crate::db::sql::{Builder, Caller, ListArgs};
use crate::db::write::Target;
use crate::failure::Failure;
use crate::state::State;

/// The value a placeholder path names: `args.a.b`, `caller.id`, `result…`.
fn lookup(path: &str, args: &Value, caller: i64, result: &Value) -> Option<Value> {
    let mut parts = path.trim().split('.');
    let mut value = match parts.next()? {
        "args" => args.clone(),
        "caller" => json!({ "id": caller }),
        "result" => result.clone(),
        _ => return None,
    };
    for part in parts {
        value = match &value {
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?.clone(),
            other => other.get(part)?.clone(),
        };
    }
    Some(value)
}

/// `template` with its placeholders filled: a string that is one placeholder becomes that
/// value (keeping its type), placeholders inside longer strings become text; a placeholder
/// naming nothing becomes null.
pub fn fill(template: &Value, args: &Value, caller: i64, result: &Value) -> Value {
    match template {
        Value::String(text) => {
            let trimmed = text.trim();
            if let Some(path) = trimmed
                .strip_prefix("{{")
                .and_then(|t| t.strip_suffix("}}"))
            {
                if !path.contains("{{") {
                    return lookup(path, args, caller, result).unwrap_or(Value::Null);
                }
            }
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(start) = rest.find("{{") {
                let Some(end) = rest[start..].find("}}") else {
                    break;
                };
                out.push_str(&rest[..start]);
                let path = &rest[start + 2..start + end];
                match lookup(path, args, caller, result) {
                    Some(Value::String(s)) => out.push_str(&s),
                    Some(Value::Null) | None => {}
                    Some(other) => out.push_str(&other.to_string()),
                }
                rest = &rest[start + end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| fill(v, args, caller, result))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill(v, args, caller, result)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Zion's filter for "every column of `filter` equals its value".
fn equality_filter(state: &State, table: &str, filter: &Map<String, Value>) -> Value {
    let model = state.tables.db().model();
    let parts: Vec<Value> = filter
        .iter()
        .map(|(column, value)| {
            let op = model
                .table(table)
                .and_then(|t| t.column(column))
                .and_then(|c| c.ty.op_type())
                .map_or("text", |op| op.name());
            json!({"_eq": {format!("{op}_operand"): {"left_operand": {"column": column}, "right_operand": {"literal": value}}}})
        })
        .collect();
    json!({ "_and": parts })
}

/// Runs a custom actionflow for `caller`.
///
/// # Errors
/// The actionflow's own `error`, or what the table operation refused (permissions, types).
pub fn run(
    state: &mut State,
    caller: i64,
    flow_id: &str,
    flow: &CustomActionflow,
    args: &Map<String, Value>,
) -> Result<Value, Failure> {
    let args = Value::Object(args.clone());
    if let Some(message) = &flow.error {
        let message = fill(&Value::String(message.clone()), &args, caller, &Value::Null);
        return Err(Failure::new(
            "ACTIONFLOW_ERROR",
            format!(
                "actionflow \"{flow_id}\": {}",
                message.as_str().unwrap_or_default()
            ),
        ));
    }
    let who = Caller {
        account: Some(caller),
    };
    let fill_map = |map: &Map<String, Value>| match fill(
        &Value::Object(map.clone()),
        &args,
        caller,
        &Value::Null,
    ) {
        Value::Object(filled) => filled,
        _ => Map::new(),
    };
    let result = if let Some(table) = &flow.insert {
        let row = Value::Object(fill_map(&flow.values));
        let written = state
            .tables
            .db_mut()
            .atomically(|db| db.insert(table, &[&row], None, who))?;
        let id = written.ids.first().copied().unwrap_or_default();
        state
            .tables
            .get(table, id)
            .map(Value::Object)
            .unwrap_or(Value::Null)
    } else if let Some(table) = &flow.select {
        let filter = equality_filter(state, table, &fill_map(&flow.filter));
        let db = state.tables.db();
        let model = db.model();
        let table_model = model
            .table(table)
            .ok_or_else(|| Failure::new("BAD_USER_INPUT", format!("no table `{table}`")))?;
        let mut builder = Builder::new(model, who);
        let sql = builder.select(
            table_model,
            &ListArgs {
                filter: Some(filter),
                ..ListArgs::default()
            },
            None,
        )?;
        let rows = db.rows(table_model, &sql, &builder.params).map_err(|e| {
            Failure::new(
                "INTERNAL_SERVER_ERROR",
                format!("mock-zion's database: {e}"),
            )
        })?;
        Value::Array(rows.into_iter().map(Value::Object).collect())
    } else if let Some(table) = &flow.update {
        let filter = equality_filter(state, table, &fill_map(&flow.filter));
        let set = Value::Object(fill_map(&flow.values));
        let written = state
            .tables
            .db_mut()
            .atomically(|db| db.update(table, Some(&set), None, Target::Filter(&filter), who))?;
        json!({ "affected_rows": written.affected })
    } else {
        Value::Null
    };
    Ok(match &flow.answer {
        Some(answer) => fill(answer, &args, caller, &result),
        None => result,
    })
}
