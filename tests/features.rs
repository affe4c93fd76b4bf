//! The feature suite: every feature under `features/` against the bundled reference apps,
//! headless, with JUnit XML and failure artifacts in `reports/` (or `$ZION_E2E_REPORT_DIR`).
//! `ZION_E2E_WEB_APP` points the suite at another copy of the web app.
//!
//! It runs twice: on virtual time (the default, report in `reports/`) and on the wall clock
//! (`--real-time`, report in `reports/real-time/`). Every scenario must pass both ways: the
//! clock that skips idle stretches must not change a verdict.

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
    // One run per process (the harness is a static): the wall-clock pass is this same
    // binary again.
    if std::env::var_os("ZION_E2E_REAL_TIME").is_some() {
        options.real_time = true;
        options.report_dir = options.report_dir.join("real-time");
        return report("real time", run(options).await);
    }
    eprintln!("\n# The feature suite on virtual time\n");
    let virtual_time = report("virtual time", run(options).await);
    if virtual_time != ExitCode::SUCCESS {
        return virtual_time;
    }
    eprintln!("\n# The feature suite on real time (--real-time)\n");
    let again =
        std::process::Command::new(std::env::current_exe().expect("the test knows its path"))
            .env("ZION_E2E_REAL_TIME", "1")
            .status();
    match again {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("zion-pay-e2e: cannot run the suite again on real time: {e}");
            ExitCode::from(2)
        }
    }
}

fn report(clock: &str, result: Result<bool, zion_pay_e2e::runner::RunError>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("zion-pay-e2e: the feature suite failed on {clock}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("zion-pay-e2e: error on {clock}: {e}");
            ExitCode::from(2)
        }
    }
}
