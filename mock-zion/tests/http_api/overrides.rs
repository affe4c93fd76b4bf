//! A scenario's own answer to one operation, mounted over the endpoint.

use mock_zion::ResponseTemplate;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn an_override_answers_its_field_and_leaves_the_others_alone() {
    let zion = start().await;
    let guard = zion
        .override_field(
            "fz_invoke_action_flow",
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"fz_invoke_action_flow": {"order_id": 42}}})),
        )
        .await;
    let (_, overridden) = gql(
        &zion,
        Some(TOKEN),
        CREATE_ORDER_QUERY,
        json!({"args": {"amount": 1}}),
    )
    .await;
    assert_eq!(overridden["data"]["fz_invoke_action_flow"]["order_id"], 42);
    let (_, other) = gql(
        &zion,
        Some(TOKEN),
        "{ account_by_pk(id: 1) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(other["data"]["account_by_pk"]["id"], 1);
    assert_eq!(
        zion.journal(|j| j.calls("fz_invoke_action_flow").count()),
        1,
        "overridden calls are journaled"
    );
    assert!(
        zion.row("order", 1_000_001).is_none(),
        "the override executed nothing"
    );

    drop(guard);
    assert_eq!(create_order(&zion, TOKEN, 100).await, 1_000_001);
}
