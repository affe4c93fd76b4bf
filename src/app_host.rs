//! Serves the web app under test on its own loopback origin, and tells it where its Zion
//! project is.
//!
//! Every scenario gets its own host (own port, so own origin, so own storage). Besides the
//! app's files it serves `/zion-config.js`, a script the reference app loads to learn its
//! GraphQL URL and actionflow ids — the stand-in for the build-time config a real app has.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use tower_http::services::ServeDir;

/// A running static host; stops on drop.
#[derive(Debug)]
pub struct AppHost {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl AppHost {
    /// Serves `dir` on a free loopback port, with `config` as `window.ZION_CONFIG` in
    /// `/zion-config.js`.
    ///
    /// # Errors
    /// The directory has no `index.html`, or no port could be bound.
    pub async fn start(dir: &Path, config: &Value) -> std::io::Result<Self> {
        if !dir.join("index.html").is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "{} has no index.html: point the harness at the web app's static directory",
                    dir.display()
                ),
            ));
        }
        let script = format!("window.ZION_CONFIG = {config};\n");
        let router = Router::new()
            .route(
                "/zion-config.js",
                get(move || {
                    let script = script.clone();
                    async move {
                        (
                            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                            script,
                        )
                            .into_response()
                    }
                }),
            )
            .fallback_service(ServeDir::new(PathBuf::from(dir)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(AppHost { addr, task })
    }

    /// The app's origin, `http://127.0.0.1:PORT` — what `window.location.origin` is.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for AppHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}
