//! What a failed run leaves for the people who read it: JUnit XML for CI, Cucumber JSON, per
//! failed scenario a screenshot of the simulated phone and the wx calls it made, and the HTML
//! report — read here as a product owner would, in a real browser.

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::Locator;
use zion_pay_e2e::browser::page::Page;
use zion_pay_e2e::browser::{Browser, BrowserOptions};

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

const FAILING: &str = "\
Feature: A report of a failure
  Scenario: A cancelled payment expected to succeed
    Given a logged-in shopper in the Mini Program
    And the shopper will cancel WeChat's payment sheet
    When the shopper tops up points in the Mini Program
    Then the Mini Program shows the toast \"支付成功\"
";

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_mini_program_scenario_leaves_junit_json_a_screenshot_the_wx_calls_and_an_html_report(
) {
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

    html_report_shows_the_failure(&reports.join("report.html")).await;
}

/// Opens the HTML report in headless Chromium: the failed step with its message, the
/// screenshot (decoded by the browser), the journal and the wx calls are on screen.
async fn html_report_shows_the_failure(report: &Path) {
    let browser = Browser::launch(BrowserOptions::default()).await.unwrap();
    let page = Page::new(browser.session().await.unwrap());
    page.open(&format!("file://{}", report.display()))
        .await
        .unwrap();
    let shown = |css: &'static str| {
        let client = page.client().clone();
        async move {
            let element = client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("the report has no {css}: {e}"));
            assert!(element.is_displayed().await.unwrap(), "{css} is hidden");
            element.text().await.unwrap()
        }
    };
    assert_eq!(
        shown("#summary").await.split(" · ").next(),
        Some("1 scenario: 0 passed, 1 failed")
    );
    let failed = shown(".step.failed").await;
    assert!(
        failed.contains("the Mini Program shows the toast \"支付成功\"")
            && failed.contains("requestPayment:fail cancel"),
        "{failed}"
    );
    let journal = shown("pre.journal").await;
    assert!(journal.contains("createWechatPayment"), "{journal}");
    let calls = shown("pre.wx-calls").await;
    assert!(calls.contains("wx.requestPayment("), "{calls}");
    shown("img.screenshot").await;
    let decoded = page
        .run(
            "const img = document.querySelector('img.screenshot'); return img.complete && img.naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        decoded.as_u64().is_some_and(|width| width > 100),
        "the screenshot did not decode: {decoded}"
    );
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}
