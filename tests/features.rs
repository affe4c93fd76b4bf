//! The feature suite: every feature under `features/` against the bundled reference apps,
//! headless, with JUnit XML and failure artifacts in `reports/` (or `$ZION_E2E_REPORT_DIR`).
//! `ZION_E2E_WEB_APP` points the suite at another copy of the web app (the mutant tests do).

use std::path::PathBuf;
use std::process::ExitCode;

use zion_pay_e2e::runner::{run, RunOptions};

#[tokio::main]
async fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut options = RunOptions::bundled(&root);
    if let Some(dir) = std::env::var_os("ZION_E2E_REPORT_DIR") {
        options.report_dir = dir.into();
    }
    if let Some(dir) = std::env::var_os("ZION_E2E_WEB_APP") {
        options.web_app = zion_pay_e2e::web::WebAppSource::Dir(dir.into());
    }
    match run(options).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("zion-pay-e2e: error: {e}");
            ExitCode::from(2)
        }
    }
}
