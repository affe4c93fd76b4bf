//! What a shopper does in a web shop, as WebDriver actions with bounded waits.

use std::time::Duration;

use mock_zion::MockZion;
use serde_json::{json, Value};

use crate::browser::page::{abbreviate, Page};
use crate::web::WebAppProfile;

/// Logs the shopper in the way the app remembers a login: as `[web_app.login]` describes it
/// (then checks the app shows it took it), or else the Bearer token and account id as two
/// `localStorage` strings; then a fresh load of the home page.
///
/// # Errors
/// The app could not be opened or its storage written, or it did not take the login.
pub async fn log_in(
    page: &Page,
    home: &str,
    profile: &WebAppProfile,
    token: &str,
    account: i64,
    username: &str,
) -> Result<(), String> {
    page.open(home).await?;
    let Some(stored) = &profile.stored_login else {
        page.run(
            "localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem(arguments[2], arguments[3]);",
            vec![json!(profile.token_key), json!(token), json!(profile.user_id_key), json!(account.to_string())],
        )
        .await?;
        return page.open(home).await;
    };
    let value = stored.value_for(token, account, username);
    match &stored.storage {
        crate::web::LoginStorage::Script(script) => {
            // The team's script, as an async function of the login: it may await.
            let run = format!(
                "const done = arguments[arguments.length - 1];
                 const [token, accountId, username, value] = arguments;
                 (async () => {{ {script}\n }})().then(() => done(null), (e) => done(String(e && e.stack || e)));"
            );
            let args = vec![json!(token), json!(account), json!(username), json!(value)];
            match page.client().execute_async(&run, args).await {
                Ok(Value::Null) => {}
                Ok(thrown) => {
                    return Err(format!(
                        "[web_app.login] script threw: {}",
                        thrown.as_str().unwrap_or_default()
                    ))
                }
                Err(e) => return Err(format!("[web_app.login] script did not finish: {e}")),
            }
        }
        storage => {
            let script = match storage {
                crate::web::LoginStorage::Session => {
                    "sessionStorage.setItem(arguments[0], arguments[1]);"
                }
                crate::web::LoginStorage::Cookie => {
                    "document.cookie = `${arguments[0]}=${encodeURIComponent(arguments[1])}; path=/`;"
                }
                _ => "localStorage.setItem(arguments[0], arguments[1]);",
            };
            page.run(script, vec![json!(stored.key), json!(value)])
                .await?;
        }
    }
    page.open(home).await?;
    let Some(shown) = stored.shown_for(token, account, username) else {
        return Ok(());
    };
    page.wait_for_text(&shown, Duration::from_secs(10))
        .await
        .map_err(|_| {
            format!(
                "the app did not take the stored login: with {} = {} it never showed \"{shown}\" (check [web_app.login] key and value against what the app stores after a log-in)",
                stored.place(),
                abbreviate(&value)
            )
        })
}

/// Logs in through the app's own log-in form (which calls Zion's
/// `authenticateWithUsername`): opens the home page unless the form is already shown, types
/// the username and password, and sends the form. What the app then shows is for the next
/// step to check.
///
/// # Errors
/// The form did not show up, or could not be filled or sent.
pub async fn log_in_with_form(
    page: &Page,
    home: &str,
    profile: &WebAppProfile,
    username: &str,
    password: &str,
) -> Result<(), String> {
    if !page.shows(&profile.login_username).await {
        page.open(home).await?;
    }
    let limit = Duration::from_secs(5);
    page.fill(&profile.login_username, username, "username field", limit)
        .await?;
    page.fill(&profile.login_password, password, "password field", limit)
        .await?;
    page.click(&profile.login_button, "log-in button", limit)
        .await
}

/// The login the app keeps, if any: the value under the profile's token key in
/// `localStorage`.
pub async fn stored_login(page: &Page, profile: &WebAppProfile) -> Option<String> {
    page.run(
        "return localStorage.getItem(arguments[0]);",
        vec![json!(profile.token_key)],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(str::to_string))
    .filter(|token| !token.is_empty())
}

/// Clicks the buy button and waits until the payment flow has visibly moved on: the
/// browser left for the gateway or came back from it, or the shop shows an error.
///
/// # Errors
/// The app opened a second window, tried to reach a host outside this machine, or did
/// nothing visible within the limit.
pub async fn buy(
    page: &Page,
    origin: &str,
    profile: &WebAppProfile,
    limit: Duration,
) -> Result<(), String> {
    page.click(&profile.buy_button, "buy button", Duration::from_secs(5))
        .await?;
    wait_for_payment_to_start(page, origin, profile, limit).await
}

/// Clicks the buy button twice in one quick gesture, as an impatient shopper does, then waits
/// as [`buy`] does. A disabled button ignoring the second click is the app guarding against
/// paying twice.
///
/// # Errors
/// As [`buy`].
pub async fn buy_clicking_twice(
    page: &Page,
    origin: &str,
    profile: &WebAppProfile,
    limit: Duration,
) -> Result<(), String> {
    page.double_click(&profile.buy_button, "buy button", Duration::from_secs(5))
        .await?;
    wait_for_payment_to_start(page, origin, profile, limit).await
}

/// Waits until the payment flow has visibly moved on after a click on the buy button.
async fn wait_for_payment_to_start(
    page: &Page,
    origin: &str,
    profile: &WebAppProfile,
    limit: Duration,
) -> Result<(), String> {
    let deadline = page.deadline(limit);
    loop {
        if page.window_count().await > 1 {
            return Err("the app opened the Alipay payment form in a new window; it must write the form into the current page (document.open/write/close) so that Alipay returns the shopper to this tab".into());
        }
        let (mut url, text) = page.url_and_text().await;
        if url.starts_with("chrome-error:") {
            // The error page's own URL hides the host; WebDriver reports the one it tried.
            url = page.url().await;
        }
        if let Some(host) = outside_host(&url) {
            return Err(format!("the browser tried to leave this machine for {host} ({url}); the app must only call its Zion project, which the harness serves locally"));
        }
        if !url.starts_with(origin) || url.contains("out_trade_no=") {
            return Ok(());
        }
        if text.contains(&profile.error_text) || text.contains(&profile.login_again_text) {
            return Ok(());
        }
        if deadline.passed() {
            return Err(format!("nothing happened within {limit:?} after the buy button was clicked; at {url} the page shows: {}", abbreviate(&text)));
        }
        page.pass_time(&deadline).await;
    }
}

/// Waits until the shop shows `text` and checks the browser is still on `origin`.
///
/// # Errors
/// The text never showed, or the browser left the shop.
pub async fn shows_and_stays(
    page: &Page,
    text: &str,
    origin: &str,
    limit: Duration,
) -> Result<(), String> {
    page.wait_for_text(text, limit).await?;
    let url = page.url().await;
    match url.starts_with(origin) {
        true => Ok(()),
        false => Err(format!("the shopper left the shop for {url}")),
    }
}

/// Waits until the browser is on the shop's home page (`home`, no query) showing `text`.
///
/// # Errors
/// It did not get there within `limit`; says where it is instead.
pub async fn back_home_showing(
    page: &Page,
    home: &str,
    text: &str,
    limit: Duration,
) -> Result<(), String> {
    page.wait_for(limit, |url, shown| url == home && shown.contains(text))
        .await
        .map(|_| ())
        .map_err(|(url, shown)| format!("expected the home page {home} showing \"{text}\"; the browser is at {url} showing {}", crate::browser::page::abbreviate_around(&shown, text)))
}

/// Checks the page does not show `text`; `why` ends the failure message.
///
/// # Errors
/// The page shows it.
pub async fn does_not_show(page: &Page, text: &str, why: &str) -> Result<(), String> {
    match page.text().await.contains(text) {
        false => Ok(()),
        true => Err(format!("the shop shows \"{text}\" {why}")),
    }
}

/// Checks the browser is at a URL starting with `prefix` (`what` names the place).
///
/// # Errors
/// It is somewhere else.
pub async fn is_at(page: &Page, prefix: &str, what: &str) -> Result<(), String> {
    let url = page.url().await;
    match url.starts_with(prefix) {
        true => Ok(()),
        false => Err(format!(
            "expected the browser at {what} ({prefix}), it is at {url}"
        )),
    }
}

/// The host of a URL that is not on this machine (Chrome's error page counts as one).
fn outside_host(url: &str) -> Option<String> {
    if url.starts_with("chrome-error:") {
        return Some("a host outside this machine".into());
    }
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let local = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
    (!local && parsed.scheme().starts_with("http")).then(|| host.to_string())
}

/// No order exists.
///
/// # Errors
/// Lists the orders that were created.
pub fn no_order_created(zion: &MockZion) -> Result<(), String> {
    let orders = zion.rows(&zion.config().order_table.name);
    match orders.len() {
        0 => Ok(()),
        n => Err(format!("{n} order(s) were created: {orders:?}")),
    }
}

/// The latest order is (or is not) paid.
///
/// # Errors
/// There is no order, or its status is the other one.
pub fn order_status_is(zion: &MockZion, paid: bool) -> Result<(), String> {
    let config = zion.config();
    let binding = &config.order_table;
    let Some(order) = zion.rows(&binding.name).pop() else {
        return Err("no order was created".into());
    };
    let status = order
        .get(&binding.status_column)
        .cloned()
        .unwrap_or(Value::Null);
    let wanted = if paid {
        &binding.paid_status
    } else {
        &binding.unpaid_status
    };
    if status == json!(wanted) {
        Ok(())
    } else {
        Err(format!(
            "order {} has status {status}, expected \"{wanted}\"",
            order["id"]
        ))
    }
}

/// Pays at Alipay's cashier, however the shopper got there: waits until the browser shows the
/// cashier and confirms the payment there, then waits until Alipay sent the shopper back to
/// the app at `origin`. When the scenario chose the outcome beforehand (`Alipay will accept
/// the payment`), the gateway paid by itself: the return is all there is to wait for.
/// `paid` says whether Alipay has a paid trade of this scenario.
///
/// # Errors
/// The shopper never reached the cashier (or never came back) within `limit`.
pub async fn pay_at_alipay(
    page: &Page,
    origin: &str,
    paid: impl Fn() -> bool,
    limit: Duration,
) -> Result<(), String> {
    let deadline = page.deadline(limit);
    let mut confirmed = false;
    loop {
        let (url, text) = page.url_and_text().await;
        if url.starts_with(origin) && (paid() || confirmed) {
            return Ok(());
        }
        if !confirmed && page.shows("#cashier-pay").await {
            page.click("#cashier-pay", "Alipay's pay button", limit)
                .await?;
            confirmed = true;
        }
        if deadline.passed() {
            return Err(match confirmed || paid() {
                false => format!(
                    "the shopper never reached Alipay's cashier within {limit:?}; the page at {url} shows: {}",
                    crate::browser::page::abbreviate(&text)
                ),
                true => format!(
                    "Alipay took the payment, but the shopper was not back in the app at {origin} within {limit:?}; the page at {url} shows: {}",
                    crate::browser::page::abbreviate(&text)
                ),
            });
        }
        page.pass_time(&deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::outside_host;

    #[test]
    fn only_loopback_urls_stay_on_the_machine() {
        assert_eq!(outside_host("http://127.0.0.1:5000/?a=1"), None);
        assert_eq!(outside_host("about:blank"), None);
        assert_eq!(
            outside_host("https://openapi.alipay.com/gateway.do").as_deref(),
            Some("openapi.alipay.com")
        );
        assert!(outside_host("chrome-error://chromewebdata/").is_some());
    }
}
