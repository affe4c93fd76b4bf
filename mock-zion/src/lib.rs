//! # mock-zion
//!
//! A strict, stateful mock of a [Zion](https://zion.functorz.com) project's GraphQL API and of
//! the payment providers behind it, built on [wiremock].
//!
//! It rejects what the real platform rejects (schema validation, custom scalars, Bearer
//! auth, row-level permissions), remembers what the app sent (the [`Journal`]), and lets a
//! test control state and faults — from Rust ([`MockZion`]) or over HTTP under `/__mock/`
//! (the `mock-zion serve` binary).
//!
//! ```
//! # tokio_test::block_on(async {
//! use mock_zion::{Fault, FaultKind, MockZion, ProjectConfig};
//! use serde_json::json;
//!
//! // Arrange: a mock with the seeds' shapes, and a fault on the next create-order call.
//! let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
//! zion.inject(Fault::new("fz_invoke_action_flow", FaultKind::GraphqlError { message: "busy".into() }));
//!
//! // Act: the app creates an order.
//! let query = r#"mutation CreateOrder($args: Json!) {
//!     fz_invoke_action_flow(actionFlowId: "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d", versionId: -1, args: $args)
//! }"#;
//! let answer: serde_json::Value = reqwest::Client::new()
//!     .post(zion.graphql_url())
//!     .bearer_auth("zion-test-token")
//!     .json(&json!({"query": query, "variables": {"args": {"amount": 100}}}))
//!     .send().await.unwrap().json().await.unwrap();
//!
//! // Assert: the fault answered, and the journal saw the call with its arguments.
//! assert_eq!(answer["errors"][0]["message"], "busy");
//! let args = zion.journal(|j| j.calls("fz_invoke_action_flow").next().unwrap().1.arguments.clone());
//! assert_eq!(args["args"], json!({"amount": 100}));
//! # })
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod actionflows;
pub mod alipay;
pub mod auth;
pub mod clock;
pub mod config;
mod control;
pub mod db;
pub mod failure;
pub mod faults;
pub mod graphql;
mod http;
pub mod journal;
pub mod loopback;
pub mod matchers;
pub mod money;
pub mod notifications;
pub mod orders;
pub mod project;
pub mod serve;
mod server;
pub mod state;
pub mod subscriptions;
pub mod tables;
pub mod wechat;

pub use alipay::{Outcome, Trade, TradeStatus};

/// Does once, ahead of a run's first scenario, what its first mock instance would otherwise
/// do inside that scenario: the run's RSA keys (Alipay's, the merchant's, the token signer's)
/// and the project's GraphQL schema, both kept for the process.
///
/// ```
/// mock_zion::warm_up(&mock_zion::ProjectConfig::default());
/// assert!(mock_zion::auth::jwt::public_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
/// ```
pub fn warm_up(config: &ProjectConfig) {
    // Side by side: a 2048-bit key takes 0.1–0.4 s to find (measured here), and the first
    // scenario waits for all three.
    std::thread::scope(|scope| {
        scope.spawn(auth::jwt::public_pem);
        // A schema that does not build is reported by the scenario that needs it.
        scope.spawn(|| graphql::schema::build(config));
        alipay::keys::run_keys();
    });
}
pub use clock::Clock;
pub use config::{ConfigError, ProjectConfig};
pub use faults::{Fault, FaultKind};
pub use journal::{EntryKind, FieldCall, Journal, JournalEntry, OperationSummary};
pub use server::{MockZion, MockZionBuilder, OverrideGuard, StartError};
pub use wechat::SheetOutcome;
pub use wiremock::ResponseTemplate;
