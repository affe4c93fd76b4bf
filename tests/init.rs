//! `zion-pay-e2e init` as a team meets it: in an empty folder it writes a config, the
//! reference features and the reference apps, and `run` there passes without arguments.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

#[test]
fn init_in_an_empty_folder_then_run_there_passes_against_the_reference_apps() {
    let dir = tempfile::tempdir().unwrap();
    let init = Command::new(BIN)
        .arg("init")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    for written in [
        "zion-e2e.toml",
        "features/alipay_web.feature",
        "features/zh-CN/wechat_miniprogram.feature",
        "reference-apps/web-shop/index.html",
        "reference-apps/miniprogram-shop/app.json",
    ] {
        assert!(
            dir.path().join(written).is_file(),
            "init wrote no {written}"
        );
    }

    let run = Command::new(BIN)
        .arg("run")
        .env_remove("WEBDRIVER_URL")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Every copied feature ran (English and zh-CN, web and Mini Program), from the config.
    assert!(stdout.contains("6 features"), "{stdout}");
    assert!(stdout.contains("58 scenarios (58 passed)"), "{stdout}");
    // The report went where the config says, next to it.
    let junit = std::fs::read_to_string(dir.path().join("reports/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 6);
    assert!(suites.iter().all(|s| s.attribute("failures") == Some("0")));
    let cases = doc.descendants().filter(|n| n.has_tag_name("testcase"));
    assert_eq!(cases.count(), 58);

    let again = Command::new(BIN)
        .arg("init")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("pass --force to replace them"));
}
