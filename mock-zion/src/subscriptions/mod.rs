//! Subscriptions over WebSocket, at `/zero/{projectExId}/api/graphql-subscription`, as a Zion
//! project serves them: both GraphQL-over-WebSocket protocols ([`protocol`]), the log-in by
//! `connectionParams.authToken`, the table API's query fields as subscription roots (sent
//! again whenever their rows change), and `fz_listen_action_flow_result` for async
//! actionflow tasks. Queries and mutations sent over the socket are answered once.
//!
//! wiremock cannot upgrade a connection, so the socket endpoint has a loopback port of its own
//! beside the instance's HTTP port ([`crate::MockZion::subscription_url`]); the harness's
//! browser rerouting sends `wss://<zion host>/zero/<project>/api/graphql-subscription` there.
//!
//! ```
//! # tokio_test::block_on(async {
//! use futures_util::{SinkExt, StreamExt};
//! use mock_zion::{MockZion, ProjectConfig};
//! use tokio_tungstenite::tungstenite::{client::IntoClientRequest, Message};
//!
//! let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
//! let mut request = zion.subscription_url().into_client_request().unwrap();
//! request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
//! let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
//! let send = |v: serde_json::Value| Message::Text(v.to_string().into());
//! socket.send(send(serde_json::json!({"type": "connection_init", "payload": {"authToken": "zion-test-token"}}))).await.unwrap();
//! socket.send(send(serde_json::json!({"type": "subscribe", "id": "1",
//!     "payload": {"query": "subscription { order_aggregate { aggregate { count } } }"}}))).await.unwrap();
//! let mut texts = Vec::new();
//! while texts.len() < 2 {
//!     if let Some(Ok(Message::Text(text))) = socket.next().await { texts.push(text.to_string()) }
//! }
//! assert_eq!(texts[0], r#"{"type":"connection_ack"}"#);
//! assert!(texts[1].contains(r#""count":0"#), "{}", texts[1]);
//! # })
//! ```

mod connection;
pub mod protocol;

use std::sync::Arc;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::server::Shared;
use protocol::Protocol;

/// The running socket endpoint of one instance; stops when dropped.
#[derive(Debug)]
pub(crate) struct SocketEndpoint {
    pub addr: std::net::SocketAddr,
    task: JoinHandle<()>,
    closing: watch::Sender<bool>,
}

impl Drop for SocketEndpoint {
    fn drop(&mut self) {
        // Open connections close with 1001 (going away); then the listener stops.
        let _ = self.closing.send(true);
        self.task.abort();
    }
}

/// What every connection of the socket endpoint shares.
#[derive(Clone)]
struct Sockets {
    shared: Arc<Shared>,
    path: String,
    graphql_path: String,
    closing: watch::Receiver<bool>,
}

/// Serves the socket endpoint at `path` on `listener`.
pub(crate) fn start(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    path: String,
    graphql_path: String,
) -> std::io::Result<SocketEndpoint> {
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (closing, closing_rx) = watch::channel(false);
    let sockets = Sockets {
        shared,
        path: path.clone(),
        graphql_path,
        closing: closing_rx,
    };
    let router = Router::new()
        .route(&path, get(upgrade))
        .fallback(elsewhere)
        .with_state(sockets);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(SocketEndpoint {
        addr,
        task,
        closing,
    })
}

async fn upgrade(
    State(sockets): State<Sockets>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            return (
                rejection.status(),
                format!(
                    "{}: this is mock-zion's GraphQL subscription endpoint; open a WebSocket here with sub-protocol graphql-ws (subscriptions-transport-ws, Apollo's WebSocketLink) or graphql-transport-ws (the graphql-ws library). Queries and mutations go to POST {}",
                    rejection.body_text(),
                    sockets.graphql_path
                ),
            )
                .into_response()
        }
    };
    let requested: Vec<String> = upgrade
        .requested_protocols()
        .filter_map(|p| p.to_str().ok())
        .flat_map(|p| p.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    // No sub-protocol asked for: the legacy protocol, as Zion's reference client speaks it.
    let protocol = if requested.is_empty() {
        Protocol::Legacy
    } else {
        match Protocol::SUBPROTOCOLS
            .iter()
            .find(|offered| requested.iter().any(|r| r == *offered))
            .and_then(|name| Protocol::from_subprotocol(name))
        {
            Some(protocol) => protocol,
            None => {
                return (
                    StatusCode::BAD_REQUEST,
                    format!(
                        "unsupported WebSocket sub-protocol {}: use graphql-ws (subscriptions-transport-ws) or graphql-transport-ws",
                        requested.join(", ")
                    ),
                )
                    .into_response()
            }
        }
    };
    let upgrade = if requested.is_empty() {
        upgrade
    } else {
        upgrade.protocols([protocol.name()])
    };
    let opened = connection::Opened {
        protocol,
        path: sockets.path.clone(),
        headers: headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
    };
    upgrade.on_upgrade(move |socket| {
        connection::serve(socket, sockets.shared, opened, sockets.closing)
    })
}

async fn elsewhere(State(sockets): State<Sockets>, uri: axum::http::Uri) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!(
            "mock-zion serves GraphQL subscriptions at {} on this port, not at {}",
            sockets.path,
            uri.path()
        ),
    )
        .into_response()
}
