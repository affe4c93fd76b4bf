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
    /// Every GraphQL request, oldest first.
    pub requests: Vec<&'a JournalEntry>,
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
            requests: journal.graphql_entries().collect(),
        }
    }

    /// The statuses Zion answered the status queries with (the status actionflow's
    /// `status`, or the order row's), oldest first.
    pub fn status_answers(&self) -> Vec<String> {
        self.status_queries
            .iter()
            .filter_map(|q| {
                let data = q.response.get("data")?.as_object()?;
                data.values()
                    .find_map(|v| v.get("status")?.as_str().map(String::from))
            })
            .collect()
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
pub fn gateway_accepted(flow: &Flow<'_>, _journal: &Journal) -> Result<(), String> {
    let Some(visit) = flow.gateway.first() else {
        return Err(
            "the browser never reached Alipay's gateway: the app did not submit the payment form in this page"
                .into(),
        );
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
    // The app's clock starts when the returned page runs: its first request after the return.
    // Counting from the gateway's redirect instead would count the page load as waiting,
    // which a busy machine stretches past the threshold (a non-waiting app then passed).
    let page_started = flow
        .requests
        .iter()
        .find(|r| r.seq > returned.seq && r.seq < first.seq)
        .map_or(returned.elapsed_ms, |r| r.elapsed_ms);
    let waited = first.elapsed_ms.saturating_sub(page_started);
    if waited < min_wait_ms {
        return Err(format!(
            "the app queried the order status {waited} ms after the shopper came back from Alipay; it must first wait ~2 s for Zion to receive the payment notification"
        ));
    }
    Ok(())
}

/// The app asked Zion for the order status after the shopper came back from Alipay.
///
/// # Errors
/// No status query after the return (success shown on the return alone).
pub fn status_confirmed_after_return(flow: &Flow<'_>) -> Result<(), String> {
    let returned = flow.returned().map(|r| r.seq);
    match flow.status_queries.iter().any(|q| Some(q.seq) > returned) {
        true => Ok(()),
        false => Err("the shop showed success without asking Zion for the order status after the shopper came back from Alipay".into()),
    }
}

/// The browser never went to Alipay's gateway.
///
/// # Errors
/// A gateway visit.
pub fn never_went_to_gateway(flow: &Flow<'_>) -> Result<(), String> {
    match flow.gateway.first() {
        None => Ok(()),
        Some(visit) => Err(format!(
            "the browser went to Alipay's gateway (journal #{}) although Zion refused the payment",
            visit.seq
        )),
    }
}

/// The app never asked for an order's status.
///
/// # Errors
/// A status query.
pub fn no_status_query(flow: &Flow<'_>) -> Result<(), String> {
    match flow.status_queries.first() {
        None => Ok(()),
        Some(q) => Err(format!("the app queried an order status (journal #{}) although the shopper did not come back from a payment", q.seq)),
    }
}

/// Every call of the root field `field` (`alipayTrade`), or why there is none to judge: the
/// GraphQL errors the app received instead.
///
/// # Errors
/// The app never called it.
pub fn calls_of<'j>(
    journal: &'j Journal,
    field: &'j str,
) -> Result<Vec<(&'j JournalEntry, &'j mock_zion::FieldCall)>, String> {
    let calls: Vec<_> = journal.calls(field).collect();
    match calls.is_empty() {
        true => Err(format!(
            "the app never called {field}. GraphQL errors the app received:\n{}",
            errors_seen(journal)
        )),
        false => Ok(calls),
    }
}

/// One order, one `alipayTrade` call and one form posted to Alipay — however often the
/// shopper clicked.
///
/// # Errors
/// Names what happened more than once.
pub fn paid_once(flow: &Flow<'_>, journal: &Journal, orders: usize) -> Result<(), String> {
    let trades = journal.calls("alipayTrade").count();
    let posts = flow
        .gateway
        .iter()
        .filter(|e| !e.url.contains("/cashier"))
        .count();
    match (orders, trades, posts) {
        (1, 1, 1) => Ok(()),
        _ => Err(format!(
            "a second click must not pay again: the shop created {orders} order(s), called alipayTrade {trades} time(s) and posted {posts} payment form(s) to Alipay; disable the buy button while a payment is under way"
        )),
    }
}

/// Every `alipayTrade` call's `returnUrl` was exactly `origin`.
///
/// # Errors
/// A call with another return URL, or no call.
pub fn return_url_is(journal: &Journal, origin: &str) -> Result<(), String> {
    for (entry, call) in calls_of(journal, "alipayTrade")? {
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

/// Every `alipayTrade` call asked for its order's amount in yuan. `orders` are the orders of
/// this scenario (id, amount in fen): a call's order is the one its `out_trade_no` names, else
/// the only order there is; with neither, the product's configured `price_fen`.
///
/// # Errors
/// A call with another amount (in fen, say), or no call.
pub fn amount_in_yuan(
    journal: &Journal,
    orders: &[(String, i64)],
    price_fen: i64,
) -> Result<(), String> {
    for (entry, call) in calls_of(journal, "alipayTrade")? {
        let biz = call.arguments.get("bizContent");
        let sent = biz
            .and_then(|b| b.get("total_amount"))
            .map(Value::to_string)
            .unwrap_or_default();
        let trade_no = biz
            .and_then(|b| b.get("out_trade_no"))
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default();
        let (fen, what) = match (orders.iter().find(|(id, _)| *id == trade_no), orders) {
            (Some((id, fen)), _) | (None, [(id, fen)]) => (*fen, format!("order {id} costs")),
            _ => (price_fen, "the product costs".to_string()),
        };
        if mock_zion::money::yuan_text_to_fen(&sent) != Some(fen) {
            return Err(format!(
                "alipayTrade (journal #{}) asked for total_amount {sent}; {what} {fen} fen, so it must be {} (yuan)",
                entry.seq,
                mock_zion::money::fen_to_yuan_text(fen)
            ));
        }
    }
    Ok(())
}

/// Every payment the app asked Zion for (`alipayTrade`, `createWechatPayment`) was of `yuan`,
/// and so are the orders of this scenario (`orders`: id, amount in fen).
///
/// # Errors
/// Another amount asked for or ordered, or no payment asked for.
pub fn asked_to_pay(journal: &Journal, orders: &[(String, i64)], yuan: &str) -> Result<(), String> {
    let Some(wanted) = mock_zion::money::yuan_text_to_fen(yuan) else {
        return Err(format!(
            "\"{yuan}\" is not an amount in yuan: write e.g. \"19.90\""
        ));
    };
    let mut asked = 0;
    for field in ["alipayTrade", "createWechatPayment"] {
        for (entry, call) in journal.calls(field) {
            asked += 1;
            let sent = match field {
                "alipayTrade" => call
                    .arguments
                    .get("bizContent")
                    .and_then(|b| b.get("total_amount")),
                _ => call.arguments.get("amount"),
            };
            let sent = sent.map(Value::to_string).unwrap_or_default();
            if mock_zion::money::yuan_text_to_fen(sent.trim_matches('"')) != Some(wanted) {
                return Err(format!(
                    "the shopper was asked to pay {sent} (yuan), not {yuan}: {field} (journal #{})",
                    entry.seq
                ));
            }
        }
    }
    if asked == 0 {
        return Err(
            "the app never asked Zion for a payment (alipayTrade or createWechatPayment)".into(),
        );
    }
    if let Some((id, fen)) = orders.iter().find(|(_, fen)| *fen != wanted) {
        return Err(format!(
            "order {id} is for {} yuan ({fen} fen), not {yuan}: the app created it with another amount",
            mock_zion::money::fen_to_yuan_text(*fen)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mock_zion::{FieldCall, OperationSummary};

    fn entry(
        seq: u64,
        elapsed_ms: u128,
        kind: EntryKind,
        status: u16,
        field: Option<&str>,
    ) -> JournalEntry {
        JournalEntry {
            seq,
            at_ms: 0,
            elapsed_ms,
            kind,
            method: "POST".into(),
            url: String::new(),
            headers: Default::default(),
            body: String::new(),
            operation: field.map(|name| OperationSummary {
                kind: "query".into(),
                name: None,
                fields: vec![FieldCall {
                    name: name.into(),
                    alias: None,
                    arguments: Default::default(),
                }],
            }),
            variables: Value::Null,
            status,
            response: Value::Null,
            errors: Vec::new(),
        }
    }

    /// The gateway's return at 0 ms, the page's first request at `page_ms` (if any), the
    /// status query at `query_ms`.
    fn verdict(page_ms: Option<u128>, query_ms: u128) -> Result<(), String> {
        let returned = entry(1, 0, EntryKind::Gateway, 302, None);
        let page = page_ms.map(|ms| entry(2, ms, EntryKind::Graphql, 200, Some("account_by_pk")));
        let query = entry(3, query_ms, EntryKind::Graphql, 200, Some("order_by_pk"));
        let flow = Flow {
            gateway: vec![&returned],
            status_queries: vec![&query],
            requests: page.iter().chain([&query]).collect(),
        };
        status_queried_after_waiting(&flow, 1500)
    }

    #[test]
    fn a_slow_page_load_is_not_counted_as_waiting() {
        let message = verdict(Some(1600), 1610).unwrap_err();
        assert!(
            message.starts_with("the app queried the order status 10 ms after"),
            "{message}"
        );
    }

    #[test]
    fn an_app_that_waits_two_seconds_after_its_page_loads_passes_however_slow_the_load() {
        assert_eq!(verdict(Some(1600), 3600), Ok(()));
    }

    #[test]
    fn without_another_request_the_wait_counts_from_the_return() {
        assert_eq!(verdict(None, 2100), Ok(()));
        assert!(verdict(None, 300).is_err());
    }
}
