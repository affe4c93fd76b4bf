//! mock-zion alone, over loopback: requests per second and p99 latency of a simple query, a
//! list query with a Zion filter and a relation, an insert, and the payment mutations; and
//! what starting one instance of a 20-table project costs (each scenario starts one).
//!
//! ```sh
//! cargo run --release -p mock-zion --example bench [SECONDS_PER_WORKLOAD]
//! ```
//!
//! A benchmark, not a test: it prints figures and asserts nothing.

use std::time::{Duration, Instant};

use mock_zion::config::{ColumnType, RelationConfig, RelationKind, TableConfig};
use mock_zion::{MockZion, ProjectConfig};
use serde_json::{json, Value};

const TOKEN: &str = "zion-test-token";
const CLIENTS: usize = 8;

/// The seeds' project plus 18 tables of a shop (20 in all), related in a chain.
fn twenty_tables() -> ProjectConfig {
    let mut config = ProjectConfig::default();
    for i in 0..18 {
        let mut table = TableConfig::default();
        for (name, ty) in [
            ("id", ColumnType::Bigint),
            ("name", ColumnType::String),
            ("price", ColumnType::Decimal),
            ("stock", ColumnType::Int),
            ("on_sale", ColumnType::Boolean),
            ("details", ColumnType::Jsonb),
            ("starts_at", ColumnType::Timestamptz),
            ("picture", ColumnType::Image),
        ] {
            table.columns.insert(name.into(), ty);
        }
        if i > 0 {
            table
                .columns
                .insert(format!("parent_t{}", i - 1), ColumnType::Bigint);
            config.relations.push(RelationConfig {
                kind: RelationKind::OneToMany,
                source_table: format!("t{}", i - 1),
                source_column: "id".into(),
                target_table: format!("t{i}"),
                target_column: format!("parent_t{}", i - 1),
                name_in_source: "children".into(),
                name_in_target: "parent".into(),
            });
        }
        config.tables.insert(format!("t{i}"), table);
    }
    config
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    client
        .post(url)
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Runs `make` from CLIENTS tasks for `seconds`; prints requests/s and p50/p99.
async fn workload(name: &str, seconds: f64, url: &str, make: fn(u64) -> Vec<Value>) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CLIENTS as u64 {
        let (client, url) = (client.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = worker * 1_000_000;
            while Instant::now() < deadline {
                n += 1;
                let t = Instant::now();
                for body in make(n) {
                    let answer = post(&client, &url, &body).await;
                    assert!(answer.get("errors").is_none(), "{answer}");
                }
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{name:<44} {:>8.0} /s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} in {elapsed:.1} s, {CLIENTS} clients)",
        latencies.len() as f64 / elapsed,
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.len()
    );
}

#[tokio::main]
async fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    println!(
        "mock-zion benchmark (release build, loopback, {} cores)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );

    // Instance start: the first builds the schema; later ones reuse it.
    let config = twenty_tables();
    let t = Instant::now();
    let first = MockZion::start(config.clone()).await.unwrap();
    let first_start = t.elapsed();
    drop(first);
    let mut starts = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let zion = MockZion::start(config.clone()).await.unwrap();
        starts.push(t.elapsed());
        drop(zion);
    }
    starts.sort();
    println!(
        "instance start, 20-table project: first {:.1} ms (parses and builds the schema), then median {:.2} ms, max {:.2} ms of 30",
        first_start.as_secs_f64() * 1000.0,
        starts[15].as_secs_f64() * 1000.0,
        starts[29].as_secs_f64() * 1000.0
    );

    let zion = MockZion::start(config).await.unwrap();
    let url = zion.graphql_url();
    for i in 0..50 {
        let row =
            json!({"name": format!("item {i}"), "price": i, "stock": i % 7, "on_sale": i % 2 == 0});
        let id = zion
            .insert_row("t0", row.as_object().unwrap().clone())
            .unwrap();
        for j in 0..3 {
            let child = json!({"name": format!("child {j}"), "parent_t0": id, "stock": j});
            zion.insert_row("t1", child.as_object().unwrap().clone())
                .unwrap();
        }
    }
    workload("simple query (account_by_pk)", seconds, &url, |_| {
        vec![json!({"query": "{ account_by_pk(id: 1) { id can_use_ai } }"})]
    })
    .await;
    workload("list query, filter + relation (t0 → children)", seconds, &url, |_| {
        vec![json!({
            "query": "query($w: t0_bool_exp) { t0(where: $w, order_by: {price: desc}, limit: 10) { id name children(order_by: {stock: asc}) { name } } }",
            "variables": {"w": {"_and": [
                {"_gt": {"bigint_operand": {"left_operand": {"column": "stock"}, "right_operand": {"literal": "2"}}}},
                {"_ilike": {"left_operand": {"column": "name"}, "right_operand": {"literal": "item%"}}}
            ]}}
        })]
    })
    .await;
    workload("insert (insert_t0_one)", seconds, &url, |n| {
        vec![json!({
            "query": "mutation($o: t0_insert_input!) { insert_t0_one(object: $o) { id } }",
            "variables": {"o": {"name": format!("new {n}"), "stock": 1}}
        })]
    })
    .await;
    workload("payment: create order + alipayTrade (2 calls)", seconds, &url, |_| {
        vec![json!({
            "query": "mutation($args: Json!) { fz_invoke_action_flow(actionFlowId: \"0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d\", versionId: -1, args: $args) }",
            "variables": {"args": {"amount": 990, "goods_name": "AI 会员"}}
        })]
    })
    .await;
    // alipayTrade needs the order id the first call returned: one request after the other.
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        let t = Instant::now();
        let order = post(&client, &url, &json!({
            "query": "mutation($args: Json!) { fz_invoke_action_flow(actionFlowId: \"0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d\", versionId: -1, args: $args) }",
            "variables": {"args": {"amount": 990, "goods_name": "AI 会员"}}
        })).await;
        let id = order["data"]["fz_invoke_action_flow"]["order_id"]
            .as_i64()
            .unwrap();
        let trade = post(&client, &url, &json!({
            "query": "mutation($b: AlipayBizContentInput!, $r: String!) { alipayTrade(bizContent: $b, returnUrl: $r) }",
            "variables": {"b": {"out_trade_no": id.to_string(), "product_code": "FAST_INSTANT_TRADE_PAY", "subject": "AI 会员", "total_amount": 9.9}, "r": "http://127.0.0.1:9"}
        })).await;
        assert!(trade.get("errors").is_none(), "{trade}");
        latencies.push(t.elapsed());
    }
    latencies.sort();
    println!(
        "{:<44} {:>8.0} /s   p50 {:>6.2} ms   p99 {:>6.2} ms   (one client, order then signed form)",
        "payment: create order → alipayTrade",
        latencies.len() as f64 / seconds,
        latencies[latencies.len() / 2].as_secs_f64() * 1000.0,
        latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)].as_secs_f64() * 1000.0
    );
}
