//! A team's own flow, as the README's "Testing your own app" walks it: `init` in an empty
//! folder, pages and elements named in `zion-e2e.toml`, features written with the generic
//! steps and the team's `.steps` phrases only (English and zh-CN), for a web page flow and a
//! Mini Program flow over two pages. Then a broken phrase and a failing one, each named for
//! its own reason.

use std::path::Path;
use std::process::{Command, Output};

mod support;
use support::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

fn zion_pay_e2e(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("WEBDRIVER_URL")
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs `zion-pay-e2e run` in `dir`, requires it to pass, and returns its stdout.
fn run_passes(dir: &Path) -> String {
    let run = zion_pay_e2e(dir, &["run"]);
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

/// Runs `zion-pay-e2e run <feature>` in `dir`, requires the scenarios to fail (exit 1), and
/// returns its stdout.
fn run_fails(dir: &Path, feature: &str) -> String {
    let run = zion_pay_e2e(dir, &["run", feature]);
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    stdout
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const NAMES: &str = r##"
[web_app.pages]
home = "/"

[web_app.elements]
"log-in button" = "#login"

[mini_program.pages]
home = "pages/index/index"
"top-up" = "pages/payment/payment?amount={fen}&description=积分充值"
"##;

const PHRASES: &str = r#"# How our shoppers get around.

Phrase: the shopper starts a points top-up
  When the shopper taps "充值 9.90 元"
  Then the shopper is on the "top-up" page

Phrase: the shopper is offered a top-up of {yuan} yuan
  When the shopper opens the "top-up" page for {yuan}00
  Then the shopper sees "¥{yuan}"
"#;

const PHRASES_ZH: &str = r#"# language: zh-CN
短语：顾客用 {name} 和密码 {password} 登录网店
  当顾客打开 "home" 页面
  而且顾客在 "用户名" 中填写 "{name}"
  而且顾客在 "password" 中填写 "{password}"
  而且顾客点击 "log-in button"
"#;

const WEB: &str = r#"Feature: Logging in to our shop

  Scenario: A shopper logs in with the form
    Given the shopper can log in as "alice" with the password "s3cret"
    When the shopper opens the "home" page
    And the shopper fills "用户名" with "alice"
    And the shopper fills "password" with "s3cret"
    And the shopper presses "Enter"
    Then the shopper sees "已登录：alice"
    And the shopper does not see "用户名或密码错误"
    And the shopper is on "/"
"#;

const WEB_ZH: &str = r#"# language: zh-CN
功能: 登录我们的网店

  场景: 顾客用短语登录
    假如顾客可以用户名 "bob" 和密码 "pw" 登录
    当顾客用 bob 和密码 pw 登录网店
    那么顾客看到 "已登录：bob"
"#;

const MINI_PROGRAM: &str = r#"Feature: Topping up points in our Mini Program

  Scenario: Two pages and back
    Given a shopper opening the Mini Program for the first time
    When the shopper starts a points top-up
    Then the shopper sees "支付成功后积分立即到账"
    When the shopper goes back
    Then the shopper is on the "home" page
    And the shopper is offered a top-up of 5 yuan
    And the shopper is on "pages/payment/payment?amount=500&description=积分充值"
"#;

#[test]
fn a_team_flow_in_generic_steps_and_phrases_passes_and_its_faults_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = zion_pay_e2e(root, &["init"]);
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    // The team's own features replace the reference ones.
    std::fs::remove_dir_all(root.join("features")).unwrap();
    let config = std::fs::read_to_string(root.join("zion-e2e.toml")).unwrap();
    // Tables must follow their section's keys: the names go at the end of [mini_program].
    let config = config.replacen("\n[zion]", &format!("{NAMES}\n[zion]"), 1);
    std::fs::write(root.join("zion-e2e.toml"), config).unwrap();
    write(root, "features/moves.steps", PHRASES);
    write(root, "features/zh-CN/login.steps", PHRASES_ZH);
    write(root, "features/login.feature", WEB);
    write(root, "features/zh-CN/login.feature", WEB_ZH);
    write(root, "features/top_up.feature", MINI_PROGRAM);

    let listed = zion_pay_e2e(root, &["steps"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains(
            "the shopper is offered a top-up of {yuan} yuan    (./features/moves.steps:7)"
        ),
        "{listed}"
    );

    let stdout = run_passes(root);
    assert!(stdout.contains("3 scenarios (3 passed)"), "{stdout}");
    // A phrase is one step of the report.
    assert!(
        stdout.contains("When the shopper starts a points top-up"),
        "{stdout}"
    );

    // A phrase whose step matches nothing stops the run before it starts, at its line.
    write(
        root,
        "features/moves.steps",
        &PHRASES.replace("taps \"充值", "tapz \"充值"),
    );
    let refused = zion_pay_e2e(root, &["run"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("features/moves.steps:4: When the shopper tapz \"充值 9.90 元\"")
            && stderr.contains("used at ./features/top_up.feature:5"),
        "{stderr}"
    );

    // A phrase whose step fails names the phrase, the step and what the page offered.
    write(
        root,
        "features/moves.steps",
        &PHRASES.replace("taps \"充值 9.90 元\"", "taps \"充值 19.90 元\""),
    );
    let stdout = run_fails(root, "features/top_up.feature");
    assert!(
        stdout.contains("in the phrase \"the shopper starts a points top-up\" (features/moves.steps:3), its step `When the shopper taps \"充值 19.90 元\"` (features/moves.steps:4) failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("found no shown element \"充值 19.90 元\"")
            && stdout.contains("\"充值 9.90 元\""),
        "the message lists what could be tapped: {stdout}"
    );
}

const CHECKOUT_FORM: &str = r#"Feature: Our checkout form

  Scenario: The shopper fills in the order form with WeChat's controls and sends it
    Given the shopper's WeChat address is:
      | name  | 李四        |
      | phone | 13800000000 |
    And the shopper refuses the "location" permission
    And the shopper will pick the image "receipt.png"
    When the shopper opens the "order" page
    And the shopper taps "选择收货地址"
    Then the shopper sees "李四 13800000000"
    When the shopper chooses "L" in "尺码"
    And the shopper chooses "2027-02-14" in "配送日期"
    And the shopper chooses "广东省 / 深圳市 / 南山区" in "收货地区"
    And the shopper switches on "开具发票"
    And the shopper ticks "礼品包装"
    And the shopper taps "余额支付"
    And the shopper fills "备注" with "放门口"
    And the shopper submits the form
    Then the shopper sees "postcode 440300;submitted;"
    When the shopper taps "定位"
    Then the shopper sees "getLocation:fail auth deny"
    When the shopper taps "上传凭证"
    Then the shopper sees "photo 16x12"
    When the shopper taps "订阅订单"
    Then the shopper sees "subscribed"
"#;

const CHECKOUT_FORM_ZH: &str = r#"# language: zh-CN
功能: 填写订单

  场景: 顾客拒绝授权手机号，改了选项再提交
    假如顾客拒绝授权 "手机号"
    当顾客打开 "order" 页面
    而且顾客在 "尺码" 中选择 "S"
    而且顾客打开 "开具发票" 开关
    而且顾客关闭 "开具发票" 开关
    而且顾客勾选 "贺卡"
    而且顾客取消勾选 "贺卡"
    而且顾客提交表单
    那么顾客看到 "submitted"
    当顾客轻触 "授权手机号"
    那么顾客看到 "getPhoneNumber:fail user deny"
"#;

/// A Mini Program page built from WeChat's own components (pickers, switch, checkbox, radio,
/// form, an address, a photo, a permission), driven with the generic and WeChat steps only,
/// in English and zh-CN; then a choice the picker lacks and a permission mp-sim does not
/// know, each named.
#[test]
fn a_mini_program_checkout_form_in_generic_steps_passes_and_its_faults_are_named() {
    let widgets = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mp-sim-widgets");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = zion_pay_e2e(root, &["init"]);
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    std::fs::remove_dir_all(root.join("features")).unwrap();
    let config = std::fs::read_to_string(root.join("zion-e2e.toml")).unwrap();
    let config = config
        .replacen(
            "dir = \"reference-apps/miniprogram-shop\"",
            &format!("dir = {:?}", widgets.display().to_string()),
            1,
        )
        .replacen(
            "\n[zion]",
            "\n[mini_program.pages]\norder = \"pages/order/order\"\n\n[zion]",
            1,
        );
    std::fs::write(root.join("zion-e2e.toml"), config).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/receipt.png"),
        root.join("receipt.png"),
    )
    .unwrap();
    write(root, "features/checkout.feature", CHECKOUT_FORM);
    write(root, "features/zh-CN/checkout.feature", CHECKOUT_FORM_ZH);

    let stdout = run_passes(root);
    assert!(stdout.contains("2 scenarios (2 passed)"), "{stdout}");

    write(
        root,
        "features/checkout.feature",
        &CHECKOUT_FORM.replace("chooses \"L\" in", "chooses \"XXL\" in"),
    );
    let stdout = run_fails(root, "features/checkout.feature");
    assert!(
        stdout.contains(
            "the picker \"尺码\" has no \"XXL\" in its column 1; it offers: \"S\", \"M\", \"L\""
        ),
        "{stdout}"
    );

    write(
        root,
        "features/checkout.feature",
        &CHECKOUT_FORM.replace("\"location\" permission", "\"telepathy\" permission"),
    );
    let stdout = run_fails(root, "features/checkout.feature");
    assert!(
        stdout.contains("\"telepathy\" is not a permission mp-sim knows; it knows \"location\""),
        "{stdout}"
    );
}

/// The second reference app, shaped like a real team's (React, React Router, Apollo Client,
/// its own login page, plan list, checkout and storage shape, calling Zion's real host): a
/// team takes `init`'s folder, writes its own config and features (generic steps, phrases, a
/// data table of plans, English and zh-CN) and goes green.
#[test]
fn init_then_the_plan_shop_teams_own_features_pass() {
    let plan_shop = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/plan-shop");
    assert!(
        plan_shop.join("dist/index.html").is_file(),
        "fixtures/plan-shop/dist is missing: run scripts/setup (it builds the app)"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = zion_pay_e2e(root, &["init"]);
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    std::fs::remove_dir_all(root.join("features")).unwrap();
    copy_dir(&plan_shop.join("e2e/features"), &root.join("features"));
    // The team's config, with its app where the team's build puts it.
    let config = std::fs::read_to_string(plan_shop.join("e2e/zion-e2e.toml"))
        .unwrap()
        .replace(
            "dir = \"../dist\"",
            &format!("dir = {:?}", plan_shop.join("dist").display().to_string()),
        );
    std::fs::write(root.join("zion-e2e.toml"), config).unwrap();
    // Only generic steps, phrases and the payment checks: no step names the app.
    let feature = std::fs::read_to_string(root.join("features/checkout.feature")).unwrap();
    assert!(!feature.contains("AI membership") && !feature.contains("web shop"));

    let doctor = zion_pay_e2e(root, &["doctor"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        report.contains("ok    feature files: 2 file(s) and 5 phrase(s)"),
        "{report}"
    );

    let stdout = run_passes(root);
    assert!(stdout.contains("8 scenarios (8 passed)"), "{stdout}");

    // A stored login the app does not read fails the step that stored it, naming why.
    let config = std::fs::read_to_string(root.join("zion-e2e.toml")).unwrap();
    std::fs::write(
        root.join("zion-e2e.toml"),
        config.replace("key = \"plan-shop-auth\"", "key = \"plan-shop-session\""),
    )
    .unwrap();
    let run = zion_pay_e2e(root, &["run", "--name", "Basic plan"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Captured output: the app did not take the stored login: with localStorage[\"plan-shop-session\"] = "),
        "{stdout}"
    );

    // A script stores a login no key and value describe; the app taking it is still checked.
    let script = r#"script = "localStorage.setItem('plan-shop-auth', JSON.stringify({ state: { token, user: { id: accountId, username } } }))""#;
    let config = std::fs::read_to_string(root.join("zion-e2e.toml")).unwrap();
    std::fs::write(
        root.join("zion-e2e.toml"),
        config.replace("key = \"plan-shop-session\"", script),
    )
    .unwrap();
    let run = zion_pay_e2e(root, &["run", "--name", "Basic plan"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
}

/// `examples/own_steps.rs`: a team's own Rust step runs beside the library's, failing with the
/// harness's diagnosis like any other. (`cargo test` builds the examples.)
#[test]
fn a_teams_own_rust_step_runs_with_the_library() {
    let example = Path::new(BIN).parent().unwrap().join("examples/own_steps");
    assert!(example.is_file(), "{} is not built", example.display());
    let dir = tempfile::tempdir().unwrap();
    let feature = dir.path().join("own.feature");
    let write = |orders: usize| {
        std::fs::write(
            &feature,
            format!("Feature: Own steps\n  Scenario: one order\n    Given a logged-in shopper on the web shop\n    And Alipay will accept the payment\n    When the shopper buys the AI membership\n    Then the shopper has made {orders} orders\n"),
        )
        .unwrap();
    };
    // The team's folder: its config points at the reference web shop; reports stay in it.
    let shop = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/web-shop");
    std::fs::write(
        dir.path().join("zion-e2e.toml"),
        format!("[web_app]\ndir = {:?}\n", shop.display().to_string()),
    )
    .unwrap();
    let run = || {
        Command::new(&example)
            .arg(&feature)
            .env_remove("WEBDRIVER_URL")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    write(1);
    let passed = run();
    let stdout = String::from_utf8_lossy(&passed.stdout);
    assert_eq!(passed.status.code(), Some(0), "{stdout}");
    write(2);
    let failed = run();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Captured output: the shopper made 1 order(s), not 2"),
        "{stdout}"
    );
}
