//! Input checks apollo-compiler does not make: the custom scalars Zion's schema uses (`Long`,
//! `bigint`, `BigDecimal`), `@oneOf` input objects (Zion's operand wrappers), and filters
//! written the Hasura way (refused with Zion's form).
//!
//! apollo-compiler accepts any value for a custom scalar; Zion's Java backend does not. A
//! string sent for `Long` (an order id taken from a URL and never parsed) or a number sent
//! as text for `BigDecimal` are exactly the integration bugs this mock exists to catch, so
//! they are refused unless the config opts into graphql-java's lenience
//! (`[graphql] numeric_strings = true`). `Json` takes anything.

use apollo_compiler::ast::Type;
use apollo_compiler::executable::{ExecutableDocument, Operation, Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::Schema;
use serde_json::{Map, Value};

use super::values::{to_json, Variables};

/// An integer scalar's value (`Long`, `bigint`) as `i64`, from a JSON integer or, when
/// numeric strings are accepted, from its text.
pub fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::String(text) => text.parse().ok(),
        other => other.as_i64(),
    }
}

/// For a key of a `<table>_bool_exp` that is one of the table's columns (a filter written the
/// Hasura way, `{title: {_eq: "x"}}`), the message that shows Zion's operator-first form.
pub fn zion_form(schema: &Schema, input_type: &str, key: &str, value: &Value) -> Option<String> {
    let table = input_type.strip_suffix("_bool_exp")?;
    let column = schema.get_object(table)?.fields.get(key)?;
    let op = operand_name(column.ty.inner_named_type().as_str())?;
    let (operator, literal) = match value.as_object().and_then(|m| m.iter().next()) {
        Some((operator, Value::String(s))) => (operator.clone(), s.clone()),
        Some((operator, other)) => (operator.clone(), other.to_string()),
        None => ("_eq".to_string(), "…".to_string()),
    };
    Some(format!(
        "Field \"{key}\" is not defined by type \"{input_type}\": Zion filters put the operator first, not the column. Write {{{operator}: {{{op}_operand: {{left_operand: {{column: {key}}}, right_operand: {{literal: \"{literal}\"}}}}}}}} instead of {{{key}: {value}}}."
    ))
}

/// The filter operand type of a column's GraphQL type.
pub fn operand_name(scalar: &str) -> Option<&'static str> {
    Some(match scalar {
        "bigint" | "Int" | "Long" => "bigint",
        "Float" | "Float8" | "Decimal" | "BigDecimal" => "decimal",
        "String" => "text",
        "Boolean" => "boolean",
        "Json" | "jsonb" => "jsonb",
        "geography" => "geo_point",
        "timestamptz" => "timestamptz",
        "timetz" => "timetz",
        "date" => "date",
        _ => return None,
    })
}

/// One value that a custom scalar refuses, with a graphql-js style message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarError {
    /// What is wrong, naming the variable or argument.
    pub message: String,
}

/// Checks every variable value and every literal argument of `operation` whose type is (or
/// contains) `Long`, `bigint` or `BigDecimal`.
pub fn check_operation(
    schema: &Schema,
    document: &ExecutableDocument,
    operation: &Operation,
    variables: &Map<String, Value>,
    numeric_strings: bool,
) -> Vec<ScalarError> {
    let checker = Checker {
        schema,
        numeric_strings,
    };
    let mut errors = Vec::new();
    for definition in &operation.variables {
        if let Some(value) = variables.get(definition.name.as_str()) {
            if let Err(problem) = checker.check(&definition.ty, value, "") {
                errors.push(ScalarError {
                    message: format!(
                        "Variable \"${}\" got invalid value {value}; {problem}",
                        definition.name
                    ),
                });
            }
        }
    }
    checker.check_literals(document, &operation.selection_set, &mut errors, 0);
    errors
}

#[derive(Clone, Copy)]
struct Checker<'a> {
    schema: &'a Schema,
    numeric_strings: bool,
}

impl Checker<'_> {
    fn check_literals(
        &self,
        document: &ExecutableDocument,
        selections: &SelectionSet,
        errors: &mut Vec<ScalarError>,
        depth: usize,
    ) {
        // Fragment cycles are a validation error already; the bound only guards recursion.
        if depth > 64 {
            return;
        }
        for selection in &selections.selections {
            match selection {
                Selection::Field(field) => {
                    for argument in &field.arguments {
                        let Some(definition) = field.definition.argument_by_name(&argument.name)
                        else {
                            continue;
                        };
                        let Some(value) = to_json(&argument.value, Variables::Skip) else {
                            continue;
                        };
                        if let Err(problem) = self.check(&definition.ty, &value, "") {
                            errors.push(ScalarError {
                                message: format!(
                                    "Argument \"{}\" on field \"{}\" has invalid value {value}; {problem}",
                                    argument.name, field.name
                                ),
                            });
                        }
                    }
                    self.check_literals(document, &field.selection_set, errors, depth + 1);
                }
                Selection::InlineFragment(inline) => {
                    self.check_literals(document, &inline.selection_set, errors, depth + 1)
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.fragment_name) {
                        self.check_literals(document, &fragment.selection_set, errors, depth + 1)
                    }
                }
            }
        }
    }

    fn check(&self, ty: &Type, value: &Value, at: &str) -> Result<(), String> {
        match (ty, value) {
            (_, Value::Null) => Ok(()),
            (Type::List(item) | Type::NonNullList(item), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.check(item, v, &format!("{at}[{i}]"))?;
                }
                Ok(())
            }
            // Input coercion turns a single value into a one-item list.
            (Type::List(item) | Type::NonNullList(item), v) => self.check(item, v, at),
            (Type::Named(name) | Type::NonNullNamed(name), v) => {
                match self.schema.types.get(name) {
                    Some(ExtendedType::InputObject(input)) => {
                        let Value::Object(fields) = v else {
                            return Ok(());
                        };
                        // The @oneOf RFC, which apollo-compiler does not check: Zion's
                        // operand wrappers take exactly one key.
                        if input.directives.has("oneOf")
                            && fields.values().filter(|v| !v.is_null()).count() != 1
                        {
                            return Err(format!(
                                "OneOf Input Object \"{name}\" must specify exactly one key{}.",
                                if at.is_empty() {
                                    String::new()
                                } else {
                                    format!(" (at \"{at}\")")
                                }
                            ));
                        }
                        for (key, field_value) in fields {
                            if !input.fields.contains_key(key.as_str()) {
                                if let Some(hint) = zion_form(self.schema, name, key, field_value) {
                                    return Err(hint);
                                }
                            }
                            if let Some(field) = input.fields.get(key.as_str()) {
                                let at = if at.is_empty() {
                                    key.clone()
                                } else {
                                    format!("{at}.{key}")
                                };
                                // Zion's own examples send operand literals as strings
                                // (`{"literal": "1500"}` for a bigint): the platform takes them.
                                if key == "literal" && name.ends_with("_op") {
                                    let lenient = Checker {
                                        numeric_strings: true,
                                        ..*self
                                    };
                                    lenient.check(&field.ty, field_value, &at)?;
                                    continue;
                                }
                                self.check(&field.ty, field_value, &at)?;
                            }
                        }
                        Ok(())
                    }
                    _ => self.check_scalar(name.as_str(), v).map_err(|problem| {
                        if at.is_empty() {
                            problem
                        } else {
                            format!("at \"{at}\": {problem}")
                        }
                    }),
                }
            }
        }
    }

    fn check_scalar(&self, scalar: &str, value: &Value) -> Result<(), String> {
        let integer = match scalar {
            "Long" | "bigint" => true,
            "BigDecimal" => false,
            _ => return Ok(()),
        };
        let fits = match value {
            Value::Number(n) => !integer || n.is_i64(),
            Value::String(s) if self.numeric_strings => {
                if integer {
                    s.parse::<i64>().is_ok()
                } else {
                    serde_json::from_str::<serde_json::Number>(s).is_ok()
                }
            }
            _ => false,
        };
        if fits {
            return Ok(());
        }
        let wanted = if integer {
            "a JSON integer"
        } else {
            "a JSON number"
        };
        let got = match value {
            Value::Number(_) => "a non-integer number",
            Value::String(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
            Value::Null => "null",
        };
        Err(format!("{scalar} cannot represent {got}: send {wanted}."))
    }
}
