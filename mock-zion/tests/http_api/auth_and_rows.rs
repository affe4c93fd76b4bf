//! Bearer tokens and Zion's row-level permission.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn actionflows_need_a_bearer_token() {
    let zion = start().await;
    let (_, body) = gql(
        &zion,
        None,
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 100}}),
    )
    .await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "UNAUTHENTICATED");
    assert!(
        message.contains("Authorization: Bearer <token>"),
        "{message}"
    );
    assert_eq!(body["errors"][0]["path"], json!(["fz_invoke_action_flow"]));
}

#[tokio::test]
async fn an_unknown_token_refuses_the_whole_request() {
    let zion = start().await;
    let (status, body) = gql(
        &zion,
        Some("stolen"),
        "{ account_by_pk(id: 1) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (message, code) = only_error(&body);
    assert_eq!(code, "UNAUTHENTICATED");
    assert!(message.contains("not valid"), "{message}");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn an_expired_token_says_so() {
    let zion = start().await;
    zion.expire_token(TOKEN);
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 100}}),
    )
    .await;
    let (message, _) = only_error(&body);
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn another_accounts_order_is_invisible() {
    let zion = start().await;
    zion.add_account(2, "bob-token", Default::default())
        .unwrap();
    let alices = create_order(&zion, TOKEN, 100).await;
    let query = "query($id: bigint!) { order_by_pk(id: $id) { id amount } }";
    let (_, as_bob) = gql(&zion, Some("bob-token"), query, json!({"id": alices})).await;
    assert_eq!(as_bob, json!({"data": {"order_by_pk": null}}));
    // The anonymous role reads only tables the config marks public.
    let (_, anonymous) = gql(&zion, None, query, json!({"id": alices})).await;
    assert_eq!(anonymous["data"], json!({"order_by_pk": null}));
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "PERMISSION_DENIED"
    );
    assert!(anonymous["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("permission denied: the anonymous role may not read table `order`"));
    let (_, as_alice) = gql(&zion, Some(TOKEN), query, json!({"id": alices})).await;
    assert_eq!(as_alice["data"]["order_by_pk"]["amount"], 100);
}

#[tokio::test]
async fn another_accounts_order_status_cannot_be_queried_through_the_actionflow() {
    let zion = start().await;
    zion.add_account(2, "bob-token", Default::default())
        .unwrap();
    let alices = create_order(&zion, TOKEN, 100).await;
    let query = r#"mutation($args: Json) { fz_invoke_action_flow(actionFlowId: "query-order-status", args: $args) }"#;
    let (_, body) = gql(
        &zion,
        Some("bob-token"),
        query,
        json!({"args": {"order_id": alices}}),
    )
    .await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "NOT_FOUND");
    assert!(message.contains(&format!("no order {alices}")), "{message}");
}
