//! Subscriptions over WebSocket in both protocols, and async actionflow tasks.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mock_zion::{EntryKind, MockZion};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::*;

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// What the server sent next: a JSON message, or the socket's close (code, reason).
#[derive(Debug)]
enum Got {
    Json(Value),
    Closed(u16, String),
}

async fn connect(zion: &MockZion, subprotocol: &str) -> Socket {
    let mut request = zion.subscription_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", subprotocol.parse().unwrap());
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        subprotocol,
        "the server speaks the protocol asked for"
    );
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next message other than a keep-alive, within 5 s.
async fn next(socket: &mut Socket) -> Got {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("the server sent nothing within 5 s");
        match frame {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] != "ka" {
                    return Got::Json(value);
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) = frame
                    .map(|f| (u16::from(f.code), f.reason.to_string()))
                    .unwrap_or((1005, String::new()));
                return Got::Closed(code, reason);
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Got::Closed(1006, e.to_string()),
            None => return Got::Closed(1006, "ended".into()),
        }
    }
}

/// The close the server sends next, which must carry `code`; returns its reason.
async fn closed_with(socket: &mut Socket, code: u16) -> String {
    match next(socket).await {
        Got::Closed(got, reason) if got == code => reason,
        other => panic!("expected a {code} close, got {other:?}"),
    }
}

async fn next_json(socket: &mut Socket) -> Value {
    match next(socket).await {
        Got::Json(value) => value,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Nothing but keep-alives for `window` (a subscription whose rows did not change stays
/// quiet).
async fn quiet_for(socket: &mut Socket, window: Duration) {
    let deadline = tokio::time::Instant::now() + window;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Text(text)))) if text.contains(r#""type":"ka""#) => {}
            Ok(other) => panic!("expected quiet, got {other:?}"),
        }
    }
}

async fn init(socket: &mut Socket, params: Value) -> Value {
    send(
        socket,
        json!({"type": "connection_init", "payload": params}),
    )
    .await;
    next_json(socket).await
}

const MY_ORDERS: &str =
    "subscription MyOrders { order(order_by: [{id: asc}]) { id status amount } }";

#[tokio::test]
async fn apollo_legacy_protocol_sends_a_table_subscription_again_when_its_rows_change() {
    let zion = start().await;
    let mut socket = connect(&zion, "graphql-ws").await;
    assert_eq!(
        init(&mut socket, json!({"authToken": TOKEN})).await,
        json!({"type": "connection_ack"})
    );
    send(
        &mut socket,
        json!({"type": "start", "id": "1", "payload": {"query": MY_ORDERS, "operationName": "MyOrders"}}),
    )
    .await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({"type": "data", "id": "1", "payload": {"data": {"order": []}}})
    );

    let id = create_order(&zion, TOKEN, 100).await;
    let update = next_json(&mut socket).await;
    assert_eq!(update["type"], "data");
    assert_eq!(
        update["payload"]["data"]["order"],
        json!([{"id": id, "status": "待支付", "amount": 100}])
    );

    // Another account's order changes nothing this subscription can see: no message.
    zion.add_account(2, "other-token", Default::default())
        .unwrap();
    create_order(&zion, "other-token", 5).await;
    quiet_for(&mut socket, Duration::from_millis(300)).await;

    send(&mut socket, json!({"type": "stop", "id": "1"})).await;
    create_order(&zion, TOKEN, 200).await;
    quiet_for(&mut socket, Duration::from_millis(300)).await;

    let kinds: Vec<EntryKind> = zion.journal(|j| j.entries().iter().map(|e| e.kind).collect());
    assert!(kinds.contains(&EntryKind::Subscription));
    assert!(kinds.contains(&EntryKind::SubscriptionData));
    let started = zion.journal(|j| j.calls("order").count());
    assert_eq!(
        started, 1,
        "the subscription is a GraphQL call in the journal"
    );
}

#[tokio::test]
async fn graphql_transport_ws_protocol_runs_a_subscription_and_a_query() {
    let zion = start().await;
    let mut socket = connect(&zion, "graphql-transport-ws").await;
    assert_eq!(
        init(&mut socket, json!({"authToken": TOKEN})).await,
        json!({"type": "connection_ack"})
    );
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(next_json(&mut socket).await, json!({"type": "pong"}));
    send(
        &mut socket,
        json!({"type": "subscribe", "id": "q", "payload": {"query": "{ account_by_pk(id: 1) { id } }"}}),
    )
    .await;
    assert_eq!(
        next_json(&mut socket).await,
        json!({"type": "next", "id": "q", "payload": {"data": {"account_by_pk": {"id": 1}}}})
    );
    assert_eq!(
        next_json(&mut socket).await,
        json!({"type": "complete", "id": "q"}),
        "a query over the socket answers once"
    );
    send(
        &mut socket,
        json!({"type": "subscribe", "id": "s", "payload": {"query": "subscription { order_aggregate { aggregate { count } } }"}}),
    )
    .await;
    let first = next_json(&mut socket).await;
    assert_eq!(
        first["payload"]["data"]["order_aggregate"]["aggregate"]["count"],
        0
    );
    create_order(&zion, TOKEN, 1).await;
    let second = next_json(&mut socket).await;
    assert_eq!(second["type"], "next");
    assert_eq!(
        second["payload"]["data"]["order_aggregate"]["aggregate"]["count"],
        1
    );
}

#[tokio::test]
async fn an_anonymous_socket_may_not_read_an_owner_only_table() {
    let zion = start().await;
    let mut socket = connect(&zion, "graphql-transport-ws").await;
    assert_eq!(init(&mut socket, json!({})).await["type"], "connection_ack");
    send(
        &mut socket,
        json!({"type": "subscribe", "id": "1", "payload": {"query": MY_ORDERS}}),
    )
    .await;
    let refused = next_json(&mut socket).await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "PERMISSION_DENIED"
    );
    assert!(
        refused["payload"][0]["message"]
            .as_str()
            .unwrap()
            .contains("the anonymous role may not read table `order`"),
        "{refused}"
    );
}

#[tokio::test]
async fn validation_errors_come_back_as_protocol_error_messages() {
    let zion = start().await;
    for (subprotocol, start_type) in [
        ("graphql-ws", "start"),
        ("graphql-transport-ws", "subscribe"),
    ] {
        let mut socket = connect(&zion, subprotocol).await;
        init(&mut socket, json!({"authToken": TOKEN})).await;
        send(
            &mut socket,
            json!({"type": start_type, "id": "1", "payload": {"query": "subscription { order { no_such_column } }"}}),
        )
        .await;
        let error = next_json(&mut socket).await;
        assert_eq!(error["type"], "error", "{subprotocol}: {error}");
        let text = error["payload"].to_string();
        assert!(text.contains("no_such_column"), "{subprotocol}: {text}");
        assert!(
            text.contains("GRAPHQL_VALIDATION_FAILED"),
            "{subprotocol}: {text}"
        );
    }
}

#[tokio::test]
async fn a_bad_token_is_refused_the_way_each_protocol_refuses() {
    let zion = start().await;
    let mut legacy = connect(&zion, "graphql-ws").await;
    let refused = init(&mut legacy, json!({"authToken": "not-a-token"})).await;
    assert_eq!(refused["type"], "connection_error", "{refused}");
    assert!(refused["payload"]["message"]
        .as_str()
        .unwrap()
        .contains("token"));

    let mut modern = connect(&zion, "graphql-transport-ws").await;
    send(
        &mut modern,
        json!({"type": "connection_init", "payload": {"authToken": "not-a-token"}}),
    )
    .await;
    let reason = closed_with(&mut modern, 4403).await;
    assert!(reason.starts_with("Forbidden"), "{reason}");
}

#[tokio::test]
async fn protocol_faults_close_a_graphql_transport_ws_socket_with_their_codes() {
    let zion = start().await;
    let mut socket = connect(&zion, "graphql-transport-ws").await;
    send(
        &mut socket,
        json!({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }"}}),
    )
    .await;
    // Subscribing before connection_init.
    closed_with(&mut socket, 4401).await;

    let mut socket = connect(&zion, "graphql-transport-ws").await;
    socket
        .send(Message::Text("{not json".into()))
        .await
        .unwrap();
    let reason = closed_with(&mut socket, 4400).await;
    assert!(reason.contains("JSON object"), "{reason}");
}

#[tokio::test]
async fn the_socket_endpoint_explains_itself_to_plain_http_and_other_paths() {
    let zion = start().await;
    let http_url = zion.subscription_url().replacen("ws://", "http://", 1);
    let response = reqwest::get(&http_url).await.unwrap();
    assert!(response.status().is_client_error());
    let text = response.text().await.unwrap();
    assert!(text.contains("graphql-transport-ws"), "{text}");
    let base = http_url.split("/zero/").next().unwrap().to_string();
    let text = reqwest::get(format!("{base}/graphql"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("graphql-subscription"), "{text}");
}

#[tokio::test]
async fn a_subscription_sent_over_http_post_is_refused_with_the_socket_path() {
    let zion = start().await;
    let (_, body) = gql(&zion, Some(TOKEN), MY_ORDERS, json!({})).await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "BAD_REQUEST");
    assert!(message.contains("/api/graphql-subscription"), "{message}");
}

const CREATE_TASK: &str = r#"mutation Start($args: Json!) {
  fz_create_action_flow_task(actionFlowId: "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d", versionId: 3, args: $args)
}"#;
const LISTEN: &str = "subscription Listen($taskId: Long!) { fz_listen_action_flow_result(taskId: $taskId) { __typename status output } }";

async fn start_task(zion: &MockZion) -> i64 {
    let (_, body) = gql(
        zion,
        Some(TOKEN),
        CREATE_TASK,
        json!({"args": {"amount": 300}}),
    )
    .await;
    body["data"]["fz_create_action_flow_task"]
        .as_i64()
        .unwrap_or_else(|| panic!("no task id in {body}"))
}

/// Listens to a task until the server completes the subscription; returns each result.
async fn listen(zion: &MockZion, task: i64) -> Vec<Value> {
    let mut socket = connect(zion, "graphql-ws").await;
    init(&mut socket, json!({"authToken": TOKEN})).await;
    send(
        &mut socket,
        json!({"type": "start", "id": "t", "payload": {"query": LISTEN, "variables": {"taskId": task}}}),
    )
    .await;
    let mut results = Vec::new();
    loop {
        let message = next_json(&mut socket).await;
        match message["type"].as_str() {
            Some("data") => {
                results.push(message["payload"]["data"]["fz_listen_action_flow_result"].clone())
            }
            Some("complete") => return results,
            _ => panic!("unexpected {message}"),
        }
    }
}

#[tokio::test]
async fn an_async_actionflow_goes_created_processing_completed_and_then_writes() {
    let zion = start().await;
    let task = start_task(&zion).await;
    assert!(task > 1_000_000_000_000, "a Long task id: {task}");
    assert!(
        zion.rows("order").is_empty(),
        "the actionflow runs at the task's end"
    );
    let results = listen(&zion, task).await;
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["CREATED", "PROCESSING", "COMPLETED"]);
    assert_eq!(results[0]["__typename"], "ActionFlowTaskResult");
    assert_eq!(results[0]["output"], Value::Null);
    let output = &results[2]["output"];
    assert_eq!(output["amount"], 300);
    assert_eq!(zion.rows("order").len(), 1);
    assert_eq!(zion.rows("order")[0]["id"], output["order_id"]);
}

#[tokio::test]
async fn a_planned_failure_ends_the_task_failed_and_a_planned_duration_holds_it() {
    let zion = start().await;
    let planned = reqwest::Client::new()
        .post(format!(
            "{}/actionflows/0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d/next",
            zion.admin_url()
        ))
        .json(&json!({"error": "the model is overloaded", "duration_ms": 800}))
        .send()
        .await
        .unwrap();
    assert_eq!(planned.status(), 201);
    let started = std::time::Instant::now();
    let task = start_task(&zion).await;
    let results = listen(&zion, task).await;
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
    let last = results.last().unwrap();
    assert_eq!(last["status"], "FAILED");
    assert_eq!(last["output"], Value::Null);
    assert!(zion.rows("order").is_empty(), "a failed run wrote nothing");
    let tasks = get_json(&format!("{}/actionflows/tasks", zion.admin_url())).await;
    assert_eq!(tasks[0]["status"], "FAILED");
    assert!(tasks[0]["error"]
        .as_str()
        .unwrap()
        .contains("the model is overloaded"));

    // The plan was for one call: the next task completes.
    let task = start_task(&zion).await;
    assert_eq!(
        listen(&zion, task).await.last().unwrap()["status"],
        "COMPLETED"
    );
}

#[tokio::test]
async fn listening_to_a_task_that_is_not_the_callers_is_refused() {
    let zion = start().await;
    let mut socket = connect(&zion, "graphql-transport-ws").await;
    init(&mut socket, json!({"authToken": TOKEN})).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "id": "1", "payload": {"query": LISTEN, "variables": {"taskId": 42}}}),
    )
    .await;
    let refused = next_json(&mut socket).await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn a_plan_answers_the_next_sync_call_once_and_bad_plans_are_refused() {
    let zion = start().await;
    let base = format!("{}/actionflows", zion.admin_url());
    let flow = "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d";
    let response = reqwest::Client::new()
        .post(format!("{base}/{flow}/next"))
        .json(&json!({"answer": {"order_id": 99, "for": "{{caller.id}}"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 1}}),
    )
    .await;
    assert_eq!(
        body["data"]["fz_invoke_action_flow"],
        json!({"order_id": 99, "for": 1})
    );
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 1}}),
    )
    .await;
    assert_eq!(
        body["data"]["fz_invoke_action_flow"]["amount"], 1,
        "back to create_order"
    );

    let bad = reqwest::Client::new()
        .post(format!("{base}/{flow}/next"))
        .json(&json!({"answer": 1, "error": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let unknown = reqwest::Client::new()
        .post(format!("{base}/no-such-flow/next"))
        .json(&json!({"error": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("no-such-flow"));
}
