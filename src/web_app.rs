//! How the harness finds its way around a web app: the selectors of what a shopper uses and
//! the texts the app shows for each outcome. Feature files speak of "the payment succeeded";
//! this profile says what that looks like in a given app, so one step library serves apps
//! whose wording differs.

/// Selectors and texts of a web shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAppProfile {
    /// The button that starts paying for the product.
    pub buy_button: String,
    /// Shown once the app has confirmed the payment with Zion.
    pub paid_text: String,
    /// Shown when the payment is not confirmed yet.
    pub processing_text: String,
    /// Shown when paying could not start.
    pub error_text: String,
    /// Shown when the login has expired.
    pub login_again_text: String,
    /// Shown on the home page once the purchase has taken effect.
    pub unlocked_text: String,
    /// Shown once the home page has loaded the account (whatever its state).
    pub home_loaded_text: String,
    /// The product's price in fen.
    pub price_fen: i64,
    /// `localStorage` keys where the app keeps the Bearer token and the account id.
    pub token_key: String,
    /// See `token_key`.
    pub user_id_key: String,
}

impl Default for WebAppProfile {
    /// The bundled reference app, `fixtures/web-shop`.
    fn default() -> Self {
        WebAppProfile {
            buy_button: "#buy-ai".into(),
            paid_text: "支付成功".into(),
            processing_text: "支付处理中".into(),
            error_text: "支付失败".into(),
            login_again_text: "请重新登录".into(),
            unlocked_text: "AI 会员：已开通".into(),
            home_loaded_text: "AI 会员：".into(),
            price_fen: 990,
            token_key: "token".into(),
            user_id_key: "userId".into(),
        }
    }
}
