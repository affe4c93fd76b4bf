//! The web app under test: where it comes from ([`WebAppSource`]), how the harness finds its
//! way around it ([`WebAppProfile`]), the origin it is served on ([`host`]), what a shopper
//! does in it ([`shopper`]) and the verdicts on its Alipay flow ([`checks`]).
//!
//! The profile holds the selectors of what a shopper uses and the texts the app shows for
//! each outcome. Feature files speak of "the payment succeeded"; the profile says what that
//! looks like in a given app, so one step library serves apps whose wording differs.

pub mod checks;
pub mod host;
pub mod shopper;

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
    /// The log-in form's username field.
    pub login_username: String,
    /// The log-in form's password field.
    pub login_password: String,
    /// The button that sends the log-in form.
    pub login_button: String,
    /// Shown once a log-in succeeded.
    pub logged_in_text: String,
    /// Shown when Zion refused the username or password.
    pub wrong_login_text: String,
    /// How the app keeps a login, when it is not two plain `localStorage` strings
    /// (`[web_app.login]`).
    pub stored_login: Option<StoredLogin>,
    /// Where a logged-in shopper starts (the page with the buy button), relative to the app's
    /// URL; empty: the app's URL itself.
    pub start: String,
    /// The home page the app goes back to after a payment, relative to the app's URL; empty:
    /// the app's URL itself.
    pub home: String,
}

/// Where a web app keeps its login and in what shape (`[web_app.login]`), so
/// `a logged-in shopper` can store one as the app's own log-in would, and check the app took
/// it.
///
/// ```
/// use zion_pay_e2e::web::{LoginStorage, StoredLogin};
///
/// let login = StoredLogin {
///     storage: LoginStorage::Local,
///     key: "auth".into(),
///     value: r#"{"state":{"token":"{token}","user":{"id":{account_id}}}}"#.into(),
///     shown: Some("Signed in as {username}".into()),
/// };
/// assert_eq!(
///     login.value_for("t0k", 7, "alice"),
///     r#"{"state":{"token":"t0k","user":{"id":7}}}"#
/// );
/// assert_eq!(login.shown_for("t0k", 7, "alice").unwrap(), "Signed in as alice");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLogin {
    /// `localStorage`, `sessionStorage` or a cookie.
    pub storage: LoginStorage,
    /// The key (or cookie name).
    pub key: String,
    /// The stored value, with `{token}`, `{account_id}` and `{username}` filled in.
    pub value: String,
    /// What the app shows once it has read the login (same placeholders); checked after
    /// storing it, so a login the app does not read fails the step instead of passing.
    pub shown: Option<String>,
}

/// Where a [`StoredLogin`] lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginStorage {
    /// `window.localStorage`.
    Local,
    /// `window.sessionStorage`.
    Session,
    /// A cookie on the app's origin (path `/`).
    Cookie,
    /// The team's own script, run in the app's page with the arguments `token`, `accountId`,
    /// `username` and `value` (the filled-in value template), for shapes no key describes
    /// (IndexedDB, several keys).
    Script(String),
}

impl StoredLogin {
    fn fill(template: &str, token: &str, account_id: i64, username: &str) -> String {
        template
            .replace("{token}", token)
            .replace("{account_id}", &account_id.to_string())
            .replace("{username}", username)
    }

    /// The value to store for this login.
    pub fn value_for(&self, token: &str, account_id: i64, username: &str) -> String {
        Self::fill(&self.value, token, account_id, username)
    }

    /// What the app shows once it has read this login, if the config says.
    pub fn shown_for(&self, token: &str, account_id: i64, username: &str) -> Option<String> {
        self.shown
            .as_deref()
            .map(|t| Self::fill(t, token, account_id, username))
    }

    /// How a message names where it is stored: `localStorage["auth"]`.
    pub fn place(&self) -> String {
        match self.storage {
            LoginStorage::Local => format!("localStorage[\"{}\"]", self.key),
            LoginStorage::Session => format!("sessionStorage[\"{}\"]", self.key),
            LoginStorage::Cookie => format!("the cookie \"{}\"", self.key),
            LoginStorage::Script(_) => "[web_app.login] script's storage".to_string(),
        }
    }
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
            login_username: "#username".into(),
            login_password: "#password".into(),
            login_button: "#login".into(),
            logged_in_text: "已登录".into(),
            wrong_login_text: "用户名或密码错误".into(),
            stored_login: None,
            start: String::new(),
            home: String::new(),
        }
    }
}

/// Where the web app under test comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebAppSource {
    /// A folder with `index.html` that the harness serves on a loopback origin of its own per
    /// scenario, with `/zion-config.js` naming the scenario's mock.
    Dir(std::path::PathBuf),
    /// A dev server the team runs on this machine. The harness serves nothing: the app calls
    /// its real Zion host, and those calls are rerouted to each scenario's mock.
    Url(url::Url),
}

impl WebAppSource {
    /// A dev server's URL, which must be `http(s)` on loopback: the browser reaches nothing
    /// else.
    ///
    /// ```
    /// use zion_pay_e2e::web::WebAppSource;
    ///
    /// assert!(WebAppSource::parse_url("http://localhost:5173/shop/").is_ok());
    /// assert!(WebAppSource::parse_url("https://shop.example.com/").is_err());
    /// ```
    ///
    /// # Errors
    /// The problem, in words that start after "url".
    pub fn parse_url(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{text}` is not an http(s) URL"));
        }
        match mock_zion::loopback::is_loopback(&url) {
            true => Ok(WebAppSource::Url(url)),
            false => Err(format!(
                "`{text}` is not on this machine: the browser reaches only loopback, so run the dev server locally (e.g. http://127.0.0.1:5173/)"
            )),
        }
    }
}
