//! Resolvers of Zion's generated table API: list, by-pk and aggregate queries, relation and
//! media fields of rows, and the insert, update and delete mutations — each answered from the
//! instance's embedded database ([`crate::db`]) as the caller may see it.

use std::sync::Arc;

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use rusqlite::types::Value as Sql;
use serde_json::Value;

use super::resolvers::{leaf, Context};
use crate::db::sql::{as_list, Builder, Caller, ListArgs};
use crate::db::write::Target;
use crate::db::{codec, ident, Row};
use crate::failure::Failure;
use crate::project::{Model, TableModel};

/// A root field of the table API, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RootField<'a> {
    List(&'a TableModel),
    ByPk(&'a TableModel),
    Aggregate(&'a TableModel),
    Insert(&'a TableModel),
    InsertOne(&'a TableModel),
    Update(&'a TableModel),
    UpdateByPk(&'a TableModel),
    Delete(&'a TableModel),
    DeleteByPk(&'a TableModel),
}

impl<'a> RootField<'a> {
    /// Which table API field `name` is, on the `Query`, `Subscription` or `Mutation` type.
    pub(crate) fn parse(model: &'a Model, root: &str, name: &str) -> Option<Self> {
        let table = |n: &str| model.table(n);
        if root == "Query" || root == "Subscription" {
            if let Some(t) = table(name) {
                return Some(RootField::List(t));
            }
            if let Some(t) = name.strip_suffix("_by_pk").and_then(table) {
                return Some(RootField::ByPk(t));
            }
            return name
                .strip_suffix("_aggregate")
                .and_then(table)
                .map(RootField::Aggregate);
        }
        type Make<'a> = fn(&'a TableModel) -> RootField<'a>;
        let pairs: [(&str, &str, Make<'a>); 6] = [
            ("insert_", "_one", RootField::InsertOne),
            ("insert_", "", RootField::Insert),
            ("update_", "_by_pk", RootField::UpdateByPk),
            ("update_", "", RootField::Update),
            ("delete_", "_by_pk", RootField::DeleteByPk),
            ("delete_", "", RootField::Delete),
        ];
        pairs.into_iter().find_map(|(prefix, suffix, make)| {
            let rest = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
            table(rest).map(make)
        })
    }
}

fn internal(e: rusqlite::Error) -> Failure {
    Failure::new(
        "INTERNAL_SERVER_ERROR",
        format!("mock-zion's database: {e}"),
    )
}

fn caller(ctx: &Context<'_>) -> Caller {
    Caller {
        account: ctx.caller,
    }
}

/// The anonymous role reads only tables marked public.
fn may_read(ctx: &Context<'_>, table: &TableModel, field: &str) -> Result<(), Failure> {
    if ctx.caller.is_none() && !table.public {
        return Err(Failure::new(
            "PERMISSION_DENIED",
            format!("permission denied: the anonymous role may not read table `{}` ({field}); log in first, or mark the table public ([tables.{}] public = true)", table.name, table.name),
        ));
    }
    Ok(())
}

/// Rows of `table` for list arguments (and a join to a parent row).
fn select(
    ctx: &Context<'_>,
    model: &Model,
    table: &TableModel,
    args: &ListArgs,
    join: Option<(&str, Sql)>,
) -> Result<Vec<Row>, Failure> {
    let mut builder = Builder::new(model, caller(ctx));
    let sql = builder.select(table, args, join)?;
    let state = ctx.state.borrow();
    state
        .tables
        .db()
        .rows(table, &sql, &builder.params)
        .map_err(internal)
}

/// Answers a root field of the table API.
pub(crate) fn resolve_root<'a>(
    ctx: &'a Context<'_>,
    field: RootField<'_>,
    args: &Value,
) -> Result<ResolvedValue<'a>, Failure> {
    let model = ctx.model.clone();
    let who = caller(ctx);
    match field {
        RootField::List(t) => {
            may_read(ctx, t, &t.name)?;
            let rows = select(ctx, &model, t, &ListArgs::from_arguments(args), None)?;
            Ok(rows_value(ctx, &t.name, rows))
        }
        RootField::ByPk(t) => {
            may_read(ctx, t, &format!("{}_by_pk", t.name))?;
            let id = super::scalars::integer(&args["id"]).unwrap_or_default();
            let rows = select(
                ctx,
                &model,
                t,
                &ListArgs::default(),
                Some(("id", Sql::Integer(id))),
            )?;
            Ok(ResolvedValue::nullable_object(
                rows.into_iter()
                    .next()
                    .map(|row| TableRow::new(ctx, &t.name, row)),
            ))
        }
        RootField::Aggregate(t) => {
            may_read(ctx, t, &format!("{}_aggregate", t.name))?;
            Ok(ResolvedValue::object(Aggregate {
                ctx,
                table: t.name.clone(),
                type_name: format!("{}_aggregate", t.name),
                args: ListArgs::from_arguments(args),
                join: None,
            }))
        }
        RootField::Insert(t) | RootField::InsertOne(t) => {
            let one = matches!(field, RootField::InsertOne(_));
            let objects = if one {
                vec![&args["object"]]
            } else {
                as_list(&args["objects"])
            };
            let conflict = args.get("on_conflict").filter(|c| !c.is_null());
            let written = write(ctx, |db| db.insert(&t.name, &objects, conflict, who))?;
            Ok(mutation_value(
                ctx,
                t,
                one,
                written.ids,
                written.affected,
                None,
            ))
        }
        RootField::Update(t) | RootField::UpdateByPk(t) => {
            let by_pk = matches!(field, RootField::UpdateByPk(_));
            let target = target(by_pk, args, &args["pk_columns"]["id"]);
            let set = args.get("_set").filter(|v| !v.is_null());
            let inc = args.get("_inc").filter(|v| !v.is_null());
            let written = write(ctx, |db| db.update(&t.name, set, inc, target, who))?;
            Ok(mutation_value(
                ctx,
                t,
                by_pk,
                written.ids,
                written.affected,
                None,
            ))
        }
        RootField::Delete(t) | RootField::DeleteByPk(t) => {
            let by_pk = matches!(field, RootField::DeleteByPk(_));
            let target = target(by_pk, args, &args["id"]);
            let rows = write(ctx, |db| db.delete(&t.name, target, who))?;
            let affected = rows.len();
            Ok(mutation_value(
                ctx,
                t,
                by_pk,
                Vec::new(),
                affected,
                Some(rows),
            ))
        }
    }
}

/// Runs a write on the database, all of it or nothing.
fn write<T>(
    ctx: &Context<'_>,
    f: impl FnOnce(&mut crate::db::Database) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut state = ctx.state.borrow_mut();
    state.tables.db_mut().atomically(f)
}

/// The rows a bulk write (`where`) or a by-pk write (`id`) touches.
fn target<'v>(by_pk: bool, args: &'v Value, id: &Value) -> Target<'v> {
    if by_pk {
        Target::Id(super::scalars::integer(id).unwrap_or_default())
    } else {
        Target::Filter(&args["where"])
    }
}

fn rows_value<'a>(ctx: &'a Context<'_>, table: &str, rows: Vec<Row>) -> ResolvedValue<'a> {
    let table = table.to_string();
    ResolvedValue::list(
        rows.into_iter()
            .map(move |row| ResolvedValue::object(TableRow::new(ctx, &table, row))),
    )
}

/// A single row (`_one`, `_by_pk`) or a `<t>_mutation_response`.
fn mutation_value<'a>(
    ctx: &'a Context<'_>,
    table: &TableModel,
    single: bool,
    ids: Vec<i64>,
    affected: usize,
    deleted: Option<Vec<Row>>,
) -> ResolvedValue<'a> {
    let rows = deleted.unwrap_or_else(|| {
        let state = ctx.state.borrow();
        ids.iter()
            .filter_map(|id| state.tables.get(&table.name, *id))
            .collect()
    });
    if single {
        return ResolvedValue::nullable_object(
            rows.into_iter()
                .next()
                .map(|row| TableRow::new(ctx, &table.name, row)),
        );
    }
    ResolvedValue::object(MutationResponse {
        ctx,
        table: table.name.clone(),
        type_name: format!("{}_mutation_response", table.name),
        rows,
        affected,
    })
}

/// A row of a table, its relation and media fields read on demand.
pub(crate) struct TableRow<'c, 's> {
    ctx: &'c Context<'s>,
    table: String,
    row: Row,
}

impl<'c, 's> TableRow<'c, 's> {
    fn new(ctx: &'c Context<'s>, table: &str, row: Row) -> Self {
        TableRow {
            ctx,
            table: table.to_string(),
            row,
        }
    }
}

impl ObjectValue for TableRow<'_, '_> {
    fn type_name(&self) -> &str {
        &self.table
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let name = info.field_name();
        if let Some(value) = self.row.get(name) {
            return Ok(leaf(value.clone()));
        }
        let model: Arc<Model> = self.ctx.model.clone();
        let Some(table) = model.table(&self.table) else {
            return Err(self.unknown_field_error(info));
        };
        if let Some(media) = table.media.iter().find(|m| m.name == name) {
            let id = self.row.get(&media.id_column).and_then(Value::as_i64);
            let base = self.ctx.state.borrow().base_url.clone();
            return Ok(ResolvedValue::nullable_object(id.map(|id| Media {
                type_name: media.ty.graphql_name(),
                id,
                url: format!("{base}/__mock/media/{id}"),
            })));
        }
        let args = super::values::arguments(info);
        let (relation, aggregate) = match table.relation(name) {
            Some(rel) => (rel, false),
            None => match name
                .strip_suffix("_aggregate")
                .and_then(|n| table.relation(n))
            {
                Some(rel) if rel.many => (rel, true),
                _ => return Err(self.unknown_field_error(info)),
            },
        };
        let key = self
            .row
            .get(&relation.local_column)
            .cloned()
            .unwrap_or(Value::Null);
        let key = match key.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Null,
        };
        let join = Some((relation.remote_column.as_str(), key.clone()));
        let target = model
            .table(&relation.table)
            .ok_or_else(|| self.unknown_field_error(info))?;
        let fail = |f: Failure| self.ctx.fail(f);
        if aggregate {
            return Ok(ResolvedValue::object(Aggregate {
                ctx: self.ctx,
                table: target.name.clone(),
                type_name: format!("{}_aggregate", target.name),
                args: ListArgs::from_arguments(&args),
                join: Some((relation.remote_column.clone(), key)),
            }));
        }
        let list_args = if relation.many {
            ListArgs::from_arguments(&args)
        } else {
            ListArgs::default()
        };
        let rows = select(self.ctx, &model, target, &list_args, join).map_err(fail)?;
        if relation.many {
            Ok(rows_value(self.ctx, &target.name, rows))
        } else {
            Ok(ResolvedValue::nullable_object(
                rows.into_iter()
                    .next()
                    .map(|row| TableRow::new(self.ctx, &target.name, row)),
            ))
        }
    }
}

/// `FZ_Image`, `FZ_File` or `FZ_Video` by id.
struct Media {
    type_name: &'static str,
    id: i64,
    url: String,
}

impl ObjectValue for Media {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        Ok(match info.field_name() {
            "id" => leaf(Value::from(self.id)),
            "url" => leaf(Value::String(self.url.clone())),
            "external" => leaf(Value::Bool(false)),
            "sizeBytes" => leaf(Value::from(0)),
            _ => ResolvedValue::null(),
        })
    }
}

/// `<t>_mutation_response`.
struct MutationResponse<'c, 's> {
    ctx: &'c Context<'s>,
    table: String,
    type_name: String,
    rows: Vec<Row>,
    affected: usize,
}

impl ObjectValue for MutationResponse<'_, '_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        match info.field_name() {
            "affected_rows" => Ok(leaf(Value::from(self.affected))),
            "returning" => Ok(rows_value(self.ctx, &self.table, self.rows.clone())),
            _ => Err(self.unknown_field_error(info)),
        }
    }
}

/// `<t>_aggregate`: `nodes` and `aggregate` over the rows the list arguments select.
struct Aggregate<'c, 's> {
    ctx: &'c Context<'s>,
    table: String,
    type_name: String,
    args: ListArgs,
    join: Option<(String, Sql)>,
}

impl Aggregate<'_, '_> {
    /// Runs `SELECT <expression> FROM (<the selected rows>) AS s`.
    fn scalar(&self, expression: &str) -> Result<Value, Failure> {
        self.scalar_over(|inner| format!("SELECT {expression} FROM ({inner}) AS s"))
    }

    /// Runs the statement `wrap` makes around the statement selecting the rows.
    fn scalar_over(&self, wrap: impl FnOnce(&str) -> String) -> Result<Value, Failure> {
        let model = self.ctx.model.clone();
        let table = model
            .table(&self.table)
            .ok_or_else(|| Failure::new("BAD_USER_INPUT", format!("no table `{}`", self.table)))?;
        let mut builder = Builder::new(&model, caller(self.ctx));
        let join = self.join.as_ref().map(|(c, v)| (c.as_str(), v.clone()));
        let inner = builder.select(table, &self.args, join)?;
        let sql = wrap(&inner);
        let state = self.ctx.state.borrow();
        state
            .tables
            .db()
            .conn()
            .query_row(&sql, rusqlite::params_from_iter(&builder.params), |row| {
                Ok(codec::untyped_json(row.get_ref(0)?))
            })
            .map_err(internal)
    }
}

impl ObjectValue for Aggregate<'_, '_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        match info.field_name() {
            "nodes" => {
                let model = self.ctx.model.clone();
                let table = model
                    .table(&self.table)
                    .ok_or_else(|| self.unknown_field_error(info))?;
                let join = self.join.as_ref().map(|(c, v)| (c.as_str(), v.clone()));
                let rows = select(self.ctx, &model, table, &self.args, join)
                    .map_err(|f| self.ctx.fail(f))?;
                Ok(rows_value(self.ctx, &self.table, rows))
            }
            "aggregate" => Ok(ResolvedValue::object(AggregateFields {
                of: self,
                type_name: format!("{}_aggregate_fields", self.table),
            })),
            _ => Err(self.unknown_field_error(info)),
        }
    }
}

/// `<t>_aggregate_fields`.
struct AggregateFields<'a, 'c, 's> {
    of: &'a Aggregate<'c, 's>,
    type_name: String,
}

impl ObjectValue for AggregateFields<'_, '_, '_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let name = info.field_name();
        if name == "count" {
            let args = super::values::arguments(info);
            let columns: Vec<String> = as_list(&args["columns"])
                .iter()
                .filter_map(|c| c.as_str())
                .map(|c| format!("s.{}", ident(c)))
                .collect();
            let distinct = args["distinct"].as_bool().unwrap_or(false);
            let not_null: Vec<String> =
                columns.iter().map(|c| format!("{c} IS NOT NULL")).collect();
            let counted = match (columns.as_slice(), distinct) {
                ([], _) => self.of.scalar("count(*)"),
                ([one], true) => self.of.scalar(&format!("count(DISTINCT {one})")),
                (_, false) => self.of.scalar(&format!(
                    "count(CASE WHEN {} THEN 1 END)",
                    not_null.join(" AND ")
                )),
                // SQLite's count(DISTINCT) takes one expression: count distinct tuples.
                (many, true) => self.of.scalar_over(|inner| {
                    format!(
                        "SELECT count(*) FROM (SELECT DISTINCT {} FROM ({inner}) AS s WHERE {})",
                        many.join(", "),
                        not_null.join(" AND ")
                    )
                }),
            };
            return counted.map(leaf).map_err(|f| self.of.ctx.fail(f));
        }
        if matches!(name, "avg" | "sum" | "max" | "min") {
            return Ok(ResolvedValue::object(AggregateFunction {
                of: self.of,
                function: name.to_string(),
                type_name: format!("{}_{name}_fields", self.of.table),
            }));
        }
        Err(self.unknown_field_error(info))
    }
}

/// `<t>_avg_fields` and its siblings: one aggregate function per column.
struct AggregateFunction<'a, 'c, 's> {
    of: &'a Aggregate<'c, 's>,
    function: String,
    type_name: String,
}

impl ObjectValue for AggregateFunction<'_, '_, '_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let column = info.field_name();
        let model = self.of.ctx.model.clone();
        let ty = model
            .table(&self.of.table)
            .and_then(|t| t.column(column))
            .map(|c| c.ty)
            .ok_or_else(|| self.unknown_field_error(info))?;
        let value = self
            .of
            .scalar(&format!("{}(s.{})", self.function, ident(column)))
            .map_err(|f| self.of.ctx.fail(f))?;
        // max and min keep the column's type (a boolean stays a boolean); sums of integers
        // stay integers.
        let value = match (self.function.as_str(), &value) {
            ("max" | "min", _) | ("sum", Value::Number(_)) => {
                let sql = match &value {
                    Value::Number(n) if n.is_i64() => Sql::Integer(n.as_i64().unwrap_or_default()),
                    Value::Number(n) => Sql::Real(n.as_f64().unwrap_or_default()),
                    Value::String(s) => Sql::Text(s.clone()),
                    _ => Sql::Null,
                };
                codec::to_json(ty, rusqlite::types::ValueRef::from(&sql))
            }
            _ => value,
        };
        Ok(leaf(value))
    }
}
