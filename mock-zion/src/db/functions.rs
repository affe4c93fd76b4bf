//! SQL functions PostgreSQL has and SQLite lacks, registered on every connection:
//! - `regexp(pattern, text)`, behind `text REGEXP pattern`: POSIX-style regular expression
//!   search (Zion's `_similar`), with the `regex` crate;
//! - `zion_json_contains(a, b)`: PostgreSQL's `a @> b` on JSON values (Zion's `_contains`);
//! - `zion_split(text, delimiter)`: a JSON array of the parts (Zion's `split`).

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Error};
use serde_json::Value;

pub(super) fn register(
    conn: &Connection,
    clock: std::sync::Arc<crate::clock::Clock>,
) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    // Zion's `now()` in a filter is the instance's time, not the wall clock's: a page that
    // skipped ahead compares rows with the same now.
    conn.create_scalar_function(
        "zion_now",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        move |_| Ok(super::codec::stamp(clock.wall())),
    )?;
    conn.create_scalar_function("regexp", 2, flags, |ctx| {
        let (Some(pattern), Some(text)) =
            (ctx.get::<Option<String>>(0)?, ctx.get::<Option<String>>(1)?)
        else {
            return Ok(None);
        };
        let regex = regex::Regex::new(&pattern).map_err(|e| {
            Error::UserFunctionError(format!("invalid regular expression {pattern:?}: {e}").into())
        })?;
        Ok(Some(regex.is_match(&text)))
    })?;
    conn.create_scalar_function("zion_json_contains", 2, flags, |ctx| {
        let (Some(a), Some(b)) = (ctx.get::<Option<String>>(0)?, ctx.get::<Option<String>>(1)?)
        else {
            return Ok(None);
        };
        let parse =
            |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::String(text.into()));
        Ok(Some(contains(&parse(&a), &parse(&b))))
    })?;
    conn.create_scalar_function("zion_split", 2, flags, |ctx| {
        let (Some(text), Some(delimiter)) =
            (ctx.get::<Option<String>>(0)?, ctx.get::<Option<String>>(1)?)
        else {
            return Ok(None);
        };
        let parts: Vec<&str> = if delimiter.is_empty() {
            vec![text.as_str()]
        } else {
            text.split(delimiter.as_str()).collect()
        };
        Ok(Some(serde_json::to_string(&parts).unwrap_or_default()))
    })
}

/// PostgreSQL's jsonb containment: objects contain objects key by key, arrays contain every
/// element of the other array (a scalar array also contains that scalar), scalars are equal.
fn contains(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => b
            .iter()
            .all(|(k, bv)| a.get(k).is_some_and(|av| contains(av, bv))),
        (Value::Array(a), Value::Array(b)) => {
            b.iter().all(|bv| a.iter().any(|av| contains(av, bv)))
        }
        (Value::Array(a), scalar) if !scalar.is_object() => a.iter().any(|av| av == scalar),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::contains;
    use serde_json::json;

    #[test]
    fn containment_follows_postgresql() {
        assert!(contains(&json!({"a": 1, "b": [1, 2]}), &json!({"b": [2]})));
        assert!(!contains(&json!({"a": 1}), &json!({"a": 2})));
        assert!(contains(&json!(["x", "y"]), &json!("x")));
        assert!(!contains(&json!({"a": {"b": 1}}), &json!({"b": 1})));
    }
}
