//! What a shopper does in the simulated Mini Program, as WebDriver actions on the WXML mp-sim
//! rendered, and what the Mini Program did, read from mp-sim's record of wx calls.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde::Deserialize;
use serde_json::Value;

use crate::browser::page::Page;

const POLL: Duration = Duration::from_millis(100);

/// One recorded wx call.
#[derive(Debug, Clone, Deserialize)]
pub struct WxCall {
    /// 1-based order of the call.
    pub seq: u64,
    /// The API (`requestPayment`).
    pub api: String,
    /// Its arguments, without callbacks.
    #[serde(default)]
    pub args: Value,
    /// Milliseconds after the Mini Program started.
    pub at: f64,
    /// Whether it succeeded; `None` while it has not answered.
    #[serde(default)]
    pub ok: Option<bool>,
    /// What it answered (`{errMsg}`…).
    #[serde(default)]
    pub result: Value,
}

impl WxCall {
    /// The `title` of a showToast call.
    pub fn title(&self) -> Option<&str> {
        self.args.get("title").and_then(Value::as_str)
    }
}

/// An error thrown by the Mini Program's own code (or an unsupported wx API).
#[derive(Debug, Clone, Deserialize)]
pub struct SimError {
    /// Where it happened (`pages/pay/pay.handlePayment`).
    #[serde(rename = "where")]
    pub place: String,
    /// The message.
    pub message: String,
    /// The browser's stack trace.
    #[serde(default)]
    pub stack: String,
}

impl SimError {
    /// Where in the Mini Program's own files it was thrown: the stack's first frame in a
    /// module, as `path:line:column` (a TypeScript module is named by its `.ts` file).
    ///
    /// ```
    /// use zion_pay_e2e::mini_program::shopper::SimError;
    /// let error = SimError {
    ///     place: "pages/pay/pay.handlePayment".into(),
    ///     message: "x is not a function".into(),
    ///     stack: "TypeError: x is not a function\n    at wx (http://127.0.0.1:9/__mp-sim/wx/api.js:3:1)\n    at Object.handlePayment (http://127.0.0.1:9/__mp/module/pages/pay/pay.ts:27:19)".into(),
    /// };
    /// assert_eq!(error.position().as_deref(), Some("pages/pay/pay.ts:27:19"));
    /// ```
    pub fn position(&self) -> Option<String> {
        let (_, rest) = self.stack.split_once("/__mp/module/")?;
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

/// What mp-sim knows at one moment.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SimState {
    /// Every wx call so far.
    pub calls: Vec<WxCall>,
    /// Every error of the Mini Program's code so far.
    pub errors: Vec<SimError>,
    /// What WeChat's base library would only warn about (a `setData` of undefined, on a
    /// closed page): worth reading in a failure report, not a failure.
    #[serde(default)]
    pub warnings: Vec<SimError>,
    /// The page stack, top last.
    pub stack: Vec<String>,
}

impl SimState {
    /// The titles of every toast shown, in order.
    pub fn toasts(&self) -> Vec<&str> {
        self.calls
            .iter()
            .filter(|c| c.api == "showToast")
            .filter_map(WxCall::title)
            .collect()
    }

    /// The calls of one API.
    pub fn calls_of<'a>(&'a self, api: &'a str) -> impl Iterator<Item = &'a WxCall> + 'a {
        self.calls.iter().filter(move |c| c.api == api)
    }

    /// Every wx call, one per line with its arguments and answer, then the errors — the
    /// Mini Program's side of a failure report.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for call in &self.calls {
            let answer = match (&call.ok, call.result.get("errMsg")) {
                (None, _) => "(no answer yet)".to_string(),
                (Some(_), Some(msg)) => msg.to_string(),
                (Some(_), None) => call.result.to_string(),
            };
            out.push_str(&format!(
                "#{} +{:.0} ms wx.{}({}) → {answer}\n",
                call.seq, call.at, call.api, call.args
            ));
        }
        for error in &self.errors {
            out.push_str(&format!("error in {}: {}\n", error.place, error.message));
        }
        for warning in &self.warnings {
            out.push_str(&format!(
                "warning in {}: {}\n",
                warning.place, warning.message
            ));
        }
        out
    }

    /// A few lines on what the Mini Program showed and where it failed, for failure messages.
    pub fn describe(&self) -> String {
        let mut out = format!("toasts shown: {:?}; pages: {:?}", self.toasts(), self.stack);
        for call in self.calls_of("requestPayment") {
            let answer = call.result.get("errMsg").and_then(Value::as_str);
            out.push_str(&format!(
                "\nWeChat answered wx.requestPayment (wx call #{}): {}",
                call.seq,
                answer.unwrap_or("nothing yet (the payment sheet is open)")
            ));
        }
        for error in &self.errors {
            let at = error
                .position()
                .map(|p| format!(", at {p}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "\nerror in the Mini Program ({}{at}): {}",
                error.place, error.message
            ));
        }
        out
    }
}

/// Reads mp-sim's state.
///
/// # Errors
/// The page is not mp-sim's phone, or the browser is gone.
pub async fn state(page: &Page) -> Result<SimState, String> {
    let value = page
        .run(
            "const s = window.__mpSim; return s && s.ready ? { calls: s.calls, errors: s.errors, warnings: s.warnings, stack: s.stack() } : null;",
            vec![],
        )
        .await?;
    if value.is_null() {
        return Err(format!(
            "the page at {} is not a running Mini Program",
            page.url().await
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("mp-sim's record is unreadable: {e}"))
}

/// What a mocked wx method answers: `{"result": value}` (success; for a `…Sync` method the
/// value it returns) or `{"fail": "reason"}` (`<api>:fail reason`; a `…Sync` method throws).
pub fn mock_spec(answer: Result<Value, String>) -> Value {
    match answer {
        Ok(result) => serde_json::json!({ "result": result }),
        Err(reason) => serde_json::json!({ "fail": reason }),
    }
}

/// Makes the running Mini Program's `wx.<api>` answer `spec` (see [`mock_spec`]) from now on,
/// like miniprogram-automator's `mockWxMethod`.
///
/// # Errors
/// mp-sim lacks the method, or is not running.
pub async fn mock_wx(page: &Page, api: &str, spec: Value) -> Result<(), String> {
    page.run(
        "window.__mpSim.mock(arguments[0], arguments[1]);",
        vec![Value::from(api), spec],
    )
    .await
    .map(drop)
    .map_err(|e| format!("could not mock wx.{api}: {e}"))
}

/// Opens the Mini Program served at `origin` and waits until its first page has loaded.
///
/// # Errors
/// mp-sim did not start within `limit`, or the app's launch code threw.
pub async fn open(page: &Page, origin: &str, limit: Duration) -> Result<SimState, String> {
    page.open(&format!("{origin}/")).await?;
    let deadline = Instant::now() + limit;
    loop {
        match state(page).await {
            Ok(state) if !state.stack.is_empty() => return Ok(state),
            Ok(_) if Instant::now() >= deadline => {
                return Err(format!("the Mini Program opened no page within {limit:?}"))
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(format!("mp-sim did not start within {limit:?}: {e}"))
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

/// Taps the button labelled `label` on the page on top, with a WebDriver click on the
/// element mp-sim rendered from the WXML.
///
/// # Errors
/// No such button appeared within `limit`.
pub async fn tap(page: &Page, label: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let buttons = page
            .client()
            .find_all(Locator::Css("wx-page:not([hidden]) wx-button"))
            .await
            .unwrap_or_default();
        for button in buttons {
            if button
                .text()
                .await
                .map(|t| t.trim() == label)
                .unwrap_or(false)
            {
                return button
                    .click()
                    .await
                    .map_err(|e| format!("could not tap the \"{label}\" button: {e}"));
            }
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "the Mini Program showed no \"{label}\" button within {limit:?}; it shows: {}",
                crate::browser::page::abbreviate(&page.text().await)
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Buys an offer: taps its button (`offer`), waits for its page (`route`) and taps the pay
/// button there (`pay`), each within `limit`.
///
/// # Errors
/// A button or the page did not appear.
pub async fn buy(
    page: &Page,
    offer: &str,
    route: &str,
    pay: &str,
    limit: Duration,
) -> Result<(), String> {
    buy_tapping(page, offer, route, pay, 1, limit).await
}

/// As [`buy`], tapping the pay button `taps` times in a row: a later tap may find it disabled
/// (the app guarding against paying twice), which is no error.
///
/// # Errors
/// As [`buy`].
pub async fn buy_tapping(
    page: &Page,
    offer: &str,
    route: &str,
    pay: &str,
    taps: usize,
    limit: Duration,
) -> Result<(), String> {
    tap(page, offer, limit).await?;
    wait_for_page(page, route, limit).await?;
    tap(page, pay, limit).await?;
    for _ in 1..taps {
        let _ = tap(page, pay, Duration::ZERO).await;
    }
    Ok(())
}

/// Waits until the page on top is `route`.
///
/// # Errors
/// It was not within `limit`.
pub async fn wait_for_page(page: &Page, route: &str, limit: Duration) -> Result<(), String> {
    let state = wait_until(page, limit, |s| {
        s.stack.last().map(String::as_str) == Some(route)
    })
    .await?;
    match state.stack.last().map(String::as_str) == Some(route) {
        true => Ok(()),
        false => Err(format!(
            "the Mini Program did not reach {route} within {limit:?}"
        )),
    }
}

/// Polls mp-sim's state until `ready` holds or `limit` passes; returns the last state.
///
/// # Errors
/// The state could not be read.
pub async fn wait_until(
    page: &Page,
    limit: Duration,
    ready: impl Fn(&SimState) -> bool,
) -> Result<SimState, String> {
    let deadline = Instant::now() + limit;
    loop {
        let state = state(page).await?;
        if ready(&state) || Instant::now() >= deadline {
            return Ok(state);
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits for a toast titled `title`.
///
/// # Errors
/// None within `limit`; the message lists what the Mini Program showed instead.
pub async fn shows_toast(page: &Page, title: &str, limit: Duration) -> Result<(), String> {
    let state = wait_until(page, limit, |s| s.toasts().contains(&title)).await?;
    match state.toasts().contains(&title) {
        true => Ok(()),
        false => Err(format!(
            "the Mini Program never showed the toast \"{title}\" within {limit:?}"
        )),
    }
}

/// Waits until the payment flow has visibly ended (a toast after the payment sheet, or
/// `limit`), then checks no toast was titled `title`.
///
/// # Errors
/// A toast titled `title`.
pub async fn never_shows_toast(page: &Page, title: &str, limit: Duration) -> Result<(), String> {
    let ended = |s: &SimState| {
        let sheet = s
            .calls_of("requestPayment")
            .map(|c| c.seq)
            .max()
            .unwrap_or(0);
        s.toasts().contains(&title) || s.calls_of("showToast").any(|c| c.seq > sheet)
    };
    let state = wait_until(page, limit, ended).await?;
    match state.toasts().contains(&title) {
        false => Ok(()),
        true => Err(format!(
            "the Mini Program showed the toast \"{title}\" although the payment did not succeed"
        )),
    }
}

/// Runs one of mp-sim's navigation helpers (`go`, `back`) and waits for it to finish.
async fn navigate(page: &Page, call: &str, args: Vec<Value>) -> Result<(), String> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         try {{
           Promise.resolve(window.__mpSim.{call}(...Array.from(arguments).slice(0, -1)))
             .then(() => done(null), (e) => done(String(e && e.message || e)));
         }} catch (e) {{ done(String(e && e.message || e)); }}"
    );
    match page.client().execute_async(&script, args).await {
        Ok(Value::Null) => Ok(()),
        Ok(refused) => Err(refused.as_str().unwrap_or_default().to_string()),
        Err(e) => Err(format!("mp-sim did not answer: {e}")),
    }
}

/// Goes to the page at `url` (`pages/plan/plan?id=1`) as a shopper reaches it: on top of the
/// current page, or by switching tabs for a tab page.
///
/// # Errors
/// The Mini Program has no such page, or its stack is full.
pub async fn go(page: &Page, url: &str) -> Result<(), String> {
    navigate(page, "go", vec![Value::from(url)])
        .await
        .map_err(|e| format!("could not open the Mini Program page {url}: {e}"))
}

/// Closes the page on top, as the back gesture does.
///
/// # Errors
/// It is the first page.
pub async fn back(page: &Page) -> Result<(), String> {
    navigate(page, "back", vec![])
        .await
        .map_err(|e| format!("could not go back: {e}"))
}

/// The page on top as `route?query` (`None` before the first page opened).
pub async fn location(page: &Page) -> Option<String> {
    page.run(
        "return window.__mpSim && window.__mpSim.location();",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(str::to_string))
}
