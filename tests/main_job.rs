//! README's main job, `scripts/run`, as a user runs it: both suites (the reference apps', then
//! Plan Shop's), one exit code for the two, and a `--name` filter that may select scenarios
//! in one suite only. It runs this build's binary (`ZION_E2E_BIN`) rather than a release
//! build of its own, and writes its reports to a temporary folder (`ZION_E2E_REPORTS`).

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

/// What `scripts/run ARGS` ended with: its exit code and stderr.
struct Job {
    code: Option<i32>,
    stderr: String,
}

fn main_job(args: &[&str], reports: &Path) -> Job {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(root.join("scripts/run"))
        .args(args)
        .env("ZION_E2E_BIN", BIN)
        .env("ZION_E2E_REPORTS", reports)
        .current_dir(&root)
        .output()
        .unwrap();
    Job {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The names of the scenarios a suite's JUnit report says passed.
fn passed(junit: &Path) -> Vec<String> {
    let xml = std::fs::read_to_string(junit)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", junit.display()));
    xml.split("<testcase ")
        .skip(1)
        .filter(|case| {
            let case = case.split("</testcase>").next().unwrap_or_default();
            !case.contains("<failure") && !case.contains("<skipped") && !case.contains("<error")
        })
        .filter_map(|case| case.split("name=\"").nth(1)?.split('"').next())
        .map(String::from)
        .collect()
}

#[test]
fn the_main_job_runs_both_suites_and_passes_when_both_pass() {
    let reports = tempfile::tempdir().unwrap();
    // One scenario in each suite: "A wrong password is refused…".
    let job = main_job(&["--name", "wrong password"], reports.path());
    assert_eq!(job.code, Some(0), "{}", job.stderr);
    let reference = passed(&reports.path().join("junit.xml"));
    let plan_shop = passed(&reports.path().join("plan-shop/junit.xml"));
    assert_eq!(reference.len(), 1, "{reference:?}\n{}", job.stderr);
    assert_eq!(plan_shop.len(), 1, "{plan_shop:?}\n{}", job.stderr);
    assert!(reference[0].contains("wrong password"), "{reference:?}");
    assert!(plan_shop[0].contains("wrong password"), "{plan_shop:?}");
    assert!(reports.path().join("report.html").is_file());
    assert!(reports.path().join("plan-shop/report.html").is_file());
}

#[test]
fn a_filter_that_selects_scenarios_in_one_suite_only_is_no_failure() {
    let reports = tempfile::tempdir().unwrap();
    // Only the reference web shop has this scenario.
    let job = main_job(&["--name", "shop's own address"], reports.path());
    assert_eq!(job.code, Some(0), "{}", job.stderr);
    assert!(
        job.stderr
            .contains("run: the filter selects nothing in the plan-shop suite"),
        "{}",
        job.stderr
    );
    assert_eq!(passed(&reports.path().join("junit.xml")).len(), 1);
}

#[test]
fn a_filter_that_selects_nothing_in_either_suite_fails_the_job() {
    let reports = tempfile::tempdir().unwrap();
    let job = main_job(&["--name", "no scenario is called this"], reports.path());
    assert_eq!(job.code, Some(2), "{}", job.stderr);
    assert!(
        job.stderr
            .ends_with("run: the filter selects no scenario in either suite\n"),
        "{}",
        job.stderr
    );
}

#[test]
fn a_suite_that_fails_to_start_fails_the_job_and_the_other_suite_still_runs() {
    let reports = tempfile::tempdir().unwrap();
    let job = main_job(&["--concurrency", "0"], reports.path());
    assert_eq!(job.code, Some(2), "{}", job.stderr);
    // Both suites were started, and each said why it could not run.
    assert_eq!(
        job.stderr
            .matches("invalid value '0' for '--concurrency <CONCURRENCY>'")
            .count(),
        2,
        "{}",
        job.stderr
    );
}
