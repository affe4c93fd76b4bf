//! Every known-bug copy of a reference app (`fixtures/mutants/web-*` for the web shop,
//! `fixtures/mutants/mp-*` for the Mini Program) must fail the feature suite, and the failure
//! must name its bug (the mutant's `expect.txt`) in the first line of a failed step's message
//! — the cause before the symptom — not just "some step failed". Each mutant runs on virtual
//! time and on the wall clock, and must be caught both ways. A run stops at its first failure
//! (`--fail-fast`) unless that failure is only a symptom.
//!
//! A mutant is a patch against `fixtures/web-shop` or `fixtures/miniprogram-shop`, applied to
//! a temporary copy. `fixtures/mutants/plan-shop-*` patch the second reference web app,
//! `fixtures/plan-shop` (React, built with Vite): its copy is built before its own features
//! (`fixtures/plan-shop/e2e`, generic steps and phrases only) run against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
    /// The app's own project config, for an app whose setup differs from the defaults.
    config: Option<&'static str>,
    /// Built with Vite: the copy's `dist/` is what runs.
    built: bool,
}

const WEB: Kind = Kind {
    app: "fixtures/web-shop",
    feature: "features/alipay_web.feature",
    option: "--web-app",
    config: None,
    built: false,
};

const PLAN_SHOP: Kind = Kind {
    app: "fixtures/plan-shop",
    feature: "fixtures/plan-shop/e2e/features/checkout.feature",
    option: "--web-app",
    config: Some("fixtures/plan-shop/e2e/zion-e2e.toml"),
    built: true,
};

const MINI_PROGRAM: Kind = Kind {
    app: "fixtures/miniprogram-shop",
    feature: "features/wechat_miniprogram.feature",
    option: "--mini-program",
    config: None,
    built: false,
};

/// Runs the suite against one mutant, on virtual time or (`real_time`) the wall clock; `Err`
/// says how it escaped.
fn run_mutant(mutant: &Path, kind: &Kind, real_time: bool) -> Result<(), String> {
    let name = format!(
        "{} ({})",
        mutant.file_name().unwrap().to_string_lossy(),
        if real_time {
            "real time"
        } else {
            "virtual time"
        }
    );
    let work = tempfile::tempdir().unwrap();
    let app = work.path().join("app");
    match kind.built {
        false => copy_dir(&root().join(kind.app), &app),
        true => copy_sources(&root().join(kind.app), &app),
    }
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
    let served = match kind.built {
        false => app.clone(),
        true => build(&app).map_err(|e| format!("{name}: {e}"))?,
    };
    let expected = std::fs::read_to_string(mutant.join("expect.txt"))
        .unwrap()
        .trim()
        .to_string();
    // Like a mutation tester, stop at the first failure (`--fail-fast`): one failure that
    // names the bug is enough. When the first failures are only symptoms, the whole feature
    // runs, so that any scenario may name the cause, as without the option.
    let started = std::time::Instant::now();
    let quick = run_suite(kind, &served, work.path(), real_time, true);
    let (output, how) = match judge(&quick, &expected) {
        Err(_) if quick.status.code() == Some(1) => (
            run_suite(kind, &served, work.path(), real_time, false),
            "the whole feature",
        ),
        _ => (quick, "up to the first failure"),
    };
    let verdict = judge(&output, &expected).map_err(|why| format!("{name}: {why}"));
    // Shown with --nocapture (and on an escape): where the mutants test's time goes.
    println!(
        "{name}: {} in {:.1} s, running {how}",
        match verdict {
            Ok(()) => "caught",
            Err(_) => "ESCAPED",
        },
        started.elapsed().as_secs_f64()
    );
    // An escape is rare and may be timing: keep its report (HTML, artifacts, chromedriver.log).
    verdict.map_err(|why| {
        let kept = work.keep();
        format!("{why}\n(its app and report are kept in {})", kept.display())
    })
}

/// Runs the mutant's feature against the served copy.
fn run_suite(kind: &Kind, served: &Path, work: &Path, real_time: bool, fail_fast: bool) -> Output {
    let mut command = Command::new(BIN);
    command.arg("run");
    if real_time {
        command.arg("--real-time");
    }
    if fail_fast {
        command.arg("--fail-fast");
    }
    if let Some(config) = kind.config {
        command.arg("--config").arg(root().join(config));
    }
    command
        .arg(root().join(kind.feature))
        .arg(kind.option)
        .arg(served)
        .arg("--report")
        .arg(work.join("reports"))
        .output()
        .unwrap()
}

/// Caught: the suite failed and a failed step's first line names the cause.
fn judge(output: &Output, expected: &str) -> Result<(), String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(1) if first_lines(&stdout).any(|line| line.contains(expected)) => Ok(()),
        Some(1) => Err(format!(
            "the suite failed, but no failure starts with its cause \"{expected}\"; the failures' first lines:\n{}",
            first_lines(&stdout).collect::<Vec<_>>().join("\n")
        )),
        Some(0) => Err("the suite passed against a known bug".to_string()),
        other => Err(format!(
            "the run ended with {other:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// Copies a built app's sources (not its `node_modules`, which is linked, nor its build).
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        match name.to_string_lossy().as_ref() {
            "dist" | "e2e" => {}
            "node_modules" => std::os::unix::fs::symlink(entry.path(), to.join(&name)).unwrap(),
            _ if entry.file_type().unwrap().is_dir() => copy_dir(&entry.path(), &to.join(&name)),
            _ => drop(std::fs::copy(entry.path(), to.join(&name)).unwrap()),
        }
    }
}

/// Builds a copy with Vite, as scripts/setup builds the app; returns its `dist/`.
fn build(app: &Path) -> Result<PathBuf, String> {
    let vite = app.join("node_modules/vite/bin/vite.js");
    if !vite.exists() {
        return Err(format!("{} is missing: run scripts/setup", vite.display()));
    }
    let built = Command::new("node")
        .arg(&vite)
        .args(["build", "--logLevel", "error"])
        .current_dir(app)
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    match built.status.success() {
        true => Ok(app.join("dist")),
        false => Err(format!(
            "its build failed: {}",
            String::from_utf8_lossy(&built.stderr)
        )),
    }
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

/// Runs every mutant on virtual time and on the wall clock — each must fail for its own
/// reason both ways —, two suites at a time (one per core), and fails with every escape.
fn all_caught(mutants: &[PathBuf], kind: &Kind) {
    let _turn = ONE_GROUP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let runs: Vec<(&PathBuf, bool)> = mutants
        .iter()
        .flat_map(|m| [(m, false), (m, true)])
        .collect();
    let escaped: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = runs
            .chunks(runs.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(m, real_time)| run_mutant(m, kind, *real_time).err())
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

#[test]
fn every_plan_shop_mutant_fails_its_features_for_its_own_bug() {
    let mutants = mutants("plan-shop-");
    assert!(
        mutants.len() >= 7,
        "expected the seven Plan Shop mutants, found {mutants:?}"
    );
    all_caught(&mutants, &PLAN_SHOP);
}
