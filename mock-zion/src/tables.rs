//! In-memory tables: the rows a Zion project's database would hold, per mock instance.
//!
//! Rows are JSON objects keyed by column name. Every table has a `bigint` primary key `id`;
//! ids are assigned from a per-table counter when a row is inserted without one. Visibility
//! follows Zion's row-level permission: a row of a table with an `owner` column is visible
//! only to the account whose id that column holds.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::config::{ColumnType, ProjectConfig, TableConfig};

/// One row: column name → value.
pub type Row = Map<String, Value>;

/// Why a row could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The table is not in the project config.
    #[error("there is no table `{0}` in this project")]
    NoSuchTable(String),
    /// A value names a column the table does not have.
    #[error("table `{table}` has no column `{column}`")]
    NoSuchColumn {
        /// The table written to.
        table: String,
        /// The unknown column.
        column: String,
    },
    /// A value does not fit its column's type.
    #[error("column `{table}.{column}` is {expected}, but got {got}")]
    WrongType {
        /// The table written to.
        table: String,
        /// The column.
        column: String,
        /// The column's GraphQL type.
        expected: &'static str,
        /// The JSON value that was given.
        got: String,
    },
    /// An insert reused an existing id.
    #[error("table `{table}` already has a row with id {id}")]
    DuplicateId {
        /// The table written to.
        table: String,
        /// The id.
        id: i64,
    },
    /// An update named a row that does not exist.
    #[error("table `{table}` has no row with id {id}")]
    NoSuchRow {
        /// The table.
        table: String,
        /// The id.
        id: i64,
    },
}

/// One table's definition and rows.
#[derive(Debug, Clone)]
pub struct Table {
    name: String,
    config: TableConfig,
    rows: BTreeMap<i64, Row>,
    next_id: i64,
}

/// All tables of one mock instance.
#[derive(Debug, Clone)]
pub struct Tables {
    tables: BTreeMap<String, Table>,
}

impl Tables {
    /// Empty tables shaped as the config says.
    pub fn new(config: &ProjectConfig) -> Self {
        let tables = config
            .tables
            .iter()
            .map(|(name, table)| {
                let table = Table {
                    name: name.clone(),
                    config: table.clone(),
                    rows: BTreeMap::new(),
                    // Zion ids are large; starting far from 0 keeps them distinct from
                    // amounts and counts in assertions and journals.
                    next_id: 1_000_001,
                };
                (name.clone(), table)
            })
            .collect();
        Tables { tables }
    }

    /// The table called `name`.
    ///
    /// # Errors
    /// [`TableError::NoSuchTable`].
    pub fn table(&self, name: &str) -> Result<&Table, TableError> {
        self.tables
            .get(name)
            .ok_or_else(|| TableError::NoSuchTable(name.into()))
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut Table, TableError> {
        self.tables
            .get_mut(name)
            .ok_or_else(|| TableError::NoSuchTable(name.into()))
    }

    /// Inserts a row; columns not given are null, a missing `id` is assigned. Returns the id.
    ///
    /// # Errors
    /// Unknown table or column, a value of the wrong type, or an id already taken.
    pub fn insert(&mut self, table: &str, mut row: Row) -> Result<i64, TableError> {
        let table = self.table_mut(table)?;
        table.check(&row)?;
        let id = match row.get("id").and_then(Value::as_i64) {
            Some(id) => id,
            None => table.next_id,
        };
        if table.rows.contains_key(&id) {
            return Err(TableError::DuplicateId {
                table: table.name.clone(),
                id,
            });
        }
        table.next_id = table.next_id.max(id + 1);
        row.insert("id".into(), Value::from(id));
        for column in table.config.columns.keys() {
            row.entry(column.clone()).or_insert(Value::Null);
        }
        table.rows.insert(id, row);
        Ok(id)
    }

    /// Sets some columns of an existing row.
    ///
    /// # Errors
    /// Unknown table, row or column, or a value of the wrong type.
    pub fn update(&mut self, table: &str, id: i64, values: Row) -> Result<(), TableError> {
        let table = self.table_mut(table)?;
        table.check(&values)?;
        let name = table.name.clone();
        let row = table
            .rows
            .get_mut(&id)
            .ok_or(TableError::NoSuchRow { table: name, id })?;
        row.extend(values);
        Ok(())
    }

    /// A row by id, whoever owns it (for the control API and steps).
    pub fn get(&self, table: &str, id: i64) -> Option<&Row> {
        self.tables.get(table)?.rows.get(&id)
    }

    /// A row by id as `account` sees it: `None` when it does not exist or is not theirs.
    pub fn get_visible(&self, table: &str, id: i64, account: Option<i64>) -> Option<&Row> {
        let table = self.tables.get(table)?;
        let row = table.rows.get(&id)?;
        table.visible_to(row, account).then_some(row)
    }
}

impl Table {
    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table's rows in id order.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.values()
    }

    fn visible_to(&self, row: &Row, account: Option<i64>) -> bool {
        match &self.config.owner {
            None => true,
            Some(owner) => account.is_some() && row.get(owner).and_then(Value::as_i64) == account,
        }
    }

    fn check(&self, row: &Row) -> Result<(), TableError> {
        for (column, value) in row {
            let Some(ty) = self.config.columns.get(column) else {
                return Err(TableError::NoSuchColumn {
                    table: self.name.clone(),
                    column: column.clone(),
                });
            };
            let fits = match ty {
                _ if value.is_null() => true,
                ColumnType::Bigint | ColumnType::Int => value.is_i64(),
                ColumnType::Float => value.is_number(),
                ColumnType::String => value.is_string(),
                ColumnType::Boolean => value.is_boolean(),
                ColumnType::Json => true,
            };
            if !fits {
                return Err(TableError::WrongType {
                    table: self.name.clone(),
                    column: column.clone(),
                    expected: ty.graphql_name(),
                    got: value.to_string(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> Row {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn insert_assigns_ids_and_fills_missing_columns_with_null() {
        let mut tables = Tables::new(&ProjectConfig::default());
        let id = tables
            .insert("order", row(json!({"amount": 100, "account_account": 1})))
            .unwrap();
        let stored = tables.get("order", id).unwrap();
        assert_eq!(stored["status"], Value::Null);
        assert_eq!(stored["id"], json!(id));
        let next = tables.insert("order", Row::new()).unwrap();
        assert_eq!(next, id + 1);
    }

    #[test]
    fn rows_of_another_owner_are_invisible() {
        let mut tables = Tables::new(&ProjectConfig::default());
        let id = tables
            .insert("order", row(json!({"account_account": 1})))
            .unwrap();
        assert!(tables.get_visible("order", id, Some(1)).is_some());
        assert!(tables.get_visible("order", id, Some(2)).is_none());
        assert!(tables.get_visible("order", id, None).is_none());
    }

    #[test]
    fn values_must_fit_their_column() {
        let mut tables = Tables::new(&ProjectConfig::default());
        let e = tables
            .insert("order", row(json!({"amount": "100"})))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "column `order.amount` is Int, but got \"100\""
        );
        let e = tables
            .insert("order", row(json!({"amout": 1})))
            .unwrap_err();
        assert_eq!(e.to_string(), "table `order` has no column `amout`");
    }
}
