//! Where a browser's requests to anywhere but this machine end up.
//!
//! Each locally started browser uses a sinkhole as its HTTP proxy. Chromium never proxies
//! loopback, so the app under test and mock-zion are reached directly, while every other
//! request — a real Zion or Alipay host, a CDN, an IP literal that no resolver rule catches —
//! arrives here, is refused with 403, and is recorded so a failing scenario can name it.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Hosts Debian's Chromium contacts on its own (sign-in, updates, the default search
/// engine's preconnect) even with background networking off. They are blocked like every
/// other host, but not reported as the app's doing.
pub const BROWSER_SERVICES: &[&str] = &[
    "accounts.google.com",
    "clients1.google.com",
    "clients2.google.com",
    "update.googleapis.com",
    "optimizationguide-pa.googleapis.com",
    "content-autofill.googleapis.com",
    "safebrowsing.googleapis.com",
    "start.duckduckgo.com",
    "duckduckgo.com",
];

/// A loopback proxy that refuses and records every request.
#[derive(Debug)]
pub struct Sinkhole {
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sinkhole {
    /// Starts on a free loopback port.
    ///
    /// # Errors
    /// No port could be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let record = hits.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let mut head = vec![0u8; 4096];
                    let n = stream.read(&mut head).await.unwrap_or(0);
                    let line = String::from_utf8_lossy(&head[..n])
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let target = line.split(' ').nth(1).unwrap_or_default().to_string();
                    let host = host_of(&target);
                    record
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(host.clone());
                    let body = format!(
                        "zion-pay-e2e blocked a request to {host}: nothing leaves this machine\n"
                    );
                    let answer = format!(
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        Ok(Sinkhole { port, hits, task })
    }

    /// The proxy address for Chromium's `--proxy-server`.
    pub fn proxy(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The hosts requested since the last call, each once, in order — except the browser's
    /// own background services ([`BROWSER_SERVICES`]), which no app asked for.
    pub fn take_hosts(&self) -> Vec<String> {
        let mut hosts = std::mem::take(&mut *self.hits.lock().unwrap_or_else(|e| e.into_inner()));
        let mut seen = std::collections::HashSet::new();
        hosts.retain(|h| !BROWSER_SERVICES.contains(&h.as_str()) && seen.insert(h.clone()));
        hosts
    }
}

impl Drop for Sinkhole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The host of a proxy request target: `host:443` (CONNECT) or `http://host/path`.
fn host_of(target: &str) -> String {
    let without_scheme = target
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(target);
    let authority = without_scheme.split('/').next().unwrap_or_default();
    authority
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map(|(host, _)| host)
        .unwrap_or(authority)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn names_the_host_of_connect_and_absolute_targets() {
        assert_eq!(
            host_of("zion-app.functorz.com:443"),
            "zion-app.functorz.com"
        );
        assert_eq!(host_of("http://8.8.8.8/x?y=1"), "8.8.8.8");
        assert_eq!(
            host_of("http://cdn.example.com:8080/a.js"),
            "cdn.example.com"
        );
    }
}
