//! Reads: Zion's list arguments (`where`, `order_by`, `distinct_on`, `offset`, `limit`) and
//! filters translated to one SQL statement with positional parameters.
//!
//! A filter is Zion's `<table>_bool_exp`: `_and`/`_or`/`_not`, relation names (EXISTS over
//! the related rows), and operator-first predicates whose operands are wrapped
//! (`{literal}`, `{column}`, `{conditional}`, `{nullary_func}` or a function). Every read
//! also carries the caller's read permission for each table it touches.

use rusqlite::types::Value as Sql;
use serde_json::Value;

use super::codec;
use super::ident;
use crate::config::ColumnType;
use crate::failure::Failure;
use crate::project::functions::{array_functions, functions, Arg, Args};
use crate::project::model::RelationField;
use crate::project::{Model, OpType, TableModel};

/// The list arguments of a table query, relation field or aggregate.
#[derive(Debug, Clone, Default)]
pub struct ListArgs {
    /// `where`.
    pub filter: Option<Value>,
    /// `order_by`: a list of `<table>_order_by` objects (or one).
    pub order_by: Option<Value>,
    /// `distinct_on`: column names.
    pub distinct_on: Option<Value>,
    /// `offset`.
    pub offset: Option<i64>,
    /// `limit`.
    pub limit: Option<i64>,
}

impl ListArgs {
    /// The list arguments among a field's arguments.
    pub fn from_arguments(args: &Value) -> ListArgs {
        let get = |key: &str| args.get(key).filter(|v| !v.is_null()).cloned();
        ListArgs {
            filter: get("where"),
            order_by: get("order_by"),
            distinct_on: get("distinct_on"),
            offset: get("offset").and_then(|v| v.as_i64()),
            limit: get("limit").and_then(|v| v.as_i64()),
        }
    }
}

/// Who is reading or writing, for row permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The account id, `None` for the anonymous role.
    pub account: Option<i64>,
}

/// Builds one SQL statement and its parameters.
pub struct Builder<'m> {
    model: &'m Model,
    caller: Caller,
    /// Parameters for the statement's `?`s, in order.
    pub params: Vec<Sql>,
    aliases: usize,
}

fn bad(message: impl Into<String>) -> Failure {
    Failure::new("BAD_USER_INPUT", message)
}

/// The one key of a `@oneOf` input object.
fn one_of<'v>(value: &'v Value, what: &str) -> Result<(&'v str, &'v Value), Failure> {
    let Some(map) = value.as_object() else {
        return Err(bad(format!("{what} must be an object, got {value}")));
    };
    let mut set = map.iter().filter(|(_, v)| !v.is_null());
    match (set.next(), set.next()) {
        (Some((key, value)), None) => Ok((key.as_str(), value)),
        _ => Err(bad(format!(
            "{what} must have exactly one key, got {value}"
        ))),
    }
}

impl<'m> Builder<'m> {
    /// A builder reading as `caller`.
    pub fn new(model: &'m Model, caller: Caller) -> Self {
        Builder {
            model,
            caller,
            params: Vec::new(),
            aliases: 0,
        }
    }

    /// Who is reading.
    pub fn caller(&self) -> Caller {
        self.caller
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("a{}", self.aliases)
    }

    fn param(&mut self, value: Sql) -> &'static str {
        self.params.push(value);
        "?"
    }

    fn table(&self, name: &str) -> Result<&'m TableModel, Failure> {
        self.model
            .table(name)
            .ok_or_else(|| bad(format!("there is no table `{name}` in this project")))
    }

    /// The rows of `table` the caller may read, as an SQL condition on `alias`.
    pub fn read_scope(&mut self, table: &TableModel, alias: &str) -> String {
        if table.public {
            return "1".into();
        }
        match (self.caller.account, &table.owner) {
            (None, _) => "0".into(),
            (Some(_), None) => "1".into(),
            (Some(account), Some(owner)) => {
                format!(
                    "{alias}.{} = {}",
                    ident(owner),
                    self.param(Sql::Integer(account))
                )
            }
        }
    }

    /// `SELECT alias.* FROM table AS alias WHERE <read scope> AND <where> [AND extra] ORDER BY
    /// … LIMIT … OFFSET …`, `distinct_on` kept as the first row of each group in order.
    ///
    /// # Errors
    /// A filter, order or `distinct_on` that does not fit the table.
    pub fn select(
        &mut self,
        table: &TableModel,
        args: &ListArgs,
        join: Option<(&str, Sql)>,
    ) -> Result<String, Failure> {
        let alias = self.alias();
        let mut sql = format!(
            "SELECT {alias}.* FROM {} AS {alias} WHERE ",
            ident(&table.name)
        );
        if let Some(distinct) = &args.distinct_on {
            let columns = self.distinct_columns(table, distinct, args.order_by.as_ref())?;
            let inner = self.alias();
            let condition = self.conditions(table, &inner, args, join.clone())?;
            let mut order = self.order_by(table, &inner, args.order_by.as_ref())?;
            order.push(format!("{inner}.\"id\""));
            let partition: Vec<String> = columns
                .iter()
                .map(|c| format!("{inner}.{}", ident(c)))
                .collect();
            sql.push_str(&format!(
                "{alias}.\"id\" IN (SELECT id FROM (SELECT {inner}.\"id\" AS id, ROW_NUMBER() OVER (PARTITION BY {} ORDER BY {}) AS zion_rank FROM {} AS {inner} WHERE {condition}) WHERE zion_rank = 1)",
                partition.join(", "),
                order.join(", "),
                ident(&table.name)
            ));
        } else {
            let condition = self.conditions(table, &alias, args, join)?;
            sql.push_str(&condition);
        }
        let mut order = self.order_by(table, &alias, args.order_by.as_ref())?;
        order.push(format!("{alias}.\"id\""));
        sql.push_str(&format!(" ORDER BY {}", order.join(", ")));
        let limit = args.limit.unwrap_or(-1);
        if limit < -1 || args.offset.is_some_and(|o| o < 0) {
            return Err(bad("limit and offset must not be negative"));
        }
        sql.push_str(&format!(
            " LIMIT {limit} OFFSET {}",
            args.offset.unwrap_or(0)
        ));
        Ok(sql)
    }

    fn conditions(
        &mut self,
        table: &TableModel,
        alias: &str,
        args: &ListArgs,
        join: Option<(&str, Sql)>,
    ) -> Result<String, Failure> {
        let mut parts = vec![self.read_scope(table, alias)];
        if let Some((column, value)) = join {
            parts.push(format!("{alias}.{} = {}", ident(column), self.param(value)));
        }
        if let Some(filter) = &args.filter {
            parts.push(self.bool_exp(table, alias, filter)?);
        }
        Ok(parts.join(" AND "))
    }

    fn distinct_columns(
        &self,
        table: &TableModel,
        distinct: &Value,
        order_by: Option<&Value>,
    ) -> Result<Vec<String>, Failure> {
        let columns: Vec<String> = as_list(distinct)
            .iter()
            .filter_map(|c| c.as_str().map(String::from))
            .collect();
        if let Some(unknown) = columns.iter().find(|c| table.column(c).is_none()) {
            return Err(bad(format!(
                "distinct_on: `{unknown}` is not a column of `{}`",
                table.name
            )));
        }
        // PostgreSQL's rule: the DISTINCT ON expressions must match the leftmost ORDER BY ones.
        if let Some(order_by) = order_by {
            let leading: Vec<String> = as_list(order_by)
                .iter()
                .filter_map(|v| v.as_object())
                .flat_map(|o| o.keys().cloned())
                .take(columns.len())
                .collect();
            let mut a = leading.clone();
            let mut b = columns.clone();
            a.sort();
            b.sort();
            if a != b {
                return Err(bad(format!(
                    "\"distinct_on\" columns must match initial \"order_by\" columns: distinct_on {columns:?}, order_by starts with {leading:?}"
                )));
            }
        }
        Ok(columns)
    }

    /// `ORDER BY` terms for `order_by` (PostgreSQL's defaults: ascending puts NULLs last,
    /// descending first).
    fn order_by(
        &mut self,
        table: &TableModel,
        alias: &str,
        order_by: Option<&Value>,
    ) -> Result<Vec<String>, Failure> {
        let mut terms = Vec::new();
        let Some(order_by) = order_by else {
            return Ok(terms);
        };
        for item in as_list(order_by) {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, direction) in item {
                if direction.is_null() {
                    continue;
                }
                self.order_term(table, alias, key, direction, &mut terms)?;
            }
        }
        Ok(terms)
    }

    fn order_term(
        &mut self,
        table: &TableModel,
        alias: &str,
        key: &str,
        direction: &Value,
        terms: &mut Vec<String>,
    ) -> Result<(), Failure> {
        if table.column(key).is_some() {
            terms.push(format!(
                "{alias}.{} {}",
                ident(key),
                direction_sql(direction)?
            ));
            return Ok(());
        }
        if let Some(rel) = table.relation(key).filter(|r| !r.many) {
            let target = self.table(&rel.table)?;
            let Some(inner) = direction.as_object() else {
                return Err(bad(format!(
                    "order_by.{key} must be a `{}_order_by` object",
                    rel.table
                )));
            };
            for (column, dir) in inner {
                if dir.is_null() {
                    continue;
                }
                if target.column(column).is_none() {
                    return Err(bad(format!(
                        "order_by.{key}: `{column}` is not a column of `{}`",
                        rel.table
                    )));
                }
                let r = self.alias();
                let scope = self.read_scope(target, &r);
                terms.push(format!(
                    "(SELECT {r}.{} FROM {} AS {r} WHERE {r}.{} = {alias}.{} AND {scope}) {}",
                    ident(column),
                    ident(&target.name),
                    ident(&rel.remote_column),
                    ident(&rel.local_column),
                    direction_sql(dir)?
                ));
            }
            return Ok(());
        }
        if let Some(rel) = key
            .strip_suffix("_aggregate")
            .and_then(|name| table.relation(name))
            .filter(|r| r.many)
        {
            let target = self.table(&rel.table)?;
            let Some(inner) = direction.as_object() else {
                return Err(bad(format!("order_by.{key} must be an aggregate order")));
            };
            for (function, spec) in inner {
                if spec.is_null() {
                    continue;
                }
                let r = self.alias();
                let scope = self.read_scope(target, &r);
                let from = format!(
                    "FROM {} AS {r} WHERE {r}.{} = {alias}.{} AND {scope}",
                    ident(&target.name),
                    ident(&rel.remote_column),
                    ident(&rel.local_column)
                );
                if function == "count" {
                    terms.push(format!("(SELECT count(*) {from}) {}", direction_sql(spec)?));
                    continue;
                }
                let Some(columns) = spec.as_object() else {
                    continue;
                };
                for (column, dir) in columns {
                    if dir.is_null() {
                        continue;
                    }
                    terms.push(format!(
                        "(SELECT {function}({r}.{}) {from}) {}",
                        ident(column),
                        direction_sql(dir)?
                    ));
                }
            }
            return Ok(());
        }
        Err(bad(format!(
            "order_by: `{key}` is not a column or relation of `{}`",
            table.name
        )))
    }

    /// A `<table>_bool_exp` as an SQL condition on the row `alias`.
    ///
    /// # Errors
    /// A shape the schema would not allow (reaching here only when validation was bypassed).
    pub fn bool_exp(
        &mut self,
        table: &TableModel,
        alias: &str,
        exp: &Value,
    ) -> Result<String, Failure> {
        let Some(map) = exp.as_object() else {
            return Err(bad(format!(
                "a `{}_bool_exp` must be an object, got {exp}",
                table.name
            )));
        };
        let mut parts = Vec::new();
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            parts.push(self.predicate(table, alias, key, value)?);
        }
        Ok(if parts.is_empty() {
            "1".into()
        } else {
            format!("({})", parts.join(" AND "))
        })
    }

    fn predicate(
        &mut self,
        table: &TableModel,
        alias: &str,
        key: &str,
        value: &Value,
    ) -> Result<String, Failure> {
        let binary = |op: &str| -> Option<&'static str> {
            Some(match op {
                "_eq" => "=",
                "_neq" => "<>",
                "_gt" => ">",
                "_lt" => "<",
                "_gte" => ">=",
                "_lte" => "<=",
                _ => return None,
            })
        };
        match key {
            "_and" | "_or" => {
                let joiner = if key == "_and" { " AND " } else { " OR " };
                let mut parts = Vec::new();
                for item in as_list(value) {
                    parts.push(self.bool_exp(table, alias, item)?);
                }
                Ok(if parts.is_empty() {
                    // An empty _and is true and an empty _or false, as in Hasura.
                    (if key == "_and" { "1" } else { "0" }).into()
                } else {
                    format!("({})", parts.join(joiner))
                })
            }
            "_not" => Ok(format!("(NOT {})", self.bool_exp(table, alias, value)?)),
            op if binary(op).is_some() => {
                let (wrapper, operands) = one_of(value, op)?;
                let ty = operand_type(wrapper)?;
                let (l, r) = self.pair(table, alias, ty, operands, ty)?;
                Ok(format!("({l} {} {r})", binary(op).unwrap_or("=")))
            }
            "_in" | "_nin" => {
                let (wrapper, operands) = one_of(value, key)?;
                let ty = operand_type(wrapper)?;
                let l = self.operand(table, alias, ty, &operands["left_operand"])?;
                let r = self.array_operand(table, alias, ty, &operands["right_operand"])?;
                let not = if key == "_nin" { "NOT " } else { "" };
                Ok(format!("({l} {not}IN (SELECT value FROM json_each({r})))"))
            }
            "_like" | "_nlike" | "_ilike" | "_nilike" => {
                let (l, r) = self.pair(table, alias, OpType::Text, value, OpType::Text)?;
                let not = if key.starts_with("_n") { "NOT " } else { "" };
                Ok(if key.contains("ilike") {
                    format!("(lower({l}) {not}LIKE lower({r}) ESCAPE '\\')")
                } else {
                    format!("({l} {not}LIKE {r} ESCAPE '\\')")
                })
            }
            "_similar" | "_nsimilar" => {
                let (l, r) = self.pair(table, alias, OpType::Text, value, OpType::Text)?;
                let not = if key == "_nsimilar" { "NOT " } else { "" };
                Ok(format!("({l} {not}REGEXP {r})"))
            }
            "_contains" | "_contained_in" => {
                let (l, r) = self.pair(table, alias, OpType::Jsonb, value, OpType::Jsonb)?;
                let (a, b) = if key == "_contains" { (l, r) } else { (r, l) };
                Ok(format!("zion_json_contains({a}, {b})"))
            }
            "_has_key" => {
                let (l, r) = self.pair(table, alias, OpType::Jsonb, value, OpType::Text)?;
                Ok(format!(
                    "(json_type({l}, '$.' || json_quote({r})) IS NOT NULL)"
                ))
            }
            "_has_keys_any" | "_has_keys_all" => {
                let l = self.operand(table, alias, OpType::Jsonb, &value["left_operand"])?;
                let r = self.array_operand(table, alias, OpType::Text, &value["right_operand"])?;
                Ok(if key == "_has_keys_any" {
                    format!("EXISTS (SELECT 1 FROM json_each({r}) AS k WHERE json_type({l}, '$.' || json_quote(k.value)) IS NOT NULL)")
                } else {
                    format!("NOT EXISTS (SELECT 1 FROM json_each({r}) AS k WHERE json_type({l}, '$.' || json_quote(k.value)) IS NULL)")
                })
            }
            "_is_null" | "_is_not_null" => {
                let (wrapper, operand) = one_of(value, key)?;
                let x = self.operand(table, alias, operand_type(wrapper)?, operand)?;
                let not = if key == "_is_not_null" { "NOT " } else { "" };
                Ok(format!("({x} IS {not}NULL)"))
            }
            "_is_true" | "_is_false" => {
                let x = self.operand(table, alias, OpType::Boolean, value)?;
                Ok(format!(
                    "({x} IS {})",
                    if key == "_is_true" { "TRUE" } else { "FALSE" }
                ))
            }
            relation => match table.relation(relation) {
                Some(rel) => self.relation_filter(alias, rel, value),
                None => Err(bad(hasura_habit(table, relation, value))),
            },
        }
    }

    fn relation_filter(
        &mut self,
        alias: &str,
        rel: &RelationField,
        exp: &Value,
    ) -> Result<String, Failure> {
        let target = self.table(&rel.table)?;
        let r = self.alias();
        let scope = self.read_scope(target, &r);
        let inner = self.bool_exp(target, &r, exp)?;
        Ok(format!(
            "EXISTS (SELECT 1 FROM {} AS {r} WHERE {r}.{} = {alias}.{} AND {scope} AND {inner})",
            ident(&target.name),
            ident(&rel.remote_column),
            ident(&rel.local_column)
        ))
    }

    fn pair(
        &mut self,
        table: &TableModel,
        alias: &str,
        left: OpType,
        operands: &Value,
        right: OpType,
    ) -> Result<(String, String), Failure> {
        // A type-specific operator's operands may come wrapped (`{text_operand: {…}}`).
        let wrapped = format!("{}_operand", left.name());
        let operands = match operands.get(&wrapped).filter(|w| !w.is_null()) {
            Some(inner) => inner,
            None => operands,
        };
        if operands["left_operand"].is_null() || operands["right_operand"].is_null() {
            return Err(bad(format!(
                "give left_operand and right_operand, or {wrapped} holding both; got {operands}"
            )));
        }
        let l = self.operand(table, alias, left, &operands["left_operand"])?;
        let r = self.operand(table, alias, right, &operands["right_operand"])?;
        Ok((l, r))
    }

    /// A single value operand (`<table>_<type>_op`) as an SQL expression.
    ///
    /// # Errors
    /// An operand that names an unknown column or function.
    pub fn operand(
        &mut self,
        table: &TableModel,
        alias: &str,
        ty: OpType,
        op: &Value,
    ) -> Result<String, Failure> {
        let (key, arg) = one_of(op, &format!("a `{}_{}_op` operand", table.name, ty.name()))?;
        match key {
            "literal" => self.literal(ty, arg),
            "column" => {
                let name = arg.as_str().unwrap_or_default();
                match table.column(name) {
                    Some(c) if c.ty.op_type() == Some(ty) => Ok(format!("{alias}.{}", ident(name))),
                    _ => Err(bad(format!(
                        "`{name}` is not a {} column of `{}`",
                        ty.name(),
                        table.name
                    ))),
                }
            }
            "conditional" => self.conditional(table, alias, arg, |b, data| {
                b.operand(table, alias, ty, data)
            }),
            "nullary_func" => Ok(match ty {
                OpType::Timestamptz => "strftime('%Y-%m-%dT%H:%M:%fZ', zion_now())",
                OpType::Date => "date(zion_now())",
                _ => "strftime('%H:%M:%fZ', zion_now())",
            }
            .into()),
            name => {
                let function = functions(ty)
                    .into_iter()
                    .find(|f| f.name == name)
                    .ok_or_else(|| {
                        bad(format!(
                            "`{name}` is not a function of `{}_{}_op`",
                            table.name,
                            ty.name()
                        ))
                    })?;
                let args = self.function_args(table, alias, function.args, arg)?;
                Ok(function_sql(ty, name, &args))
            }
        }
    }

    /// An array operand as an SQL expression yielding a JSON array.
    fn array_operand(
        &mut self,
        table: &TableModel,
        alias: &str,
        ty: OpType,
        op: &Value,
    ) -> Result<String, Failure> {
        let (key, arg) = one_of(
            op,
            &format!("a `{}_{}_array_op` operand", table.name, ty.name()),
        )?;
        match key {
            "literal" => {
                let mut items = Vec::new();
                for item in as_list(arg) {
                    let value = match literal_value(ty, item)? {
                        Sql::Integer(i) => Value::from(i),
                        Sql::Real(f) => Value::from(f),
                        Sql::Text(t) if matches!(ty, OpType::Jsonb | OpType::GeoPoint) => {
                            serde_json::from_str(&t).unwrap_or(Value::Null)
                        }
                        Sql::Text(t) => Value::String(t),
                        _ => Value::Null,
                    };
                    items.push(value);
                }
                Ok(format!(
                    "json({})",
                    self.param(Sql::Text(Value::Array(items).to_string()))
                ))
            }
            "conditional" => self.conditional(table, alias, arg, |b, data| {
                b.array_operand(table, alias, ty, data)
            }),
            name => {
                let function = array_functions(ty)
                    .into_iter()
                    .find(|f| f.name == name)
                    .ok_or_else(|| {
                        bad(format!(
                            "`{name}` is not a function of `{}_{}_array_op`",
                            table.name,
                            ty.name()
                        ))
                    })?;
                let args = self.function_args(table, alias, function.args, arg)?;
                Ok(match name {
                    "split" => format!("zion_split({}, {})", args[0], args[1]),
                    _ => format!(
                        "(SELECT json_group_array(value) FROM (SELECT value FROM json_each({}) LIMIT {} OFFSET {}))",
                        args[0], args[2], args[1]
                    ),
                })
            }
        }
    }

    fn conditional(
        &mut self,
        table: &TableModel,
        alias: &str,
        branches: &Value,
        mut data: impl FnMut(&mut Self, &Value) -> Result<String, Failure>,
    ) -> Result<String, Failure> {
        let mut sql = String::from("(CASE");
        for branch in as_list(branches) {
            let condition = self.bool_exp(table, alias, &branch["condition"])?;
            let value = data(self, &branch["data"])?;
            sql.push_str(&format!(" WHEN {condition} THEN {value}"));
        }
        sql.push_str(" END)");
        Ok(sql)
    }

    /// The SQL of each argument, in the function's declared order (a missing optional
    /// argument is `NULL`).
    fn function_args(
        &mut self,
        table: &TableModel,
        alias: &str,
        args: Args,
        value: &Value,
    ) -> Result<Vec<String>, Failure> {
        match args {
            Args::One(arg) => Ok(vec![self.arg(table, alias, arg, value)?]),
            Args::Named(named) => {
                let mut out = Vec::new();
                for (name, arg, _) in named {
                    match value.get(*name).filter(|v| !v.is_null()) {
                        Some(v) => out.push(self.arg(table, alias, *arg, v)?),
                        None => out.push("NULL".into()),
                    }
                }
                Ok(out)
            }
        }
    }

    fn arg(
        &mut self,
        table: &TableModel,
        alias: &str,
        arg: Arg,
        value: &Value,
    ) -> Result<String, Failure> {
        match arg {
            Arg::Op(ty) => self.operand(table, alias, ty, value),
            Arg::Array(ty) => self.array_operand(table, alias, ty, value),
            Arg::OpList(ty) => {
                let mut parts = Vec::new();
                for item in as_list(value) {
                    parts.push(self.operand(table, alias, ty, item)?);
                }
                Ok(format!("({})", parts.join(" || ")))
            }
            Arg::Enum(_) => Ok(value.as_str().unwrap_or_default().to_string()),
        }
    }

    fn literal(&mut self, ty: OpType, value: &Value) -> Result<String, Failure> {
        let sql = literal_value(ty, value)?;
        Ok(match ty {
            OpType::Jsonb | OpType::GeoPoint => format!("json({})", self.param(sql)),
            _ => self.param(sql).to_string(),
        })
    }
}

fn column_type_of(ty: OpType) -> ColumnType {
    match ty {
        OpType::Bigint => ColumnType::Bigint,
        OpType::Decimal => ColumnType::Decimal,
        OpType::Text => ColumnType::String,
        OpType::Boolean => ColumnType::Boolean,
        OpType::Jsonb => ColumnType::Jsonb,
        OpType::GeoPoint => ColumnType::Geography,
        OpType::Timestamptz => ColumnType::Timestamptz,
        OpType::Timetz => ColumnType::Timetz,
        OpType::Date => ColumnType::Date,
    }
}

/// A literal's SQL value. Numbers may come as strings, as Zion's own examples send them
/// (`{"literal": "1500"}`).
fn literal_value(ty: OpType, value: &Value) -> Result<Sql, Failure> {
    codec::to_sql(column_type_of(ty), value, true).map_err(|m| {
        bad(format!(
            "the literal {value} is not a {} ({})",
            ty.name(),
            m.0
        ))
    })
}

fn operand_type(wrapper: &str) -> Result<OpType, Failure> {
    wrapper
        .strip_suffix("_operand")
        .and_then(OpType::from_name)
        .ok_or_else(|| {
            bad(format!(
                "`{wrapper}` is not an operand type (bigint_operand, text_operand, …)"
            ))
        })
}

fn direction_sql(direction: &Value) -> Result<&'static str, Failure> {
    Ok(match direction.as_str().unwrap_or_default() {
        "asc" | "asc_nulls_last" => "ASC NULLS LAST",
        "asc_nulls_first" => "ASC NULLS FIRST",
        "desc" | "desc_nulls_first" => "DESC NULLS FIRST",
        "desc_nulls_last" => "DESC NULLS LAST",
        other => return Err(bad(format!("`{other}` is not an order_by direction"))),
    })
}

/// A value that may be one item or a list of them (GraphQL's input list coercion).
pub fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// The message for a filter key that is neither an operator nor a relation: usually a
/// column name written the Hasura way, which Zion does not accept.
pub fn hasura_habit(table: &TableModel, key: &str, value: &Value) -> String {
    if let Some(column) = table.column(key) {
        let op = value
            .as_object()
            .and_then(|m| m.keys().next().cloned())
            .unwrap_or_else(|| "_eq".into());
        let ty = column.ty.op_type().map(OpType::name).unwrap_or("bigint");
        let literal = value
            .as_object()
            .and_then(|m| m.values().next())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "…".into());
        format!(
            "Zion filters put the operator first, not the column: write {{{op}: {{{ty}_operand: {{left_operand: {{column: {key}}}, right_operand: {{literal: \"{literal}\"}}}}}}}} instead of {{{key}: {value}}}"
        )
    } else {
        format!(
            "`{key}` is not an operator, column or relation of `{}`",
            table.name
        )
    }
}

fn function_sql(ty: OpType, name: &str, a: &[String]) -> String {
    let extract = |time: &str, unit: &str| -> String {
        let format = match unit {
            "YEAR" => "%Y",
            "MONTH" => "%m",
            "DAY" => "%d",
            "HOUR" => "%H",
            "MINUTE" => "%M",
            "SECOND" => "%S",
            _ => return format!("(CAST(round(strftime('%f', {time}) * 1000) AS INTEGER) % 1000)"),
        };
        format!("CAST(strftime('{format}', {time}) AS INTEGER)")
    };
    let json_path =
        |json: &str, path: &str, arrow: &str| format!("({json} {arrow} ('$.' || {path}))");
    let arrow = if ty == OpType::Jsonb { "->" } else { "->>" };
    match name {
        "concat" | "cast_from_date" | "cast_from_timestamptz" if ty == OpType::Text => a[0].clone(),
        "lower" | "upper" | "abs" => format!("{name}({})", a[0]),
        "substring" => format!("substr({}, ({}) + 1, ({}) - ({}))", a[0], a[1], a[2], a[1]),
        "left" => format!("substr({}, 1, {})", a[0], a[1]),
        "right" => format!("substr({0}, max(length({0}) - ({1}), 0) + 1)", a[0], a[1]),
        "join" => format!(
            "(SELECT group_concat(value, {}) FROM json_each({}))",
            a[1], a[0]
        ),
        "cast_from_bigint" if ty == OpType::Text => format!("CAST({} AS TEXT)", a[0]),
        "cast_from_decimal" if ty == OpType::Text => format!("CAST({} AS TEXT)", a[0]),
        "cast_from_boolean" => {
            format!("(CASE {} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)", a[0])
        }
        "cast_from_jsonb" => format!("json({})", a[0]),
        "string_len" => format!("length({})", a[0]),
        "position" => format!("instr({}, {})", a[0], a[1]),
        "round_up" => format!(
            "(CAST({0} AS INTEGER) + ({0} > CAST({0} AS INTEGER)))",
            a[0]
        ),
        "round_down" => format!(
            "(CAST({0} AS INTEGER) - ({0} < CAST({0} AS INTEGER)))",
            a[0]
        ),
        "cast_from_decimal" => format!("CAST({} AS INTEGER)", a[0]),
        "cast_from_bigint" => format!("CAST({} AS REAL)", a[0]),
        "extract_timestamptz" | "extract_date" => extract(&a[0], &a[1]),
        "extract_timestamptz_duration" => {
            let seconds = format!("((julianday({}) - julianday({})) * 86400.0)", a[1], a[0]);
            let months = format!(
                "((CAST(strftime('%Y', {e}) AS INTEGER) - CAST(strftime('%Y', {s}) AS INTEGER)) * 12 + CAST(strftime('%m', {e}) AS INTEGER) - CAST(strftime('%m', {s}) AS INTEGER))",
                s = a[0],
                e = a[1]
            );
            match a[2].as_str() {
                "YEAR" => format!("({months} / 12)"),
                "MONTH" => months,
                "DAY" => format!("CAST({seconds} / 86400 AS INTEGER)"),
                "HOUR" => format!("CAST({seconds} / 3600 AS INTEGER)"),
                "MINUTE" => format!("CAST({seconds} / 60 AS INTEGER)"),
                "SECOND" => format!("CAST({seconds} AS INTEGER)"),
                _ => format!("CAST(round({seconds} * 1000) AS INTEGER)"),
            }
        }
        "add" => format!("({} + {})", a[0], a[1]),
        "subtract" => format!("({} - {})", a[0], a[1]),
        "multiply" => format!("({} * {})", a[0], a[1]),
        "divide" if ty == OpType::Decimal => format!("(CAST({} AS REAL) / {})", a[0], a[1]),
        "divide" => format!("({} / {})", a[0], a[1]),
        "modulo" => format!("({} % {})", a[0], a[1]),
        "contains" => format!("(instr({}, {}) > 0)", a[0], a[1]),
        "json_extract_by_dot_notation_jsonpath" => json_path(&a[0], &a[1], arrow),
        "max" | "min" => format!("{name}({}, {})", a[0], a[1]),
        "item" => format!("({} {arrow} ('$[' || ({}) || ']'))", a[0], a[1]),
        "first_item" => format!("({} {arrow} '$[0]')", a[0]),
        "last_item" => format!("({} {arrow} '$[#-1]')", a[0]),
        "adjust" => {
            let (base, units): (&str, &[&str]) = if ty == OpType::Date {
                ("date", &["years", "months", "days"])
            } else {
                (
                    "strftime('%Y-%m-%dT%H:%M:%fZ'",
                    &[
                        "years",
                        "months",
                        "days",
                        "hours",
                        "minutes",
                        "seconds",
                        "milliseconds",
                    ],
                )
            };
            let sign = format!("(CASE WHEN {} THEN '+' ELSE '-' END)", a[1]);
            let mut modifiers = Vec::new();
            for (i, unit) in units.iter().enumerate() {
                let amount = &a[i + 2];
                if amount == "NULL" {
                    continue;
                }
                modifiers.push(match *unit {
                    "milliseconds" => format!("{sign} || (({amount}) / 1000.0) || ' seconds'"),
                    unit => format!("{sign} || ({amount}) || ' {unit}'"),
                });
            }
            let modifiers: String = modifiers.iter().map(|m| format!(", {m}")).collect();
            if ty == OpType::Date {
                format!("{base}({}{modifiers})", a[0])
            } else {
                format!("{base}, {}{modifiers})", a[0])
            }
        }
        "cast_from_timestamptz" if ty == OpType::Date => format!("date({})", a[0]),
        "cast_from_timestamptz" => format!("strftime('%H:%M:%fZ', {})", a[0]),
        _ => "NULL".into(),
    }
}
