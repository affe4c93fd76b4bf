//! A team's own Rust steps beside the step library, as cucumber-rs users write them: a
//! binary of the team's (`cargo new`, then `zion-pay-e2e`, `cucumber` and `tokio` as
//! dependencies) defines steps on [`ShopWorld`] and hands the run to the harness. Its steps
//! join the library's: the checks before a run know them, `steps` does not list them.
//!
//! Run it where a `zion-e2e.toml` is (or here, against the bundled reference apps):
//!
//! ```text
//! cargo run --example own_steps -- features/alipay_web.feature
//! ```

use std::process::ExitCode;

use cucumber::then;
use zion_pay_e2e::cli::config::E2eConfig;
use zion_pay_e2e::runner::{run, RunOptions};
use zion_pay_e2e::steps::ShopWorld;

/// A check the library does not have: how many orders the scenario's shopper made.
#[then(expr = "the shopper has made {int} order(s)")]
async fn made_orders(w: &mut ShopWorld, count: usize) -> Result<(), String> {
    let orders = w.orders();
    let result = match orders.len() == count {
        true => Ok(()),
        false => Err(format!(
            "the shopper made {} order(s), not {count}: {orders:?}",
            orders.len()
        )),
    };
    // Failures get the harness's diagnosis and artifacts, as the library's steps do.
    w.explain(result).await
}

#[tokio::main]
async fn main() -> ExitCode {
    let (config, root) = match E2eConfig::discover(None) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut options = RunOptions::from_config(&config, &root);
    let features: Vec<_> = std::env::args().skip(1).map(Into::into).collect();
    if !features.is_empty() {
        options.features = features;
    }
    match run(options).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
