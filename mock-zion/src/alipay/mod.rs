//! The Alipay half of mock-zion: Zion's `alipayTrade` mutation, and an offline Alipay
//! gateway that verifies RSA2 signatures like the real one and plays the outcome a
//! scenario chose. Facts: PROTOCOLS.md, "Alipay page pay".

pub mod form;
pub mod gateway;
pub mod keys;
pub mod notify;
pub mod notify_delivery;
pub mod sign;
pub mod trade;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a shopper's visit to the gateway ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The shopper pays: the notification is scheduled and the browser is redirected to
    /// `return_url` with Alipay's signed return parameters.
    Pay,
    /// The shopper leaves the cashier open and never comes back.
    Abandon,
    /// The payment fails; Alipay shows an error and does not redirect.
    Fail {
        /// What the cashier says.
        reason: String,
    },
}

/// Where a trade stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeStatus {
    /// Created, not paid.
    WaitBuyerPay,
    /// Paid.
    TradeSuccess,
    /// Cancelled at the cashier.
    TradeClosed,
}

/// One page-pay trade, keyed by the merchant's `out_trade_no`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trade {
    /// The merchant's order number (Zion: the order id).
    pub out_trade_no: String,
    /// Alipay's own trade number, assigned when the gateway first sees the trade.
    pub trade_no: String,
    /// The app the form was signed for.
    pub app_id: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// What was bought.
    pub subject: String,
    /// Where the browser returns after paying.
    pub return_url: String,
    /// Where the notification goes.
    pub notify_url: String,
    /// Where the trade stands.
    pub status: TradeStatus,
}

/// The Alipay side of one mock instance.
#[derive(Debug, Clone)]
pub struct AlipayState {
    /// Every trade the gateway has seen, by `out_trade_no`.
    pub trades: BTreeMap<String, Trade>,
    /// What the next visits to the gateway do; `None` shows a cashier with Pay / Cancel.
    pub outcome: Option<Outcome>,
    next_trade_no: u64,
}

impl Default for AlipayState {
    fn default() -> Self {
        AlipayState {
            trades: BTreeMap::new(),
            outcome: None,
            next_trade_no: 1,
        }
    }
}

impl AlipayState {
    /// A new Alipay trade number, shaped like Alipay's (date + sequence).
    pub fn new_trade_no(&mut self) -> String {
        let n = self.next_trade_no;
        self.next_trade_no += 1;
        format!("{}22001{:011}", chrono::Utc::now().format("%Y%m%d"), n)
    }
}

/// The current time as Alipay writes it: `yyyy-MM-dd HH:mm:ss`, GMT+8.
pub fn timestamp() -> String {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("GMT+8 is a valid offset");
    chrono::Utc::now()
        .with_timezone(&china)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}
