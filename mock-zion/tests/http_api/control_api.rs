//! The control API under /__mock/, as a developer with curl uses it.

use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn seed_read_and_reset_over_http() {
    let zion = start().await;
    let client = reqwest::Client::new();
    let admin = zion.admin_url();

    let added = client
        .post(format!("{admin}/accounts"))
        .json(&json!({"id": 5, "token": "t5", "values": {"can_use_ai": true}}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let inserted: Value = client
        .post(format!("{admin}/tables/order/rows"))
        .json(&json!({"amount": 300, "status": "待支付", "account_account": 5}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = inserted["id"].as_i64().unwrap();
    let row: Value = get_json(&format!("{admin}/tables/order/rows/{id}")).await;
    assert_eq!(
        (row["amount"].as_i64(), row["account_account"].as_i64()),
        (Some(300), Some(5))
    );
    let (_, seen) = gql(
        &zion,
        Some("t5"),
        "query($id: bigint!) { order_by_pk(id: $id) { amount } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(seen["data"]["order_by_pk"]["amount"], 300);

    assert_eq!(
        client
            .post(format!("{admin}/reset"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        client
            .get(format!("{admin}/tables/order/rows/{id}"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (_, after) = gql(&zion, Some("t5"), "{ __typename }", json!({})).await;
    assert_eq!(
        only_error(&after).1,
        "UNAUTHENTICATED",
        "accounts added at run time are gone"
    );
    let journal: Value = get_json(&format!("{admin}/journal")).await;
    assert_eq!(
        journal[0]["url"], "/__mock/reset",
        "the journal starts over at the reset: {journal}"
    );
}

#[tokio::test]
async fn bad_control_input_is_explained() {
    let zion = start().await;
    let client = reqwest::Client::new();
    let admin = zion.admin_url();
    let wrong_column: Value = client
        .post(format!("{admin}/tables/order/rows"))
        .json(&json!({"amout": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(wrong_column["error"], "table `order` has no column `amout`");
    let bad_fault = client
        .post(format!("{admin}/faults"))
        .json(&json!({"field": "x", "kind": "explode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_fault.status(), 400);
    let unknown = client.get(format!("{admin}/nothing")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let index = get_text(&format!("{admin}/")).await;
    assert!(index.contains("POST   /__mock/faults"), "{index}");
}

#[tokio::test]
async fn serves_its_schema_as_sdl() {
    let zion = start().await;
    let sdl = get_text(&format!("{}/schema.graphql", zion.admin_url())).await;
    assert!(sdl.contains("order_by_pk(id: bigint!): order"), "{sdl}");
}
