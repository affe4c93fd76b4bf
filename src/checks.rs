//! Verdicts on what the app under test did, read from mock-zion's journal.
//!
//! Each check is one rule from the seed documents. When it fails, its message names the
//! rule the app broke and what it did instead, so a failed scenario explains itself.

use mock_zion::{EntryKind, Journal, JournalEntry};
use serde_json::Value;

/// The moments of a page-pay flow, as the journal saw them.
#[derive(Debug, Clone, Default)]
pub struct Flow<'a> {
    /// Gateway visits (form posts and cashier actions), oldest first.
    pub gateway: Vec<&'a JournalEntry>,
    /// Requests that asked Zion for an order's status, oldest first.
    pub status_queries: Vec<&'a JournalEntry>,
}

impl<'a> Flow<'a> {
    /// Reads the flow out of a journal; `status_flow` is the query-order-status actionflow id
    /// and `order_table` the order table's name.
    pub fn read(journal: &'a Journal, status_flow: &str, order_table: &str) -> Self {
        let by_pk = format!("{order_table}_by_pk");
        let entries = journal.entries();
        Flow {
            gateway: entries
                .iter()
                .filter(|e| e.kind == EntryKind::Gateway)
                .collect(),
            status_queries: entries
                .iter()
                .filter(|e| {
                    e.operation.iter().flat_map(|op| &op.fields).any(|f| {
                        f.name == by_pk
                            || (f.name == "fz_invoke_action_flow"
                                && f.arguments.get("actionFlowId")
                                    == Some(&Value::from(status_flow)))
                    })
                })
                .collect(),
        }
    }

    /// When the browser came back from Alipay: the gateway's redirect to `return_url`.
    pub fn returned(&self) -> Option<&'a JournalEntry> {
        self.gateway.iter().copied().find(|e| e.status == 302)
    }
}

/// The GraphQL errors the app received, one per line, for failure messages.
pub fn errors_seen(journal: &Journal) -> String {
    let errors: Vec<String> = journal
        .graphql_entries()
        .flat_map(|e| e.errors.iter().map(move |m| format!("  #{} {}", e.seq, m)))
        .collect();
    if errors.is_empty() {
        "  (no GraphQL errors)".into()
    } else {
        errors.join("\n")
    }
}

/// The gateway took the form: it was posted, and its signature verified.
///
/// # Errors
/// The form never reached the gateway, or the gateway rejected it.
pub fn gateway_accepted(flow: &Flow<'_>, journal: &Journal) -> Result<(), String> {
    let Some(visit) = flow.gateway.first() else {
        return Err(format!(
            "the browser never reached Alipay's gateway: the app did not submit the payment form in this page. GraphQL errors the app received:\n{}",
            errors_seen(journal)
        ));
    };
    let page = visit.response.as_str().unwrap_or_default();
    if page.ends_with(": invalid-signature") {
        let fields: Vec<String> = url::form_urlencoded::parse(visit.body.as_bytes())
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        return Err(format!(
            "Alipay's gateway rejected the payment form: invalid-signature (验签出错). The form's fields no longer match what Zion signed — the app must write alipayTrade's form HTML into the page unchanged (document.open/write/close), never rebuild it. The form fields Alipay received: {}",
            fields.join(" | ")
        ));
    }
    if visit.status != 302 && page.contains(": ") {
        return Err(format!("Alipay's gateway refused the payment form: {page}"));
    }
    Ok(())
}

/// The app asked for the order status after the return, and only after waiting at least
/// `min_wait_ms` for Zion's notification.
///
/// # Errors
/// A status query before the return, none after it, or one too soon after it.
pub fn status_queried_after_waiting(flow: &Flow<'_>, min_wait_ms: u128) -> Result<(), String> {
    let Some(returned) = flow.returned() else {
        return Err(
            "the shopper never came back from Alipay (no redirect to the return URL)".into(),
        );
    };
    if let Some(early) = flow.status_queries.iter().find(|q| q.seq < returned.seq) {
        return Err(format!("the app queried the order status (journal #{}) before the shopper came back from Alipay", early.seq));
    }
    let Some(first) = flow.status_queries.first() else {
        return Err("the app never asked Zion for the order status after the shopper came back from Alipay: a return only proves the browser came back, not that the order is paid".into());
    };
    let waited = first.elapsed_ms.saturating_sub(returned.elapsed_ms);
    if waited < min_wait_ms {
        return Err(format!(
            "the app queried the order status {waited} ms after the shopper came back from Alipay; it must first wait ~2 s for Zion to receive the payment notification"
        ));
    }
    Ok(())
}

/// Every `alipayTrade` call's `returnUrl` was exactly `origin`.
///
/// # Errors
/// A call with another return URL, or no call.
pub fn return_url_is(journal: &Journal, origin: &str) -> Result<(), String> {
    let calls: Vec<_> = journal.calls("alipayTrade").collect();
    if calls.is_empty() {
        return Err("the app never called alipayTrade".into());
    }
    for (entry, call) in calls {
        let sent = call
            .arguments
            .get("returnUrl")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if sent != origin {
            return Err(format!("alipayTrade (journal #{}) was given returnUrl \"{sent}\"; it must be the page origin \"{origin}\" (window.location.origin)", entry.seq));
        }
    }
    Ok(())
}

/// Every `alipayTrade` call asked for the order's amount in yuan.
///
/// # Errors
/// A call with another amount (in fen, say), or no call.
pub fn amount_in_yuan(journal: &Journal, price_fen: i64) -> Result<(), String> {
    let calls: Vec<_> = journal.calls("alipayTrade").collect();
    if calls.is_empty() {
        return Err("the app never called alipayTrade".into());
    }
    for (entry, call) in calls {
        let sent = call
            .arguments
            .get("bizContent")
            .and_then(|b| b.get("total_amount"))
            .map(Value::to_string)
            .unwrap_or_default();
        if mock_zion::money::yuan_text_to_fen(&sent) != Some(price_fen) {
            return Err(format!(
                "alipayTrade (journal #{}) asked for total_amount {sent}; the order costs {price_fen} fen, so it must be {} (yuan)",
                entry.seq,
                mock_zion::money::fen_to_yuan_text(price_fen)
            ));
        }
    }
    Ok(())
}
