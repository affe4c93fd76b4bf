//! The journal: every request a mock instance received, what it meant and what was answered.
//!
//! Steps assert on it ("the app called `alipayTrade` once, after `fz_invoke_action_flow`,
//! with `returnUrl` = the page origin"); people read it at `GET /__mock/journal` and in
//! failure reports. GraphQL requests are recorded with their parsed operation: its type, its
//! name, and each root field with its arguments after variable substitution.

use std::collections::BTreeMap;
use std::time::{Instant, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{Map, Value};

/// What kind of endpoint a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The GraphQL endpoint.
    Graphql,
    /// A scenario's override mock for one GraphQL operation.
    Override,
    /// The control API under `/__mock/`.
    Control,
    /// A CORS preflight.
    Preflight,
    /// A client message on the subscription socket: `connection_init` (answer: the ack or
    /// refusal), an operation with its first result, `stop`, a refusal.
    Subscription,
    /// A later result of a subscription, sent because its rows or task changed.
    SubscriptionData,
    /// The mock Alipay gateway and its cashier.
    Gateway,
    /// A payment notification delivered to the merchant's backend.
    Notification,
    /// Anything no endpoint of the mock serves.
    Unmatched,
}

/// One root field of a GraphQL operation, as called.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldCall {
    /// The field's name (`alipayTrade`).
    pub name: String,
    /// The alias the query gave it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Its arguments with variables substituted; an argument whose variable was not given
    /// is absent.
    pub arguments: Map<String, Value>,
}

/// A parsed GraphQL operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationSummary {
    /// `query`, `mutation` or `subscription`.
    pub kind: String,
    /// The operation's name, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Root fields in document order.
    pub fields: Vec<FieldCall>,
}

/// One recorded request and its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalEntry {
    /// 1-based position in this instance's journal.
    pub seq: u64,
    /// Wall-clock time the request arrived, in milliseconds since the Unix epoch.
    pub at_ms: u128,
    /// Milliseconds since this instance started (or was last reset).
    pub elapsed_ms: u128,
    /// Which endpoint answered.
    pub kind: EntryKind,
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub url: String,
    /// Request headers (lower-case names).
    pub headers: BTreeMap<String, String>,
    /// The request body as text (lossy for non-UTF-8).
    pub body: String,
    /// The GraphQL operation, when the body held a valid one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<OperationSummary>,
    /// The variables sent with it.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub variables: Value,
    /// The HTTP status answered.
    pub status: u16,
    /// The answer's body (JSON when it was JSON, else a string).
    pub response: Value,
    /// Messages of every GraphQL error in the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The parts of an entry the recorder knows before the answer is made.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub kind: EntryKind,
    pub method: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Received {
    /// A provider's notification POST to a merchant backend (Zion's or another), as the
    /// journal records it.
    pub(crate) fn notification(url: String, content_type: &str, body: String) -> Self {
        Received {
            kind: EntryKind::Notification,
            method: "POST".into(),
            url,
            headers: [("content-type".to_string(), content_type.to_string())].into(),
            body,
        }
    }
}

/// All entries of one mock instance, oldest first.
#[derive(Debug)]
pub struct Journal {
    clock: std::sync::Arc<crate::clock::Clock>,
    started: Instant,
    entries: Vec<JournalEntry>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal::new(Default::default())
    }
}

impl Journal {
    /// An empty journal whose times read `clock`.
    pub fn new(clock: std::sync::Arc<crate::clock::Clock>) -> Self {
        Journal {
            started: clock.now(),
            clock,
            entries: Vec::new(),
        }
    }

    pub(crate) fn record(
        &mut self,
        received: Received,
        operation: Option<OperationSummary>,
        variables: Value,
        status: u16,
        response: Value,
    ) {
        let errors = response
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e.get("message")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        self.entries.push(JournalEntry {
            seq: self.entries.len() as u64 + 1,
            at_ms: self
                .clock
                .wall()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default(),
            elapsed_ms: (self.clock.now() - self.started).as_millis(),
            kind: received.kind,
            method: received.method,
            url: received.url,
            headers: received.headers,
            body: received.body,
            operation,
            variables,
            status,
            response,
            errors,
        });
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    /// Every call of the root field `field`, with the entry it came in, oldest first.
    pub fn calls<'a>(
        &'a self,
        field: &'a str,
    ) -> impl Iterator<Item = (&'a JournalEntry, &'a FieldCall)> + 'a {
        self.graphql_entries().flat_map(move |entry| {
            entry
                .operation
                .iter()
                .flat_map(|op| op.fields.iter())
                .filter(move |call| call.name == field)
                .map(move |call| (entry, call))
        })
    }

    /// GraphQL entries (answered by the endpoint or an override, or an operation started on
    /// the subscription socket), oldest first.
    pub fn graphql_entries(&self) -> impl Iterator<Item = &JournalEntry> {
        self.entries.iter().filter(|e| {
            matches!(e.kind, EntryKind::Graphql | EntryKind::Override)
                || (e.kind == EntryKind::Subscription && e.operation.is_some())
        })
    }

    /// One line per GraphQL entry, Alipay gateway visit, payment notification and request no
    /// mock answered, for failure messages and `journal.txt`:
    /// `#3 +120ms mutation AliPayTrade alipayTrade(bizContent: {...}) → 200, 1 error: ...`,
    /// `#5 +300ms gateway POST /gateway.do (out_trade_no 1000001) → 302`.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            let other = match entry.kind {
                EntryKind::Graphql | EntryKind::Override => None,
                EntryKind::Subscription if entry.operation.is_some() => None,
                EntryKind::Gateway => Some("gateway"),
                EntryKind::Notification => Some("notification"),
                EntryKind::Unmatched => Some("unmatched"),
                _ => continue,
            };
            if let Some(kind) = other {
                let path = entry
                    .url
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
                    .unwrap_or(&entry.url);
                let path = path.split('?').next().unwrap_or(path);
                let trade = [entry.url.as_str(), entry.body.as_str()]
                    .iter()
                    .find_map(|text| {
                        text.split(['?', '&'])
                            .find_map(|pair| pair.strip_prefix("out_trade_no="))
                    })
                    .map(|no| format!(" (out_trade_no {no})"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "#{} +{}ms {kind} {} {path}{trade} → {}\n",
                    entry.seq, entry.elapsed_ms, entry.method, entry.status
                ));
                continue;
            }
            let what = match &entry.operation {
                Some(op) => {
                    let fields: Vec<String> = op
                        .fields
                        .iter()
                        .map(|f| format!("{}({})", f.name, Value::Object(f.arguments.clone())))
                        .collect();
                    format!(
                        "{} {}{}",
                        op.kind,
                        op.name
                            .as_deref()
                            .map(|n| format!("{n} "))
                            .unwrap_or_default(),
                        fields.join(", ")
                    )
                }
                None => "(no valid operation)".to_string(),
            };
            out.push_str(&format!(
                "#{} +{}ms {} → {}",
                entry.seq, entry.elapsed_ms, what, entry.status
            ));
            if !entry.errors.is_empty() {
                out.push_str(&format!(", errors: {}", entry.errors.join(" | ")));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_shows_gateway_visits_and_notifications_beside_graphql() {
        let mut journal = Journal::default();
        let received = |kind, method: &str, url: &str, body: &str| Received {
            kind,
            method: method.into(),
            url: url.into(),
            headers: BTreeMap::new(),
            body: body.into(),
        };
        journal.record(
            received(
                EntryKind::Graphql,
                "POST",
                "http://127.0.0.1:1/zero/p/api/graphql-v2",
                "{}",
            ),
            None,
            Value::Null,
            200,
            Value::Null,
        );
        journal.record(
            received(
                EntryKind::Gateway,
                "POST",
                "http://127.0.0.1:1/gateway.do?charset=utf-8",
                "out_trade_no=1000001&sign=abc",
            ),
            None,
            Value::Null,
            302,
            Value::Null,
        );
        journal.record(
            Received::notification(
                "http://127.0.0.1:2/notify".into(),
                "application/x-www-form-urlencoded",
                "trade_status=TRADE_SUCCESS&out_trade_no=1000001".into(),
            ),
            None,
            Value::Null,
            200,
            Value::Null,
        );
        journal.record(
            received(
                EntryKind::Control,
                "GET",
                "http://127.0.0.1:1/__mock/journal",
                "",
            ),
            None,
            Value::Null,
            200,
            Value::Null,
        );
        let summary = journal.summary();
        let lines: Vec<&str> = summary.lines().collect();
        assert_eq!(lines.len(), 3, "{summary}");
        assert!(
            lines[1].ends_with("gateway POST /gateway.do (out_trade_no 1000001) → 302"),
            "{summary}"
        );
        assert!(
            lines[2].ends_with("notification POST /notify (out_trade_no 1000001) → 200"),
            "{summary}"
        );
    }
}
