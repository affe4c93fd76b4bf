//! The browser: headless Chromium over WebDriver (fantoccini), sessions pooled and reset
//! between scenarios.
//!
//! By default the harness starts its own chromedriver ([`chromedriver`]); with a WebDriver
//! URL (a Selenium Grid, say) it uses that instead. Either way Chromium starts with the
//! flags from PROTOCOLS.md ("Browser facts") and a host-resolver rule that makes every host
//! but 127.0.0.1 fail to resolve: nothing an app under test does can reach a real payment
//! provider or a real Zion project.
//!
//! Headless, a local run starts Chromium's headless shell when Debian's
//! `chromium-headless-shell` is installed (see [`DEFAULT_HEADLESS_SHELL`]), the full browser
//! otherwise.
//!
//! Sessions are reused: measured here, a new session costs ~510 ms while a reset one runs a
//! whole redirect flow in ~95 ms. A reset deletes cookies (they ignore ports), closes extra
//! windows and goes to `about:blank`; storage needs no clearing because every scenario
//! serves its app and its mock on fresh ports, i.e. fresh origins.

pub mod cdp;
pub mod chromedriver;
pub mod page;
pub mod sinkhole;
pub mod time;

use std::path::PathBuf;
use std::sync::Mutex;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use chromedriver::ChromeDriver;
use sinkhole::Sinkhole;

/// Where Debian's `chromium` package puts the browser.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// Where Debian's `chromium-headless-shell` package puts Chromium's headless shell: the same
/// engine without the browser's own window, tabs and services, as Playwright runs headless.
/// Measured here on the English Alipay feature at one scenario at a time: 9.3–11.5 s of CPU
/// against 16.7–17.1 s with the full browser, most of it the full browser's main thread.
pub const DEFAULT_HEADLESS_SHELL: &str = "/usr/lib/chromium/chromium-headless-shell";

/// Why the browser could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// No chromedriver where it was expected.
    #[error("chromedriver not found at {0}: install it with `apt-get install chromium-driver` (scripts/setup does), or set WEBDRIVER_URL to a running WebDriver endpoint")]
    DriverMissing(PathBuf),
    /// No Chromium where it was expected.
    #[error("Chromium not found at {0}: install it with `apt-get install chromium` (scripts/setup does), or set WEBDRIVER_URL to a running WebDriver endpoint")]
    BrowserMissing(PathBuf),
    /// chromedriver started but never became ready.
    #[error("chromedriver did not become ready on port {port} within 15 s; its last log lines: {output}")]
    DriverNotReady {
        /// The port it was told to use.
        port: u16,
        /// The end of its log.
        output: String,
    },
    /// The WebDriver endpoint does not answer, or says it is not ready (a Grid without nodes).
    #[error("the WebDriver endpoint {url} {message}: start it (a Selenium Grid: `java -jar selenium-server.jar standalone`, see README's \"Scaling out on a Selenium Grid\"), or unset WEBDRIVER_URL / --webdriver-url to use the local chromedriver")]
    EndpointDown {
        /// The WebDriver URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The WebDriver endpoint refused a new session.
    #[error("cannot start a browser session at {url}: {message}")]
    Session {
        /// The WebDriver URL.
        url: String,
        /// What it said.
        message: String,
    },
    /// A WebDriver command failed.
    #[error("WebDriver command failed: {0}")]
    Command(Box<fantoccini::error::CmdError>),
    /// The OS refused something (a port, a process, a directory).
    #[error("{0}")]
    Io(std::io::Error),
}

impl From<fantoccini::error::CmdError> for BrowserError {
    fn from(e: fantoccini::error::CmdError) -> Self {
        BrowserError::Command(Box::new(e))
    }
}

/// How to get a browser.
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// A WebDriver endpoint to use instead of starting chromedriver.
    pub webdriver_url: Option<String>,
    /// The chromedriver to start.
    pub chromedriver: PathBuf,
    /// The Chromium binary, for headed runs, and for headless ones without a headless shell.
    pub chromium: PathBuf,
    /// Chromium's headless shell, which headless runs use when it is set (by default when
    /// `CHROMIUM` is not set and Debian's `chromium-headless-shell` is installed).
    pub headless_shell: Option<PathBuf>,
    /// Show the browser window (local debugging).
    pub headed: bool,
    /// Where chromedriver's log goes.
    pub log_dir: PathBuf,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        BrowserOptions {
            webdriver_url: std::env::var("WEBDRIVER_URL")
                .ok()
                .filter(|u| !u.is_empty()),
            chromedriver: std::env::var_os("CHROMEDRIVER")
                .map(PathBuf::from)
                .unwrap_or_else(|| chromedriver::DEFAULT_CHROMEDRIVER.into()),
            chromium: std::env::var_os("CHROMIUM")
                .map(PathBuf::from)
                .unwrap_or_else(|| DEFAULT_CHROMIUM.into()),
            // A Chromium named by hand is the one that runs.
            headless_shell: match std::env::var_os("CHROMIUM") {
                Some(_) => None,
                None => Some(PathBuf::from(DEFAULT_HEADLESS_SHELL)).filter(|p| p.exists()),
            },
            headed: false,
            log_dir: std::env::temp_dir(),
        }
    }
}

impl BrowserOptions {
    /// The binary a local session starts: the headless shell for a headless run when there
    /// is one, else `chromium`.
    ///
    /// ```
    /// use std::path::Path;
    /// use zion_pay_e2e::browser::BrowserOptions;
    ///
    /// let mut options = BrowserOptions {
    ///     chromium: "/usr/bin/chromium".into(),
    ///     headless_shell: Some("/usr/lib/chromium/chromium-headless-shell".into()),
    ///     ..BrowserOptions::default()
    /// };
    /// assert_eq!(options.binary(), Path::new("/usr/lib/chromium/chromium-headless-shell"));
    /// // A window needs the full browser.
    /// options.headed = true;
    /// assert_eq!(options.binary(), Path::new("/usr/bin/chromium"));
    /// ```
    pub fn binary(&self) -> &std::path::Path {
        match &self.headless_shell {
            Some(shell) if self.starts_headless_shell() => shell,
            _ => &self.chromium,
        }
    }

    /// Whether a local session starts the headless shell: there is one, and no window is
    /// wanted.
    ///
    /// ```
    /// use zion_pay_e2e::browser::BrowserOptions;
    ///
    /// let options = BrowserOptions {
    ///     headless_shell: None,
    ///     ..BrowserOptions::default()
    /// };
    /// assert!(!options.starts_headless_shell());
    /// ```
    pub fn starts_headless_shell(&self) -> bool {
        self.headless_shell.is_some() && !self.headed
    }
}

/// One browser session lent to a scenario.
#[derive(Debug)]
pub struct Session {
    /// The WebDriver client.
    pub client: Client,
    /// Where the browser's requests to other hosts end up (a local browser's `--proxy-server`,
    /// a Grid's through the W3C `proxy` capability).
    pub sinkhole: Option<Sinkhole>,
}

/// A pool of browser sessions on one WebDriver endpoint.
#[derive(Debug)]
pub struct Browser {
    options: BrowserOptions,
    url: String,
    idle: Mutex<Vec<Session>>,
    driver: Mutex<Option<ChromeDriver>>,
    /// Why the started chromedriver could not open a session: later scenarios fail at once
    /// with it, instead of each waiting as long again for the same broken browser.
    broken: Mutex<Option<String>>,
}

impl Browser {
    /// Connects to `options.webdriver_url`, or starts chromedriver.
    ///
    /// # Errors
    /// A missing chromedriver or Chromium, or a driver that never becomes ready.
    pub async fn launch(options: BrowserOptions) -> Result<Self, BrowserError> {
        let (driver, url) = match &options.webdriver_url {
            Some(url) => {
                let url = if url.ends_with('/') {
                    url.clone()
                } else {
                    format!("{url}/")
                };
                ready(&url).await?;
                (None, url)
            }
            None => {
                if !options.binary().exists() {
                    return Err(BrowserError::BrowserMissing(options.binary().to_path_buf()));
                }
                let driver = ChromeDriver::start(&options.chromedriver, &options.log_dir).await?;
                let url = driver.url();
                (Some(driver), url)
            }
        };
        Ok(Browser {
            options,
            url,
            idle: Mutex::new(Vec::new()),
            driver: Mutex::new(driver),
            broken: Mutex::new(None),
        })
    }

    /// An idle session, or a new one.
    ///
    /// # Errors
    /// [`BrowserError::Session`] when the endpoint refuses a new session.
    pub async fn session(&self) -> Result<Session, BrowserError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(session) => Ok(session),
            None => self.new_session().await,
        }
    }

    /// Takes a session back: reset and kept for the next scenario, or closed when the reset
    /// fails (a crashed tab, say).
    pub async fn release(&self, session: Session) {
        match reset(&session.client).await {
            Ok(()) => self
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(session),
            Err(_) => close(session).await,
        }
    }

    /// Closes every idle session and stops the driver (if the harness started it).
    pub async fn shutdown(&self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|e| e.into_inner()));
        for session in idle {
            close(session).await;
        }
        // Stopping the driver's process group also stops any browser a session left behind.
        self.driver.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    async fn new_session(&self) -> Result<Session, BrowserError> {
        let local = self.options.webdriver_url.is_none();
        if let Some(first) = self
            .broken
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Err(BrowserError::Session {
                url: self.url.clone(),
                message: format!("{first}; an earlier session failed so, and no other is tried"),
            });
        }
        // Remote browsers too: a Grid's node on this machine reaches the loopback sinkhole, so
        // an outside host is refused and named there as it is locally.
        let sinkhole = Some(Sinkhole::start().await.map_err(BrowserError::Io)?);
        let capabilities = capabilities(&self.options, sinkhole.as_ref());
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities);
        let connecting = builder.connect(&self.url);
        let outcome = tokio::time::timeout(SESSION_WAIT, connecting).await;
        let driver_log = self
            .driver
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|d| d.log().to_path_buf());
        let message = match (outcome, &driver_log) {
            (Ok(Ok(client)), _) => {
                return Ok(Session { client, sinkhole })
            }
            // A Grid whose slots are all busy queues the request (for minutes, by default).
            (Err(_), None) => format!(
                "no session within {SESSION_WAIT:?} (a Grid queues requests while every slot is busy): lower [run] concurrency / --concurrency to the Grid's slots, or add nodes"
            ),
            (Err(_), Some(log)) => format!(
                "{} opened no page for chromedriver within {SESSION_WAIT:?}; chromedriver's log {} tells why: check the browser with `zion-pay-e2e doctor`, or name another with CHROMIUM",
                self.options.binary().display(),
                log.display()
            ),
            (Ok(Err(e)), None) => e.to_string(),
            (Ok(Err(e)), Some(log)) => format!(
                "{e} (the browser was {}; chromedriver's log {} tells more: check the browser with `zion-pay-e2e doctor`, or name another with CHROMIUM)",
                self.options.binary().display(),
                log.display()
            ),
        };
        if local {
            *self.broken.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        }
        Err(BrowserError::Session {
            url: self.url.clone(),
            message,
        })
    }
}

/// How long a new session may take before the endpoint counts as full.
const SESSION_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Checks a remote endpoint's `/status` before anything depends on it: it answers, and says
/// it is ready (a Grid without a node says it is not).
async fn ready(url: &str) -> Result<(), BrowserError> {
    let down = |message: String| BrowserError::EndpointDown {
        url: url.to_string(),
        message,
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .no_proxy()
        .build()
        .map_err(|e| down(format!("cannot be asked ({e})")))?;
    let answer = client
        .get(format!("{url}status"))
        .send()
        .await
        .map_err(|e| down(format!("does not answer ({e})")))?;
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.map_err(|e| {
        down(format!(
            "answered /status with HTTP {status} and no WebDriver status ({e})"
        ))
    })?;
    let value = &body["value"];
    match value["ready"].as_bool() {
        Some(true) => Ok(()),
        Some(false) => Err(down(format!(
            "is not ready: \"{}\"",
            value["message"].as_str().unwrap_or("no message")
        ))),
        None => Err(down(format!("answered /status without \"ready\": {body}"))),
    }
}

/// Chromium's capabilities: headless, quiet on the network, loopback only.
fn capabilities(options: &BrowserOptions, sinkhole: Option<&Sinkhole>) -> Capabilities {
    let mut args = vec![
        "--no-sandbox".to_string(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-quic".into(),
        "--window-size=1280,900".into(),
        // Start-up work no test needs, as Playwright also switches off: measured here, a
        // browser launch is the largest CPU cost of a run on a two-core machine.
        "--disable-extensions".into(),
        "--disable-default-apps".into(),
        "--disable-breakpad".into(),
        "--disable-software-rasterizer".into(),
        "--mute-audio".into(),
        "--no-default-browser-check".into(),
        "--password-store=basic".into(),
        "--no-pings".into(),
        "--disable-domain-reliability".into(),
        "--disable-client-side-phishing-detection".into(),
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,PasswordLeakDetection".into(),
        // Every host but loopback fails fast: nothing leaves the machine.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost".into(),
    ];
    let local = options.webdriver_url.is_none();
    let shell = local && options.starts_headless_shell();
    // The headless shell has no other mode.
    if !options.headed && !shell {
        args.push("--headless=new".into());
    }
    if let (Some(sinkhole), true) = (sinkhole, local) {
        // Chromium never sends loopback through a proxy: only other hosts reach the sinkhole.
        args.push(format!("--proxy-server={}", sinkhole.proxy()));
    }
    // A log-in form's submit would make the password manager offer to save the password and
    // check it for leaks with a Google service: both off.
    let prefs = json!({
        "credentials_enable_service": false,
        "profile.password_manager_enabled": false,
        "profile.password_manager_leak_detection": false,
    });
    let mut chrome = json!({ "args": args, "prefs": prefs });
    if options.webdriver_url.is_none() {
        chrome["binary"] = json!(options.binary());
    }
    let mut value = json!({ "browserName": "chrome", "goog:chromeOptions": chrome });
    if let (Some(sinkhole), false) = (sinkhole, local) {
        // Through a Grid, as WebDriver says a proxy is set: the node's chromedriver passes it on.
        let address = sinkhole.proxy().trim_start_matches("http://").to_string();
        value["proxy"] =
            json!({ "proxyType": "manual", "httpProxy": address, "sslProxy": address });
    }
    value.as_object().cloned().unwrap_or_default()
}

async fn reset(client: &Client) -> Result<(), fantoccini::error::CmdError> {
    let windows = client.windows().await?;
    if let Some((first, rest)) = windows.split_first() {
        for window in rest {
            client.switch_to_window(window.clone()).await?;
            client.close_window().await?;
        }
        client.switch_to_window(first.clone()).await?;
    }
    client.goto("about:blank").await?;
    client.delete_all_cookies().await?;
    Ok(())
}

async fn close(session: Session) {
    // chromedriver removes the profile it made for the session.
    let _ = session.client.close().await;
}
