//! What a shopper sees: the browser page, read and clicked through WebDriver.
//!
//! Waiting is explicit and bounded: every `wait_*` polls with a deadline and, when the
//! deadline passes, says what it waited for and what the page showed instead. No sleeps.

use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::time::{self, Deadline};
use crate::browser::Session;

/// The page of one scenario's browser session.
#[derive(Debug)]
pub struct Page {
    session: Session,
    /// The scenario's clock, when the run keeps virtual time.
    clock: Option<Arc<mock_zion::Clock>>,
}

impl Page {
    /// Wraps a session; waits keep the wall clock until [`Page::keep_time`].
    pub fn new(session: Session) -> Self {
        Page {
            session,
            clock: None,
        }
    }

    /// Puts the page on the scenario's virtual `clock`, from the next page load on: the
    /// page's `Date`, `performance.now` and timers read the mock clock at `clock_url` (see
    /// [`time`]), and the page's waits skip idle stretches. Returns the script's CDP
    /// identifier, for [`Page::remove_script`].
    ///
    /// # Errors
    /// The WebDriver endpoint does not speak CDP.
    pub async fn keep_time(
        &mut self,
        clock: Arc<mock_zion::Clock>,
        clock_url: &str,
    ) -> Result<String, String> {
        let identifier = self
            .add_script(
                &time::page_clock_script(clock_url),
                "cannot keep virtual time (run with --real-time instead)",
            )
            .await?;
        self.clock = Some(clock);
        Ok(identifier)
    }

    /// The moment a wait of `limit` from now gives up, on the scenario's clock.
    pub fn deadline(&self, limit: Duration) -> Deadline {
        Deadline::after(limit, self.clock.clone())
    }

    /// Lets time pass between two looks of a wait: under real time, [`time::POLL`]; under
    /// virtual time, if the page is idle, the page and the mock skip to the next thing
    /// that happens by itself (never past `deadline`), else a short pause.
    pub async fn pass_time(&self, deadline: &Deadline) {
        let answer = match self.clock {
            Some(_) => {
                let left = deadline.left().as_secs_f64() * 1000.0;
                self.run(time::ADVANCE, vec![serde_json::json!(left)])
                    .await
                    .ok()
            }
            None => None,
        };
        tokio::time::sleep(time::pause_after(answer.as_ref())).await;
    }

    /// Hosts outside this machine the page tried to reach since the last call.
    pub fn blocked_hosts(&self) -> Vec<String> {
        self.session
            .sinkhole
            .as_ref()
            .map(|s| s.take_hosts())
            .unwrap_or_default()
    }

    /// Makes the app's calls to its real Zion host (any host, Zion's GraphQL path) reach
    /// `graphql_url` instead, and its WebSockets to Zion's subscription path reach
    /// `subscription_url`, from the next page load on. Returns the script's CDP identifier,
    /// for [`Page::remove_script`].
    ///
    /// # Errors
    /// The WebDriver endpoint does not speak CDP.
    pub async fn reroute_zion_to(
        &self,
        graphql_url: &str,
        subscription_url: &str,
        hosts: &[String],
    ) -> Result<String, String> {
        // The page watcher rides along: one script, one identifier to remove.
        let reroute = include_str!("zion_reroute.js")
            .replace(
                "__ZION_GRAPHQL_URL__",
                &serde_json::json!(graphql_url).to_string(),
            )
            .replace(
                "__ZION_SUBSCRIPTION_URL__",
                &serde_json::json!(subscription_url).to_string(),
            )
            .replace("__ZION_HOSTS__", &serde_json::json!(hosts).to_string());
        let source = format!("{}\n{reroute}", include_str!("page_watch.js"));
        self.add_script(&source, "cannot reroute Zion calls").await
    }

    /// Runs `source` in every document from the next load on, before the page's own
    /// scripts; returns its CDP identifier. `what` opens the error.
    async fn add_script(&self, source: &str, what: &str) -> Result<String, String> {
        let added = crate::browser::cdp::execute(
            self.client(),
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": source }),
        )
        .await
        .map_err(|e| format!("{what}: the WebDriver endpoint refused a CDP command ({e})"))?;
        Ok(added["identifier"].as_str().unwrap_or_default().to_string())
    }

    /// Removes a script added by [`Page::reroute_zion_to`] or [`Page::keep_time`] (sessions
    /// are reused).
    pub async fn remove_script(&self, identifier: &str) {
        let _ = crate::browser::cdp::execute(
            self.client(),
            "Page.removeScriptToEvaluateOnNewDocument",
            serde_json::json!({ "identifier": identifier }),
        )
        .await;
    }

    /// Forgets what an earlier scenario on this (pooled) session left at `origin`: what an
    /// app keeps a login or a cart in (cookies, localStorage, IndexedDB, Cache Storage,
    /// service workers). A dev server's origin is the same in every scenario, and a
    /// served folder's port may come round again.
    pub async fn forget_origin(&self, origin: &str) {
        // A WebDriver endpoint without CDP (some grids) keeps sessions apart by itself.
        let _ = crate::browser::cdp::execute(
            self.client(),
            "Storage.clearDataForOrigin",
            serde_json::json!({ "origin": origin, "storageTypes": "cookies,local_storage,indexeddb,cache_storage,service_workers" }),
        )
        .await;
    }

    /// Gives the session back (for the pool).
    pub fn into_session(self) -> Session {
        self.session
    }

    /// The WebDriver client, for actions this type does not wrap.
    pub fn client(&self) -> &Client {
        &self.session.client
    }

    /// Opens `url`.
    ///
    /// # Errors
    /// The navigation failed (an unreachable host, say).
    pub async fn open(&self, url: &str) -> Result<(), String> {
        self.client()
            .goto(url)
            .await
            .map_err(|e| format!("could not open {url}: {e}"))
    }

    /// The current URL ("" when the browser cannot say).
    pub async fn url(&self) -> String {
        self.client()
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        let text = self
            .client()
            .execute(
                "return document.body ? document.body.innerText : '';",
                vec![],
            )
            .await;
        text.ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The URL and the visible text, in one WebDriver command. While a navigation is under
    /// way the script cannot run; then the URL comes from WebDriver and the text is empty.
    pub async fn url_and_text(&self) -> (String, String) {
        let read = "return [location.href, document.body ? document.body.innerText : ''];";
        match self.client().execute(read, vec![]).await {
            Ok(serde_json::Value::Array(pair)) if pair.len() == 2 => (
                pair[0].as_str().unwrap_or_default().to_string(),
                pair[1].as_str().unwrap_or_default().to_string(),
            ),
            _ => (self.url().await, String::new()),
        }
    }

    /// The number of open windows (tabs).
    pub async fn window_count(&self) -> usize {
        self.client().windows().await.map(|w| w.len()).unwrap_or(1)
    }

    /// Runs a script in the page.
    ///
    /// # Errors
    /// The script threw, or the browser is gone.
    pub async fn run(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        self.client()
            .execute(script, args)
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// The element `css` points at, once it is on the page (and, with `shown`, displayed),
    /// polling until `limit`; `None` when it never was (one look with a zero limit).
    async fn element_within(
        &self,
        css: &str,
        limit: Duration,
        shown: bool,
    ) -> Option<fantoccini::elements::Element> {
        let deadline = self.deadline(limit);
        loop {
            if let Ok(element) = self.client().find(Locator::Css(css)).await {
                if !shown || element.is_displayed().await.unwrap_or(false) {
                    return Some(element);
                }
            }
            if deadline.passed() {
                return None;
            }
            self.pass_time(&deadline).await;
        }
    }

    /// "found no … within …", with where the page is and what it shows.
    async fn not_found(&self, what: &str, css: &str, shown: &str, limit: Duration) -> String {
        format!(
            "found no {what} ({css}){shown} within {limit:?}; the page at {} shows: {}",
            self.url().await,
            abbreviate(&self.text().await)
        )
    }

    /// Clicks the element `css` points at, as a user would (a WebDriver click).
    ///
    /// # Errors
    /// No such element within `limit`, or it cannot be clicked.
    pub async fn click(&self, css: &str, what: &str, limit: Duration) -> Result<(), String> {
        match self.element_within(css, limit, false).await {
            Some(element) => element
                .click()
                .await
                .map_err(|e| format!("could not click {what} ({css}): {e}")),
            None => Err(self.not_found(what, css, "", limit).await),
        }
    }

    /// Types `text` into the field `css` points at (emptied first), once it is shown, as a
    /// user would (WebDriver key input).
    ///
    /// # Errors
    /// No such field shown within `limit`, or it takes no input.
    pub async fn fill(
        &self,
        css: &str,
        text: &str,
        what: &str,
        limit: Duration,
    ) -> Result<(), String> {
        let Some(field) = self.element_within(css, limit, true).await else {
            return Err(self.not_found(what, css, " shown", limit).await);
        };
        field
            .clear()
            .await
            .map_err(|e| format!("could not empty {what} ({css}): {e}"))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| format!("could not type into {what} ({css}): {e}"))
    }

    /// Whether the element `css` points at is on the page and shown, now.
    pub async fn shows(&self, css: &str) -> bool {
        self.element_within(css, Duration::ZERO, true)
            .await
            .is_some()
    }

    /// Clicks the element `css` points at twice in one pointer gesture (down, up, down, up in
    /// a single WebDriver action), as fast as an impatient user: the app gets no time to react
    /// between the clicks unless it guards against the second one itself.
    ///
    /// # Errors
    /// No such element within `limit`, or the browser refused the gesture.
    pub async fn double_click(&self, css: &str, what: &str, limit: Duration) -> Result<(), String> {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let Some(element) = self.element_within(css, limit, false).await else {
            return Err(format!("found no {what} ({css}) within {limit:?}"));
        };
        let (down, up) = (
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
            PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            },
        );
        let gesture = MouseActions::new("shopper".into())
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(down.clone())
            .then(up.clone())
            .then(down)
            .then(up);
        let done = self.client().perform_actions(gesture).await;
        let _ = self.client().release_actions().await;
        done.map_err(|e| format!("could not click {what} ({css}) twice: {e}"))
    }

    /// Waits until the page text contains `wanted`.
    ///
    /// # Errors
    /// It did not appear within `limit`; the message quotes what the page shows.
    pub async fn wait_for_text(&self, wanted: &str, limit: Duration) -> Result<(), String> {
        self.wait_for(limit, |url, text| text.contains(wanted) || url.is_empty())
            .await
            .and_then(|(url, text)| {
                if text.contains(wanted) {
                    Ok(())
                } else {
                    Err((url, text))
                }
            })
            .map_err(|(url, text)| {
                format!(
                    "the page never showed \"{wanted}\" within {limit:?}; at {url} it shows: {}",
                    abbreviate_around(&text, wanted)
                )
            })
    }

    /// Waits until `ready(url, text)` holds; returns the last URL and text either way.
    ///
    /// # Errors
    /// The last URL and text when the deadline passed.
    pub async fn wait_for(
        &self,
        limit: Duration,
        ready: impl Fn(&str, &str) -> bool,
    ) -> Result<(String, String), (String, String)> {
        let deadline = self.deadline(limit);
        loop {
            let (url, text) = self.url_and_text().await;
            if ready(&url, &text) {
                return Ok((url, text));
            }
            if deadline.passed() {
                return Err((url, text));
            }
            self.pass_time(&deadline).await;
        }
    }

    /// What the page's own code reported (uncaught errors, unhandled rejections,
    /// `console.error`), as `page_watch.js` recorded it for this origin.
    pub async fn page_errors(&self) -> Vec<crate::report::diagnose::PageError> {
        let recorded = self
            .run(
                "return sessionStorage.getItem('__zion_e2e_page_errors');",
                vec![],
            )
            .await
            .unwrap_or_default();
        crate::report::diagnose::page_errors(&recorded)
    }

    /// The page's frames, and the forms posting to Alipay's gateway in it and in every frame
    /// whose document it may read.
    pub async fn frames_and_forms(
        &self,
    ) -> (
        Vec<crate::report::diagnose::FrameSeen>,
        Vec<crate::report::diagnose::FormSeen>,
    ) {
        let found = self
            .run(include_str!("page_frames.js"), vec![])
            .await
            .unwrap_or_default();
        let read = |key: &str| found.get(key).cloned().unwrap_or_default();
        (
            serde_json::from_value(read("frames")).unwrap_or_default(),
            serde_json::from_value(read("forms")).unwrap_or_default(),
        )
    }

    /// A PNG screenshot of the page.
    ///
    /// # Errors
    /// The browser could not take one.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        self.client().screenshot().await.map_err(|e| e.to_string())
    }
}

/// The page text on one line, cut to 300 characters.
pub fn abbreviate(text: &str) -> String {
    abbreviate_around(text, "")
}

/// The page text on one line, cut to 300 characters around where it comes closest to
/// `wanted` (the longest start of `wanted` it contains, e.g. "支付" of "支付成功"), so a long
/// page still shows the part that matters.
///
/// ```
/// use zion_pay_e2e::browser::page::abbreviate_around;
/// let page = format!("{} 支付处理中，请稍后刷新", "菜单 ".repeat(200));
/// let shown = abbreviate_around(&page, "支付成功");
/// assert!(shown.contains("支付处理中"), "{shown}");
/// assert!(shown.starts_with("\"…"));
/// ```
pub fn abbreviate_around(text: &str, wanted: &str) -> String {
    const WIDTH: usize = 300;
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    if chars.len() <= WIDTH {
        return format!("\"{}\"", chars.iter().collect::<String>());
    }
    let wanted: Vec<char> = wanted.chars().collect();
    let anchor = (2..=wanted.len())
        .rev()
        .find_map(|n| chars.windows(n).position(|w| w == &wanted[..n]))
        .unwrap_or(0);
    let start = anchor.saturating_sub(WIDTH / 3).min(chars.len() - WIDTH);
    let window: String = chars[start..start + WIDTH].iter().collect();
    let before = if start > 0 { "…" } else { "" };
    let after = if start + WIDTH < chars.len() {
        "…"
    } else {
        ""
    };
    format!("\"{before}{window}{after}\"")
}
