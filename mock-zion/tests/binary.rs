//! `mock-zion serve` as a developer runs it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mock-zion");

fn serve(args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the child to exit, killing it (and failing) after `limit`.
fn wait_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("mock-zion did not exit within {limit:?}");
        }
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

#[test]
fn prints_its_urls_serves_and_stops_cleanly_on_ctrl_c() {
    let mut child = serve(&[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut graphql_url = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("GraphQL:") {
            graphql_url = Some(url.trim().to_string());
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let graphql_url = graphql_url.expect("a GraphQL URL line");
    assert!(
        graphql_url.starts_with("http://127.0.0.1:"),
        "{graphql_url}"
    );
    assert!(
        graphql_url.ends_with("/zero/zion-project/api/graphql-v2"),
        "{graphql_url}"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body: serde_json::Value = runtime.block_on(async {
        reqwest::Client::new()
            .post(&graphql_url)
            .json(&serde_json::json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(body["data"]["__typename"], "Query");

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert_eq!(rest, ["mock-zion stopped"]);
}

#[test]
fn a_malformed_config_ends_with_one_message_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("mock-zion-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("zion-e2e.toml");
    std::fs::write(
        &file,
        "[project]\nex_id = \"shop\"\n\n[order_table]\npaid = \"已支付\"\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let expected = format!(
        "mock-zion: error: {}:5: unknown field `paid`",
        file.display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_busy_port_is_named_with_the_fix() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let output = Command::new(BIN)
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "mock-zion: error: cannot listen on 127.0.0.1:{port}"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("pick another one (--port)"), "{stderr}");
}

#[test]
fn print_schema_shows_the_table_api_of_a_teams_data_model() {
    let blog = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/blog/zion-e2e.toml"
    );
    let output = Command::new(BIN)
        .args(["serve", "--print-schema", "--config", blog])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sdl = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "post(where: post_bool_exp, order_by: [post_order_by!], distinct_on: [post_select_column!], offset: Int, limit: Int): [post!]!",
        "insert_post_one(object: post_insert_input!, on_conflict: post_on_conflict): post",
        "  posts_aggregate(where: post_bool_exp",
        "  cover_image: FZ_Image",
        "input post_bool_exp {",
    ] {
        assert!(sdl.contains(expected), "no `{expected}` in the printed schema");
    }
    // What a team's build tool does with it: the printed SDL is a valid schema on its own.
    apollo_compiler::Schema::parse_and_validate(sdl, "printed.graphql").unwrap();
}
