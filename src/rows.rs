//! Rows a feature gives in a data table ("Given the \"plan\" table has these rows:"), turned
//! into typed values for mock-zion: the first row names the columns, each cell is read as its
//! column's type when the config declares the table (`[tables.<name>] columns`), else as what
//! it looks like (a whole number, a decimal, true/false, JSON, or text). An empty cell is null.
//!
//! # Example
//!
//! ```
//! use zion_pay_e2e::rows::rows_from_table;
//!
//! let table = vec![
//!     vec!["id".to_string(), "name".to_string(), "price_fen".to_string()],
//!     vec!["2".to_string(), "Pro".to_string(), "1990".to_string()],
//! ];
//! let rows = rows_from_table(&table, |_| None).unwrap();
//! assert_eq!(rows[0]["price_fen"], 1990);
//! assert_eq!(rows[0]["name"], "Pro");
//! ```

use mock_zion::config::ColumnType;
use serde_json::{Map, Value};

/// The rows of a data table whose first row names the columns; `column_type` gives a
/// column's declared type, when there is one.
///
/// # Errors
/// No header row, or a row of another width, or a cell that is not of its column's type.
pub fn rows_from_table(
    table: &[Vec<String>],
    column_type: impl Fn(&str) -> Option<ColumnType>,
) -> Result<Vec<Map<String, Value>>, String> {
    let Some((header, rows)) = table.split_first() else {
        return Err("the data table is empty: its first row names the columns".into());
    };
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            if row.len() != header.len() {
                return Err(format!(
                    "row {} has {} cells for {} columns",
                    i + 1,
                    row.len(),
                    header.len()
                ));
            }
            header
                .iter()
                .zip(row)
                .map(|(column, cell)| {
                    cell_value(cell, column_type(column))
                        .map(|v| (column.clone(), v))
                        .map_err(|why| format!("row {}, column `{column}`: {why}", i + 1))
                })
                .collect()
        })
        .collect()
}

/// One cell as a value of `kind` (or, unknown, as what it looks like).
fn cell_value(cell: &str, kind: Option<ColumnType>) -> Result<Value, String> {
    let text = cell.trim();
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let number = || {
        text.parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<f64>().map(Value::from))
            .map_err(|_| format!("`{text}` is not a number"))
    };
    match kind {
        Some(ColumnType::Bigint | ColumnType::Int) => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not a whole number")),
        Some(ColumnType::Float | ColumnType::Float8 | ColumnType::Decimal) => number(),
        Some(ColumnType::Boolean) => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not true or false")),
        },
        Some(ColumnType::Json | ColumnType::Jsonb) => {
            serde_json::from_str(text).or_else(|_| Ok(Value::from(text)))
        }
        Some(_) => Ok(Value::from(text)),
        None => Ok(match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ if text.starts_with(['{', '[']) => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::from(text))
            }
            _ => number().unwrap_or_else(|_| Value::from(text)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn declared_types_decide_how_a_cell_reads() {
        let declared = |c: &str| match c {
            "code" => Some(ColumnType::String),
            "active" => Some(ColumnType::Boolean),
            _ => None,
        };
        let rows = rows_from_table(
            &table(&[&["code", "active", "note"], &["007", "true", ""]]),
            declared,
        )
        .unwrap();
        assert_eq!(rows[0]["code"], "007", "text stays text");
        assert_eq!(rows[0]["active"], true);
        assert_eq!(rows[0]["note"], Value::Null);
    }

    #[test]
    fn bad_cells_and_widths_are_named() {
        let e = rows_from_table(&table(&[&["id", "name"], &["1"]]), |_| None).unwrap_err();
        assert_eq!(e, "row 1 has 1 cells for 2 columns");
        let e = rows_from_table(&table(&[&["id"], &["one"]]), |_| Some(ColumnType::Bigint))
            .unwrap_err();
        assert_eq!(e, "row 1, column `id`: `one` is not a whole number");
    }
}
