//! The WeChat Pay half of mock-zion: Zion's `createWechatPayment` mutation, the checks the
//! WeChat client makes when a Mini Program calls `wx.requestPayment`, and WeChat Pay's
//! notification. Facts: PROTOCOLS.md, "WeChat Pay in a Mini Program".

pub mod notify;
pub mod payment;
pub mod payment_sheet;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How the payment sheet `wx.requestPayment` opens ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SheetOutcome {
    /// The shopper pays: `requestPayment:ok`, and the notification is scheduled.
    Pay,
    /// The shopper closes the sheet: `requestPayment:fail cancel`.
    Cancel,
    /// The payment fails: `requestPayment:fail <reason>`.
    Fail {
        /// What follows `requestPayment:fail `.
        reason: String,
    },
    /// The shopper leaves the sheet open: no callback ever comes.
    Never,
}

/// A prepayment `createWechatPayment` issued, keyed by its `prepay_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prepay {
    /// `prepay_id=…` without the prefix.
    pub prepay_id: String,
    /// The order it pays.
    pub order_id: i64,
    /// Amount in fen.
    pub amount_fen: i64,
    /// What was bought.
    pub description: String,
    /// The Mini Program's app id the parameters were signed for.
    pub app_id: String,
    /// Whether the shopper has paid it.
    pub paid: bool,
}

/// The WeChat Pay side of one mock instance.
#[derive(Debug, Clone)]
pub struct WechatState {
    /// Every prepayment issued, by `prepay_id`.
    pub prepays: BTreeMap<String, Prepay>,
    /// How the next payment sheets end.
    pub outcome: SheetOutcome,
    /// When set, `createWechatPayment` answers `status: "FAIL"` with this message.
    pub sign_failure: Option<String>,
}

impl Default for WechatState {
    fn default() -> Self {
        WechatState {
            prepays: BTreeMap::new(),
            outcome: SheetOutcome::Pay,
            sign_failure: None,
        }
    }
}
