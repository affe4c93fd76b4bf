//! Input checks for the custom scalars Zion's schema uses: `Long`, `bigint`, `BigDecimal`.
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
                        for (key, field_value) in fields {
                            if let Some(field) = input.fields.get(key.as_str()) {
                                let at = if at.is_empty() {
                                    key.clone()
                                } else {
                                    format!("{at}.{key}")
                                };
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
