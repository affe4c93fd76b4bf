//! The two GraphQL-over-WebSocket protocols clients speak, read into one set of messages.
//!
//! - **subscriptions-transport-ws**, WebSocket sub-protocol `graphql-ws`: what Apollo's
//!   `WebSocketLink` speaks, and what Zion's makers' reference client uses. Client:
//!   `connection_init`, `start`, `stop`, `connection_terminate`; server: `connection_ack`,
//!   `connection_error`, `ka`, `data`, `error`, `complete`.
//! - **graphql-transport-ws**, sub-protocol `graphql-transport-ws`: the `graphql-ws` library's
//!   protocol. Client: `connection_init`, `subscribe`, `complete`, `ping`, `pong`; server:
//!   `connection_ack`, `next`, `error`, `complete`, `ping`, `pong`; protocol faults close the
//!   socket with a 44xx code.
//!
//! ```
//! use mock_zion::subscriptions::protocol::{ClientMessage, Protocol};
//! let message = Protocol::Legacy
//!     .read(r#"{"type":"start","id":"1","payload":{"query":"subscription { order { id } }"}}"#)
//!     .unwrap();
//! assert!(matches!(message, ClientMessage::Subscribe { ref id, .. } if id == "1"));
//! assert_eq!(
//!     Protocol::TransportWs.next("1", serde_json::json!({"data": {}})),
//!     r#"{"type":"next","id":"1","payload":{"data":{}}}"#
//! );
//! ```

use serde_json::{json, Map, Value};

/// Which protocol a socket speaks (chosen by its `Sec-WebSocket-Protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// subscriptions-transport-ws (sub-protocol `graphql-ws`).
    Legacy,
    /// graphql-transport-ws (sub-protocol `graphql-transport-ws`).
    TransportWs,
}

/// A client message, whichever protocol sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientMessage {
    /// `connection_init` with its payload (`connectionParams`).
    Init(Map<String, Value>),
    /// `start` / `subscribe`: run an operation under `id`.
    Subscribe {
        /// The client's id for the operation.
        id: String,
        /// The GraphQL document.
        query: String,
        /// Its variables.
        variables: Map<String, Value>,
        /// Which operation of the document.
        operation_name: Option<String>,
    },
    /// `stop` / `complete`: the client is done with `id`.
    Stop(String),
    /// `ping` (graphql-transport-ws).
    Ping(Value),
    /// `pong` (graphql-transport-ws).
    Pong,
    /// `connection_terminate` (subscriptions-transport-ws).
    Terminate,
}

/// A client message this protocol does not allow, with what to tell the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed(pub String);

impl Protocol {
    /// The protocol for a negotiated sub-protocol name.
    pub fn from_subprotocol(name: &str) -> Option<Protocol> {
        match name {
            "graphql-ws" => Some(Protocol::Legacy),
            "graphql-transport-ws" => Some(Protocol::TransportWs),
            _ => None,
        }
    }

    /// The sub-protocol names the server offers, in order of preference.
    pub const SUBPROTOCOLS: [&'static str; 2] = ["graphql-transport-ws", "graphql-ws"];

    /// The sub-protocol's name.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Legacy => "graphql-ws",
            Protocol::TransportWs => "graphql-transport-ws",
        }
    }

    /// Reads one text frame.
    ///
    /// # Errors
    /// Not JSON, no `type`, a type this protocol does not have, or a message without the
    /// fields its type needs; the message says which.
    pub fn read(self, text: &str) -> Result<ClientMessage, Malformed> {
        let bad = |why: String| Err(Malformed(why));
        let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(text) else {
            return bad(format!(
                "a {} message must be a JSON object with a \"type\", got {}",
                self.name(),
                abbreviate(text)
            ));
        };
        let kind = match message.remove("type") {
            Some(Value::String(kind)) => kind,
            _ => return bad(format!("the message has no \"type\": {}", abbreviate(text))),
        };
        let id = match message.remove("id") {
            Some(Value::String(id)) => Some(id),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let payload = message.remove("payload").unwrap_or(Value::Null);
        let need_id = |id: Option<String>| {
            id.ok_or_else(|| Malformed(format!("a \"{kind}\" message needs an \"id\"")))
        };
        match (self, kind.as_str()) {
            (_, "connection_init") => Ok(ClientMessage::Init(match payload {
                Value::Object(params) => params,
                _ => Map::new(),
            })),
            (Protocol::Legacy, "start") | (Protocol::TransportWs, "subscribe") => {
                let id = need_id(id)?;
                let Value::Object(mut payload) = payload else {
                    return bad(format!(
                        "a \"{kind}\" message needs a \"payload\" object with a \"query\""
                    ));
                };
                let Some(Value::String(query)) = payload.remove("query") else {
                    return bad(format!(
                        "the \"{kind}\" message's payload needs a \"query\" string"
                    ));
                };
                let variables = match payload.remove("variables") {
                    Some(Value::Object(variables)) => variables,
                    None | Some(Value::Null) => Map::new(),
                    Some(other) => {
                        return bad(format!("\"variables\" must be a JSON object, got {other}"))
                    }
                };
                let operation_name = match payload.remove("operationName") {
                    Some(Value::String(name)) => Some(name),
                    _ => None,
                };
                Ok(ClientMessage::Subscribe {
                    id,
                    query,
                    variables,
                    operation_name,
                })
            }
            (Protocol::Legacy, "stop") | (Protocol::TransportWs, "complete") => {
                Ok(ClientMessage::Stop(need_id(id)?))
            }
            (Protocol::Legacy, "connection_terminate") => Ok(ClientMessage::Terminate),
            (Protocol::TransportWs, "ping") => Ok(ClientMessage::Ping(payload)),
            (Protocol::TransportWs, "pong") => Ok(ClientMessage::Pong),
            (_, other) => bad(format!(
                "\"{other}\" is not a client message of the {} protocol (it has {})",
                self.name(),
                match self {
                    Protocol::Legacy => "connection_init, start, stop, connection_terminate",
                    Protocol::TransportWs => "connection_init, subscribe, complete, ping, pong",
                }
            )),
        }
    }

    /// `connection_ack`.
    pub fn ack(self) -> String {
        json!({"type": "connection_ack"}).to_string()
    }

    /// A result of operation `id`: `data` (legacy) or `next`.
    pub fn next(self, id: &str, payload: Value) -> String {
        let kind = match self {
            Protocol::Legacy => "data",
            Protocol::TransportWs => "next",
        };
        json!({"type": kind, "id": id, "payload": payload}).to_string()
    }

    /// Operation `id` was refused (validation, permissions): `error` with the GraphQL errors
    /// (graphql-transport-ws: the list; legacy: `{message, errors}`, which Apollo's client
    /// reads either way).
    pub fn error(self, id: &str, errors: Vec<Value>) -> String {
        let payload = match self {
            Protocol::TransportWs => Value::Array(errors),
            Protocol::Legacy => {
                let message = errors
                    .first()
                    .and_then(|e| e.get("message"))
                    .cloned()
                    .unwrap_or(Value::Null);
                json!({"message": message, "errors": errors})
            }
        };
        json!({"type": "error", "id": id, "payload": payload}).to_string()
    }

    /// Operation `id` is over.
    pub fn complete(self, id: &str) -> String {
        json!({"type": "complete", "id": id}).to_string()
    }

    /// A keep-alive (legacy `ka`; graphql-transport-ws has none, only ping/pong).
    pub fn keep_alive(self) -> Option<String> {
        match self {
            Protocol::Legacy => Some(json!({"type": "ka"}).to_string()),
            Protocol::TransportWs => None,
        }
    }

    /// The answer to a `ping`.
    pub fn pong(self, payload: Value) -> String {
        if payload.is_null() {
            json!({"type": "pong"}).to_string()
        } else {
            json!({"type": "pong", "payload": payload}).to_string()
        }
    }

    /// `connection_error` (legacy only; graphql-transport-ws closes with 4403 instead).
    pub fn connection_error(self, message: &str) -> String {
        json!({"type": "connection_error", "payload": {"message": message}}).to_string()
    }
}

fn abbreviate(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_reads_only_its_own_types() {
        assert!(Protocol::TransportWs
            .read(r#"{"type":"start","id":"1","payload":{"query":"{a}"}}"#)
            .unwrap_err()
            .0
            .contains("subscribe"));
        assert!(Protocol::Legacy.read(r#"{"type":"ping"}"#).is_err());
        assert_eq!(
            Protocol::TransportWs.read(r#"{"type":"complete","id":"7"}"#),
            Ok(ClientMessage::Stop("7".into()))
        );
    }

    #[test]
    fn malformed_messages_say_what_is_missing() {
        let e = Protocol::Legacy.read("not json").unwrap_err().0;
        assert!(e.contains("JSON object"), "{e}");
        let e = Protocol::Legacy
            .read(r#"{"type":"start","payload":{"query":"{a}"}}"#)
            .unwrap_err()
            .0;
        assert!(e.contains("needs an \"id\""), "{e}");
        let e = Protocol::TransportWs
            .read(r#"{"type":"subscribe","id":"1","payload":{}}"#)
            .unwrap_err()
            .0;
        assert!(e.contains("\"query\" string"), "{e}");
    }

    #[test]
    fn legacy_errors_carry_a_message_and_the_list() {
        let text = Protocol::Legacy.error("1", vec![json!({"message": "no"})]);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["payload"]["message"], "no");
        assert_eq!(value["payload"]["errors"][0]["message"], "no");
        let text = Protocol::TransportWs.error("1", vec![json!({"message": "no"})]);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["payload"][0]["message"], "no");
    }
}
