//! Rows by id: the direct table access that config seeds, the control API, steps and the
//! payment flows use (not the GraphQL table API, which goes through [`crate::db::sql`] and
//! [`crate::db::write`]). Rows live in the instance's embedded database ([`Database`]).
//!
//! Every table has a `bigint` primary key `id`; ids are assigned from a per-table counter when
//! a row is inserted without one; `created_at` and `updated_at` are set by the mock.
//! Visibility follows Zion's row-level permission: a row of a table with an owner column is
//! visible only to the account whose id that column holds.

use std::sync::Arc;

use rusqlite::types::Value as Sql;
use serde_json::Value;

use crate::db::{codec, ident, Database};
use crate::project::{Model, TableModel};

pub use crate::db::Row;

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
    /// The database refused the write (a unique constraint, say).
    #[error("table `{table}`: {message}")]
    Refused {
        /// The table.
        table: String,
        /// SQLite's reason.
        message: String,
    },
}

/// All tables of one mock instance.
#[derive(Debug)]
pub struct Tables {
    db: Database,
}

impl Tables {
    /// Empty tables shaped as the model says.
    pub fn new(model: Arc<Model>) -> Self {
        Tables::on_clock(model, Arc::default())
    }

    /// Empty tables whose timestamps read `clock`.
    pub fn on_clock(model: Arc<Model>, clock: Arc<crate::clock::Clock>) -> Self {
        Tables {
            db: Database::on_clock(model, clock),
        }
    }

    /// The database, for the GraphQL table API.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The database, for the GraphQL table API's writes.
    pub fn db_mut(&mut self) -> &mut Database {
        &mut self.db
    }

    fn table(&self, name: &str) -> Result<TableModel, TableError> {
        self.db
            .model()
            .table(name)
            .cloned()
            .ok_or_else(|| TableError::NoSuchTable(name.into()))
    }

    /// Every row of `table` in id order.
    ///
    /// # Errors
    /// [`TableError::NoSuchTable`].
    pub fn rows(&self, table: &str) -> Result<Vec<Row>, TableError> {
        let model = self.table(table)?;
        let sql = format!("SELECT * FROM {} ORDER BY \"id\"", ident(table));
        self.db
            .rows(&model, &sql, &[])
            .map_err(|e| TableError::Refused {
                table: table.into(),
                message: e.to_string(),
            })
    }

    /// Inserts a row; columns not given are null, a missing `id` is assigned. Returns the id.
    ///
    /// # Errors
    /// Unknown table or column, a value of the wrong type, or an id already taken.
    pub fn insert(&mut self, table: &str, row: Row) -> Result<i64, TableError> {
        let model = self.table(table)?;
        let mut values = check(&model, &row)?;
        let given = row.get("id").and_then(Value::as_i64);
        if let Some(id) = given {
            if self.get(table, id).is_some() {
                return Err(TableError::DuplicateId {
                    table: table.into(),
                    id,
                });
            }
        }
        let id = self.db.take_id(table, given);
        values.retain(|(c, _)| c != "id");
        values.push(("id".into(), Sql::Integer(id)));
        let now = codec::stamp(self.db.clock().wall());
        for system in ["created_at", "updated_at"] {
            if !values.iter().any(|(c, _)| c == system) {
                values.push((system.into(), Sql::Text(now.clone())));
            }
        }
        let names: Vec<String> = values.iter().map(|(c, _)| ident(c)).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            ident(table),
            names.join(", "),
            vec!["?"; values.len()].join(", ")
        );
        self.execute(table, &sql, values.into_iter().map(|(_, v)| v))?;
        Ok(id)
    }

    /// Sets some columns of an existing row (and its `updated_at`).
    ///
    /// # Errors
    /// Unknown table, row or column, or a value of the wrong type.
    pub fn update(&mut self, table: &str, id: i64, row: Row) -> Result<(), TableError> {
        let model = self.table(table)?;
        let mut values = check(&model, &row)?;
        if self.get(table, id).is_none() {
            return Err(TableError::NoSuchRow {
                table: table.into(),
                id,
            });
        }
        values.push((
            "updated_at".into(),
            Sql::Text(codec::stamp(self.db.clock().wall())),
        ));
        let assignments: Vec<String> = values
            .iter()
            .map(|(c, _)| format!("{} = ?", ident(c)))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE \"id\" = ?",
            ident(table),
            assignments.join(", ")
        );
        let params = values.into_iter().map(|(_, v)| v).chain([Sql::Integer(id)]);
        self.execute(table, &sql, params)
    }

    fn execute(
        &self,
        table: &str,
        sql: &str,
        params: impl Iterator<Item = Sql>,
    ) -> Result<(), TableError> {
        self.db
            .conn()
            .execute(sql, rusqlite::params_from_iter(params))
            .map(|_| ())
            .map_err(|e| TableError::Refused {
                table: table.into(),
                message: e.to_string(),
            })
    }

    /// A row by id, whoever owns it (for the control API and steps).
    pub fn get(&self, table: &str, id: i64) -> Option<Row> {
        self.db.get(table, id)
    }

    /// A row by id as `account` sees it: `None` when it does not exist or is not theirs.
    pub fn get_visible(&self, table: &str, id: i64, account: Option<i64>) -> Option<Row> {
        let model = self.db.model().table(table)?;
        let row = self.get(table, id)?;
        let visible = model.public
            || match &model.owner {
                None => account.is_some(),
                Some(owner) => {
                    account.is_some() && row.get(owner).and_then(Value::as_i64) == account
                }
            };
        visible.then_some(row)
    }
}

impl Database {
    /// A row by id, whoever owns it.
    pub fn get(&self, table: &str, id: i64) -> Option<Row> {
        let model = self.model().table(table)?;
        let sql = format!("SELECT * FROM {} WHERE \"id\" = ?", ident(table));
        self.rows(model, &sql, &[Sql::Integer(id)])
            .ok()?
            .into_iter()
            .next()
    }
}

/// The SQL values of a row's columns, each checked against its column's type.
fn check(table: &TableModel, row: &Row) -> Result<Vec<(String, Sql)>, TableError> {
    row.iter()
        .map(|(column, value)| {
            let Some(c) = table.column(column) else {
                return Err(TableError::NoSuchColumn {
                    table: table.name.clone(),
                    column: column.clone(),
                });
            };
            let sql = codec::to_sql(c.ty, value, false).map_err(|m| TableError::WrongType {
                table: table.name.clone(),
                column: column.clone(),
                expected: m.0,
                got: value.to_string(),
            })?;
            Ok((column.clone(), sql))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ProjectConfig;
    use serde_json::json;

    fn row(value: Value) -> Row {
        value.as_object().unwrap().clone()
    }

    fn tables() -> Tables {
        Tables::new(Arc::new(Model::new(&ProjectConfig::default())))
    }

    #[test]
    fn insert_assigns_ids_and_fills_missing_columns_with_null() {
        let mut tables = tables();
        let id = tables
            .insert("order", row(json!({"amount": 100, "account_account": 1})))
            .unwrap();
        let stored = tables.get("order", id).unwrap();
        assert_eq!(stored["status"], Value::Null);
        assert_eq!(stored["id"], json!(id));
        assert!(stored["created_at"].as_str().unwrap().ends_with('Z'));
        let next = tables.insert("order", Row::new()).unwrap();
        assert_eq!(next, id + 1);
    }

    #[test]
    fn rows_of_another_owner_are_invisible() {
        let mut tables = tables();
        let id = tables
            .insert("order", row(json!({"account_account": 1})))
            .unwrap();
        assert!(tables.get_visible("order", id, Some(1)).is_some());
        assert!(tables.get_visible("order", id, Some(2)).is_none());
        assert!(tables.get_visible("order", id, None).is_none());
    }

    #[test]
    fn values_must_fit_their_column() {
        let mut tables = tables();
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

    #[test]
    fn an_update_changes_only_the_given_columns() {
        let mut tables = tables();
        let id = tables
            .insert("order", row(json!({"amount": 100, "status": "待支付"})))
            .unwrap();
        tables
            .update("order", id, row(json!({"status": "已支付"})))
            .unwrap();
        let stored = tables.get("order", id).unwrap();
        assert_eq!(
            (stored["amount"].clone(), stored["status"].clone()),
            (json!(100), json!("已支付"))
        );
        assert_eq!(
            tables.update("order", 5, Row::new()).unwrap_err(),
            TableError::NoSuchRow {
                table: "order".into(),
                id: 5
            }
        );
    }
}
