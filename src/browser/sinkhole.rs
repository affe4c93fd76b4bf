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
                    let Some(target) = request_target(&mut stream).await else {
                        // Chromium opens spare connections to its proxy ahead of need and
                        // closes them unused: no request, nothing to report.
                        return;
                    };
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

/// The target of the request line (`CONNECT host:443 HTTP/1.1`, `GET http://… HTTP/1.1`),
/// or `None` when the connection closes before sending one.
async fn request_target(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    // The request line may arrive in pieces; it is short, so 8 KiB without a line end is
    // not a proxy request.
    while !head.contains(&b'\n') && head.len() < 8192 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.lines().next()?.split(' ').nth(1)?;
    (!target.is_empty()).then(|| target.to_string())
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
    use super::{host_of, Sinkhole};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    #[tokio::test]
    async fn records_requests_but_not_connections_closed_unused() {
        let sinkhole = Sinkhole::start().await.unwrap();
        let address = sinkhole.proxy().trim_start_matches("http://").to_string();
        // A spare connection, opened and dropped without a request.
        drop(TcpStream::connect(&address).await.unwrap());
        // A request line sent in two pieces.
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"CONNECT zion-app.").await.unwrap();
        stream.flush().await.unwrap();
        stream
            .write_all(b"functorz.com:443 HTTP/1.1\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
        assert_eq!(sinkhole.take_hosts(), ["zion-app.functorz.com"]);
    }

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
