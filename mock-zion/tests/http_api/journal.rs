//! The journal records every request with its parsed operation and the answer.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn records_operation_arguments_after_variable_substitution_headers_and_errors() {
    let zion = start().await;
    create_order(&zion, TOKEN, 250).await;
    gql(&zion, None, "{ nope }", json!({})).await;

    zion.journal(|journal| {
        let entries = journal.entries();
        assert_eq!(entries.len(), 2);
        let created = &entries[0];
        let operation = created.operation.as_ref().unwrap();
        assert_eq!(
            (operation.kind.as_str(), operation.name.as_deref()),
            ("mutation", Some("CreateOrder"))
        );
        assert_eq!(
            json!(operation.fields[0].arguments),
            json!({"actionFlowId": CREATE_ORDER, "versionId": -1, "args": {"amount": 250}})
        );
        assert_eq!(created.headers["authorization"], format!("Bearer {TOKEN}"));
        assert_eq!(
            created.response["data"]["fz_invoke_action_flow"]["amount"],
            250
        );
        assert!(created.errors.is_empty());

        let invalid = &entries[1];
        assert!(invalid.operation.is_none());
        assert_eq!(
            invalid.errors,
            [r#"Cannot query field "nope" on type "Query"."#]
        );
        assert!(invalid.elapsed_ms >= created.elapsed_ms);
    });
}

#[tokio::test]
async fn is_served_as_json_and_text_for_humans() {
    let zion = start().await;
    create_order(&zion, TOKEN, 100).await;
    let entries: serde_json::Value = get_json(&format!("{}/journal", zion.admin_url())).await;
    assert_eq!(
        entries[0]["operation"]["fields"][0]["name"],
        "fz_invoke_action_flow"
    );
    let text = get_text(&format!("{}/journal?format=text", zion.admin_url())).await;
    assert!(text.starts_with("#1 +"), "{text}");
    assert!(
        text.contains(r#"mutation CreateOrder fz_invoke_action_flow({"actionFlowId":"#),
        "{text}"
    );
}
