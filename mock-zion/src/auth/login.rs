//! Zion's log-in mutations: `authenticateWithUsername`, `sendVerificationCodeToEmail` +
//! `authenticateWithEmail`, and `loginWithWechatMiniApp` (the silent log-in every Zion Mini
//! Program makes at launch with the code from `wx.login`). Each answers the account as
//! `FZ_Account` and a JWT ([`super::jwt`]) that the app sends as its Bearer token.
//!
//! Accounts log in with what `[[accounts]]` gives them (`username`, `password`, `email`,
//! `openid`) or what they registered with. Verification codes and `wx.login` codes are
//! issued by the mock (the control API shows them), single use, valid five minutes.

use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{json, Map, Value};

use crate::config::AccountSeed;
use crate::failure::Failure;
use crate::state::State;

/// How long a verification code or a `wx.login` code stays valid.
pub const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// One account's log-in details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credential {
    /// The account id.
    pub account: i64,
    /// Its username.
    pub username: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its WeChat openid.
    pub openid: Option<String>,
}

/// A code the mock issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The code.
    pub code: String,
    /// Who it is for: an e-mail address, or the account id of a `wx.login` code.
    pub to: String,
    /// `LOGIN`, `SIGN_UP`, … for e-mail codes; `wx.login` for WeChat's.
    pub purpose: String,
    /// When it was issued.
    pub issued: Instant,
    /// Whether it was used.
    pub used: bool,
}

/// Log-in state of one mock instance.
#[derive(Debug, Clone, Default)]
pub struct Logins {
    credentials: Vec<Credential>,
    codes: Vec<IssuedCode>,
}

impl Logins {
    /// The log-ins the config's accounts have.
    pub fn new(accounts: &[AccountSeed]) -> Self {
        Logins {
            credentials: accounts
                .iter()
                .map(|a| Credential {
                    account: a.id,
                    username: a.username.clone(),
                    password: a.password.clone(),
                    email: a.email.clone(),
                    openid: a.openid.clone(),
                })
                .collect(),
            codes: Vec::new(),
        }
    }

    /// Gives `account` a username and password to log in with (`authenticateWithUsername`),
    /// replacing any it had.
    pub fn set_password_login(&mut self, account: i64, username: &str, password: &str) {
        let index = match self.credentials.iter().position(|c| c.account == account) {
            Some(index) => index,
            None => {
                self.credentials.push(Credential {
                    account,
                    ..Credential::default()
                });
                self.credentials.len() - 1
            }
        };
        let credential = &mut self.credentials[index];
        credential.username = Some(username.to_string());
        credential.password = Some(password.to_string());
    }

    /// Every code issued so far, oldest first.
    pub fn codes(&self) -> &[IssuedCode] {
        &self.codes
    }

    /// Issues a `wx.login` code for the account with `openid` (or, without one, for the
    /// first account): what WeChat's servers would redeem for that user.
    ///
    /// # Errors
    /// No account has that openid, or there is no account.
    pub fn issue_wechat_code(&mut self, openid: Option<&str>) -> Result<String, String> {
        let account = match openid {
            Some(openid) => self
                .credentials
                .iter()
                .find(|c| c.openid.as_deref() == Some(openid))
                .map(|c| c.account)
                .ok_or_else(|| format!("no account has the WeChat openid `{openid}`"))?,
            None => self
                .credentials
                .first()
                .map(|c| c.account)
                .ok_or("the project has no account to log in")?,
        };
        let code = random_code(32);
        self.codes.push(IssuedCode {
            code: code.clone(),
            to: account.to_string(),
            purpose: "wx.login".into(),
            issued: Instant::now(),
            used: false,
        });
        Ok(code)
    }
}

fn random_code(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

fn refused(message: String) -> Failure {
    Failure::new("UNAUTHENTICATED", message)
}

fn bad(message: String) -> Failure {
    Failure::new("BAD_USER_INPUT", message)
}

/// What a log-in mutation answers: the `FZ_Account` fields and the token.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedIn {
    /// `FZ_Account`: `email`, `id`, `permissionRoles`, `phoneNumber`, `profileImageUrl`,
    /// `roles`, `username`.
    pub account: Map<String, Value>,
    /// The JWT.
    pub token: String,
}

/// The answer to a log-in of `credential`: its `FZ_Account` and a fresh JWT, remembered in
/// `tokens` so expiring the account's logins expires it too.
fn logged_in(tokens: &mut super::Tokens, credential: &Credential) -> LoggedIn {
    let account = json!({
        "email": credential.email,
        "id": credential.account,
        "permissionRoles": ["USER"],
        "phoneNumber": null,
        "profileImageUrl": null,
        "roles": [{"id": 1, "name": "USER"}],
        "username": credential.username,
    });
    let token = super::jwt::issue(credential.account, super::jwt::LIFETIME_SECS);
    tokens.record_issued(&token, credential.account);
    LoggedIn {
        account: account.as_object().cloned().unwrap_or_default(),
        token,
    }
}

/// A new account row (and its log-in) for a registration.
fn register(state: &mut State, credential: Credential) -> Result<LoggedIn, Failure> {
    let table = state.config.account_table.name.clone();
    let id = state.tables.insert(&table, Map::new()).map_err(|e| {
        Failure::new(
            "INTERNAL_SERVER_ERROR",
            format!("cannot create the account: {e}"),
        )
    })?;
    let credential = Credential {
        account: id,
        ..credential
    };
    let answer = logged_in(&mut state.tokens, &credential);
    state.logins.credentials.push(credential);
    Ok(answer)
}

fn text(args: &Value, key: &str) -> Option<String> {
    args.get(key).and_then(Value::as_str).map(String::from)
}

/// `authenticateWithUsername(username, password, register)`.
///
/// # Errors
/// A wrong username or password, or registering a username that is taken.
pub fn with_username(state: &mut State, args: &Value) -> Result<LoggedIn, Failure> {
    let username = text(args, "username").unwrap_or_default();
    let password = text(args, "password").unwrap_or_default();
    let existing = state
        .logins
        .credentials
        .iter()
        .find(|c| c.username.as_deref() == Some(username.as_str()));
    if args["register"].as_bool() == Some(true) {
        if existing.is_some() {
            return Err(bad(format!("authenticateWithUsername: the username \"{username}\" is already registered; log in with register: false")));
        }
        if username.trim().is_empty() || password.is_empty() {
            return Err(bad(
                "authenticateWithUsername: registering needs a username and a password".into(),
            ));
        }
        return register(
            state,
            Credential {
                username: Some(username),
                password: Some(password),
                ..Credential::default()
            },
        );
    }
    match existing {
        Some(c) if c.password.as_deref() == Some(password.as_str()) => {
            Ok(logged_in(&mut state.tokens, c))
        }
        _ => Err(refused(
            "authenticateWithUsername: wrong username or password".into(),
        )),
    }
}

/// `sendVerificationCodeToEmail(email, verificationEnumType)`: issues a six-digit code.
pub fn send_email_code(state: &mut State, args: &Value) -> Result<Value, Failure> {
    let email = text(args, "email").unwrap_or_default();
    if !email.contains('@') {
        return Err(bad(format!(
            "sendVerificationCodeToEmail: \"{email}\" is not an e-mail address"
        )));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    state.logins.codes.push(IssuedCode {
        code,
        to: email,
        purpose: text(args, "verificationEnumType").unwrap_or_default(),
        issued: Instant::now(),
        used: false,
    });
    Ok(Value::Bool(true))
}

/// Takes a live, unused code issued to `to` for `purpose`.
fn redeem(
    logins: &mut Logins,
    to: &str,
    purposes: &[&str],
    code: &str,
) -> Result<(), &'static str> {
    let issued = logins
        .codes
        .iter_mut()
        .rev()
        .find(|c| c.code == code && c.to == to && purposes.contains(&c.purpose.as_str()));
    match issued {
        None => Err("invalid code"),
        Some(c) if c.used => Err("code been used"),
        Some(c) if c.issued.elapsed() > CODE_LIFETIME => Err("code expired (codes live 5 minutes)"),
        Some(c) => {
            c.used = true;
            Ok(())
        }
    }
}

/// `authenticateWithEmail(email, password, verificationCode, register)`.
///
/// # Errors
/// A wrong password or code, registering an address that is taken.
pub fn with_email(state: &mut State, args: &Value) -> Result<LoggedIn, Failure> {
    let email = text(args, "email").unwrap_or_default();
    let password = text(args, "password");
    let code = text(args, "verificationCode");
    let existing = state
        .logins
        .credentials
        .iter()
        .position(|c| c.email.as_deref() == Some(email.as_str()));
    if args["register"].as_bool() == Some(true) {
        if existing.is_some() {
            return Err(bad(format!("authenticateWithEmail: \"{email}\" is already registered; log in with register: false")));
        }
        let code = code.ok_or_else(|| bad("authenticateWithEmail: registering needs the verificationCode sent by sendVerificationCodeToEmail".into()))?;
        redeem(&mut state.logins, &email, &["SIGN_UP"], &code).map_err(|why| {
            refused(format!(
                "authenticateWithEmail: verification code refused: {why}"
            ))
        })?;
        return register(
            state,
            Credential {
                email: Some(email),
                password,
                ..Credential::default()
            },
        );
    }
    let Some(index) = existing else {
        return Err(refused(
            "authenticateWithEmail: wrong e-mail address, password or code".into(),
        ));
    };
    let ok = match (&password, &code) {
        (Some(p), _) => state.logins.credentials[index].password.as_deref() == Some(p.as_str()),
        (None, Some(code)) => redeem(&mut state.logins, &email, &["LOGIN"], code).is_ok(),
        (None, None) => false,
    };
    match ok {
        true => Ok(logged_in(
            &mut state.tokens,
            &state.logins.credentials[index],
        )),
        false => Err(refused(
            "authenticateWithEmail: wrong e-mail address, password or code".into(),
        )),
    }
}

/// `loginWithWechatMiniApp(code)`: redeems a `wx.login` code once, within five minutes.
///
/// # Errors
/// WeChat's refusal of the code: unknown, used or stale.
pub fn with_wechat(state: &mut State, args: &Value) -> Result<LoggedIn, Failure> {
    let code = text(args, "code").unwrap_or_default();
    let account = state
        .logins
        .codes
        .iter()
        .find(|c| c.code == code && c.purpose == "wx.login")
        .map(|c| c.to.clone());
    let Some(account) = account else {
        return Err(refused(format!("loginWithWechatMiniApp: WeChat refused the code (40029 invalid code): pass the code wx.login just returned, got \"{code}\"")));
    };
    redeem(&mut state.logins, &account, &["wx.login"], &code).map_err(|why| {
        let errcode = if why.starts_with("code been used") { 40163 } else { 40029 };
        refused(format!("loginWithWechatMiniApp: WeChat refused the code ({errcode} {why}): call wx.login for a fresh code at every log-in"))
    })?;
    let id: i64 = account.parse().unwrap_or_default();
    let credential = state
        .logins
        .credentials
        .iter()
        .find(|c| c.account == id)
        .cloned()
        .unwrap_or(Credential {
            account: id,
            ..Credential::default()
        });
    Ok(logged_in(&mut state.tokens, &credential))
}

/// The codes issued so far as JSON, for the control API (`GET /__mock/codes`).
pub fn codes_json(logins: &Logins) -> Value {
    Value::Array(
        logins
            .codes
            .iter()
            .map(|c| json!({"code": c.code, "to": c.to, "purpose": c.purpose, "used": c.used, "age_ms": c.issued.elapsed().as_millis() as u64}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_older_than_five_minutes_is_refused() {
        let mut logins = Logins::default();
        let issued = Instant::now()
            .checked_sub(CODE_LIFETIME + Duration::from_secs(1))
            .expect("the clock is past five minutes");
        logins.codes.push(IssuedCode {
            code: "old".into(),
            to: "1".into(),
            purpose: "wx.login".into(),
            issued,
            used: false,
        });
        assert_eq!(
            redeem(&mut logins, "1", &["wx.login"], "old"),
            Err("code expired (codes live 5 minutes)")
        );
    }
}
