//! Column values between JSON (what GraphQL and the control API speak) and SQLite.
//!
//! Storage per column type: integers as INTEGER, numbers as REAL, booleans as 0/1, text and
//! times as TEXT (timestamps normalised to UTC `YYYY-MM-DDTHH:MM:SS.sssZ`, so SQLite's text
//! order is time order and its date functions read them), JSON and GeoJSON as JSON text.

use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::Value;

use crate::config::ColumnType;

/// Why a JSON value does not fit a column: the expected type's GraphQL name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit(pub &'static str);

/// The SQL value of a JSON value for a column of type `ty`. `lenient` accepts numeric
/// strings for numbers (filter literals, graphql-java's lenience).
///
/// ```
/// use mock_zion::config::ColumnType;
/// use mock_zion::db::codec::to_sql;
/// use rusqlite::types::Value;
/// assert_eq!(to_sql(ColumnType::Boolean, &serde_json::json!(true), false), Ok(Value::Integer(1)));
/// assert_eq!(
///     to_sql(ColumnType::Timestamptz, &serde_json::json!("2024-12-01T08:00:00+08:00"), false),
///     Ok(Value::Text("2024-12-01T00:00:00.000Z".into()))
/// );
/// ```
pub fn to_sql(ty: ColumnType, value: &Value, lenient: bool) -> Result<Sql, Misfit> {
    let misfit = || Misfit(ty.graphql_name());
    if value.is_null() {
        return Ok(Sql::Null);
    }
    Ok(match ty {
        ColumnType::Bigint
        | ColumnType::Int
        | ColumnType::Image
        | ColumnType::File
        | ColumnType::Video => match value {
            Value::Number(n) => Sql::Integer(n.as_i64().ok_or_else(misfit)?),
            Value::String(s) if lenient => Sql::Integer(s.trim().parse().map_err(|_| misfit())?),
            _ => return Err(misfit()),
        },
        ColumnType::Float | ColumnType::Float8 | ColumnType::Decimal => match value {
            Value::Number(n) => Sql::Real(n.as_f64().ok_or_else(misfit)?),
            Value::String(s) if lenient => Sql::Real(s.trim().parse().map_err(|_| misfit())?),
            _ => return Err(misfit()),
        },
        ColumnType::String => Sql::Text(value.as_str().ok_or_else(misfit)?.to_string()),
        ColumnType::Boolean => Sql::Integer(i64::from(value.as_bool().ok_or_else(misfit)?)),
        ColumnType::Json | ColumnType::Jsonb | ColumnType::Geography => {
            Sql::Text(value.to_string())
        }
        ColumnType::Timestamptz => {
            Sql::Text(timestamp(value.as_str().ok_or_else(misfit)?).ok_or_else(misfit)?)
        }
        ColumnType::Date => {
            let text = value.as_str().ok_or_else(misfit)?;
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| misfit())?;
            Sql::Text(text.to_string())
        }
        ColumnType::Timetz => Sql::Text(value.as_str().ok_or_else(misfit)?.to_string()),
    })
}

/// A timestamp in the stored form: RFC 3339 (with any offset), or `YYYY-MM-DD HH:MM:SS[.f]`
/// or a bare date, read as UTC.
pub fn timestamp(text: &str) -> Option<String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let utc: DateTime<Utc> = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        t.with_timezone(&Utc)
    } else if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f") {
        t.and_utc()
    } else if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        t.and_utc()
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?
            .and_utc()
    };
    Some(utc.format(TIMESTAMP_FORMAT).to_string())
}

/// How timestamps are stored (chrono's format; SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')` writes
/// the same).
pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// `time` in the stored form.
pub fn stamp(time: std::time::SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time)
        .format(TIMESTAMP_FORMAT)
        .to_string()
}

/// The JSON value of a stored value of a column of type `ty`.
pub fn to_json(ty: ColumnType, value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match ty {
            ColumnType::Boolean => Value::Bool(i != 0),
            ColumnType::Float | ColumnType::Float8 | ColumnType::Decimal => Value::from(i as f64),
            _ => Value::from(i),
        },
        ValueRef::Real(f) => match ty {
            ColumnType::Bigint | ColumnType::Int => Value::from(f as i64),
            _ => Value::from(f),
        },
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match ty {
                ColumnType::Json | ColumnType::Jsonb | ColumnType::Geography => {
                    serde_json::from_str(&text).unwrap_or(Value::String(text.into_owned()))
                }
                _ => Value::String(text.into_owned()),
            }
        }
        ValueRef::Blob(_) => Value::Null,
    }
}

/// The JSON value of a computed SQL value whose type only SQLite knows (an aggregate).
pub fn untyped_json(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(bytes) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
    }
}
