//! The generated part of a project's schema: Zion's table API for every table of the
//! [`Model`], as Zion's database rules describe it — object, aggregate and mutation response
//! types; list, by-pk and aggregate queries; insert, update and delete mutations; Zion's own
//! operator-first filters with wrapped operands; ordering by columns, to-one relations and
//! to-many aggregates.
//!
//! Names the rules leave open (the input object behind `bigint_operand`, say) follow their
//! pattern: `<table>_<type>_binary_operand_input`, `<table>_<type>_in_operand_input`.

use std::fmt::Write;

use super::functions::{array_functions, functions, Arg, Args, Function, ENUMS};
use super::model::{Model, OpType, TableModel};

/// The SDL of every table's API, to append to the shared Zion SDL.
///
/// ```
/// let model = mock_zion::project::Model::new(&mock_zion::ProjectConfig::default());
/// let sdl = mock_zion::project::sdl::tables_sdl(&model);
/// assert!(sdl.contains("order(where: order_bool_exp, order_by: [order_order_by!]"));
/// assert!(sdl.contains("input order_bool_exp {"));
/// ```
pub fn tables_sdl(model: &Model) -> String {
    let mut out = String::new();
    for (name, values) in ENUMS {
        enum_type(&mut out, name, values.iter().copied());
    }
    let mut query = String::new();
    let mut mutation = String::new();
    for table in model.tables.values() {
        Table { model, t: table }.write(&mut out, &mut query, &mut mutation);
    }
    let _ = write!(out, "\ntype Query {{\n{query}}}\n");
    // Zion serves every query field as a subscription root too (sent again on each change).
    let _ = write!(out, "\nextend type Subscription {{\n{query}}}\n");
    let _ = write!(out, "\nextend type Mutation {{\n{mutation}}}\n");
    out
}

fn enum_type<'a>(out: &mut String, name: &str, values: impl Iterator<Item = &'a str>) {
    let _ = writeln!(out, "\nenum {name} {{");
    for value in values {
        let _ = writeln!(out, "  {value}");
    }
    out.push_str("}\n");
}

struct Table<'m> {
    model: &'m Model,
    t: &'m TableModel,
}

const LIST_ARGS: &str = "where: {t}_bool_exp, order_by: [{t}_order_by!], distinct_on: [{t}_select_column!], offset: Int, limit: Int";

fn list_args(table: &str) -> String {
    LIST_ARGS.replace("{t}", table)
}

impl Table<'_> {
    fn write(&self, out: &mut String, query: &mut String, mutation: &mut String) {
        let t = &self.t.name;
        self.object_type(out);
        self.aggregate_types(out);
        self.enums(out);
        self.bool_exp(out);
        self.operands(out);
        self.order_by(out);
        self.mutation_inputs(out);
        let args = list_args(t);
        let _ = writeln!(
            query,
            "  \"Rows of `{t}` the caller may read.\"\n  {t}({args}): [{t}!]!"
        );
        let _ = writeln!(query, "  \"One `{t}` row by primary key; null when it does not exist or is not the caller's.\"\n  {t}_by_pk(id: bigint!): {t}");
        let _ = writeln!(query, "  \"Aggregates over the `{t}` rows the caller may read.\"\n  {t}_aggregate({args}): {t}_aggregate!");
        let on_conflict = format!("on_conflict: {t}_on_conflict");
        let inc = if self.numeric_mutable() {
            format!(", _inc: {t}_inc_input")
        } else {
            String::new()
        };
        let _ = writeln!(
            mutation,
            "  insert_{t}(objects: [{t}_insert_input!]!, {on_conflict}): {t}_mutation_response"
        );
        let _ = writeln!(
            mutation,
            "  insert_{t}_one(object: {t}_insert_input!, {on_conflict}): {t}"
        );
        let _ = writeln!(
            mutation,
            "  update_{t}(_set: {t}_set_input{inc}, where: {t}_bool_exp!): {t}_mutation_response"
        );
        let _ = writeln!(
            mutation,
            "  update_{t}_by_pk(_set: {t}_set_input{inc}, pk_columns: {t}_pk_columns_input!): {t}"
        );
        let _ = writeln!(
            mutation,
            "  delete_{t}(where: {t}_bool_exp!): {t}_mutation_response"
        );
        let _ = writeln!(mutation, "  delete_{t}_by_pk(id: bigint!): {t}");
    }

    fn numeric_mutable(&self) -> bool {
        self.t.mutable_columns().any(|c| c.ty.is_numeric())
    }

    fn object_type(&self, out: &mut String) {
        let t = &self.t.name;
        let _ = writeln!(out, "\n\"A row of table `{t}`.\"\ntype {t} {{");
        for column in &self.t.columns {
            let bang = if column.name == "id" { "!" } else { "" };
            let _ = writeln!(out, "  {}: {}{bang}", column.name, column.ty.graphql_name());
        }
        for media in &self.t.media {
            let _ = writeln!(out, "  {}: {}", media.name, media.ty.graphql_name());
        }
        for rel in &self.t.relations {
            if rel.many {
                let args = list_args(&rel.table);
                let _ = writeln!(out, "  {}({args}): [{}!]!", rel.name, rel.table);
                let _ = writeln!(
                    out,
                    "  {}_aggregate({args}): {}_aggregate!",
                    rel.name, rel.table
                );
            } else {
                let _ = writeln!(out, "  {}: {}", rel.name, rel.table);
            }
        }
        out.push_str("}\n");
        let _ = writeln!(
            out,
            "\ntype {t}_mutation_response {{\n  affected_rows: Int!\n  returning: [{t}!]!\n}}"
        );
    }

    fn aggregate_types(&self, out: &mut String) {
        let t = &self.t.name;
        let _ = writeln!(
            out,
            "\ntype {t}_aggregate {{\n  nodes: [{t}!]!\n  aggregate: {t}_aggregate_fields\n}}"
        );
        let _ = writeln!(out, "\ntype {t}_aggregate_fields {{\n  count(columns: [{t}_select_column!], distinct: Boolean): Int!");
        for f in ["avg", "sum", "max", "min"] {
            let _ = writeln!(out, "  {f}: {t}_{f}_fields");
        }
        out.push_str("}\n");
        for f in ["avg", "sum", "max", "min"] {
            let _ = writeln!(out, "\ntype {t}_{f}_fields {{");
            for column in self.aggregate_columns(f) {
                let ty = match f {
                    "avg" => "Float8",
                    "sum" if column.ty.op_type() == Some(OpType::Bigint) => "bigint",
                    "sum" => "Decimal",
                    _ => column.ty.graphql_name(),
                };
                let _ = writeln!(out, "  {}: {ty}", column.name);
            }
            out.push_str("}\n");
        }
        let _ = writeln!(out, "\ninput {t}_aggregate_order_by {{\n  count: order_by");
        for f in ["avg", "sum", "max", "min"] {
            let _ = writeln!(out, "  {f}: {t}_{f}_order_by");
        }
        out.push_str("}\n");
        for f in ["avg", "sum", "max", "min"] {
            let _ = writeln!(out, "\ninput {t}_{f}_order_by {{");
            for column in self.aggregate_columns(f) {
                let _ = writeln!(out, "  {}: order_by", column.name);
            }
            out.push_str("}\n");
        }
    }

    fn aggregate_columns(&self, function: &str) -> impl Iterator<Item = &super::model::Column> {
        let numeric = matches!(function, "avg" | "sum");
        self.t.columns.iter().filter(move |c| {
            if numeric {
                c.ty.is_numeric()
            } else {
                c.ty.is_comparable()
            }
        })
    }

    fn enums(&self, out: &mut String) {
        let t = &self.t.name;
        enum_type(
            out,
            &format!("{t}_select_column"),
            self.t.columns.iter().map(|c| c.name.as_str()),
        );
        let mutable: Vec<&str> = self.t.mutable_columns().map(|c| c.name.as_str()).collect();
        // An enum needs a value; Hasura's placeholder keeps `update_columns: []` possible.
        let update = if mutable.is_empty() {
            vec!["_PLACEHOLDER"]
        } else {
            mutable
        };
        enum_type(out, &format!("{t}_update_column"), update.into_iter());
        enum_type(
            out,
            &format!("{t}_constraint"),
            self.t.constraints.iter().map(|c| c.name.as_str()),
        );
        for op in OpType::ALL {
            let columns: Vec<&str> = self.columns_of(op).collect();
            if !columns.is_empty() {
                enum_type(
                    out,
                    &format!("{t}_{}_column_enum", op.name()),
                    columns.into_iter(),
                );
            }
        }
        for op in [OpType::Timestamptz, OpType::Date, OpType::Timetz] {
            enum_type(
                out,
                &format!("{t}_{}_nullary_func", op.name()),
                ["now"].into_iter(),
            );
        }
    }

    fn columns_of(&self, op: OpType) -> impl Iterator<Item = &str> {
        self.t
            .columns
            .iter()
            .filter(move |c| c.ty.op_type() == Some(op))
            .map(|c| c.name.as_str())
    }

    fn bool_exp(&self, out: &mut String) {
        let t = &self.t.name;
        let _ = writeln!(out, "\n\"A filter on `{t}` rows, operator first: {{_eq: {{bigint_operand: {{left_operand: {{column: id}}, right_operand: {{literal: \\\"1\\\"}}}}}}}}.\"\ninput {t}_bool_exp {{");
        let _ = writeln!(
            out,
            "  _and: [{t}_bool_exp!]\n  _or: [{t}_bool_exp!]\n  _not: {t}_bool_exp"
        );
        for rel in &self.t.relations {
            let _ = writeln!(out, "  {}: {}_bool_exp", rel.name, rel.table);
        }
        for op in ["_eq", "_neq", "_gt", "_lt", "_gte", "_lte"] {
            let _ = writeln!(out, "  {op}: {t}_binary_operand_input");
        }
        for op in ["_in", "_nin"] {
            let _ = writeln!(out, "  {op}: {t}_in_or_not_in_operand_input");
        }
        for op in [
            "_like",
            "_nlike",
            "_ilike",
            "_nilike",
            "_similar",
            "_nsimilar",
        ] {
            let _ = writeln!(out, "  {op}: {t}_text_typed_operand_input");
        }
        for op in ["_contains", "_contained_in"] {
            let _ = writeln!(out, "  {op}: {t}_jsonb_typed_operand_input");
        }
        let _ = writeln!(out, "  _has_key: {t}_has_key_operand_input");
        for op in ["_has_keys_any", "_has_keys_all"] {
            let _ = writeln!(out, "  {op}: {t}_has_key_all_or_has_key_any_operand_input");
        }
        for op in ["_is_null", "_is_not_null"] {
            let _ = writeln!(out, "  {op}: {t}_unary_operand_input");
        }
        for op in ["_is_true", "_is_false"] {
            let _ = writeln!(out, "  {op}: {t}_boolean_op");
        }
        out.push_str("}\n");
        let one_of = |out: &mut String, name: String, suffix: &str| {
            let _ = writeln!(out, "\ninput {name} @oneOf {{");
            for op in OpType::ALL {
                let _ = writeln!(out, "  {}_operand: {t}_{}{suffix}", op.name(), op.name());
            }
            out.push_str("}\n");
        };
        one_of(
            out,
            format!("{t}_binary_operand_input"),
            "_binary_operand_input",
        );
        one_of(
            out,
            format!("{t}_in_or_not_in_operand_input"),
            "_in_operand_input",
        );
        one_of(out, format!("{t}_unary_operand_input"), "_op");
        for op in OpType::ALL {
            let o = op.name();
            let _ = writeln!(out, "\ninput {t}_{o}_binary_operand_input {{\n  left_operand: {t}_{o}_op!\n  right_operand: {t}_{o}_op!\n}}");
            let _ = writeln!(out, "\ninput {t}_{o}_in_operand_input {{\n  left_operand: {t}_{o}_op!\n  right_operand: {t}_{o}_array_op!\n}}");
        }
        // Type-specific operators take their operands directly, as Zion's schema listing
        // shows, or wrapped as the walkthrough in Zion's rules writes them
        // (`{_ilike: {text_operand: {left_operand, right_operand}}}`): both are accepted.
        for o in ["text", "jsonb"] {
            let _ = writeln!(out, "\n\"Operands of `{o}` operators: left and right, or both wrapped in `{o}_operand`.\"\ninput {t}_{o}_typed_operand_input {{\n  left_operand: {t}_{o}_op\n  right_operand: {t}_{o}_op\n  {o}_operand: {t}_{o}_binary_operand_input\n}}");
        }
        let _ = writeln!(out, "\ninput {t}_has_key_operand_input {{\n  left_operand: {t}_jsonb_op!\n  right_operand: {t}_text_op!\n}}");
        let _ = writeln!(out, "\ninput {t}_has_key_all_or_has_key_any_operand_input {{\n  left_operand: {t}_jsonb_op!\n  right_operand: {t}_text_array_op!\n}}");
    }

    fn operands(&self, out: &mut String) {
        let t = &self.t.name;
        for op in OpType::ALL {
            let o = op.name();
            let _ = writeln!(
                out,
                "\ninput {t}_{o}_op @oneOf {{\n  literal: {}",
                op.scalar()
            );
            if self.columns_of(op).next().is_some() {
                let _ = writeln!(out, "  column: {t}_{o}_column_enum");
            }
            let _ = writeln!(out, "  conditional: [{t}_{o}_conditional!]");
            if matches!(op, OpType::Timestamptz | OpType::Date | OpType::Timetz) {
                let _ = writeln!(out, "  nullary_func: {t}_{o}_nullary_func");
            }
            let mut arg_types = String::new();
            self.function_fields(out, &mut arg_types, &format!("{t}_{o}_op"), &functions(op));
            out.push_str("}\n");
            let _ = writeln!(out, "\ninput {t}_{o}_array_op @oneOf {{\n  literal: [{}!]\n  conditional: [{t}_{o}_array_conditional!]", op.scalar());
            self.function_fields(
                out,
                &mut arg_types,
                &format!("{t}_{o}_array_op"),
                &array_functions(op),
            );
            out.push_str("}\n");
            out.push_str(&arg_types);
            let _ = writeln!(out, "\ninput {t}_{o}_conditional {{\n  condition: {t}_bool_exp!\n  data: {t}_{o}_op!\n}}");
            let _ = writeln!(out, "\ninput {t}_{o}_array_conditional {{\n  condition: {t}_bool_exp!\n  data: {t}_{o}_array_op!\n}}");
        }
    }

    /// Function fields of an operand type; a function with named arguments gets an input
    /// type of its own, `<operand type>_<function>_args`, written to `arg_types` (after the
    /// operand type closes).
    fn function_fields(
        &self,
        out: &mut String,
        arg_types: &mut String,
        owner: &str,
        functions: &[Function],
    ) {
        for function in functions {
            match function.args {
                Args::One(arg) => {
                    let _ = writeln!(out, "  {}: {}", function.name, self.arg_type(arg));
                }
                Args::Named(args) => {
                    let name = format!("{owner}_{}_args", function.name);
                    let _ = writeln!(out, "  {}: {name}", function.name);
                    let _ = writeln!(arg_types, "\ninput {name} {{");
                    for (arg, ty, required) in args {
                        let bang = if *required { "!" } else { "" };
                        let _ = writeln!(arg_types, "  {arg}: {}{bang}", self.arg_type(*ty));
                    }
                    arg_types.push_str("}\n");
                }
            }
        }
    }

    fn arg_type(&self, arg: Arg) -> String {
        let t = &self.t.name;
        match arg {
            Arg::Op(op) => format!("{t}_{}_op", op.name()),
            Arg::Array(op) => format!("{t}_{}_array_op", op.name()),
            Arg::OpList(op) => format!("[{t}_{}_op!]", op.name()),
            Arg::Enum(name) => name.to_string(),
        }
    }

    fn order_by(&self, out: &mut String) {
        let t = &self.t.name;
        let _ = writeln!(out, "\ninput {t}_order_by {{");
        for column in &self.t.columns {
            let _ = writeln!(out, "  {}: order_by", column.name);
        }
        for rel in &self.t.relations {
            if rel.many {
                let _ = writeln!(
                    out,
                    "  {}_aggregate: {}_aggregate_order_by",
                    rel.name, rel.table
                );
            } else {
                let _ = writeln!(out, "  {}: {}_order_by", rel.name, rel.table);
            }
        }
        out.push_str("}\n");
    }

    fn mutation_inputs(&self, out: &mut String) {
        let t = &self.t.name;
        let _ = writeln!(out, "\ninput {t}_insert_input {{");
        for column in self.t.mutable_columns() {
            let _ = writeln!(out, "  {}: {}", column.name, column.ty.graphql_name());
        }
        for rel in self.t.relations.iter().filter(|r| r.source_side) {
            let kind = if rel.many { "arr" } else { "obj" };
            let _ = writeln!(out, "  {}: {}_{kind}_rel_insert_input", rel.name, rel.table);
        }
        // An input type needs a field: a table of system columns only gets Hasura's placeholder.
        if self.t.mutable_columns().next().is_none()
            && !self.t.relations.iter().any(|r| r.source_side)
        {
            out.push_str("  _PLACEHOLDER: Boolean\n");
        }
        out.push_str("}\n");
        let _ = writeln!(out, "\ninput {t}_arr_rel_insert_input {{\n  data: [{t}_insert_input!]!\n  on_conflict: {t}_on_conflict\n}}");
        let _ = writeln!(out, "\ninput {t}_obj_rel_insert_input {{\n  data: {t}_insert_input!\n  on_conflict: {t}_on_conflict\n}}");
        let _ = writeln!(out, "\ninput {t}_on_conflict {{\n  constraint: {t}_constraint!\n  update_columns: [{t}_update_column!]!\n  where: {t}_bool_exp\n}}");
        let _ = writeln!(out, "\ninput {t}_set_input {{");
        for column in self.t.mutable_columns() {
            let _ = writeln!(out, "  {}: {}", column.name, column.ty.graphql_name());
        }
        if self.t.mutable_columns().next().is_none() {
            out.push_str("  _PLACEHOLDER: Boolean\n");
        }
        out.push_str("}\n");
        if self.numeric_mutable() {
            let _ = writeln!(out, "\ninput {t}_inc_input {{");
            for column in self.t.mutable_columns().filter(|c| c.ty.is_numeric()) {
                let _ = writeln!(out, "  {}: {}", column.name, column.ty.graphql_name());
            }
            out.push_str("}\n");
        }
        let _ = writeln!(out, "\ninput {t}_pk_columns_input {{\n  id: bigint!\n}}");
        let _ = self.model;
    }
}
