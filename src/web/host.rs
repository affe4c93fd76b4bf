//! Puts the web app under test on a loopback origin for one scenario, and tells it where its
//! Zion project is.
//!
//! A static folder gets a host of its own per scenario (own port, so own origin, so own
//! storage). Besides the app's files it serves `/zion-config.js`, a script the reference app
//! loads to learn its GraphQL URL and actionflow ids — the stand-in for the build-time config
//! a real app has. Paths that name no file get `index.html`, so a single-page app's routes
//! load as its production host serves them. A dev server's URL is used as it is: the app calls its real Zion host and
//! the browser layer reroutes those calls to the scenario's mock.

use std::path::{Path, PathBuf};

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use tower_http::services::{ServeDir, ServeFile};

use crate::web::WebAppSource;

/// Where a scenario finds the web app; a static host stops on drop.
#[derive(Debug)]
pub struct AppHost {
    origin: String,
    home: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl AppHost {
    /// Serves a folder on a free loopback port (with `config` as `window.ZION_CONFIG` in
    /// `/zion-config.js`), or takes a dev server's URL as it is.
    ///
    /// # Errors
    /// The folder has no `index.html`, or no port could be bound.
    pub async fn start(source: &WebAppSource, config: &Value) -> std::io::Result<Self> {
        match source {
            WebAppSource::Dir(dir) => Self::serve(dir, config).await,
            WebAppSource::Url(url) => Ok(AppHost {
                origin: url.origin().ascii_serialization(),
                home: url.to_string(),
                task: None,
            }),
        }
    }

    async fn serve(dir: &Path, config: &Value) -> std::io::Result<Self> {
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
            // A single-page app's routes (`/plans/2`) are no files: index.html answers them,
            // as the app's own static host (or `vite preview`) does.
            .fallback_service(
                ServeDir::new(PathBuf::from(dir)).fallback(ServeFile::new(dir.join("index.html"))),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(AppHost {
            home: format!("{origin}/"),
            origin,
            task: Some(task),
        })
    }

    /// The app's origin, e.g. `http://127.0.0.1:PORT` — what `window.location.origin` is.
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The page a shopper starts on: the origin's `/`, or the dev server URL as given.
    pub fn home(&self) -> String {
        self.home.clone()
    }
}

impl Drop for AppHost {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
