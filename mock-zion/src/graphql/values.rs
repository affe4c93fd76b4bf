//! GraphQL literal values as JSON, with variables substituted.
//!
//! Used for the journal (arguments as the app really sent them) and for the custom scalar
//! checks, which see literals and variables alike as JSON.

use apollo_compiler::ast;
use serde_json::{Map, Number, Value};

/// How to treat `$variable` references inside a literal.
#[derive(Debug, Clone, Copy)]
pub enum Variables<'a> {
    /// Substitute from these values; a variable that was not sent is left out.
    From(&'a Map<String, Value>),
    /// Leave every variable out (they are checked on their own).
    Skip,
}

/// Converts a literal to JSON. `None` means "left out": a variable that is skipped or was not
/// sent.
///
/// ```
/// use apollo_compiler::ast::Value as Ast;
/// use mock_zion::graphql::values::{to_json, Variables};
///
/// let vars = serde_json::json!({"n": 5});
/// let list = Ast::List(vec![Ast::Int(7.into()).into(), Ast::Variable(apollo_compiler::name!("n")).into()]);
/// assert_eq!(to_json(&list, Variables::From(vars.as_object().unwrap())), Some(serde_json::json!([7, 5])));
/// ```
pub fn to_json(value: &ast::Value, variables: Variables<'_>) -> Option<Value> {
    Some(match value {
        ast::Value::Null => Value::Null,
        ast::Value::Enum(name) => Value::String(name.to_string()),
        ast::Value::Variable(name) => match variables {
            Variables::From(vars) => vars.get(name.as_str())?.clone(),
            Variables::Skip => return None,
        },
        ast::Value::String(s) => Value::String(s.clone()),
        ast::Value::Float(f) => number(f.as_str()),
        ast::Value::Int(i) => number(i.as_str()),
        ast::Value::Boolean(b) => Value::Bool(*b),
        ast::Value::List(items) => Value::Array(
            items
                .iter()
                .map(|item| to_json(item, variables).unwrap_or(Value::Null))
                .collect(),
        ),
        ast::Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter_map(|(name, v)| Some((name.to_string(), to_json(v, variables)?)))
                .collect(),
        ),
    })
}

/// A field's arguments (variables substituted, defaults applied) as one JSON object.
pub(crate) fn arguments(info: &apollo_compiler::resolvers::ResolveInfo<'_>) -> Value {
    from_apollo(&serde_json_bytes::Value::Object(info.arguments().clone()))
}

/// apollo-compiler's JSON as serde_json's, numbers kept exactly (no serde round trip, which
/// arbitrary-precision numbers do not survive).
pub fn from_apollo(value: &serde_json_bytes::Value) -> Value {
    match value {
        serde_json_bytes::Value::Null => Value::Null,
        serde_json_bytes::Value::Bool(b) => Value::Bool(*b),
        serde_json_bytes::Value::Number(n) => Value::Number(n.clone()),
        serde_json_bytes::Value::String(s) => Value::String(s.as_str().to_string()),
        serde_json_bytes::Value::Array(items) => {
            Value::Array(items.iter().map(from_apollo).collect())
        }
        serde_json_bytes::Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().to_string(), from_apollo(v)))
                .collect(),
        ),
    }
}

/// A number from its GraphQL text, exactly (serde_json keeps arbitrary precision here).
fn number(text: &str) -> Value {
    serde_json::from_str::<Number>(text)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_string()))
}
