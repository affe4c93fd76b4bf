//! The embedded database under a mock instance's tables: one in-memory SQLite database per
//! instance (and per reset), with a SQL table for every table of the [`Model`] and a unique
//! index for every named constraint.
//!
//! Zion runs PostgreSQL; the generated table API is translated to SQL ([`sql`] for reads and
//! filters, [`write`] for inserts, updates and deletes) so that NULL logic, `LIKE`, `NULLS
//! FIRST/LAST`, aggregates and `distinct_on` (as a window function) are the database's own.
//! What SQLite lacks — PostgreSQL's JSON containment, POSIX regular expressions, splitting
//! text — is registered as SQL functions ([`functions`]).

pub mod codec;
mod functions;
pub mod sql;
pub mod write;

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::config::ColumnType;
use crate::project::{Model, TableModel};

/// One row: column name → value.
pub type Row = Map<String, Value>;

/// A project's rows, in SQLite.
pub struct Database {
    conn: Connection,
    model: Arc<Model>,
    next_ids: HashMap<String, i64>,
    clock: Arc<crate::clock::Clock>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("tables", &self.model.tables.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Quotes an SQL identifier (table and column names come from the team's data model).
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Bigint | ColumnType::Int | ColumnType::Boolean => "INTEGER",
        ColumnType::Float | ColumnType::Float8 | ColumnType::Decimal => "REAL",
        _ => "TEXT",
    }
}

impl Database {
    /// A fresh, empty database for `model`.
    ///
    /// # Panics
    /// Never for a model built from a checked config: SQLite in memory refuses nothing here.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let model = Arc::new(mock_zion::project::Model::new(&mock_zion::ProjectConfig::default()));
    /// let db = mock_zion::db::Database::new(model);
    /// assert_eq!(db.count("order"), Some(0));
    /// ```
    pub fn new(model: Arc<Model>) -> Database {
        Database::on_clock(model, Arc::default())
    }

    /// A fresh, empty database whose timestamps and `now()` read `clock`.
    pub fn on_clock(model: Arc<Model>, clock: Arc<crate::clock::Clock>) -> Database {
        let conn = Connection::open_in_memory().expect("SQLite opens an in-memory database");
        functions::register(&conn, clock.clone()).expect("SQLite takes mock-zion's functions");
        // PostgreSQL's LIKE is case-sensitive; ILIKE is the case-insensitive one.
        conn.execute_batch("PRAGMA case_sensitive_like = ON;")
            .expect("SQLite takes the pragma");
        let mut ddl = String::new();
        for table in model.tables.values() {
            ddl.push_str(&create_table(table));
        }
        conn.execute_batch(&ddl)
            .expect("a checked data model makes valid SQL tables");
        let next_ids = model
            .tables
            .keys()
            // Zion ids are large; starting far from 0 keeps them distinct from amounts and
            // counts in assertions and journals.
            .map(|name| (name.clone(), 1_000_001))
            .collect();
        Database {
            conn,
            model,
            next_ids,
            clock,
        }
    }

    /// The clock its timestamps read.
    pub fn clock(&self) -> &crate::clock::Clock {
        &self.clock
    }

    /// The data model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The data model, shared.
    pub fn model_arc(&self) -> Arc<Model> {
        self.model.clone()
    }

    /// The SQLite connection (for the table API's translated statements).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The id the next row of `table` gets unless it names one, and takes it.
    pub fn take_id(&mut self, table: &str, given: Option<i64>) -> i64 {
        let next = self.next_ids.entry(table.to_string()).or_insert(1_000_001);
        let id = given.unwrap_or(*next);
        *next = (*next).max(id + 1);
        id
    }

    /// How many rows `table` has (`None` for an unknown table).
    pub fn count(&self, table: &str) -> Option<i64> {
        self.model.table(table)?;
        self.conn
            .query_row(&format!("SELECT count(*) FROM {}", ident(table)), [], |r| {
                r.get(0)
            })
            .ok()
    }

    /// Runs `sql` and reads every result row as a row of `table` (`SELECT a.*`).
    ///
    /// # Errors
    /// SQLite's error for the statement.
    pub fn rows(
        &self,
        table: &TableModel,
        sql: &str,
        params: &[rusqlite::types::Value],
    ) -> rusqlite::Result<Vec<Row>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let names: Vec<String> = statement
            .column_names()
            .into_iter()
            .map(String::from)
            .collect();
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut map = Map::new();
            for (i, name) in names.iter().enumerate() {
                let Some(column) = table.column(name) else {
                    continue;
                };
                map.insert(name.clone(), codec::to_json(column.ty, row.get_ref(i)?));
            }
            out.push(map);
        }
        Ok(out)
    }
}

fn create_table(table: &TableModel) -> String {
    let name = ident(&table.name);
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let key = if c.name == "id" { " PRIMARY KEY" } else { "" };
            format!("{} {}{key}", ident(&c.name), sql_type(c.ty))
        })
        .collect();
    let mut ddl = format!("CREATE TABLE {name} ({});\n", columns.join(", "));
    for constraint in &table.constraints {
        let columns: Vec<String> = constraint.columns.iter().map(|c| ident(c)).collect();
        ddl.push_str(&format!(
            "CREATE UNIQUE INDEX {} ON {name} ({});\n",
            ident(&constraint.name),
            columns.join(", ")
        ));
    }
    ddl
}
