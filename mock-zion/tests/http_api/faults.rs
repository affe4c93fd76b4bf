//! Injected faults: a GraphQL error, an HTTP status, a delay — each for the next N calls.

use std::time::{Duration, Instant};

use mock_zion::{Fault, FaultKind};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_graphql_error_fault_answers_the_next_call_only() {
    let zion = start().await;
    zion.inject(Fault::new(
        "fz_invoke_action_flow",
        FaultKind::GraphqlError {
            message: "服务繁忙".into(),
        },
    ));
    let (_, first) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 100}}),
    )
    .await;
    assert_eq!(
        only_error(&first),
        ("服务繁忙".to_string(), "INJECTED_FAULT".to_string())
    );
    assert_eq!(first["errors"][0]["path"], json!(["fz_invoke_action_flow"]));
    create_order(&zion, TOKEN, 100).await;
}

#[tokio::test]
async fn an_http_status_fault_executes_nothing() {
    let zion = start().await;
    zion.inject(
        Fault::new(
            "fz_invoke_action_flow",
            FaultKind::HttpStatus { status: 500 },
        )
        .times(2),
    );
    for _ in 0..2 {
        let (status, _) = gql(
            &zion,
            Some(TOKEN),
            CREATE_ORDER_QUERY,
            json!({"args": {"amount": 100}}),
        )
        .await;
        assert_eq!(status, 500);
    }
    let id = create_order(&zion, TOKEN, 100).await;
    assert_eq!(id, 1_000_001, "the faulted calls created no order");
}

#[tokio::test]
async fn a_delay_fault_holds_the_answer_back() {
    let zion = start().await;
    zion.inject(Fault::new("account_by_pk", FaultKind::Delay { ms: 400 }));
    let query = "{ account_by_pk(id: 1) { id } }";
    let started = Instant::now();
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({})).await;
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(body["data"]["account_by_pk"]["id"], 1);
}

#[tokio::test]
async fn faults_can_be_injected_over_http() {
    let zion = start().await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/faults", zion.admin_url()))
        .json(&json!({"field": "account_by_pk", "kind": "http_status", "status": 502}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let (status, _) = gql(
        &zion,
        Some(TOKEN),
        "{ account_by_pk(id: 1) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 502);
}
