//! Documents the real schema refuses are refused here, with graphql-js messages naming the
//! offending field and spec-shaped errors.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn unknown_field_is_named() {
    let zion = start().await;
    let (status, body) = gql(
        &zion,
        Some(TOKEN),
        "{ order_by_pk(id: 1) { id totl } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (message, code) = only_error(&body);
    assert_eq!(message, r#"Cannot query field "totl" on type "order"."#);
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(
        body["errors"][0]["locations"],
        json!([{"line": 1, "column": 27}])
    );
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn sub_selection_on_the_actionflow_json_leaf_is_refused() {
    let zion = start().await;
    let query = r#"mutation CreateOrder($args: Json!) {
      fz_invoke_action_flow(actionFlowId: "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d", versionId: -1, args: $args) { order_id }
    }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({"args": {"amount": 100}})).await;
    let messages: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&r#"Field "fz_invoke_action_flow" must not have a selection since type "Json" has no subfields"#),
        "{messages:?}"
    );
    assert_eq!(
        zion.journal(|j| j.calls("fz_invoke_action_flow").count()),
        0,
        "nothing was executed"
    );
}

#[tokio::test]
async fn missing_required_argument_is_named() {
    let zion = start().await;
    let query = r#"mutation { createWechatPayment(orderId: 1, amount: 1, type: WECHATPAY_MINIPROGRAM) { status } }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({})).await;
    let (message, code) = only_error(&body);
    assert!(
        message.contains(r#"argument "description" of type "String!" is required"#),
        "{message}"
    );
    assert!(message.contains("createWechatPayment"), "{message}");
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_string_for_long_is_refused_naming_the_variable() {
    let zion = start().await;
    let query = r#"mutation Pay($orderId: Long!) {
      createWechatPayment(orderId: $orderId, amount: 0.01, description: "积分充值", type: WECHATPAY_MINIPROGRAM) { status message }
    }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({"orderId": "1000001"})).await;
    let (message, code) = only_error(&body);
    assert_eq!(
        message,
        r#"Variable "$orderId" got invalid value "1000001"; Long cannot represent a string: send a JSON integer."#
    );
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_string_literal_for_bigint_is_refused_naming_the_argument() {
    let zion = start().await;
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        r#"{ order_by_pk(id: "7") { id } }"#,
        json!({}),
    )
    .await;
    let (message, _) = only_error(&body);
    assert_eq!(
        message,
        r#"Argument "id" on field "order_by_pk" has invalid value "7"; bigint cannot represent a string: send a JSON integer."#
    );
}

#[tokio::test]
async fn numeric_strings_are_accepted_when_the_config_opts_in() {
    let mut config = mock_zion::ProjectConfig::default();
    config.graphql.numeric_strings = true;
    let zion = mock_zion::MockZion::start(config).await.unwrap();
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        "query($id: bigint!) { account_by_pk(id: $id) { id } }",
        json!({"id": "1"}),
    )
    .await;
    assert_eq!(body["data"]["account_by_pk"]["id"], 1, "{body}");
}

#[tokio::test]
async fn a_built_in_type_mismatch_in_variables_is_refused() {
    let zion = start().await;
    let query = r#"mutation Pay($amount: Float!) {
      alipayTrade(bizContent: {out_trade_no: "1", total_amount: $amount}, returnUrl: "http://127.0.0.1:1")
    }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({"amount": "0.01"})).await;
    let (message, code) = only_error(&body);
    assert!(message.contains("amount"), "{message}");
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn unknown_enum_value_is_named() {
    let zion = start().await;
    let query = r#"mutation { createWechatPayment(orderId: 1, amount: 1, description: "x", type: WECHAT_MINI) { status } }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({})).await;
    let (message, code) = only_error(&body);
    assert!(
        message.contains("WECHAT_MINI") && message.contains("PaymentType"),
        "{message}"
    );
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn an_unknown_enum_value_in_variables_is_refused() {
    let zion = start().await;
    let query = r#"mutation Pay($type: PaymentType!) { createWechatPayment(orderId: 1, amount: 1, description: "x", type: $type) { status } }"#;
    let (_, body) = gql(&zion, Some(TOKEN), query, json!({"type": "WECHAT_MINI"})).await;
    let (message, code) = only_error(&body);
    assert!(message.contains("type"), "{message}");
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_syntax_error_is_a_parse_failure() {
    let zion = start().await;
    let (_, body) = gql(&zion, Some(TOKEN), "{ order_by_pk(id: 1) { id }", json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("syntax error"),
        "{body}"
    );
}

#[tokio::test]
async fn typename_works_everywhere_as_apollo_client_sends_it() {
    let zion = start().await;
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        "{ __typename account_by_pk(id: 1) { __typename id } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["data"],
        json!({"__typename": "Query", "account_by_pk": {"__typename": "account", "id": 1}})
    );
}

#[tokio::test]
async fn introspection_describes_the_seed_fields() {
    let zion = start().await;
    let query = r#"{ __schema { mutationType { fields { name } } }
                     __type(name: "SignResult") { fields { name type { name } } } }"#;
    let (_, body) = gql(&zion, None, query, json!({})).await;
    let names: Vec<&str> = body["data"]["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names[..8],
        [
            "fz_invoke_action_flow",
            "fz_create_action_flow_task",
            "alipayTrade",
            "createWechatPayment",
            "authenticateWithUsername",
            "sendVerificationCodeToEmail",
            "authenticateWithEmail",
            "loginWithWechatMiniApp"
        ]
    );
    // Then Zion's generated table API, table by table.
    assert_eq!(
        names[8..14],
        [
            "insert_account",
            "insert_account_one",
            "update_account",
            "update_account_by_pk",
            "delete_account",
            "delete_account_by_pk"
        ]
    );
    assert_eq!(
        body["data"]["__type"]["fields"][0],
        json!({"name": "message", "type": {"name": "String"}})
    );
}

#[tokio::test]
async fn several_operations_need_an_operation_name() {
    let zion = start().await;
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        "query A { __typename } query B { __typename }",
        json!({}),
    )
    .await;
    let (message, _) = only_error(&body);
    assert_eq!(
        message,
        "Must provide operation name if query contains multiple operations."
    );
}

#[tokio::test]
async fn a_selection_of_unknown_fields_is_reported_once_as_graphql_js_does() {
    let zion = start().await;
    for query in [
        "{ order { nope } }",
        "{ mine: order(limit: 1) {\n  nope\n} }",
    ] {
        let (_, body) = gql(&zion, Some(TOKEN), query, json!({})).await;
        let (message, code) = only_error(&body);
        assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
        assert_eq!(
            message, "Cannot query field \"nope\" on type \"order\".",
            "{query}"
        );
    }
    // A field that needs a selection and has none is still named.
    let (_, body) = gql(&zion, Some(TOKEN), "{ order }", json!({})).await;
    let (message, _) = only_error(&body);
    assert!(
        message.contains("must have a selection of subfields"),
        "{message}"
    );
}
