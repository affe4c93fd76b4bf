//! wiremock matchers for GraphQL requests, for scenarios that mount their own answer to one
//! operation on top of mock-zion's endpoint (see [`MockZion::override_field`]).
//!
//! They parse the request's document (syntax only: the override may be for an operation
//! mock-zion's schema would refuse) and look at the operation the request selects.
//!
//! [`MockZion::override_field`]: crate::MockZion::override_field
//!
//! ```
//! use mock_zion::matchers::root_field;
//! use wiremock::Match;
//!
//! let body = serde_json::json!({"query": "mutation { alipayTrade(bizContent: {out_trade_no: \"1\", total_amount: 1}, returnUrl: \"x\") }"});
//! let request = wiremock::Request {
//!     url: "http://127.0.0.1/graphql".parse().unwrap(),
//!     method: wiremock::http::Method::POST,
//!     headers: Default::default(),
//!     body: serde_json::to_vec(&body).unwrap(),
//! };
//! assert!(root_field("alipayTrade").matches(&request));
//! assert!(!root_field("createWechatPayment").matches(&request));
//! ```

use apollo_compiler::ast::{Definition, Document, Selection};
use serde_json::Value;
use wiremock::{Match, Request};

/// Matches a GraphQL request whose selected operation has the root field `name`.
pub fn root_field(name: impl Into<String>) -> RootField {
    RootField(name.into())
}

/// Matches a GraphQL request whose selected operation is named `name`.
pub fn operation_name(name: impl Into<String>) -> OperationName {
    OperationName(name.into())
}

/// See [`root_field`].
#[derive(Debug, Clone)]
pub struct RootField(String);

/// See [`operation_name`].
#[derive(Debug, Clone)]
pub struct OperationName(String);

impl Match for RootField {
    fn matches(&self, request: &Request) -> bool {
        with_operation(request, |operation| {
            operation
                .selection_set
                .iter()
                .any(|s| matches!(s, Selection::Field(f) if f.name == self.0.as_str()))
        })
    }
}

impl Match for OperationName {
    fn matches(&self, request: &Request) -> bool {
        with_operation(request, |operation| {
            operation
                .name
                .as_ref()
                .is_some_and(|n| n == self.0.as_str())
        })
    }
}

fn with_operation(
    request: &Request,
    test: impl Fn(&apollo_compiler::ast::OperationDefinition) -> bool,
) -> bool {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return false;
    };
    let Some(query) = body.get("query").and_then(Value::as_str) else {
        return false;
    };
    let wanted = body.get("operationName").and_then(Value::as_str);
    let Ok(document) = Document::parse(query, "query.graphql") else {
        return false;
    };
    let mut operations = document.definitions.iter().filter_map(|d| match d {
        Definition::OperationDefinition(op) => Some(op),
        _ => None,
    });
    match wanted {
        Some(wanted) => {
            operations.any(|op| op.name.as_ref().is_some_and(|n| n == wanted) && test(op))
        }
        None => operations.next().is_some_and(|op| test(op)),
    }
}
