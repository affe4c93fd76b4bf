//! What a shopper does in the simulated Mini Program, as WebDriver actions on the WXML mp-sim
//! rendered, and what the Mini Program did, read from mp-sim's record of wx calls.

use std::time::Duration;

use fantoccini::Locator;
use serde::Deserialize;
use serde_json::Value;

use crate::browser::page::Page;

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

/// What a component library's toast, notify or message component showed (TDesign's
/// `<t-toast>`, Vant's `<van-toast>`): a toast the shopper reads that is no `wx.showToast`.
#[derive(Debug, Clone, Deserialize)]
pub struct Shown {
    /// The component's path (`miniprogram_npm/tdesign-miniprogram/toast/toast`).
    pub component: String,
    /// Its text as shown.
    pub text: String,
    /// Milliseconds after the Mini Program started.
    pub at: f64,
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
    /// What a component library's toasts showed, in order.
    #[serde(default)]
    pub shown: Vec<Shown>,
    /// The page stack, top last.
    pub stack: Vec<String>,
}

impl SimState {
    /// The titles of every toast shown, in order: `wx.showToast`'s, and the texts a
    /// component library's toast showed.
    ///
    /// ```
    /// use zion_pay_e2e::mini_program::shopper::SimState;
    /// let state: SimState = serde_json::from_value(serde_json::json!({
    ///     "calls": [{"seq": 1, "api": "showToast", "args": {"title": "支付成功"}, "at": 900.0}],
    ///     "errors": [],
    ///     "shown": [{"component": "miniprogram_npm/tdesign-miniprogram/toast/toast", "text": "请添加收货地址", "at": 400.0}],
    ///     "stack": ["pages/order/order"],
    /// })).unwrap();
    /// assert_eq!(state.toasts(), ["请添加收货地址", "支付成功"]);
    /// ```
    pub fn toasts(&self) -> Vec<&str> {
        let wx = self
            .calls
            .iter()
            .filter(|c| c.api == "showToast")
            .filter_map(|c| Some((c.at, c.title()?)));
        let library = self.shown.iter().map(|s| (s.at, s.text.as_str()));
        let mut all: Vec<(f64, &str)> = wx.chain(library).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        all.into_iter().map(|(_, title)| title).collect()
    }

    /// The times the app opened WeChat's payment sheet: `wx.requestPayment`, or its
    /// trade-component twin `wx.requestOrderPayment`, in order.
    pub fn payment_sheets(&self) -> impl Iterator<Item = &WxCall> + '_ {
        self.calls
            .iter()
            .filter(|c| c.api == "requestPayment" || c.api == "requestOrderPayment")
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
        for shown in &self.shown {
            out.push_str(&format!(
                "+{:.0} ms {} showed: {}\n",
                shown.at, shown.component, shown.text
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
        for call in self.payment_sheets() {
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
            "const s = window.__mpSim; return s && s.ready ? { calls: s.calls, errors: s.errors, warnings: s.warnings, shown: s.shown, stack: s.stack() } : null;",
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
    let deadline = page.deadline(limit);
    loop {
        match state(page).await {
            Ok(state) if !state.stack.is_empty() => return Ok(state),
            Ok(_) if deadline.passed() => {
                return Err(format!("the Mini Program opened no page within {limit:?}"))
            }
            Err(e) if deadline.passed() => {
                return Err(format!("mp-sim did not start within {limit:?}: {e}"))
            }
            _ => page.pass_time(&deadline).await,
        }
    }
}

/// Taps the button labelled `label` on the page on top, with a WebDriver click on the
/// element mp-sim rendered from the WXML.
///
/// # Errors
/// No such button appeared within `limit`.
pub async fn tap(page: &Page, label: &str, limit: Duration) -> Result<(), String> {
    let deadline = page.deadline(limit);
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
        if deadline.passed() {
            return Err(format!(
                "the Mini Program showed no \"{label}\" button within {limit:?}; it shows: {}",
                crate::browser::page::abbreviate(&page.text().await)
            ));
        }
        page.pass_time(&deadline).await;
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
    let deadline = page.deadline(limit);
    loop {
        let state = state(page).await?;
        if ready(&state) || deadline.passed() {
            return Ok(state);
        }
        page.pass_time(&deadline).await;
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
        let sheet = s.payment_sheets().map(|c| c.seq).max().unwrap_or(0);
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

/// The permission names a scenario can make the shopper refuse (English and zh-CN), as
/// mp-sim's `wx/user.js` lists them (read from the embedded runtime, so the two never differ).
///
/// ```
/// let names = zion_pay_e2e::mini_program::shopper::permission_names();
/// assert!(names.contains(&"location".to_string()));
/// assert!(names.contains(&"相册".to_string()));
/// ```
pub fn permission_names() -> Vec<String> {
    let source = crate::mini_program::host::runtime_file("wx/user.js").unwrap_or_default();
    let Some(start) = source.find("export const PERMISSIONS = {") else {
        return Vec::new();
    };
    let body = &source[start..];
    let body = &body[..body.find("};").unwrap_or(body.len())];
    body.lines()
        .skip(1)
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(key, _)| key.trim().trim_matches('\'').to_string())
        .filter(|key| !key.is_empty() && !key.starts_with("//"))
        .collect()
}

/// Checks an answer before the Mini Program opens, so a misspelt permission fails at its step.
///
/// # Errors
/// `refuse` of a name mp-sim does not know (the message lists the known ones).
pub fn check_user_answer(method: &str, arg: &Value) -> Result<(), String> {
    if method != "refuse" {
        return Ok(());
    }
    let name = arg.as_str().unwrap_or_default().trim();
    let known = permission_names();
    if name.starts_with("scope.") || known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
        return Ok(());
    }
    Err(format!(
        "\"{name}\" is not a permission mp-sim knows; it knows {} and any scope.* name",
        known
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Tells the running Mini Program's shopper what to answer (mp-sim's `__mpSim.user[method]`).
///
/// # Errors
/// mp-sim refused it (an unknown permission), or is not running.
pub async fn user_answer(page: &Page, method: &str, arg: Value) -> Result<(), String> {
    check_user_answer(method, &arg)?;
    page.run(
        "window.__mpSim.user[arguments[0]](arguments[1]);",
        vec![Value::from(method), arg],
    )
    .await
    .map(drop)
    .map_err(|e| format!("mp-sim did not take the shopper's answer ({method}): {e}"))
}

/// The address fields a feature names (English and zh-CN), each as `wx.chooseAddress`
/// answers it.
const ADDRESS_FIELDS: &[(&[&str], &str)] = &[
    (&["name", "收货人", "姓名"], "userName"),
    (&["phone", "电话", "手机号"], "telNumber"),
    (&["province", "省"], "provinceName"),
    (&["city", "市"], "cityName"),
    (&["county", "district", "区", "区县"], "countyName"),
    (&["street", "街道"], "streetName"),
    (&["detail", "详细地址"], "detailInfo"),
    (&["postal code", "邮编"], "postalCode"),
];

/// The address `wx.chooseAddress` answers, from a feature's `| field | value |` rows.
///
/// ```
/// use zion_pay_e2e::mini_program::shopper::address_from_rows;
///
/// let rows = vec![vec!["name".to_string(), "李四".to_string()], vec!["详细地址".into(), "人民路1号".into()]];
/// let address = address_from_rows(&rows).unwrap();
/// assert_eq!(address["userName"], "李四");
/// assert_eq!(address["detailInfo"], "人民路1号");
/// assert_eq!(address["detailInfoNew"], "人民路1号");
/// assert!(address_from_rows(&[vec!["colour".into(), "red".into()]]).unwrap_err().contains("\"colour\" is not an address field"));
/// ```
///
/// # Errors
/// A row that is not two cells, or a field that is not an address field (the message lists them).
pub fn address_from_rows(rows: &[Vec<String>]) -> Result<Value, String> {
    let mut address = serde_json::Map::new();
    for row in rows {
        let [field, value] = row.as_slice() else {
            return Err(format!(
                "each address row is | field | value |, not {} cell(s)",
                row.len()
            ));
        };
        let field = field.trim();
        let Some((_, key)) = ADDRESS_FIELDS
            .iter()
            .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(field)))
        else {
            let known: Vec<String> = ADDRESS_FIELDS
                .iter()
                .map(|(names, _)| names.join("/"))
                .collect();
            return Err(format!(
                "\"{field}\" is not an address field; the fields are {}",
                known.join(", ")
            ));
        };
        address.insert(key.to_string(), Value::from(value.trim()));
        if *key == "detailInfo" {
            address.insert("detailInfoNew".into(), Value::from(value.trim()));
        }
    }
    Ok(Value::Object(address))
}

/// A photo the shopper picks (`wx.chooseImage`, `chooseMedia`, an avatar), read from `path`
/// for mp-sim: `{name, type, base64, width, height}`.
///
/// # Errors
/// The file cannot be read, or is not a PNG, JPEG, GIF or WebP image.
pub fn image_answer(path: &std::path::Path) -> Result<Value, String> {
    use base64::Engine;
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "cannot read the image {} ({e}): give a path from the directory the run starts in",
            path.display()
        )
    })?;
    let kind = match bytes.as_slice() {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xff, 0xd8, 0xff, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => {
            return Err(format!(
                "{} is not a PNG, JPEG, GIF or WebP image",
                path.display()
            ))
        }
    };
    let (width, height) = match kind {
        "image/png" if bytes.len() >= 24 => (
            u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]),
            u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]),
        ),
        _ => (0, 0),
    };
    Ok(serde_json::json!({
        "name": path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        "type": kind,
        "base64": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "width": width,
        "height": height,
    }))
}
