//! Writes: Zion's insert (with `on_conflict` and nested relation inserts), update (`_set`,
//! `_inc`) and delete mutations as SQL, with the caller's row permission.
//!
//! Permission (Zion's row ownership): the anonymous role writes nothing; on a table with an
//! owner column a caller writes only rows whose owner is their account — an insert without
//! the owner column gets the caller's id, one naming another account is refused, updates and
//! deletes see only the caller's rows.

use rusqlite::types::Value as Sql;
use serde_json::{Map, Value};

use super::codec;
use super::sql::{as_list, Builder, Caller};
use super::{ident, Database, Row};
use crate::failure::Failure;
use crate::project::model::SYSTEM_COLUMNS;
use crate::project::TableModel;

fn denied(message: String) -> Failure {
    Failure::new("PERMISSION_DENIED", message)
}

fn db_error(e: rusqlite::Error) -> Failure {
    let text = e.to_string();
    let message = if let Some(rest) = text.strip_prefix("UNIQUE constraint failed: ") {
        format!("Uniqueness violation. duplicate key value violates unique constraint on {rest}")
    } else {
        format!("the database refused the statement: {text}")
    };
    Failure::new("CONSTRAINT_VIOLATION", message)
}

/// What a write did: the ids of the top-level rows written and how many rows it touched in
/// all (nested inserts included).
#[derive(Debug, Default)]
pub struct Written {
    /// Ids of the rows the mutation names in `returning`.
    pub ids: Vec<i64>,
    /// `affected_rows`.
    pub affected: usize,
}

/// The field an input type of a table with no settable column carries, ignored (Hasura's).
const PLACEHOLDER: &str = "_PLACEHOLDER";

/// The table called `name`.
fn table_of<'m>(model: &'m crate::project::Model, name: &str) -> Result<&'m TableModel, Failure> {
    model
        .table(name)
        .ok_or_else(|| Failure::new("BAD_USER_INPUT", format!("no table `{name}`")))
}

/// `value` as the SQL value of column `key` of `table`, refused when the column is unknown or
/// the value does not fit it.
fn column_value(table: &TableModel, key: &str, value: &Value) -> Result<Sql, Failure> {
    let column = table.column(key).ok_or_else(|| {
        Failure::new(
            "BAD_USER_INPUT",
            format!("no column `{key}` in `{}`", table.name),
        )
    })?;
    codec::to_sql(column.ty, value, false).map_err(|m| {
        Failure::new(
            "BAD_USER_INPUT",
            format!("column `{}.{key}` is {}, but got {value}", table.name, m.0),
        )
    })
}

/// The anonymous role writes nothing.
fn writer(table: &TableModel, caller: Caller) -> Result<i64, Failure> {
    caller.account.ok_or_else(|| {
        denied(format!(
            "permission denied: the anonymous role may not write table `{}`; log in first",
            table.name
        ))
    })
}

impl Database {
    /// Runs `f` in a savepoint: all of it, or nothing when it fails.
    pub fn atomically<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        self.conn
            .execute_batch("SAVEPOINT zion_write")
            .map_err(db_error)?;
        let result = f(self);
        let end = if result.is_ok() {
            "RELEASE zion_write"
        } else {
            "ROLLBACK TO zion_write; RELEASE zion_write"
        };
        self.conn.execute_batch(end).map_err(db_error)?;
        result
    }

    /// `insert_<t>` / `insert_<t>_one`: inserts each object (and its nested relation rows).
    ///
    /// # Errors
    /// Permission, a value that does not fit, a uniqueness violation.
    pub fn insert(
        &mut self,
        table: &str,
        objects: &[&Value],
        on_conflict: Option<&Value>,
        caller: Caller,
    ) -> Result<Written, Failure> {
        let model = self.model.clone();
        let table = table_of(&model, table)?;
        let account = writer(table, caller)?;
        let mut written = Written::default();
        for object in objects {
            let object = object.as_object().ok_or_else(|| {
                Failure::new(
                    "BAD_USER_INPUT",
                    format!("an insert object must be an object, got {object}"),
                )
            })?;
            if let Some(id) = self.insert_one(
                table,
                object,
                on_conflict,
                caller,
                account,
                &mut written.affected,
            )? {
                written.ids.push(id);
            }
        }
        Ok(written)
    }

    fn insert_one(
        &mut self,
        table: &TableModel,
        object: &Map<String, Value>,
        on_conflict: Option<&Value>,
        caller: Caller,
        account: i64,
        affected: &mut usize,
    ) -> Result<Option<i64>, Failure> {
        let mut columns: Vec<String> = Vec::new();
        let mut values: Vec<Sql> = Vec::new();
        let mut nested = Vec::new();
        for (key, value) in object {
            if key == PLACEHOLDER {
                continue;
            }
            if let Some(rel) = table.relation(key).filter(|r| r.source_side) {
                nested.push((rel, value));
                continue;
            }
            if SYSTEM_COLUMNS.contains(&key.as_str()) {
                return Err(Failure::new(
                    "BAD_USER_INPUT",
                    format!("`{key}` cannot be inserted into `{}`", table.name),
                ));
            }
            values.push(column_value(table, key, value)?);
            columns.push(key.clone());
        }
        if let Some(owner) = &table.owner {
            match columns.iter().position(|c| c == owner) {
                None if owner != "id" => {
                    columns.push(owner.clone());
                    values.push(Sql::Integer(account));
                }
                Some(i) if values[i] != Sql::Integer(account) => {
                    return Err(denied(format!(
                        "permission denied: `{}.{owner}` must be your own account id ({account}), not {:?}",
                        table.name, values[i]
                    )))
                }
                None => {
                    return Err(denied(format!(
                        "permission denied: rows of `{}` belong to accounts and cannot be inserted by the app",
                        table.name
                    )))
                }
                Some(_) => {}
            }
        }
        let id = self.take_id(&table.name, None);
        let now = codec::stamp(self.clock.wall());
        columns.extend(["id".to_string(), "created_at".into(), "updated_at".into()]);
        values.extend([Sql::Integer(id), Sql::Text(now.clone()), Sql::Text(now)]);
        let alias = "a0";
        let names: Vec<String> = columns.iter().map(|c| ident(c)).collect();
        let marks = vec!["?"; values.len()].join(", ");
        let mut sql = format!(
            "INSERT INTO {} AS {alias} ({}) VALUES ({marks})",
            ident(&table.name),
            names.join(", ")
        );
        let model = self.model.clone();
        let mut builder = Builder::new(&model, caller);
        builder.params = values;
        if let Some(conflict) = on_conflict.filter(|c| !c.is_null()) {
            sql.push_str(&conflict_clause(
                &mut builder,
                table,
                alias,
                conflict,
                caller,
            )?);
        }
        sql.push_str(" RETURNING \"id\"");
        let params = std::mem::take(&mut builder.params);
        let returned: Option<i64> = {
            let mut statement = self.conn.prepare_cached(&sql).map_err(db_error)?;
            let mut rows = statement
                .query(rusqlite::params_from_iter(params))
                .map_err(db_error)?;
            match rows.next().map_err(db_error)? {
                Some(row) => Some(row.get(0).map_err(db_error)?),
                None => None,
            }
        };
        let Some(row_id) = returned else {
            return Ok(None);
        };
        *affected += 1;
        for (rel, value) in nested {
            let parent_value: Value = if rel.local_column == "id" {
                Value::from(row_id)
            } else {
                self.get(&table.name, row_id)
                    .and_then(|r| r.get(&rel.local_column).cloned())
                    .unwrap_or(Value::Null)
            };
            let target = self.model.clone();
            let target = target.table(&rel.table).ok_or_else(|| {
                Failure::new("BAD_USER_INPUT", format!("no table `{}`", rel.table))
            })?;
            let conflict = value.get("on_conflict").filter(|c| !c.is_null());
            for child in as_list(&value["data"]) {
                let mut child = child.as_object().cloned().unwrap_or_default();
                child.insert(rel.remote_column.clone(), parent_value.clone());
                self.insert_one(target, &child, conflict, caller, account, affected)?;
            }
        }
        Ok(Some(row_id))
    }

    /// `update_<t>` / `update_<t>_by_pk`: sets and increments the rows of `filter` (or `id`)
    /// that the caller may write.
    ///
    /// # Errors
    /// Permission, a value that does not fit, a uniqueness violation.
    pub fn update(
        &mut self,
        table: &str,
        set: Option<&Value>,
        inc: Option<&Value>,
        target: Target<'_>,
        caller: Caller,
    ) -> Result<Written, Failure> {
        let model = self.model.clone();
        let table = table_of(&model, table)?;
        let account = writer(table, caller)?;
        let mut builder = Builder::new(&model, caller);
        let mut assignments = Vec::new();
        let alias = "a0";
        let set = set.and_then(Value::as_object).into_iter().flatten();
        for (key, value) in set.filter(|(key, _)| *key != PLACEHOLDER) {
            if table.owner.as_deref() == Some(key.as_str()) && value.as_i64() != Some(account) {
                return Err(denied(format!(
                    "permission denied: `{}.{key}` may only hold your own account id ({account})",
                    table.name
                )));
            }
            builder.params.push(column_value(table, key, value)?);
            assignments.push(format!("{} = ?", ident(key)));
        }
        for (key, value) in inc.and_then(Value::as_object).into_iter().flatten() {
            builder.params.push(column_value(table, key, value)?);
            assignments.push(format!("{0} = {alias}.{0} + ?", ident(key)));
        }
        builder
            .params
            .push(Sql::Text(codec::stamp(self.clock.wall())));
        assignments.push("\"updated_at\" = ?".into());
        let condition = target_condition(&mut builder, table, alias, target)?;
        let sql = format!(
            "UPDATE {} AS {alias} SET {} WHERE {condition} RETURNING \"id\"",
            ident(&table.name),
            assignments.join(", ")
        );
        self.run_returning_ids(&sql, builder.params)
    }

    /// `delete_<t>` / `delete_<t>_by_pk`: the deleted rows as they were.
    ///
    /// # Errors
    /// Permission.
    pub fn delete(
        &mut self,
        table: &str,
        target: Target<'_>,
        caller: Caller,
    ) -> Result<Vec<Row>, Failure> {
        let model = self.model.clone();
        let table = table_of(&model, table)?;
        writer(table, caller)?;
        let mut builder = Builder::new(&model, caller);
        let alias = "a0";
        let condition = target_condition(&mut builder, table, alias, target)?;
        let sql = format!(
            "DELETE FROM {} AS {alias} WHERE {condition} RETURNING *",
            ident(&table.name)
        );
        self.rows(table, &sql, &builder.params).map_err(db_error)
    }

    fn run_returning_ids(&mut self, sql: &str, params: Vec<Sql>) -> Result<Written, Failure> {
        let mut statement = self.conn.prepare_cached(sql).map_err(db_error)?;
        let ids: Vec<i64> = statement
            .query_map(rusqlite::params_from_iter(params), |row| row.get(0))
            .map_err(db_error)?
            .collect::<Result<_, _>>()
            .map_err(db_error)?;
        Ok(Written {
            affected: ids.len(),
            ids,
        })
    }
}

/// Which rows an update or delete touches.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A `where` filter.
    Filter(&'a Value),
    /// One row by primary key.
    Id(i64),
}

/// The rows the caller may write (the owner's own, on an owned table) among the target.
fn target_condition(
    builder: &mut Builder<'_>,
    table: &TableModel,
    alias: &str,
    target: Target<'_>,
) -> Result<String, Failure> {
    let mut parts = Vec::new();
    if let (Some(owner), Some(account)) = (&table.owner, builder_caller(builder)) {
        builder.params.push(Sql::Integer(account));
        parts.push(format!("{alias}.{} = ?", ident(owner)));
    }
    match target {
        Target::Filter(filter) => parts.push(builder.bool_exp(table, alias, filter)?),
        Target::Id(id) => {
            builder.params.push(Sql::Integer(id));
            parts.push(format!("{alias}.\"id\" = ?"));
        }
    }
    Ok(parts.join(" AND "))
}

fn builder_caller(builder: &Builder<'_>) -> Option<i64> {
    builder.caller().account
}

fn conflict_clause(
    builder: &mut Builder<'_>,
    table: &TableModel,
    alias: &str,
    conflict: &Value,
    caller: Caller,
) -> Result<String, Failure> {
    let name = conflict["constraint"].as_str().unwrap_or_default();
    let constraint = table
        .constraints
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            Failure::new(
                "BAD_USER_INPUT",
                format!("`{name}` is not a constraint of `{}`", table.name),
            )
        })?;
    let target: Vec<String> = constraint.columns.iter().map(|c| ident(c)).collect();
    let updates: Vec<String> = as_list(&conflict["update_columns"])
        .iter()
        .filter_map(|c| c.as_str())
        .filter(|c| *c != "_PLACEHOLDER")
        .map(|c| format!("{0} = excluded.{0}", ident(c)))
        .collect();
    if updates.is_empty() {
        return Ok(format!(" ON CONFLICT ({}) DO NOTHING", target.join(", ")));
    }
    let mut conditions = Vec::new();
    if let (Some(owner), Some(account)) = (&table.owner, caller.account) {
        builder.params.push(Sql::Integer(account));
        conditions.push(format!("{alias}.{} = ?", ident(owner)));
    }
    if let Some(filter) = conflict.get("where").filter(|w| !w.is_null()) {
        conditions.push(builder.bool_exp(table, alias, filter)?);
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    Ok(format!(
        " ON CONFLICT ({}) DO UPDATE SET {}, \"updated_at\" = excluded.\"updated_at\"{condition}",
        target.join(", "),
        updates.join(", ")
    ))
}
