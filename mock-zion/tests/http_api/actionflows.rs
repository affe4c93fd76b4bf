//! The built-in actionflows, as the seeds' apps call them.

use serde_json::json;

use crate::support::*;

const QUERY_STATUS: &str = r#"mutation QueryOrderStatus($args: Json) {
  fz_invoke_action_flow(actionFlowId: "query-order-status", versionId: -1, args: $args)
}"#;

#[tokio::test]
async fn create_order_then_query_its_status_then_read_the_row() {
    let zion = start().await;
    let (_, created) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 100}}),
    )
    .await;
    let order = &created["data"]["fz_invoke_action_flow"];
    assert_eq!(order["amount"], 100);
    assert_eq!(order["goods_name"], "积分充值");
    let id = order["order_id"].as_i64().unwrap();

    let (_, status) = gql(
        &zion,
        Some(TOKEN),
        QUERY_STATUS,
        json!({"args": {"order_id": id}}),
    )
    .await;
    assert_eq!(
        status,
        json!({"data": {"fz_invoke_action_flow": {"status": "待支付"}}})
    );

    // The seed's own queryOrderStatus query, unchanged.
    let seed_query = r#"query GetOrder($id: bigint!) {
      order_by_pk(id: $id) { id status pay_amount account_account ud_jifenshuzhi_1f263d }
    }"#;
    let (_, row) = gql(&zion, Some(TOKEN), seed_query, json!({"id": id})).await;
    assert_eq!(
        row,
        json!({"data": {"order_by_pk": {"id": id, "status": "待支付", "pay_amount": null, "account_account": 1, "ud_jifenshuzhi_1f263d": null}}})
    );
    assert_eq!(zion.row("order", id).unwrap()["amount"], 100);
}

#[tokio::test]
async fn unknown_actionflow_id_is_named() {
    let zion = start().await;
    let query = r#"mutation { fz_invoke_action_flow(actionFlowId: "no-such-flow", args: {}) }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({})).await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "NOT_FOUND");
    assert!(
        message.starts_with(r#"actionflow "no-such-flow" does not exist in this project"#),
        "{message}"
    );
    assert!(
        message.contains(CREATE_ORDER),
        "lists the known ids: {message}"
    );
}

#[tokio::test]
async fn create_order_refuses_an_amount_that_is_not_whole_fen() {
    let zion = start().await;
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 0.01}}),
    )
    .await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains("args.amount must be a positive whole number of fen, got 0.01"),
        "{message}"
    );
}

#[tokio::test]
async fn create_order_takes_a_product_from_the_config() {
    let mut config = mock_zion::ProjectConfig::default();
    config.products.push(mock_zion::config::Product {
        id: 3,
        name: "AI 会员".into(),
        price_fen: 990,
    });
    let zion = mock_zion::MockZion::start(config).await.unwrap();
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"product_id": 3}}),
    )
    .await;
    let order = &body["data"]["fz_invoke_action_flow"];
    assert_eq!(
        (order["amount"].as_i64(), order["goods_name"].as_str()),
        (Some(990), Some("AI 会员"))
    );
}
