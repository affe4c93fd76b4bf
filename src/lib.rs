//! # zion-pay-e2e
//!
//! End-to-end tests that prove a frontend's payment integration with a Zion backend works
//! before real money moves: Gherkin scenarios (cucumber-rs) drive the app under test in a
//! real browser against [mock-zion](mock_zion), a strict, stateful mock of the project's
//! GraphQL API and of the payment providers behind it.
//!
//! The pieces: [`browser`] (Chromium over WebDriver, pooled sessions), [`app_host`] (the
//! app under test on a loopback origin), [`steps`] (the World and the step library),
//! [`runner`] (cucumber, reports), [`cleanup`] (nothing left running on exit).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app_host;
pub mod browser;
pub mod checks;
pub mod cleanup;
pub mod config;
pub mod diagnose;
pub mod doctor;
pub mod feature_files;
pub mod init;
pub mod mini_program;
pub mod mp_host;
pub mod mp_shopper;
pub mod page;
pub mod preflight;
pub mod progress;
pub mod report;
pub mod runner;
pub mod shopper;
#[path = "../steps/mod.rs"]
pub mod steps;
pub mod typescript;
pub mod web_app;
pub mod wechat_checks;

pub use mock_zion;
