//! The diagnosis pass: when a step fails, the causes the harness can see — in the journal,
//! in the page (every frame), in what the page's code reported, in mock-zion's rows — named
//! one per line before the symptom ("the page never showed …"), so a failure reads as what
//! the app did wrong, not only as what did not happen.
//!
//! Everything here is a pure function of the [`Evidence`] gathered after the failure, so each
//! diagnosis is unit-tested without a browser.

use mock_zion::{EntryKind, Journal, JournalEntry};
use serde::Deserialize;
use serde_json::Value;

/// A `<form>` posting to Alipay's gateway, found in the page or one of its frames.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FormSeen {
    /// `None` in the top-level page; else how the frame is known (`iframe#pay`, its name…).
    pub frame: Option<String>,
    /// Whether that frame is hidden (display none, zero size).
    #[serde(default)]
    pub hidden: bool,
}

/// A frame of the page and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FrameSeen {
    /// How the frame is known.
    pub name: String,
    /// Its URL, when readable (same origin), else empty.
    #[serde(default)]
    pub url: String,
    /// Whether it is hidden.
    #[serde(default)]
    pub hidden: bool,
}

/// Something the page's own code reported: an uncaught error, an unhandled rejection, a
/// `console.error` (recorded by `page_watch.js`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PageError {
    /// `uncaught error`, `unhandled rejection` or `console.error`.
    pub kind: String,
    /// What it said.
    pub message: String,
    /// `file:line:column` of the app's code, when known.
    #[serde(default)]
    pub at: String,
}

/// The state of this scenario's latest order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSeen {
    /// Its id.
    pub id: i64,
    /// Its status text in Zion.
    pub status: String,
    /// Whether that is the paid status.
    pub paid: bool,
}

/// What the app showed about the payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    /// It showed its "paid" text or toast.
    pub paid: bool,
    /// Its "paid" text.
    pub paid_text: String,
}

/// Everything the diagnosis reads.
#[derive(Debug, Clone, Default)]
pub struct Evidence<'a> {
    /// The mock's journal, if there was one.
    pub journal: Option<&'a Journal>,
    /// Journal entries after this sequence number belong to the last passing step or later.
    pub since_seq: u64,
    /// Hosts outside this machine the browser tried to reach.
    pub blocked_hosts: Vec<String>,
    /// Gateway forms in the page's frames.
    pub forms: Vec<FormSeen>,
    /// The page's frames.
    pub frames: Vec<FrameSeen>,
    /// The top-level page's URL.
    pub url: String,
    /// The web app's origin (empty for a Mini Program).
    pub app_origin: String,
    /// What the page's code reported.
    pub page_errors: Vec<PageError>,
    /// The latest order.
    pub order: Option<OrderSeen>,
    /// What the app shows.
    pub shown: Shown,
    /// The statuses Zion answered the app's order-status queries with, oldest first.
    pub status_answers: Vec<String>,
    /// What WeChat answered `wx.requestPayment`, when it failed for a reason the scenario did
    /// not choose.
    pub unexpected_sheet_answer: Option<String>,
}

/// The causes, most specific first, one line each (empty when none is visible).
///
/// ```
/// use zion_pay_e2e::report::diagnose::{causes, Evidence, OrderSeen, Shown};
/// let evidence = Evidence {
///     order: Some(OrderSeen { id: 7, status: "已支付".into(), paid: true }),
///     status_answers: vec!["已支付".into()],
///     shown: Shown { paid: false, paid_text: "支付成功".into() },
///     ..Evidence::default()
/// };
/// assert_eq!(causes(&evidence), ["Zion answered the app's status query with \"已支付\" (order 7 is paid), yet the app does not show \"支付成功\": it compared the status with the wrong value"]);
/// ```
pub fn causes(e: &Evidence<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if !e.blocked_hosts.is_empty() {
        out.push(format!(
            "the app tried to reach hosts outside this machine (blocked): {}",
            e.blocked_hosts.join(", ")
        ));
    }
    let mut form_went_astray = false;
    if let Some(journal) = e.journal {
        let form = form_causes(journal, e);
        form_went_astray = !form.is_empty();
        out.extend(form);
        out.extend(graphql_errors(journal, e.since_seq));
    }
    if let Some(answer) = &e.unexpected_sheet_answer {
        out.push(format!("WeChat's payment sheet refused the parameters the app passed to wx.requestPayment: {answer}"));
    }
    // What the app's code reported is a fact; the order's state below is an inference.
    for error in e.page_errors.iter().take(5) {
        let at = if error.at.is_empty() {
            String::new()
        } else {
            format!(" at {}", local_path(&error.at))
        };
        out.push(format!(
            "the app's code reported an error ({}): {}{at}",
            error.kind, error.message
        ));
    }
    // When the payment ran in a frame, what the top page shows says nothing of the status.
    if let Some(order) = e.order.as_ref().filter(|_| !form_went_astray) {
        let told_paid = e.status_answers.contains(&order.status);
        if order.paid && told_paid && !e.shown.paid {
            out.push(format!(
                "Zion answered the app's status query with \"{}\" (order {} is paid), yet the app does not show \"{}\": it compared the status with the wrong value",
                order.status, order.id, e.shown.paid_text
            ));
        }
        if !order.paid && e.shown.paid {
            out.push(format!(
                "the app shows \"{}\" but order {} is \"{}\" in Zion: it claimed success without Zion's confirmation",
                e.shown.paid_text, order.id, order.status
            ));
        }
    }
    out
}

/// Why the shopper never got to (or back from) Alipay although Zion returned the form.
fn form_causes(journal: &Journal, e: &Evidence<'_>) -> Vec<String> {
    let form_issued = journal.graphql_entries().any(|entry| {
        entry.errors.is_empty()
            && entry.response["data"]["alipayTrade"][0]
                .as_str()
                .is_some_and(|f| f.contains("<form"))
    });
    if !form_issued {
        return Vec::new();
    }
    let gateway: Vec<&JournalEntry> = journal
        .entries()
        .iter()
        .filter(|entry| entry.kind == EntryKind::Gateway)
        .collect();
    if gateway.is_empty() {
        return vec![match e.forms.first() {
            Some(FormSeen { frame: None, .. }) => "the Alipay payment form is in the page but was never submitted: its <script> did not run (HTML set through innerHTML or insertAdjacentHTML never runs scripts) — write alipayTrade's form HTML with document.open/write/close".to_string(),
            Some(FormSeen { frame: Some(frame), hidden, .. }) => format!(
                "the Alipay payment form was put into {}frame {frame} and never submitted from there — write it into the top-level page with document.open/write/close",
                if *hidden { "a hidden " } else { "the " }
            ),
            None => "Zion returned the Alipay payment form, but the app never submitted it: no form posting to Alipay's gateway ever reached it, and none is in the page".to_string(),
        }];
    }
    let top_left_shop = e.app_origin.is_empty()
        || !e.url.starts_with(&e.app_origin)
        || e.url.contains("out_trade_no=");
    if top_left_shop {
        return Vec::new();
    }
    // The gateway was visited but the top page never left: the form went through a frame
    // (it may since have moved on, to the shop's home page say).
    let in_frame = e
        .frames
        .iter()
        .find(|f| f.hidden)
        .or_else(|| e.frames.first());
    match in_frame {
        Some(frame) => vec![format!(
            "the Alipay payment form was submitted inside {}frame {} ({} gateway visit(s) in the journal), so Alipay's pages and the return ran there while the shop page never left — submit it in the top-level page (document.open/write/close)",
            if frame.hidden { "a hidden " } else { "the " },
            frame.name,
            gateway.len()
        )],
        None => Vec::new(),
    }
}

/// Every GraphQL error the app received after `since_seq`, with its operation and fields.
fn graphql_errors(journal: &Journal, since_seq: u64) -> Vec<String> {
    journal
        .graphql_entries()
        .filter(|entry| entry.seq > since_seq && !entry.errors.is_empty())
        .take(5)
        .map(|entry| {
            let (operation, fields) = match &entry.operation {
                Some(op) => (
                    format!(
                        "{} {}",
                        op.kind,
                        op.name.as_deref().unwrap_or("(anonymous)")
                    ),
                    op.fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                None => ("a request".to_string(), "no valid operation".to_string()),
            };
            format!(
                "Zion refused the app's GraphQL request #{} ({operation}: {fields}): {}",
                entry.seq,
                entry.errors.join(" | ")
            )
        })
        .collect()
}

/// A URL fit for a message: Alipay's signed return parameters shortened to `out_trade_no`
/// (the signature, timestamps and ids say nothing to a reader), and any other query longer
/// than a line left out (the report's files keep it whole).
///
/// ```
/// use zion_pay_e2e::report::diagnose::short_url;
/// assert_eq!(
///     short_url("http://127.0.0.1:4000/?charset=utf-8&out_trade_no=1000001&sign=qSqx%2Fabc&sign_type=RSA2"),
///     "http://127.0.0.1:4000/?out_trade_no=1000001&… (Alipay's signed return parameters)"
/// );
/// assert_eq!(short_url("http://127.0.0.1:4000/app.js:12:5"), "http://127.0.0.1:4000/app.js:12:5");
/// let long = format!("https://api.example.com/config?keys={}", "mallName%2C".repeat(20));
/// assert_eq!(short_url(&long), "https://api.example.com/config?… (225 characters of query)");
/// ```
pub fn short_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    if !query.split('&').any(|p| p.starts_with("sign=")) {
        let length = query.chars().count();
        return match length > LONG_QUERY {
            true => format!("{base}?… ({length} characters of query)"),
            false => url.to_string(),
        };
    }
    match query.split('&').find(|p| p.starts_with("out_trade_no=")) {
        Some(order) => format!("{base}?{order}&… (Alipay's signed return parameters)"),
        None => format!("{base}?… (signed parameters)"),
    }
}

/// Whether the page text (or any toast) shows the app's "paid" text.
pub fn shown(texts: &[String], paid_text: &str) -> Shown {
    Shown {
        paid: !paid_text.is_empty() && texts.iter().any(|t| t.contains(paid_text)),
        paid_text: paid_text.to_string(),
    }
}

/// Reads `page_watch.js`'s record (a JSON array in the page's sessionStorage).
pub fn page_errors(recorded: &Value) -> Vec<PageError> {
    recorded
        .as_str()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// A position in the app's code without this machine's origin (`payment.js:107:52`).
fn local_path(at: &str) -> String {
    static ORIGIN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/").expect("valid")
    });
    ORIGIN.replace(at, "").into_owned()
}

/// What WebDriver says when the session under a scenario is gone: its Grid node stopped or
/// restarted, the session timed out on the Grid, or Chromium crashed.
const SESSION_GONE: &[&str] = &[
    "invalid session id",
    "no such session",
    "session deleted",
    "chrome not reachable",
    "session not created",
    "Unable to find session",
];

/// The one-line cause when a step failed because its browser session is gone, so the failure
/// says that first instead of a misleading "not found".
///
/// ```
/// use zion_pay_e2e::report::diagnose::session_lost;
///
/// let lost = session_lost("could not click \"Pay\": WebDriver command failed: invalid session id").unwrap();
/// assert!(lost.starts_with("the browser session ended under the scenario"));
/// assert_eq!(session_lost("found no shown element \"Pay\""), None);
/// ```
pub fn session_lost(message: &str) -> Option<String> {
    SESSION_GONE.iter().any(|m| message.contains(m)).then(|| {
        "the browser session ended under the scenario (its Selenium Grid node stopped, restarted or timed the session out, or Chromium crashed): nothing on the page can be checked; see the node's log, and keep [run] concurrency within the Grid's slots".to_string()
    })
}

/// A query longer than this is left out of a message's URL.
const LONG_QUERY: usize = 80;

/// Every URL in `text` as [`short_url`] writes it (a URL ends at a space, a quote or a
/// closing parenthesis, as messages enclose them).
pub fn short_urls_in(text: &str) -> String {
    static URL: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"https?://[^\s\x22)]+").expect("valid"));
    URL.replace_all(text, |c: &regex::Captures<'_>| short_url(&c[0]))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_errors_name_the_apps_file_and_line() {
        let recorded = Value::String(r#"[{"kind":"console.error","message":"TypeError: x is undefined","at":"http://127.0.0.1:9/payment.js:90:11","page":"p"}]"#.into());
        let evidence = Evidence {
            page_errors: page_errors(&recorded),
            ..Evidence::default()
        };
        assert_eq!(
            causes(&evidence),
            ["the app's code reported an error (console.error): TypeError: x is undefined at payment.js:90:11"]
        );
    }

    #[test]
    fn success_without_a_paid_order_is_named() {
        let evidence = Evidence {
            order: Some(OrderSeen {
                id: 3,
                status: "待支付".into(),
                paid: false,
            }),
            shown: shown(&["支付成功".to_string()], "支付成功"),
            ..Evidence::default()
        };
        assert_eq!(
            causes(&evidence),
            ["the app shows \"支付成功\" but order 3 is \"待支付\" in Zion: it claimed success without Zion's confirmation"]
        );
    }

    #[test]
    fn blocked_hosts_come_first() {
        let evidence = Evidence {
            blocked_hosts: vec!["api.example".into()],
            page_errors: vec![PageError {
                kind: "uncaught error".into(),
                message: "boom".into(),
                at: String::new(),
            }],
            ..Evidence::default()
        };
        let causes = causes(&evidence);
        assert!(causes[0].contains("api.example"), "{causes:?}");
        assert_eq!(
            causes[1],
            "the app's code reported an error (uncaught error): boom"
        );
    }
}
