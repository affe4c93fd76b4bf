//! The GraphQL endpoint: from an HTTP request to a spec-shaped answer.
//!
//! The pipeline, each step refusing with its own error:
//! 1. HTTP: `POST`, a JSON content type, a body under the size limit, a JSON object with a
//!    `query` string, optional `variables` object and `operationName` string.
//! 2. Auth: an `Authorization` header, when present, must be a live Bearer token.
//! 3. Parse and validate the document against the project's schema (apollo-compiler),
//!    with graphql-js compatible messages.
//! 4. Check custom scalar inputs (`Long`, `bigint`, `BigDecimal`) — see [`scalars`].
//! 5. Apply injected faults, then execute with the resolvers in `resolvers.rs`.
//!
//! Errors follow the GraphQL spec (`message`, `locations`, `path`) with a class in
//! `extensions.code`. Request-level failures answer HTTP 200 with `errors` and no `data`, as
//! the GraphQL-over-HTTP spec does for `application/json`; only HTTP-level problems (method,
//! content type, size, malformed JSON) use 4xx statuses.

pub mod scalars;
pub mod schema;
pub mod values;

mod resolvers;
mod table_api;

use std::cell::RefCell;
use std::time::Duration;

use apollo_compiler::executable::{Operation, Selection};
use apollo_compiler::resolvers::Execution;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use serde_json::{json, Map, Value};

use crate::failure::Failure;
use crate::journal::{FieldCall, OperationSummary};
use crate::state::State;
use values::{to_json, Variables};

/// The parts of an HTTP request the endpoint reads.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
}

/// What the endpoint answers, plus what the journal records of it.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: Value,
    /// The operation, when the document was valid.
    pub operation: Option<OperationSummary>,
    /// The variables the request sent.
    pub variables: Value,
    /// How long to hold the answer back (an injected delay).
    pub delay: Duration,
}

impl Answer {
    fn refuse(status: u16, failures: &[Failure]) -> Self {
        let errors: Vec<Value> = failures
            .iter()
            .map(|f| json!({"message": f.message, "extensions": {"code": f.code}}))
            .collect();
        Answer {
            status,
            body: json!({ "errors": errors }),
            operation: None,
            variables: Value::Null,
            delay: Duration::ZERO,
        }
    }
}

/// A project's GraphQL endpoint.
#[derive(Debug)]
pub struct Endpoint {
    schema: std::sync::Arc<Valid<Schema>>,
}

/// An operation parsed and validated against the schema, with its variables.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub document: Valid<ExecutableDocument>,
    pub operation_name: Option<String>,
    /// Its type, name and root fields with their arguments, for the journal.
    pub summary: OperationSummary,
    pub variables: Map<String, Value>,
}

impl Prepared {
    /// `query`, `mutation` or `subscription`.
    pub fn kind(&self) -> &str {
        &self.summary.kind
    }
}

struct Body {
    query: String,
    variables: Map<String, Value>,
    operation_name: Option<String>,
}

impl Endpoint {
    /// An endpoint serving `schema`.
    pub fn new(schema: std::sync::Arc<Valid<Schema>>) -> Self {
        Endpoint { schema }
    }

    /// The schema served.
    pub fn schema(&self) -> &Valid<Schema> {
        &self.schema
    }

    /// The operation a GraphQL request body selects, when it is valid against the schema
    /// (for journaling requests that something else answered).
    pub fn summarize(&self, body: &Value) -> Option<OperationSummary> {
        let query = body.get("query")?.as_str()?;
        let variables = body
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let name = body.get("operationName").and_then(Value::as_str);
        let document =
            ExecutableDocument::parse_and_validate(&self.schema, query, "query.graphql").ok()?;
        let operation = document.operations.get(name).ok()?;
        Some(summarize(&document, operation, &variables))
    }

    /// Answers one request, reading and changing `state`.
    pub fn answer(&self, state: &mut State, request: HttpRequest<'_>) -> Answer {
        let body = match read_body(request, state.config.limits.max_body_bytes) {
            Ok(body) => body,
            Err((status, failure)) => return Answer::refuse(status, &[failure]),
        };
        let variables = Value::Object(body.variables.clone());
        let mut answer = self.answer_body(state, request.authorization, &body);
        answer.variables = variables;
        answer
    }

    fn answer_body(&self, state: &mut State, authorization: Option<&str>, body: &Body) -> Answer {
        let caller = match state.tokens.authenticate(authorization) {
            Ok(caller) => caller,
            Err(failure) => return Answer::refuse(200, &[failure]),
        };
        let prepared = match self.prepare(
            state,
            &body.query,
            &body.variables,
            body.operation_name.as_deref(),
        ) {
            Ok(prepared) => prepared,
            Err(answer) => return *answer,
        };
        if prepared.kind() == "subscription" {
            let path = state.config.subscription_path();
            return Answer {
                operation: Some(prepared.summary),
                ..Answer::refuse(200, &[Failure::new("BAD_REQUEST", format!("a subscription cannot be sent over HTTP POST: open a WebSocket to {path} (sub-protocol graphql-ws or graphql-transport-ws)"))])
            };
        }
        let met = state
            .faults
            .take(prepared.summary.fields.iter().map(|f| f.name.as_str()));
        let mut answer = match met.http_status {
            Some(status) => Answer {
                status,
                body: json!({"errors": [{"message": format!("HTTP {status} (a fault injected by mock-zion)"), "extensions": {"code": "INJECTED_FAULT"}}]}),
                operation: None,
                variables: Value::Null,
                delay: Duration::ZERO,
            },
            None => Answer {
                status: 200,
                body: self.run(state, caller, met.errors, &prepared),
                operation: None,
                variables: Value::Null,
                delay: Duration::ZERO,
            },
        };
        answer.operation = Some(prepared.summary);
        answer.delay = met.delay;
        answer
    }

    /// Parses and validates one operation (document, operation name, variables and custom
    /// scalars), ready to [`Endpoint::run`] — once for a query or mutation, again on every
    /// change for a subscription.
    ///
    /// # Errors
    /// The answer refusing it (`errors`, and the operation when it was found).
    pub(crate) fn prepare(
        &self,
        state: &State,
        query: &str,
        variables: &Map<String, Value>,
        operation_name: Option<&str>,
    ) -> Result<Prepared, Box<Answer>> {
        let document =
            match ExecutableDocument::parse_and_validate(&self.schema, query, "query.graphql") {
                Ok(document) => document,
                Err(invalid) => {
                    return Err(Box::new(self.invalid_document(&invalid.errors, query)))
                }
            };
        let operation = match document.operations.get(operation_name) {
            Ok(operation) => operation,
            Err(_) => {
                let message = match operation_name {
                    Some(name) => format!("Unknown operation named \"{name}\"."),
                    None => "Must provide operation name if query contains multiple operations."
                        .to_string(),
                };
                return Err(Box::new(Answer::refuse(
                    200,
                    &[Failure::new("BAD_REQUEST", message)],
                )));
            }
        };
        let summary = summarize(&document, operation, variables);
        let numeric_strings = state.config.graphql.numeric_strings;
        let scalar_errors = scalars::check_operation(
            &self.schema,
            &document,
            operation,
            variables,
            numeric_strings,
        );
        if !scalar_errors.is_empty() {
            let failures: Vec<Failure> = scalar_errors
                .into_iter()
                .map(|e| Failure::new("BAD_USER_INPUT", e.message))
                .collect();
            return Err(Box::new(Answer {
                operation: Some(summary),
                ..Answer::refuse(200, &failures)
            }));
        }
        let operation_name = operation.name.as_ref().map(|n| n.to_string());
        Ok(Prepared {
            document,
            operation_name,
            summary,
            variables: variables.clone(),
        })
    }

    /// Executes a prepared operation as `caller`; answers the response body
    /// (`data` and/or `errors`). `injected`: GraphQL-error faults, field → message.
    pub(crate) fn run(
        &self,
        state: &mut State,
        caller: Option<i64>,
        injected: Vec<(String, String)>,
        prepared: &Prepared,
    ) -> Value {
        let Ok(operation) = prepared
            .document
            .operations
            .get(prepared.operation_name.as_deref())
        else {
            return json!({"errors": [{"message": "the prepared operation is gone", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]});
        };
        self.execute(
            state,
            caller,
            injected,
            &prepared.document,
            operation,
            &prepared.variables,
        )
    }

    fn execute(
        &self,
        state: &mut State,
        caller: Option<i64>,
        injected: Vec<(String, String)>,
        document: &Valid<ExecutableDocument>,
        operation: &Operation,
        variables: &Map<String, Value>,
    ) -> Value {
        let introspection = state.config.graphql.introspection;
        let model = state.tables.db().model_arc();
        let ctx = resolvers::Context {
            model,
            state: RefCell::new(state),
            caller,
            injected,
            failures: RefCell::new(Vec::new()),
        };
        let root = resolvers::Root {
            ctx: &ctx,
            type_name: operation.object_type().to_string(),
        };
        // Not through serde: with arbitrary-precision numbers a serde round trip turns `1.00`
        // into a map holding serde_json's private number token.
        let variables = match serde_json_bytes::Value::from(Value::Object(variables.clone())) {
            serde_json_bytes::Value::Object(map) => map,
            _ => serde_json_bytes::Map::new(),
        };
        let executed = Execution::new(&self.schema, document)
            .operation(operation)
            .raw_variable_values(&variables)
            .enable_schema_introspection(introspection)
            .execute_sync(&root);
        let mut body = match executed {
            Ok(response) => serde_json::to_value(&response).unwrap_or(Value::Null),
            Err(request_error) => {
                let error = request_error.to_graphql_error(&document.sources);
                let mut error = serde_json::to_value(&error).unwrap_or(Value::Null);
                error["extensions"] = json!({"code": "BAD_USER_INPUT"});
                json!({ "errors": [error] })
            }
        };
        attach_codes(&mut body, &ctx.failures.borrow());
        body
    }
}

fn read_body(request: HttpRequest<'_>, max_bytes: usize) -> Result<Body, (u16, Failure)> {
    let bad = |status, message: String| Err((status, Failure::new("BAD_REQUEST", message)));
    if request.method != "POST" {
        return bad(
            405,
            format!(
                "the GraphQL endpoint takes POST requests, not {}",
                request.method
            ),
        );
    }
    if request.body.len() > max_bytes {
        return bad(
            413,
            format!(
                "the request body is {} bytes; this endpoint takes at most {max_bytes}",
                request.body.len()
            ),
        );
    }
    let content_type = request.content_type.unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return bad(415, format!("the request body must be JSON with Content-Type: application/json, got Content-Type: \"{content_type}\""));
    }
    let json: Value = match serde_json::from_slice(request.body) {
        Ok(json) => json,
        Err(e) => return bad(400, format!("the request body is not valid JSON: {e}")),
    };
    let Value::Object(mut json) = json else {
        return bad(400, "the request body must be a JSON object {\"query\": ..., \"variables\": ..., \"operationName\": ...}".into());
    };
    let query = match json.remove("query") {
        Some(Value::String(query)) => query,
        _ => return bad(400, "the request body needs a \"query\" string".into()),
    };
    let variables = match json.remove("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(variables)) => variables,
        Some(other) => {
            return bad(
                400,
                format!("\"variables\" must be a JSON object, got {other}"),
            )
        }
    };
    let operation_name = match json.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(other) => {
            return bad(
                400,
                format!("\"operationName\" must be a string, got {other}"),
            )
        }
    };
    Ok(Body {
        query,
        variables,
        operation_name,
    })
}

impl Endpoint {
    fn invalid_document(
        &self,
        errors: &apollo_compiler::validation::DiagnosticList,
        query: &str,
    ) -> Answer {
        let errors: Vec<Value> = errors
            .iter()
            .map(|diagnostic| {
                let mut error = serde_json::to_value(diagnostic.to_json()).unwrap_or(Value::Null);
                let text = diagnostic.error.to_string();
                let code = if text.starts_with("syntax error") {
                    "GRAPHQL_PARSE_FAILED"
                } else {
                    "GRAPHQL_VALIDATION_FAILED"
                };
                if let Some(message) = diagnostic.error.unstable_compat_message() {
                    error["message"] = Value::String(message);
                }
                if let Some(hint) = self.hasura_habit(&error, query) {
                    error["message"] = Value::String(hint);
                }
                error["extensions"] = json!({ "code": code });
                error
            })
            .filter(|error| !selection_written(error, query))
            .collect();
        Answer {
            status: 200,
            body: json!({ "errors": errors }),
            operation: None,
            variables: Value::Null,
            delay: Duration::ZERO,
        }
    }

    /// A literal filter written the Hasura way (`where: {id: {_eq: 1}}`) fails validation
    /// with an unknown field of `<table>_bool_exp`; the message then shows Zion's form, with
    /// the operator and value read from the query text at the error's line.
    fn hasura_habit(&self, error: &Value, query: &str) -> Option<String> {
        static UNKNOWN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r#"^Field "(\w+)" is not defined by type "(\w+_bool_exp)""#)
                .expect("valid")
        });
        let captures = UNKNOWN.captures(error["message"].as_str()?)?;
        let (key, input_type) = (&captures[1], &captures[2]);
        // From the error's line on: the first `key: {operator: value}` there.
        let line = error["locations"][0]["line"].as_u64().unwrap_or(1) as usize;
        let rest: String = query
            .lines()
            .skip(line.saturating_sub(1))
            .collect::<Vec<_>>()
            .join("\n");
        let literal = regex::Regex::new(&format!(
            r#"\b{key}\s*:\s*\{{\s*(_\w+)\s*:\s*("[^"]*"|[^\s}},]+)"#
        ))
        .ok()?;
        let value = match literal.captures(&rest) {
            Some(c) => {
                let literal: Value =
                    serde_json::from_str(&c[2]).unwrap_or_else(|_| Value::String(c[2].to_string()));
                json!({ c[1].to_string(): literal })
            }
            None => json!({}),
        };
        scalars::zion_form(&self.schema, input_type, key, &value)
    }
}

/// A "must have a selection of subfields" error for a field the query does give a selection
/// (whose fields are all unknown): apollo-compiler reports it beside the unknown fields, and
/// graphql-js does not; it would be the first, misleading message an app's developer reads.
fn selection_written(error: &Value, query: &str) -> bool {
    let message = error["message"].as_str().unwrap_or_default();
    if !message.contains("must have a selection of subfields") {
        return false;
    }
    let (Some(line), Some(column)) = (
        error["locations"][0]["line"].as_u64(),
        error["locations"][0]["column"].as_u64(),
    ) else {
        return false;
    };
    let Some(text) = query.lines().nth(line as usize - 1) else {
        return false;
    };
    let start: usize = query
        .lines()
        .take(line as usize - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + text
            .char_indices()
            .nth(column as usize - 1)
            .map_or(text.len(), |(i, _)| i);
    let rest = query.get(start..).unwrap_or_default();
    // Past the field's name (and alias) and its arguments, is the next token `{`?
    let mut chars = rest.chars().peekable();
    let mut depth = 0usize;
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let before = std::mem::replace(&mut previous, c);
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '{' if depth == 0 => return true,
            '}' if depth == 0 => return false,
            c if depth == 0 && c.is_whitespace() && before != ':' => {
                // A next field after whitespace means no selection: `a b` vs `a {`
                // (`alias: field` goes on).
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                match chars.peek() {
                    Some('{' | '(' | ':' | '@') => {}
                    _ => return false,
                }
            }
            _ => {}
        }
    }
    false
}

/// The operation's type, name and root fields with their arguments as sent.
fn summarize(
    document: &ExecutableDocument,
    operation: &Operation,
    variables: &Map<String, Value>,
) -> OperationSummary {
    let mut fields = Vec::new();
    let mut pending: Vec<&Selection> = operation.selection_set.selections.iter().collect();
    pending.reverse();
    while let Some(selection) = pending.pop() {
        let nested = match selection {
            Selection::Field(field) => {
                fields.push(FieldCall {
                    name: field.name.to_string(),
                    alias: field.alias.as_ref().map(|a| a.to_string()),
                    arguments: field
                        .arguments
                        .iter()
                        .filter_map(|arg| {
                            let value = to_json(&arg.value, Variables::From(variables))?;
                            Some((arg.name.to_string(), value))
                        })
                        .collect(),
                });
                continue;
            }
            Selection::InlineFragment(inline) => &inline.selection_set,
            Selection::FragmentSpread(spread) => {
                match document.fragments.get(&spread.fragment_name) {
                    Some(fragment) => &fragment.selection_set,
                    None => continue,
                }
            }
        };
        pending.extend(nested.selections.iter().rev());
    }
    OperationSummary {
        kind: operation.operation_type.to_string(),
        name: operation.name.as_ref().map(|n| n.to_string()),
        fields,
    }
}

fn attach_codes(body: &mut Value, failures: &[(String, &'static str)]) {
    let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) else {
        return;
    };
    for error in errors {
        if error.get("extensions").is_some() {
            continue;
        }
        // apollo-compiler prefixes a resolver's message; the app should see ours as is.
        let raw = error["message"].as_str().unwrap_or_default();
        let message = raw
            .strip_prefix("resolver error: ")
            .unwrap_or(raw)
            .to_string();
        let code = failures
            .iter()
            .find(|(m, _)| *m == message)
            .map(|(_, code)| *code)
            .unwrap_or("INTERNAL_SERVER_ERROR");
        error["message"] = Value::String(message);
        error["extensions"] = json!({ "code": code });
    }
}
