//! What the browser tests share: waiting for an element's text.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use zion_pay_e2e::browser::page::Page;

/// The text of the first element matching `css`, polled until `done` holds of it (or 5 s
/// passed); the last text read.
pub async fn text_until(page: &Page, css: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let text = match page.client().find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if done(&text) || Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
