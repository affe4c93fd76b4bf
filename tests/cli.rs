//! The `zion-pay-e2e` command as a user meets it: bad input ends in one readable message,
//! and Ctrl-C in the middle of a run leaves no browser or driver behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

mod support;
use support::wait_until;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI; returns the exit code and stderr.
fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A temporary file named `*<suffix>` holding `text`.
fn file_with(suffix: &str, text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn an_unknown_step_is_named_with_its_file_and_line_before_anything_starts() {
    let file = file_with(".feature", "Feature: Shop\n  Scenario: Dancing\n    Given a logged-in shopper on the web shop\n    When the shopper dances\n");
    let (code, stderr) = run(&["run", file.path().to_str().unwrap()], &[]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr.trim(),
        format!("zion-pay-e2e: error: 1 step(s) match no step definition, or several (see the step list in README.md, or `zion-pay-e2e steps`):\n  {}:4: When the shopper dances", file.path().display())
    );
}

#[test]
fn a_malformed_feature_file_is_named_with_the_parsers_position() {
    let file = file_with(
        ".feature",
        "Feature: Shop\n  Scenario Dancing\n    Given oops\n",
    );
    let (code, stderr) = run(&["run", file.path().to_str().unwrap()], &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with(&format!(
            "zion-pay-e2e: error: {}: not a valid feature file: Error at ",
            file.path().display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_filter_that_selects_no_scenario_is_an_error_not_a_pass() {
    let (code, stderr) = run(
        &[
            "run",
            "--tags",
            "@alipay and not @alipay",
            "--report",
            "/tmp/zion-pay-e2e-empty-filter",
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    assert_eq!(stderr.trim(), "zion-pay-e2e: error: no scenario matches the --name / --tags filter, so nothing was checked");
}

#[test]
fn fail_fast_starts_no_scenario_after_the_first_failure_and_says_so() {
    let feature = file_with(
        ".feature",
        "Feature: Fail fast\n\n  Scenario: A key that no keyboard has\n    When the shopper opens \"/\"\n    And the shopper presses \"Hyper\"\n\n  Scenario: Second\n    When the shopper opens \"/\"\n\n  Scenario: Third\n    When the shopper opens \"/\"\n",
    );
    let reports = tempfile::tempdir().unwrap();
    let (code, stderr) = run(
        &[
            "run",
            feature.path().to_str().unwrap(),
            "--concurrency",
            "1",
            "--fail-fast",
            "--report",
            reports.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("[1/3] FAILED   Fail fast — A key that no keyboard has"),
        "{stderr}"
    );
    assert!(!stderr.contains("[2/3]"), "{stderr}");
    assert!(
        stderr.contains("zion-pay-e2e: --fail-fast: 2 of the 3 selected scenario(s) were not started after the first failure"),
        "{stderr}"
    );
}

#[test]
fn doctor_passes_here_and_names_the_fix_for_a_missing_driver() {
    let ok = Command::new(BIN)
        .arg("doctor")
        .env_remove("WEBDRIVER_URL")
        .current_dir(root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}");
    assert!(stdout.lines().all(|l| l.starts_with("ok    ")), "{stdout}");

    let broken = Command::new(BIN)
        .arg("doctor")
        .env_remove("WEBDRIVER_URL")
        .env("CHROMEDRIVER", "/nonexistent/chromedriver")
        .current_dir(root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL  chromedriver: not found at /nonexistent/chromedriver: apt-get install chromium-driver"),
        "{stdout}"
    );
}

#[test]
fn doctor_checks_a_mini_program_only_when_a_feature_opens_one() {
    let dir = tempfile::tempdir().unwrap();
    let web = dir.path().join("web.feature");
    std::fs::write(
        &web,
        "Feature: W\n  Scenario: s\n    Given a logged-in shopper on the web shop\n",
    )
    .unwrap();
    let doctor = |feature: &Path| {
        let output = Command::new(BIN)
            .arg("doctor")
            .arg(feature)
            .args(["--mini-program", "/nonexistent"])
            .env_remove("WEBDRIVER_URL")
            .current_dir(root())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    let web_only = doctor(&web);
    assert!(
        web_only.contains("ok    Mini Program: no feature opens one, so none is needed"),
        "{web_only}"
    );
    let mp = dir.path().join("mp.feature");
    std::fs::write(
        &mp,
        "Feature: M\n  Scenario: s\n    Given a logged-in shopper in the Mini Program\n",
    )
    .unwrap();
    let needs_one = doctor(&mp);
    assert!(
        needs_one.contains("FAIL  Mini Program: /nonexistent is not a Mini Program"),
        "{needs_one}"
    );
}

#[test]
fn doctor_lists_what_mp_sim_would_refuse_before_the_run() {
    let work = tempfile::tempdir().unwrap();
    let app = work.path().join("mp");
    support::copy_dir(&root().join("fixtures/miniprogram-shop"), &app);
    let page = app.join("pages/index/index.wxml");
    let wxml = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("<camera mode=\"scanCode\"></camera>\n{wxml}"),
    )
    .unwrap();
    let app_js = app.join("app.js");
    let js = std::fs::read_to_string(&app_js).unwrap();
    std::fs::write(&app_js, format!("{js}\nwx.openBluetoothAdapter();\n")).unwrap();
    let output = Command::new(BIN)
        .arg("doctor")
        .arg("--mini-program")
        .arg(&app)
        .env_remove("WEBDRIVER_URL")
        .current_dir(root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines = js.lines().count() + 2;
    for expected in [
        "FAIL  what mp-sim runs of it: mp-sim would refuse 2 construct(s) it uses, 2 use(s) in all"
            .to_string(),
        "<camera> ×1 (tag: a WeChat component mp-sim does not render): pages/index/index.wxml:1"
            .to_string(),
        format!("wx.openBluetoothAdapter ×1 (wx API mp-sim does not implement): app.js:{lines}"),
    ] {
        assert!(stdout.contains(&expected), "{expected:?} not in {stdout}");
    }
}

#[test]
fn a_missing_chromedriver_names_the_package_to_install() {
    let (code, stderr) = run(
        &["run"],
        &[
            ("CHROMEDRIVER", "/nonexistent/chromedriver"),
            ("WEBDRIVER_URL", ""),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("chromedriver not found at /nonexistent/chromedriver: install it with `apt-get install chromium-driver`"), "{stderr}");
}

#[test]
fn a_browser_that_does_not_start_is_the_runs_one_error_naming_it_and_the_log() {
    let reports = tempfile::tempdir().unwrap();
    let (code, stderr) = run(
        &[
            "run",
            "features/alipay_web.feature",
            "--report",
            reports.path().to_str().unwrap(),
        ],
        &[("CHROMIUM", "/bin/false"), ("WEBDRIVER_URL", "")],
    );
    assert_eq!(code, Some(2), "{stderr}");
    let log = reports.path().join("chromedriver.log");
    assert!(
        stderr.contains(&format!(
            "(the browser was /bin/false; chromedriver's log {} tells more: check the browser with `zion-pay-e2e doctor`, or name another with CHROMIUM)",
            log.display()
        )),
        "{stderr}"
    );
    // Before any scenario: no scenario is reported as failed.
    assert!(!stderr.contains("FAILED"), "{stderr}");
}

#[test]
fn a_folder_that_is_not_a_web_app_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(&["run", "--web-app", dir.path().to_str().unwrap()], &[]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr.trim(),
        format!(
            "zion-pay-e2e: error: the web app folder {} has no index.html: pass the app's static folder (or its dev server's URL) with --web-app, or set [web_app] in zion-e2e.toml",
            dir.path().display()
        )
    );
}

#[test]
fn a_config_with_an_unknown_key_is_named_with_its_file_and_line() {
    let config = file_with(
        ".toml",
        "[run]\nconcurrency = 2\n\n[web_app]\npaid_txt = \"Paid\"\n",
    );
    let (code, stderr) = run(&["run", "--config", config.path().to_str().unwrap()], &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with(&format!(
            "zion-pay-e2e: error: {}:5: unknown field `paid_txt`, expected one of",
            config.path().display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_config_with_a_bad_value_is_named_with_its_file_and_line_by_run_and_doctor() {
    let config = file_with(".toml", "[web_app]\nurl = \"https://shop.example.com/\"\n");
    let path = config.path().to_str().unwrap();
    let (code, stderr) = run(&["run", "--config", path], &[]);
    assert_eq!(code, Some(2));
    let expected = format!("{path}:2: [web_app] url `https://shop.example.com/` is not on this machine: the browser reaches only loopback, so run the dev server locally (e.g. http://127.0.0.1:5173/)");
    assert_eq!(stderr.trim(), format!("zion-pay-e2e: error: {expected}"));

    let output = Command::new(BIN)
        .args(["doctor", "--config", path])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("FAIL  config: {expected}")
    );
}

#[test]
fn a_missing_config_file_says_how_to_write_one() {
    let (code, stderr) = run(&["run", "--config", "/nonexistent/zion-e2e.toml"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with(
            "zion-pay-e2e: error: /nonexistent/zion-e2e.toml: cannot read the config file:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("zion-pay-e2e init"), "{stderr}");
}

#[test]
fn bad_command_line_values_are_refused_by_name() {
    let (code, stderr) = run(&["run", "--concurrency", "0"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("error: invalid value '0' for '--concurrency <CONCURRENCY>'"),
        "{stderr}"
    );
    let (code, stderr) = run(&["run", "--web-app", "https://shop.example.com/"], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is not on this machine"), "{stderr}");
    let (code, stderr) = run(&["run", "--tags", "@a and"], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not a tag expression"), "{stderr}");
}

#[test]
fn an_app_that_calls_its_real_zion_host_passes_unmodified() {
    let work = tempfile::tempdir().unwrap();
    let app = work.path().join("app");
    support::copy_dir(&root().join("fixtures/web-shop"), &app);
    // The project endpoint a real build bakes in, instead of the harness's config.
    let client = std::fs::read_to_string(app.join("graphql.js")).unwrap();
    let real = client.replace(
        "fetch(window.ZION_CONFIG.graphqlUrl, {",
        "fetch('https://zion-app.functorz.com/zero/shop-4f2a/api/graphql-v2', {",
    );
    assert_ne!(
        client, real,
        "the reference app's fetch call moved; update this test"
    );
    std::fs::write(app.join("graphql.js"), real).unwrap();

    let output = Command::new(BIN)
        .args([
            "run",
            "features/alipay_web.feature",
            "--name",
            "A paid membership",
            "--web-app",
        ])
        .arg(&app)
        .arg("--report")
        .arg(work.path().join("reports"))
        .current_dir(root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1 scenario (1 passed)"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_web_app_on_a_dev_server_is_tested_at_its_url() {
    // The reference app as a team's dev server serves it: its build-time config calls the
    // project's real Zion host, and the harness serves nothing of the app.
    let work = tempfile::tempdir().unwrap();
    let app = work.path().join("app");
    support::copy_dir(&root().join("fixtures/web-shop"), &app);
    std::fs::write(
        app.join("zion-config.js"),
        "window.ZION_CONFIG = { graphqlUrl: 'https://zion-app.functorz.com/zero/shop-4f2a/api/graphql-v2', createOrderFlowId: '0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d', queryOrderStatusFlowId: 'query-order-status', paidStatus: '已支付' };\n",
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let dev_server =
        axum::Router::new().fallback_service(tower_http::services::ServeDir::new(&app));
    tokio::spawn(async move { axum::serve(listener, dev_server).await });

    let reports = work.path().join("reports");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args([
                "run",
                "features/alipay_web.feature",
                "--name",
                "A paid membership|expired login",
                "--concurrency",
                "1",
                "--web-app",
                &url,
            ])
            .arg("--report")
            .arg(reports)
            .current_dir(root())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("2 scenarios (2 passed)"), "{stdout}");
}

/// A copy of the reference Mini Program with its payment page and module in TypeScript.
fn typescript_mini_program(
    work: &std::path::Path,
    payment_page: impl Fn(String) -> String,
) -> PathBuf {
    let app = work.join("mp");
    support::copy_dir(&root().join("fixtures/miniprogram-shop"), &app);
    let module = app.join("utils/payment.js");
    let typed = std::fs::read_to_string(&module).unwrap().replace(
        "function processWechatPayment(amount, description, token)",
        "function processWechatPayment(amount: number, description: string, token: string): Promise<PaymentResult>",
    );
    assert!(
        typed.contains(": Promise<PaymentResult>"),
        "utils/payment.js changed; update this test"
    );
    std::fs::write(
        app.join("utils/payment.ts"),
        format!("interface PaymentResult {{ success: boolean }}\n{typed}"),
    )
    .unwrap();
    std::fs::remove_file(module).unwrap();
    let page = app.join("pages/payment/payment.js");
    let typed = std::fs::read_to_string(&page).unwrap().replace(
        "onLoad(options) {",
        "onLoad(options: Record<string, string>) {",
    );
    std::fs::write(app.join("pages/payment/payment.ts"), payment_page(typed)).unwrap();
    std::fs::remove_file(page).unwrap();
    app
}

fn run_mini_program(app: &std::path::Path, reports: &std::path::Path) -> (Option<i32>, String) {
    let output = Command::new(BIN)
        .args([
            "run",
            "features/wechat_miniprogram.feature",
            "--name",
            "A successful payment is confirmed",
            "--mini-program",
        ])
        .arg(app)
        .arg("--report")
        .arg(reports)
        .current_dir(root())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn a_mini_program_in_typescript_passes_and_its_errors_point_into_the_ts_files() {
    let work = tempfile::tempdir().unwrap();
    let app = typescript_mini_program(work.path(), |page| page);
    let (code, stdout) = run_mini_program(&app, &work.path().join("reports"));
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("1 scenario (1 passed)"), "{stdout}");

    // A bug on the page's line 28 (its column kept too): the failure names the .ts file.
    let broken = tempfile::tempdir().unwrap();
    let app = typescript_mini_program(broken.path(), |page| {
        let lines: Vec<&str> = page.lines().collect();
        assert_eq!(lines[27].trim(), "this.setData({ loading: true })");
        page.replacen(
            "    this.setData({ loading: true })",
            "    (this as any).setDatum({ loading: true })",
            1,
        )
    });
    let (code, stdout) = run_mini_program(&app, &broken.path().join("reports"));
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("setDatum is not a function")
            && stdout.contains("pages/payment/payment.ts:28:19"),
        "{stdout}"
    );
}

/// `(pid, state, ppid, pgrp, comm)` of every process.
fn processes() -> Vec<(i32, char, i32, i32, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        let state = fields[0].chars().next().unwrap_or('?');
        out.push((
            pid,
            state,
            fields[1].parse().unwrap_or(0),
            fields[2].parse().unwrap_or(0),
            comm,
        ));
    }
    out
}

/// The chromedriver a running harness started: its pid, which is also its process group.
fn chromedriver_of(harness: i32) -> i32 {
    wait_until(
        Duration::from_secs(30),
        "the harness to start chromedriver",
        || {
            processes()
                .into_iter()
                .find(|p| p.2 == harness && p.4 == "chromedriver")
                .map(|p| p.0)
        },
    )
}

/// Fails when any process of chromedriver's group (it and the browsers it started) is left,
/// zombies included.
fn assert_group_gone(driver: i32) {
    let left: Vec<_> = processes()
        .into_iter()
        .filter(|p| p.3 == driver || p.0 == driver)
        .collect();
    assert!(
        left.is_empty(),
        "processes of the run's chromedriver group remain: {left:?}"
    );
}

#[test]
fn a_finished_run_leaves_no_driver_or_browser_behind() {
    let reports = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args([
            "run",
            "--name",
            "expired login",
            "--report",
            reports.path().to_str().unwrap(),
        ])
        .env_remove("WEBDRIVER_URL")
        .current_dir(root())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let driver = chromedriver_of(child.id() as i32);
    let status = wait_until(Duration::from_secs(60), "the run to finish", || {
        child.try_wait().unwrap()
    });
    assert_eq!(status.code(), Some(0));
    assert_group_gone(driver);
}

#[test]
fn ctrl_c_in_the_middle_of_a_run_stops_every_driver_and_browser_it_started() {
    let reports = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["run", "--report", reports.path().to_str().unwrap()])
        .env_remove("WEBDRIVER_URL")
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let harness = child.id() as i32;
    let driver = chromedriver_of(harness);
    wait_until(Duration::from_secs(30), "browsers to start", || {
        (processes()
            .iter()
            .filter(|p| p.3 == driver && p.4.starts_with("chrom") && p.4 != "chromedriver")
            .count()
            >= 2)
            .then_some(())
    });

    let interrupted = Command::new("kill")
        .args(["-INT", &harness.to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = wait_until(Duration::from_secs(20), "the harness to exit", || {
        child.try_wait().unwrap()
    });
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: stopped the browsers and servers this run started"),
        "{stderr}"
    );

    assert_group_gone(driver);
}

#[test]
fn a_mini_program_page_without_its_wxml_is_named_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.json"),
        r#"{"pages": ["pages/pay/pay"]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("app.js"), "App({})").unwrap();
    std::fs::create_dir_all(dir.path().join("pages/pay")).unwrap();
    std::fs::write(dir.path().join("pages/pay/pay.js"), "Page({})").unwrap();
    let (code, stderr) = run(
        &["run", "--mini-program", dir.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr.trim(),
        format!(
            "zion-pay-e2e: error: {}: app.json lists page \"pages/pay/pay\" but pages/pay/pay.wxml does not exist",
            dir.path().display()
        )
    );
}

/// A Mini Program team's own folder names no web app: its Mini Program scenarios run, and a
/// step that needs the web app fails saying there is none and how to name one — not the run.
#[test]
fn a_folder_with_only_a_mini_program_runs_and_a_web_step_says_there_is_no_web_app() {
    let team = tempfile::tempdir().unwrap();
    let program = root().join("fixtures/miniprogram-shop");
    std::fs::write(
        team.path().join("zion-e2e.toml"),
        format!(
            "[mini_program]\ndir = {:?}\n",
            program.display().to_string()
        ),
    )
    .unwrap();
    std::fs::create_dir(team.path().join("features")).unwrap();
    std::fs::write(
        team.path().join("features/top_up.feature"),
        "Feature: Top-up\n\n  Scenario: A top-up is paid\n    Given a logged-in shopper in the Mini Program\n    And WeChat Pay will accept the payment\n    When the shopper tops up points in the Mini Program\n    Then the Mini Program shows the toast \"支付成功\"\n    And the order is paid\n\n  Scenario: A web step\n    Given a logged-in shopper on the web shop\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .arg("run")
        .current_dir(team.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("passed   Top-up — A top-up is paid"),
        "{stderr}"
    );
    assert!(stderr.contains("FAILED   Top-up — A web step"), "{stderr}");
    assert!(
        stdout.contains("this step needs the web app, and there is no web app at ./fixtures/web-shop: pass its static folder (or its dev server's URL) with --web-app, or set [web_app] dir in zion-e2e.toml"),
        "{stdout}"
    );

    // doctor agrees once the features open the Mini Program only.
    std::fs::write(
        team.path().join("features/top_up.feature"),
        "Feature: Top-up

  Scenario: A top-up is paid
    Given a logged-in shopper in the Mini Program
    When the shopper tops up points in the Mini Program
",
    )
    .unwrap();
    let doctor = Command::new(BIN)
        .arg("doctor")
        .current_dir(team.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        report.contains("ok    web app: there is none at ./fixtures/web-shop, and the features open the Mini Program only, so none is needed"),
        "{report}"
    );
    assert!(!report.contains("FAIL"), "{report}");
}
