//! Every known-bug copy of a reference app (`fixtures/mutants/web-*` for the web shop,
//! `fixtures/mutants/mp-*` for the Mini Program) must fail the feature suite, and the failure
//! must name its bug (the mutant's `expect.txt`) in the first line of a failed step's message
//! — the cause before the symptom — not just "some step failed".
//!
//! A mutant is a patch against `fixtures/web-shop` or `fixtures/miniprogram-shop`, applied to
//! a temporary copy.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Which reference app a mutant patches, which feature exercises it, and the option that
/// points the CLI at the copy.
struct Kind {
    app: &'static str,
    // The English features cover every step; the Chinese ones would repeat the same code.
    feature: &'static str,
    option: &'static str,
}

const WEB: Kind = Kind {
    app: "fixtures/web-shop",
    feature: "features/alipay_web.feature",
    option: "--web-app",
};

const MINI_PROGRAM: Kind = Kind {
    app: "fixtures/miniprogram-shop",
    feature: "features/wechat_miniprogram.feature",
    option: "--mini-program",
};

/// Runs the suite against one mutant; `Err` says how it escaped.
fn run_mutant(mutant: &Path, kind: &Kind) -> Result<(), String> {
    let name = mutant.file_name().unwrap().to_string_lossy().to_string();
    let work = tempfile::tempdir().unwrap();
    let app = work.path().join("app");
    copy_dir(&root().join(kind.app), &app);
    let applied = Command::new("git")
        .args(["apply", "-p1"])
        .arg(mutant.join("bug.patch"))
        .current_dir(&app)
        .output()
        .expect("mutants are applied with `git apply`: install git");
    if !applied.status.success() {
        return Err(format!(
            "{name}: its patch no longer applies: {}",
            String::from_utf8_lossy(&applied.stderr)
        ));
    }
    let expected = std::fs::read_to_string(mutant.join("expect.txt"))
        .unwrap()
        .trim()
        .to_string();
    let output = Command::new(BIN)
        .arg("run")
        .arg(root().join(kind.feature))
        .arg(kind.option)
        .arg(&app)
        .arg("--report")
        .arg(work.path().join("reports"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let verdict = match output.status.code() {
        Some(1) if first_lines(&stdout).any(|line| line.contains(&expected)) => Ok(()),
        Some(1) => Err(format!(
            "{name}: the suite failed, but no failure starts with its cause \"{expected}\"; the failures' first lines:\n{}",
            first_lines(&stdout).collect::<Vec<_>>().join("\n")
        )),
        Some(0) => Err(format!("{name}: the suite passed against a known bug")),
        other => Err(format!(
            "{name}: the run ended with {other:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        )),
    };
    // An escape is rare and may be timing: keep its report (HTML, artifacts, chromedriver.log).
    verdict.map_err(|why| {
        let kept = work.keep();
        format!("{why}\n(its app and report are kept in {})", kept.display())
    })
}

/// The first line of every failed step's message in cucumber's output: where the cause must
/// stand, before any symptom.
fn first_lines(stdout: &str) -> impl Iterator<Item = &str> {
    stdout
        .lines()
        .filter_map(|line| line.split_once("Captured output: ").map(|(_, first)| first))
}

fn mutants(prefix: &str) -> Vec<PathBuf> {
    let mut mutants: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/mutants"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    mutants.sort();
    mutants
}

/// One group of mutants at a time, whatever the test runner's threads: more browsers than
/// this on two cores would stretch the timing the verdicts measure.
static ONE_GROUP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs every mutant, two suites at a time (one per core, each running four scenarios
/// concurrently), and fails with every escape.
fn all_caught(mutants: &[PathBuf], kind: &Kind) {
    let _turn = ONE_GROUP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let escaped: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = mutants
            .chunks(mutants.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|m| run_mutant(m, kind).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        escaped.is_empty(),
        "{} mutant(s) escaped:\n{}",
        escaped.len(),
        escaped.join("\n\n")
    );
}

#[test]
fn every_web_mutant_fails_the_suite_for_its_own_bug() {
    let mutants = mutants("web-");
    assert!(
        mutants.len() >= 17,
        "expected the seventeen web mutants, found {mutants:?}"
    );
    all_caught(&mutants, &WEB);
}

#[test]
fn every_mini_program_mutant_fails_the_suite_for_its_own_bug() {
    let mutants = mutants("mp-");
    assert!(
        mutants.len() >= 8,
        "expected the eight Mini Program mutants, found {mutants:?}"
    );
    all_caught(&mutants, &MINI_PROGRAM);
}
