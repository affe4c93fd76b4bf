//! What a failed run leaves for the people who read it: JUnit XML for CI, Cucumber JSON, and
//! per failed scenario a screenshot of the simulated phone and the wx calls it made.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

const FAILING: &str = "\
Feature: A report of a failure
  Scenario: A cancelled payment expected to succeed
    Given a logged-in shopper in the Mini Program
    And the shopper will cancel WeChat's payment sheet
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast \"支付成功\"
";

#[test]
fn a_failed_mini_program_scenario_leaves_junit_json_a_screenshot_and_the_wx_calls() {
    let work = tempfile::tempdir().unwrap();
    let feature = work.path().join("report.feature");
    std::fs::write(&feature, FAILING).unwrap();
    let reports = work.path().join("reports");
    let output = Command::new(BIN)
        .arg("run")
        .arg(&feature)
        .arg("--report")
        .arg(&reports)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("WeChat answered wx.requestPayment (wx call #")
            && stdout.contains("requestPayment:fail cancel"),
        "{stdout}"
    );

    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    let xml = roxmltree::Document::parse(&junit).expect("junit.xml is well-formed XML");
    let cases: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert!(
        cases[0].children().any(|n| n.has_tag_name("failure")),
        "{junit}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reports.join("cucumber.json")).unwrap()).unwrap();
    let steps = &json[0]["elements"][0]["steps"];
    let statuses: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["result"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "passed", "passed", "failed"]);

    let dir = reports.join("a-report-of-a-failure-a-cancelled-payment-expected-to-succeed");
    let png = std::fs::read(dir.join("screenshot.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let calls = std::fs::read_to_string(dir.join("wx-calls.txt")).unwrap();
    assert!(
        calls.contains("wx.requestPayment(") && calls.contains("\"requestPayment:fail cancel\""),
        "{calls}"
    );
    let page = std::fs::read_to_string(dir.join("page.txt")).unwrap();
    assert!(page.contains("立即支付"), "the screenshot's page: {page}");
}
