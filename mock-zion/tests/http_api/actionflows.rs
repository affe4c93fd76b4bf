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

mod custom {
    use mock_zion::{MockZion, ProjectConfig};
    use serde_json::json;

    use crate::support::{gql, only_error, TOKEN};

    const INVOKE: &str = "mutation($id: String!, $args: Json) { fz_invoke_action_flow(actionFlowId: $id, versionId: -1, args: $args) }";

    async fn start() -> MockZion {
        let config = ProjectConfig::from_toml_str(
            r#"
            [tables.order]
            owner = "account_account"
            columns = { id = "bigint", status = "String", amount = "Int", pay_amount = "Float", goods_name = "String", account_account = "bigint" }
            [tables.account]
            owner = "id"
            columns = { id = "bigint" }
            [tables.favorite]
            owner = "account_account"
            columns = { id = "bigint", product = "Int", note = "String", account_account = "bigint" }

            [actionflows]
            "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d" = "create_order"
            "greet" = { answer = { message = "hello {{args.name}}", me = "{{caller.id}}", n = "{{args.n}}" } }
            "closed" = { error = "the shop is closed today ({{args.day}})" }
            "add-favorite" = { insert = "favorite", values = { product = "{{args.product}}", note = "{{args.note}}" } }
            "favorites" = { select = "favorite", filter = { product = "{{args.product}}" }, answer = { count = "{{result.0.id}}", rows = "{{result}}" } }
            "rename-favorites" = { update = "favorite", filter = { product = "{{args.product}}" }, values = { note = "{{args.note}}" } }
            "#,
            "zion-e2e.toml",
        )
        .unwrap();
        MockZion::start(config).await.unwrap()
    }

    #[tokio::test]
    async fn an_answer_template_uses_the_args_and_the_caller() {
        let zion = start().await;
        let (_, body) = gql(
            &zion,
            Some(TOKEN),
            INVOKE,
            json!({"id": "greet", "args": {"name": "Ann", "n": 3}}),
        )
        .await;
        assert_eq!(
            body["data"]["fz_invoke_action_flow"],
            json!({"message": "hello Ann", "me": 1, "n": 3})
        );
        let (_, body) = gql(
            &zion,
            Some(TOKEN),
            INVOKE,
            json!({"id": "closed", "args": {"day": "Sunday"}}),
        )
        .await;
        assert_eq!(
            only_error(&body),
            (
                "actionflow \"closed\": the shop is closed today (Sunday)".to_string(),
                "ACTIONFLOW_ERROR".to_string()
            )
        );
    }

    #[tokio::test]
    async fn insert_select_and_update_work_on_the_callers_rows() {
        let zion = start().await;
        let (_, body) = gql(
            &zion,
            Some(TOKEN),
            INVOKE,
            json!({"id": "add-favorite", "args": {"product": 7, "note": "gift"}}),
        )
        .await;
        let row = &body["data"]["fz_invoke_action_flow"];
        assert_eq!(
            (
                row["product"].clone(),
                row["note"].clone(),
                row["account_account"].clone()
            ),
            (json!(7), json!("gift"), json!(1))
        );
        let (_, body) = gql(
            &zion,
            Some(TOKEN),
            INVOKE,
            json!({"id": "rename-favorites", "args": {"product": 7, "note": "for mum"}}),
        )
        .await;
        assert_eq!(
            body["data"]["fz_invoke_action_flow"],
            json!({"affected_rows": 1})
        );
        let (_, body) = gql(
            &zion,
            Some(TOKEN),
            INVOKE,
            json!({"id": "favorites", "args": {"product": 7}}),
        )
        .await;
        let answer = &body["data"]["fz_invoke_action_flow"];
        assert_eq!(answer["rows"][0]["note"], "for mum");
        assert_eq!(answer["count"], row["id"]);
        // Another account sees none of them.
        zion.add_account(2, "bob-token", Default::default())
            .unwrap();
        let (_, body) = gql(
            &zion,
            Some("bob-token"),
            INVOKE,
            json!({"id": "favorites", "args": {"product": 7}}),
        )
        .await;
        assert_eq!(body["data"]["fz_invoke_action_flow"]["rows"], json!([]));
    }

    #[test]
    fn a_custom_actionflow_on_a_missing_column_is_named() {
        let e = ProjectConfig::from_toml_str(
            "[actionflows]\n\"x\" = { insert = \"order\", values = { total = 1 } }\n",
            "zion-e2e.toml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "zion-e2e.toml:2: actionflow \"x\": `total` is not a column of `order`"
        );
        let e = ProjectConfig::from_toml_str(
            "[actionflows]\n\"x\" = { error = \"a\", answer = 1 }\n",
            "zion-e2e.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("give exactly one of answer, error, insert, select or update"),
            "{e}"
        );
    }
}
