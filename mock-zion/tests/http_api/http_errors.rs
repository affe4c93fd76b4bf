//! HTTP-level mistakes get a clear error answer, never a panic or a hang; browsers get CORS.

use serde_json::{json, Value};

use crate::support::*;

async fn post(zion: &mock_zion::MockZion, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(zion.graphql_url())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn malformed_json_is_a_400_naming_the_problem() {
    let zion = start().await;
    let (status, body) = post(&zion, "application/json", b"{\"query\": ".to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        only_error(&body)
            .0
            .starts_with("the request body is not valid JSON: EOF"),
        "{body}"
    );
}

#[tokio::test]
async fn a_body_without_a_query_is_a_400() {
    let zion = start().await;
    let (status, body) = post(&zion, "application/json", br#"{"variables": {}}"#.to_vec()).await;
    assert_eq!(
        (status, only_error(&body).0.as_str()),
        (400, "the request body needs a \"query\" string")
    );
}

#[tokio::test]
async fn a_non_json_body_is_a_415() {
    let zion = start().await;
    let (status, body) = post(
        &zion,
        "application/x-www-form-urlencoded",
        b"query=%7B__typename%7D".to_vec(),
    )
    .await;
    assert_eq!(status, 415);
    assert!(
        only_error(&body)
            .0
            .contains("Content-Type: application/json"),
        "{body}"
    );
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let zion = start().await;
    let query = format!("{{ __typename }} # {}", "x".repeat(2 << 20));
    let body = serde_json::to_vec(&json!({ "query": query })).unwrap();
    let (status, answer) = post(&zion, "application/json", body).await;
    assert_eq!(status, 413);
    assert!(
        only_error(&answer).0.contains("at most 1048576"),
        "{answer}"
    );
}

#[tokio::test]
async fn get_on_the_endpoint_is_a_405() {
    let zion = start().await;
    let response = reqwest::get(zion.graphql_url()).await.unwrap();
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn an_unknown_path_names_the_graphql_path() {
    let zion = start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", zion.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(
        only_error(&body)
            .0
            .contains("POST /zero/zion-project/api/graphql-v2"),
        "{body}"
    );
}

#[tokio::test]
async fn a_preflight_allows_bearer_json_posts_from_the_page_origin() {
    let zion = start().await;
    let response = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, zion.graphql_url())
        .header("origin", "http://127.0.0.1:5173")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_string();
    assert_eq!(
        header("access-control-allow-origin"),
        "http://127.0.0.1:5173"
    );
    assert_eq!(
        header("access-control-allow-headers"),
        "authorization, content-type"
    );
    assert!(header("access-control-allow-methods").contains("POST"));
}
