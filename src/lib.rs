//! # zion-pay-e2e
//!
//! End-to-end tests that prove a frontend's payment integration with a Zion backend works
//! before real money moves: Gherkin scenarios (cucumber-rs) drive the app under test in a
//! real browser against [mock-zion](mock_zion), a strict, stateful mock of the project's
//! GraphQL API and of the payment providers behind it.
//!
//! The pieces, by folder: [`cli`] (the config, `init`, `doctor`, checks before a run),
//! [`browser`] (Chromium over WebDriver, pooled sessions, the page), [`web`] (the web app
//! under test: its origin, a shopper's actions, the Alipay verdicts), [`mini_program`] (the
//! same for a Mini Program under mp-sim, with WeChat Pay), [`report`] (diagnoses, progress,
//! failure artifacts, the HTML report), [`steps`] (the World and the step library),
//! [`runner`] (cucumber, reports), [`cleanup`] (nothing left running on exit).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod browser;
pub mod cleanup;
pub mod cli;
pub mod mini_program;
pub mod phrases;
pub mod report;
pub mod rows;
pub mod runner;
#[path = "../steps/mod.rs"]
pub mod steps;
pub mod ui;
pub mod web;

pub use mock_zion;
