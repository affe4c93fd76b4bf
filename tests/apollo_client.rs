//! Zion's reference web client against mock-zion, in Chromium: Apollo Client with the HTTP
//! link and a subscriptions-transport-ws `WebSocketLink` split by operation type (the npm
//! packages in `tests/fixtures/apollo-client`, installed by `scripts/setup` and bundled here
//! with esbuild). The page calls the real Zion host's URLs, as a built app does; the
//! harness's rerouting sends both the POSTs and the WebSocket to this test's mock. It logs
//! in, queries, subscribes to its orders, sees an insert arrive, and follows an async
//! actionflow to COMPLETED.

use std::path::{Path, PathBuf};
use std::process::Command;

use mock_zion::{EntryKind, MockZion, ProjectConfig};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};
use zion_pay_e2e::browser::page::Page;
use zion_pay_e2e::browser::{Browser, BrowserOptions};

const CREATE_ORDER: &str = "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apollo-client")
}

/// The client bundled for the browser (one IIFE script).
fn bundle(out: &Path) -> String {
    let esbuild = fixture().join("node_modules/.bin/esbuild");
    assert!(
        esbuild.exists(),
        "{} is missing: run scripts/setup (it installs the fixture's npm packages)",
        esbuild.display()
    );
    let file = out.join("client.js");
    let built = Command::new(&esbuild)
        .arg(fixture().join("client.mjs"))
        .args(["--bundle", "--format=iife", "--log-level=warning"])
        .arg(format!("--outfile={}", file.display()))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "esbuild failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    std::fs::read_to_string(file).unwrap()
}

#[tokio::test]
async fn apollo_client_logs_in_queries_subscribes_and_runs_an_async_actionflow() {
    let work = tempfile::tempdir().unwrap();
    let script = bundle(work.path());
    let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
    zion.set_password_login(1, "alice", "s3cret");
    // The page is served by the mock's own server, so its GraphQL POSTs are same-origin.
    Mock::given(method("GET"))
        .and(path("/apollo/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><title>Apollo</title><script src=\"/apollo/client.js\"></script>",
            "text/html; charset=utf-8",
        ))
        .with_priority(1)
        .mount(zion.server())
        .await;
    Mock::given(method("GET"))
        .and(path("/apollo/client.js"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(script, "text/javascript"))
        .with_priority(1)
        .mount(zion.server())
        .await;

    let browser = Browser::launch(BrowserOptions::default()).await.unwrap();
    let page = Page::new(browser.session().await.unwrap());
    let rerouting = page
        .reroute_zion_to(&zion.graphql_url(), &zion.subscription_url(), &[])
        .await
        .unwrap();
    page.open(&format!("{}/apollo/", zion.uri())).await.unwrap();
    let project = zion.config().project.ex_id.clone();
    let args = json!({
        "httpUrl": format!("https://zion-app.functorz.com/zero/{project}/api/graphql-v2"),
        "wsUrl": format!("wss://zion-app.functorz.com/zero/{project}/api/graphql-subscription"),
        "username": "alice",
        "password": "s3cret",
        "flowId": CREATE_ORDER,
    });
    let outcome = page
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.zionFlow(arguments[0]).then(
               (report) => done({ report }),
               (error) => done({ error: String(error && (error.stack || error.message) || error) }));",
            vec![args],
        )
        .await
        .unwrap();
    let blocked = page.blocked_hosts();
    page.remove_script(&rerouting).await;
    browser.release(page.into_session()).await;
    browser.shutdown().await;
    let journal = zion.journal(|j| j.summary());
    let report = outcome
        .get("report")
        .unwrap_or_else(|| panic!("the client failed: {outcome}\njournal:\n{journal}"));
    assert!(blocked.is_empty(), "the page reached out: {blocked:?}");

    assert_eq!(report["loggedInAs"], 1);
    assert_eq!(report["queried"], 1);
    assert_eq!(report["ordersAtFirst"], 0);
    let created = report["created"].as_i64().unwrap();
    // The subscription's first result (no orders), then the insert arriving by itself.
    assert_eq!(
        report["ordersMessages"],
        json!([[], [created]]),
        "{journal}"
    );
    let statuses: Vec<&str> = report["taskStatuses"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(statuses.last(), Some(&"COMPLETED"), "{report}");
    assert!(statuses.contains(&"PROCESSING"), "{report}");
    assert_eq!(report["taskOutput"]["amount"], 700);

    // The socket logged in with the token, and the mock journalled the subscriptions.
    let entries = zion.journal(|j| j.entries().to_vec());
    let init = entries
        .iter()
        .find(|e| {
            e.kind == EntryKind::Subscription
                && e.body.contains("connection_init")
                && e.body.contains("authToken")
        })
        .unwrap_or_else(|| panic!("no logged-in connection_init in\n{journal}"));
    assert_eq!(init.response["account"], 1);
    assert!(entries
        .iter()
        .any(|e| e.kind == EntryKind::SubscriptionData));
}
