//! A chromedriver the harness starts itself, on a free loopback port, in its own process
//! group so that it and every browser it launches can be stopped together.
//!
//! Its temporary folder is one the harness made: chromedriver makes each session's browser
//! profile there (and names the browser's first page, which Chromium's headless shell needs
//! in order to open one), and the harness removes the folder when it stops, Ctrl-C included.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::BrowserError;
use crate::cleanup::{self, Resource};

/// Where Debian's `chromium-driver` package puts the driver.
pub const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver; stopped (with its browsers) on drop.
#[derive(Debug)]
pub struct ChromeDriver {
    child: Child,
    port: u16,
    log: PathBuf,
    /// chromedriver's `TMPDIR`, where the browsers' profiles go.
    temp: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts `binary` on a free port and waits until it answers `/status` as ready.
    ///
    /// # Errors
    /// [`BrowserError::DriverMissing`] when the binary does not exist,
    /// [`BrowserError::DriverNotReady`] when it does not become ready within 15 s.
    pub async fn start(binary: &Path, log_dir: &Path) -> Result<Self, BrowserError> {
        if !binary.exists() {
            return Err(BrowserError::DriverMissing(binary.to_path_buf()));
        }
        let port = free_port()?;
        let log = log_dir.join("chromedriver.log");
        let log_file = std::fs::File::create(&log).map_err(BrowserError::Io)?;
        let temp = tempfile::Builder::new()
            .prefix("zion-pay-e2e-browsers-")
            .tempdir()
            .map_err(BrowserError::Io)?;
        cleanup::register(Resource::Dir(temp.path().to_path_buf()));
        let child = Command::new(binary)
            .env("TMPDIR", temp.path())
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(BrowserError::Io)?)
            .stderr(log_file)
            .process_group(0)
            .spawn()
            .map_err(BrowserError::Io)?;
        cleanup::register(Resource::ProcessGroup(child.id() as i32));
        let driver = ChromeDriver {
            child,
            port,
            log,
            temp,
        };
        driver.wait_ready(Duration::from_secs(15)).await?;
        Ok(driver)
    }

    /// Where its log goes (it says why a browser did not start).
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// The WebDriver URL, with the trailing slash fantoccini wants.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    async fn wait_ready(&self, limit: Duration) -> Result<(), BrowserError> {
        let client = reqwest::Client::new();
        let status = format!("{}status", self.url());
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(response) = client.get(&status).send().await {
                if let Ok(body) = response.json::<serde_json::Value>().await {
                    if body["value"]["ready"] == true {
                        return Ok(());
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        Err(BrowserError::DriverNotReady {
            port: self.port,
            output: output.lines().rev().take(5).collect::<Vec<_>>().join(" | "),
        })
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        cleanup::kill_group(pgid);
        let _ = self.child.wait();
        cleanup::forget(&Resource::ProcessGroup(pgid));
        // The TempDir removes itself when dropped, after this.
        cleanup::forget(&Resource::Dir(self.temp.path().to_path_buf()));
    }
}

fn free_port() -> Result<u16, BrowserError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(BrowserError::Io)?;
    Ok(listener.local_addr().map_err(BrowserError::Io)?.port())
}
