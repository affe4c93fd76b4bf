//! Alipay's notification to a merchant backend that is not this mock (any backend using an
//! Alipay SDK, pointed at the mock gateway): a form-encoded POST to the trade's `notify_url`,
//! repeated until the backend answers exactly `success`, on Alipay's retry schedule (after 4m,
//! 10m, 10m, 1h, 2h, 6h, 15h: 8 deliveries over ~25 h) divided by
//! `[alipay] notify_retry_speedup`. Every delivery carries the same `notify_id` and body, and
//! each one and its answer goes in the journal.
//!
//! Only loopback backends are called: nothing leaves the machine. Deliveries run on a task
//! of their own (a backend, unlike a browser, does not come back to ask), which holds the
//! instance weakly and stops when it is gone.

use std::sync::Weak;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::notify::FORM;
use crate::journal::Received;
use crate::server::Shared;

/// Alipay's waits between deliveries (PROTOCOLS.md, "Notify").
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::from_secs(4 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(3600),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(15 * 3600),
];

/// A signed notification on its way to a merchant backend.
#[derive(Debug, Clone)]
pub struct Outbound {
    /// When the first delivery is due.
    pub due: Instant,
    /// The trade's `notify_url`.
    pub url: String,
    /// The signed form body, the same for every delivery.
    pub body: String,
    /// Its `notify_id`.
    pub notify_id: String,
    /// How many times faster than Alipay's schedule the retries come.
    pub speedup: f64,
}

/// Where notifications for merchant backends are handed over.
pub type Courier = UnboundedSender<Outbound>;

/// Runs the deliveries handed to `inbox` until the instance (`shared`) is gone.
pub(crate) async fn run(mut inbox: UnboundedReceiver<Outbound>, shared: Weak<Shared>) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    while let Some(outbound) = inbox.recv().await {
        tokio::spawn(deliver(client.clone(), outbound, shared.clone()));
    }
}

/// The waits before each retry for a given speed-up.
pub fn schedule(speedup: f64) -> impl Iterator<Item = Duration> {
    RETRY_SCHEDULE
        .into_iter()
        .map(move |wait| wait.div_f64(speedup.max(1e-9)))
}

async fn deliver(client: reqwest::Client, outbound: Outbound, shared: Weak<Shared>) {
    tokio::time::sleep_until(outbound.due.into()).await;
    if let Some(refusal) = outside_this_machine(&outbound.url) {
        record(&shared, &outbound, 1, 0, json!(refusal));
        return;
    }
    let mut waits = schedule(outbound.speedup);
    for attempt in 1.. {
        let answer = client
            .post(&outbound.url)
            .header("content-type", FORM)
            .body(outbound.body.clone())
            .send()
            .await;
        let (status, text) = match answer {
            Ok(response) => (
                response.status().as_u16(),
                response.text().await.unwrap_or_default(),
            ),
            Err(e) => (0, format!("no answer: {e}")),
        };
        // Alipay stops only on exactly these 7 bytes; "SUCCESS" or "success\n" is a failure.
        let done = status == 200 && text == "success";
        if !record(&shared, &outbound, attempt, status, json!(text)) || done {
            return;
        }
        match waits.next() {
            Some(wait) => tokio::time::sleep(wait).await,
            None => return,
        }
    }
}

/// Journals one delivery; `false` when the instance is gone.
fn record(
    shared: &Weak<Shared>,
    outbound: &Outbound,
    attempt: u32,
    status: u16,
    answer: serde_json::Value,
) -> bool {
    let Some(shared) = shared.upgrade() else {
        return false;
    };
    let received = Received::notification(outbound.url.clone(), FORM, outbound.body.clone());
    shared.lock().journal.record(
        received,
        None,
        json!({"delivery": attempt, "notify_id": outbound.notify_id}),
        status,
        answer,
    );
    true
}

/// Why `url` is not called, when it is not on loopback.
fn outside_this_machine(url: &str) -> Option<String> {
    let parsed = match url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Some(format!(
                "not delivered: notify_url `{url}` is not a URL ({e})"
            ))
        }
    };
    (!crate::loopback::is_loopback(&parsed)).then(|| {
        format!(
            "not delivered: {} is outside this machine; run the merchant backend on loopback (127.0.0.1) so the mock can notify it",
            parsed.host_str().unwrap_or(url)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_alipays_divided_by_the_speedup() {
        let waits: Vec<Duration> = schedule(1000.0).collect();
        assert_eq!(waits[0], Duration::from_millis(240));
        assert_eq!(waits[6], Duration::from_millis(54_000));
        let total: Duration = schedule(1.0).sum();
        assert_eq!(total, Duration::from_secs(24 * 3600 + 24 * 60));
    }

    #[test]
    fn only_loopback_backends_are_called() {
        assert_eq!(outside_this_machine("http://127.0.0.1:9/notify"), None);
        assert_eq!(outside_this_machine("http://localhost:9/notify"), None);
        let refusal = outside_this_machine("https://shop.example.com/notify").unwrap();
        assert!(
            refusal.contains("shop.example.com is outside this machine"),
            "{refusal}"
        );
    }
}
