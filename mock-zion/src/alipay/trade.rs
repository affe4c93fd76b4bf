//! Zion's `alipayTrade(bizContent, returnUrl)` mutation: checks what the app sent against
//! the order, then answers `[formHtml, null]` with a page-pay form signed by the run's
//! merchant key whose action is this mock's gateway.
//!
//! Each rule is a mistake seen in real integrations (seed 001, PROTOCOLS.md): an id that is
//! not the actionflow's order id, an amount in fen, a `returnUrl` with a path.

use serde_json::{json, Value};

use super::form::PagePay;
use super::keys::run_keys;
use super::{timestamp, Trade, TradeStatus};
use crate::auth::login_required;
use crate::failure::Failure;
use crate::money::fen_to_yuan_text;
use crate::orders::{check_yuan, payable};
use crate::state::State;

const FIELD: &str = "alipayTrade";

/// Runs `alipayTrade` for `caller` with the field's coerced arguments.
///
/// # Errors
/// One failure per rule, each naming what was sent and what was expected.
pub fn alipay_trade(
    state: &mut State,
    caller: Option<i64>,
    args: &Value,
) -> Result<Value, Failure> {
    let caller = caller.ok_or_else(|| login_required(FIELD))?;
    let biz = &args["bizContent"];
    let bad = |message: String| Failure::new("BAD_USER_INPUT", format!("{FIELD}: {message}"));
    let out_trade_no = biz["out_trade_no"].as_str().unwrap_or_default().to_string();
    let order_id = out_trade_no.parse::<i64>().map_err(|_| {
        bad(format!("bizContent.out_trade_no \"{out_trade_no}\" is not an order id — use the order_id returned by the create-order actionflow"))
    })?;
    let order = payable(state, caller, order_id, FIELD)?;
    check_yuan(
        &order,
        &biz["total_amount"],
        FIELD,
        "bizContent.total_amount",
    )?;
    let product_code = biz["product_code"].as_str().unwrap_or_default();
    if product_code != "FAST_INSTANT_TRADE_PAY" {
        return Err(bad(format!("bizContent.product_code must be \"FAST_INSTANT_TRADE_PAY\" for page pay, got \"{product_code}\"")));
    }
    let subject = biz["subject"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string();
    if subject.is_empty() {
        return Err(bad("bizContent.subject must not be empty: use the goods_name the create-order actionflow returned".into()));
    }
    let return_url = args["returnUrl"].as_str().unwrap_or_default();
    check_origin(return_url).map_err(bad)?;

    let config = state.config.clone();
    let biz_content = json!({
        "out_trade_no": out_trade_no,
        "product_code": product_code,
        "subject": subject,
        // Zion turns the app's Float into the string Alipay requires ("88.88").
        "total_amount": fen_to_yuan_text(order.amount_fen),
    })
    .to_string();
    let gateway = format!("{}/gateway.do", state.base_url);
    let notify_url = format!("{}/alipay/notify", state.base_url);
    let html = PagePay {
        gateway: &gateway,
        app_id: &config.alipay.app_id,
        return_url,
        notify_url: &notify_url,
        biz_content: &biz_content,
        timestamp: &timestamp(),
        form_id: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default(),
    }
    .html(&run_keys().merchant);
    let trade_no = state.alipay.new_trade_no();
    state.alipay.trades.insert(
        out_trade_no.clone(),
        Trade {
            out_trade_no,
            trade_no,
            app_id: config.alipay.app_id.clone(),
            amount_fen: order.amount_fen,
            subject,
            return_url: return_url.to_string(),
            notify_url,
            status: TradeStatus::WaitBuyerPay,
        },
    );
    // Alipay gives no trade_no on the first page-pay response (PROTOCOLS.md).
    Ok(json!([html, null]))
}

/// `returnUrl` must be `window.location.origin`: scheme, host and port, nothing after.
fn check_origin(return_url: &str) -> Result<(), String> {
    let why = "returnUrl must be the page's origin (window.location.origin, e.g. http://127.0.0.1:8080), not a fixed path";
    let url =
        url::Url::parse(return_url).map_err(|_| format!("{why}: \"{return_url}\" is not a URL"))?;
    let is_origin = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && !return_url.ends_with('/');
    if is_origin {
        Ok(())
    } else {
        Err(format!("{why}: got \"{return_url}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::check_origin;

    #[test]
    fn only_a_bare_origin_is_a_return_url() {
        assert!(check_origin("http://127.0.0.1:8080").is_ok());
        assert!(check_origin("https://shop.example.com").is_ok());
        for bad in [
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/payment/callback",
            "http://127.0.0.1:8080?x=1",
            "/payment",
            "ftp://host",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }
}
