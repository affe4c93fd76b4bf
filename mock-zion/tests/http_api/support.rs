//! A small GraphQL client for the tests.

use mock_zion::{MockZion, ProjectConfig};
use serde_json::{json, Value};

pub const TOKEN: &str = "zion-test-token";
pub const CREATE_ORDER: &str = "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d";

pub const CREATE_ORDER_QUERY: &str = r#"mutation CreateOrder($args: Json!) {
  fz_invoke_action_flow(actionFlowId: "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d", versionId: -1, args: $args)
}"#;

pub async fn start() -> MockZion {
    MockZion::start(ProjectConfig::default()).await.unwrap()
}

/// Posts a GraphQL request; returns the HTTP status and the JSON body.
pub async fn gql(
    zion: &MockZion,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(zion.graphql_url())
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Creates an order of `amount` fen for `token`; returns its id.
pub async fn create_order(zion: &MockZion, token: &str, amount: i64) -> i64 {
    let (_, body) = gql(
        zion,
        Some(token),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": amount}}),
    )
    .await;
    body["data"]["fz_invoke_action_flow"]["order_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no order id in {body}"))
}

/// POSTs JSON to a control endpoint; returns the JSON answer.
pub async fn post_json(url: &str, body: &Value) -> Value {
    reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// GETs a control endpoint; returns the JSON answer.
pub async fn get_json(url: &str) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

/// GETs a text endpoint (the journal as text, a PEM key, the SDL); returns the body.
pub async fn get_text(url: &str) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

/// The only error of a response: its message and code.
pub fn only_error(body: &Value) -> (String, String) {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"));
    assert_eq!(errors.len(), 1, "expected one error, got {body}");
    (
        errors[0]["message"].as_str().unwrap().to_string(),
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}
