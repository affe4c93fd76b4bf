//! One WebSocket connection: its log-in, its operations, and the results they send.
//!
//! Each operation runs as its own task: it executes its document under the state's lock,
//! sends the result, and for a subscription waits until the rows or tasks change (or the next
//! scheduled event is due) to execute again, sending only results that differ — what a
//! Hasura-style live query does. A query or mutation sends one result and completes; an
//! actionflow task's subscription completes after COMPLETED or FAILED.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Map, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::protocol::{ClientMessage, Protocol};
use crate::journal::{EntryKind, Received};
use crate::server::Shared;

/// How long a client may take to send `connection_init` (graphql-transport-ws closes with
/// 4408 after it).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the legacy protocol's `ka` keep-alive is sent.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// What the connection task sends: text frames, or a close.
enum Out {
    Text(String),
    Close(u16, String),
}

/// What a connection knows of where it was opened.
pub(super) struct Opened {
    pub protocol: Protocol,
    pub path: String,
    pub headers: std::collections::BTreeMap<String, String>,
}

struct Connection {
    shared: Arc<Shared>,
    opened: Opened,
    out: mpsc::UnboundedSender<Out>,
    /// `None` until `connection_init`; then the logged-in account, if any.
    caller: Option<Option<i64>>,
    operations: HashMap<String, JoinHandle<()>>,
}

/// Serves one socket until the client leaves or the instance stops (`closing`).
pub(super) async fn serve(
    socket: WebSocket,
    shared: Arc<Shared>,
    opened: Opened,
    mut closing: watch::Receiver<bool>,
) {
    let (mut sink, mut stream) = socket.split();
    let (out, mut outbox) = mpsc::unbounded_channel::<Out>();
    let protocol = opened.protocol;
    let writer = tokio::spawn(async move {
        while let Some(message) = outbox.recv().await {
            let (frame, last) = match message {
                Out::Text(text) => (Message::Text(text.into()), false),
                Out::Close(code, reason) => (
                    Message::Close(Some(CloseFrame {
                        code,
                        reason: reason.into(),
                    })),
                    true,
                ),
            };
            if sink.send(frame).await.is_err() || last {
                break;
            }
        }
    });
    let mut connection = Connection {
        shared,
        opened,
        out,
        caller: None,
        operations: HashMap::new(),
    };
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let mut keep_alive = tokio::time::interval(KEEP_ALIVE);
    keep_alive.tick().await;
    loop {
        tokio::select! {
            frame = stream.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text.to_string(),
                    Some(Ok(Message::Binary(_))) => {
                        connection.close(4400, "send GraphQL messages as text frames, not binary");
                        break;
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                };
                if !connection.receive(&text) {
                    break;
                }
            }
            _ = &mut init_deadline, if connection.caller.is_none() => {
                connection.journal_close("no connection_init within 10 s");
                connection.close(4408, "Connection initialisation timeout");
                break;
            }
            _ = keep_alive.tick(), if connection.caller.is_some() => {
                if let Some(ka) = protocol.keep_alive() {
                    let _ = connection.out.send(Out::Text(ka));
                }
            }
            _ = closing.changed() => {
                connection.close(1001, "mock-zion is stopping");
                break;
            }
        }
    }
    for (_, task) in connection.operations.drain() {
        task.abort();
    }
    drop(connection);
    let _ = writer.await;
}

impl Connection {
    fn send(&self, text: String) {
        let _ = self.out.send(Out::Text(text));
    }

    fn close(&self, code: u16, reason: &str) {
        let _ = self.out.send(Out::Close(code, reason.to_string()));
    }

    /// Journals a client message and what it got (kind `subscription`).
    fn record(
        &self,
        body: &str,
        operation: Option<crate::OperationSummary>,
        variables: Value,
        response: Value,
    ) {
        self.recorder().record(
            EntryKind::Subscription,
            body,
            operation,
            variables,
            response,
        );
    }

    fn recorder(&self) -> Recorder {
        Recorder {
            shared: self.shared.clone(),
            path: self.opened.path.clone(),
            headers: self.opened.headers.clone(),
        }
    }

    fn journal_close(&self, why: &str) {
        self.record("", None, Value::Null, json!({ "closed": why }));
    }

    /// Handles one client message; false when the connection is to end.
    fn receive(&mut self, text: &str) -> bool {
        let protocol = self.opened.protocol;
        let message = match protocol.read(text) {
            Ok(message) => message,
            Err(malformed) => {
                self.record(text, None, Value::Null, json!({ "closed": malformed.0 }));
                match protocol {
                    Protocol::TransportWs => {
                        self.close(4400, &truncate(&malformed.0));
                        return false;
                    }
                    // The legacy protocol answers a bad message with an `error` and goes on.
                    Protocol::Legacy => {
                        self.send(protocol.error("", vec![json!({"message": malformed.0})]));
                        return true;
                    }
                }
            }
        };
        match message {
            ClientMessage::Init(params) => self.init(text, &params),
            ClientMessage::Subscribe {
                id,
                query,
                variables,
                operation_name,
            } => {
                self.subscribe(text, id, &query, &variables, operation_name.as_deref());
                true
            }
            ClientMessage::Stop(id) => {
                if let Some(task) = self.operations.remove(&id) {
                    task.abort();
                }
                self.record(text, None, Value::Null, json!({ "stopped": id }));
                true
            }
            ClientMessage::Ping(payload) => {
                self.send(protocol.pong(payload));
                true
            }
            ClientMessage::Pong => true,
            ClientMessage::Terminate => {
                self.record(
                    text,
                    None,
                    Value::Null,
                    json!({ "closed": "connection_terminate" }),
                );
                self.close(1000, "connection_terminate");
                false
            }
        }
    }

    /// `connection_init`: `authToken` (or an `Authorization` header among the params) logs
    /// the socket in; none is the anonymous role.
    fn init(&mut self, text: &str, params: &Map<String, Value>) -> bool {
        let protocol = self.opened.protocol;
        if self.caller.is_some() {
            self.record(
                text,
                None,
                Value::Null,
                json!({ "closed": "a second connection_init" }),
            );
            if protocol == Protocol::TransportWs {
                self.close(4429, "Too many initialisation requests");
                return false;
            }
            return true;
        }
        let authorization = auth_header(params);
        let verdict = self
            .shared
            .lock()
            .tokens
            .authenticate(authorization.as_deref());
        match verdict {
            Ok(caller) => {
                self.caller = Some(caller);
                let ack = protocol.ack();
                self.record(
                    text,
                    None,
                    Value::Null,
                    json!({ "type": "connection_ack", "account": caller }),
                );
                self.send(ack);
                if let Some(ka) = protocol.keep_alive() {
                    self.send(ka);
                }
                true
            }
            Err(failure) => {
                self.record(
                    text,
                    None,
                    Value::Null,
                    json!({ "refused": failure.message }),
                );
                match protocol {
                    Protocol::Legacy => {
                        self.send(protocol.connection_error(&failure.message));
                        self.close(4403, "Forbidden");
                    }
                    Protocol::TransportWs => {
                        self.close(4403, &truncate(&format!("Forbidden: {}", failure.message)));
                    }
                }
                false
            }
        }
    }

    fn subscribe(
        &mut self,
        text: &str,
        id: String,
        query: &str,
        variables: &Map<String, Value>,
        operation_name: Option<&str>,
    ) {
        let protocol = self.opened.protocol;
        let Some(caller) = self.caller else {
            self.record(
                text,
                None,
                Value::Null,
                json!({ "refused": "before connection_init" }),
            );
            match protocol {
                Protocol::TransportWs => self.close(4401, "Unauthorized"),
                Protocol::Legacy => self.send(protocol.error(
                    &id,
                    vec![json!({"message": "send connection_init (with connectionParams) before start", "extensions": {"code": "BAD_REQUEST"}})],
                )),
            }
            return;
        };
        if self
            .operations
            .get(&id)
            .is_some_and(|task| !task.is_finished())
        {
            self.record(
                text,
                None,
                Value::Null,
                json!({ "refused": format!("id {id} is in use") }),
            );
            if protocol == Protocol::TransportWs {
                self.close(
                    4409,
                    &truncate(&format!("Subscriber for {id} already exists")),
                );
            } else {
                self.send(protocol.error(&id, vec![json!({"message": format!("an operation with id {id} is already running"), "extensions": {"code": "BAD_REQUEST"}})]));
            }
            return;
        }
        let prepared = {
            let state = self.shared.lock();
            self.shared
                .endpoint
                .prepare(&state, query, variables, operation_name)
        };
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(answer) => {
                let errors = answer.body["errors"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                self.record(
                    text,
                    answer.operation,
                    Value::Object(variables.clone()),
                    answer.body.clone(),
                );
                self.send(protocol.error(&id, errors));
                return;
            }
        };
        let follow = Follow {
            shared: self.shared.clone(),
            out: self.out.clone(),
            protocol,
            id: id.clone(),
            caller,
            recorder: self.recorder(),
            first: Some(text.to_string()),
        };
        self.operations
            .insert(id, tokio::spawn(follow.run(prepared)));
    }
}

/// One running operation of a connection.
struct Follow {
    shared: Arc<Shared>,
    out: mpsc::UnboundedSender<Out>,
    protocol: Protocol,
    id: String,
    caller: Option<i64>,
    recorder: Recorder,
    /// The client's message, journalled with the first result.
    first: Option<String>,
}

impl Follow {
    async fn run(mut self, prepared: crate::graphql::Prepared) {
        let mut changes = self.shared.changed.subscribe();
        let subscription = prepared.summary.kind == "subscription";
        let mut last: Option<Value> = None;
        loop {
            changes.borrow_and_update();
            let (body, due) = {
                let mut state = self.shared.lock();
                let injected = match self.first {
                    Some(_) => {
                        state
                            .faults
                            .take(prepared.summary.fields.iter().map(|f| f.name.as_str()))
                            .errors
                    }
                    None => Vec::new(),
                };
                let body = self
                    .shared
                    .endpoint
                    .run(&mut state, self.caller, injected, &prepared);
                (body, state.next_due())
            };
            // A first result that is only errors (a permission, a task that is not the
            // caller's) refuses the operation, as a protocol `error`.
            let refused = last.is_none() && body.get("errors").is_some() && nothing_in(&body);
            if last.as_ref() != Some(&body) {
                let message = if refused {
                    let errors = body["errors"].as_array().cloned().unwrap_or_default();
                    self.protocol.error(&self.id, errors)
                } else {
                    self.protocol.next(&self.id, body.clone())
                };
                self.journal(&prepared, &body);
                if self.out.send(Out::Text(message)).is_err() {
                    return;
                }
                last = Some(body.clone());
            }
            if refused {
                return;
            }
            if !subscription || task_is_over(&prepared, &body) {
                let _ = self.out.send(Out::Text(self.protocol.complete(&self.id)));
                return;
            }
            match due {
                Some(due) => {
                    tokio::select! {
                        changed = changes.changed() => if changed.is_err() { return },
                        _ = tokio::time::sleep_until(due.into()) => {}
                    }
                }
                None => {
                    if changes.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Journals a result sent: the first with the client's message and the operation (kind
    /// `subscription`), later ones alone (`subscription_data`).
    fn journal(&mut self, prepared: &crate::graphql::Prepared, body: &Value) {
        match self.first.take() {
            Some(message) => self.recorder.record(
                EntryKind::Subscription,
                &message,
                Some(prepared.summary.clone()),
                Value::Object(prepared.variables.clone()),
                body.clone(),
            ),
            None => self.recorder.record(
                EntryKind::SubscriptionData,
                "",
                None,
                Value::Null,
                body.clone(),
            ),
        }
    }
}

/// Writes one socket's messages to the instance's journal, as WS entries of its path.
struct Recorder {
    shared: Arc<Shared>,
    path: String,
    headers: std::collections::BTreeMap<String, String>,
}

impl Recorder {
    fn record(
        &self,
        kind: EntryKind,
        body: &str,
        operation: Option<crate::OperationSummary>,
        variables: Value,
        response: Value,
    ) {
        let received = Received {
            kind,
            method: "WS".into(),
            url: self.path.clone(),
            headers: self.headers.clone(),
            body: body.to_string(),
        };
        self.shared
            .lock()
            .journal
            .record(received, operation, variables, 101, response);
    }
}

/// An `fz_listen_action_flow_result` subscription whose tasks have all ended: nothing more
/// will come.
fn task_is_over(prepared: &crate::graphql::Prepared, body: &Value) -> bool {
    let listens = prepared
        .summary
        .fields
        .iter()
        .all(|f| f.name == "fz_listen_action_flow_result");
    listens
        && body["data"].as_object().is_some_and(|data| {
            data.values().all(|v| {
                matches!(
                    v.get("status").and_then(Value::as_str),
                    Some("COMPLETED" | "FAILED")
                )
            })
        })
}

/// The answer's data is null, or every root field of it is.
fn nothing_in(body: &Value) -> bool {
    match body.get("data") {
        None | Some(Value::Null) => true,
        Some(Value::Object(data)) => data.values().all(Value::is_null),
        Some(_) => false,
    }
}

/// `Bearer <token>` from the connection params: Zion's `authToken`, or an `Authorization`
/// header as Hasura-style clients send it (`{headers: {Authorization}}`).
fn auth_header(params: &Map<String, Value>) -> Option<String> {
    if let Some(token) = params.get("authToken").and_then(Value::as_str) {
        return Some(if token.starts_with("Bearer ") {
            token.to_string()
        } else {
            format!("Bearer {token}")
        });
    }
    let headers = params
        .get("headers")
        .and_then(Value::as_object)
        .unwrap_or(params);
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
}

/// A close reason fits in 123 bytes.
fn truncate(reason: &str) -> String {
    let mut out = String::new();
    for c in reason.chars() {
        if out.len() + c.len_utf8() > 120 {
            break;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_comes_from_auth_token_or_an_authorization_header() {
        let params = |v: Value| v.as_object().cloned().unwrap();
        assert_eq!(
            auth_header(&params(json!({"authToken": "abc"}))).as_deref(),
            Some("Bearer abc")
        );
        assert_eq!(
            auth_header(&params(json!({"headers": {"Authorization": "Bearer x"}}))).as_deref(),
            Some("Bearer x")
        );
        assert_eq!(auth_header(&params(json!({}))), None);
    }

    #[test]
    fn close_reasons_fit_the_frame() {
        assert!(truncate(&"原因".repeat(100)).len() <= 123);
    }
}
