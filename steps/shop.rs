//! Steps about the shopper and the shop's pages, whatever the payment channel.

use std::time::Duration;

use cucumber::{given, then, when};

use super::ShopWorld;

/// Long enough for the app's own ~2 s waits plus a redirect; short enough to fail fast.
const SETTLE: Duration = Duration::from_secs(10);

/// Stores a login as the app keeps one (`[web_app.login]`, else `token_key` and
/// `user_id_key`) and opens the home page; with `[web_app.login] shown`, checks the app took it.
#[given(expr = "a logged-in shopper on the web shop")]
#[given(expr = "the shopper is logged in")]
#[given(expr = "一位已登录的顾客在网店")]
#[given(expr = "顾客已登录")]
async fn logged_in_shopper(w: &mut ShopWorld) -> Result<(), String> {
    let username = w
        .zion
        .config()
        .accounts
        .first()
        .and_then(|a| a.username.clone())
        .unwrap_or_default();
    let result = crate::web::shopper::log_in(
        w.page(),
        &w.start_url()?,
        &w.profile,
        &w.token(),
        w.account_id(),
        &username,
    )
    .await;
    w.explain(result).await
}

#[given(expr = "the shopper's login has expired")]
#[given(expr = "顾客的登录已过期")]
async fn login_expired(w: &mut ShopWorld) {
    // Every token of the shopper: the configured one and the JWTs its log-ins were issued.
    w.zion.expire_logins(w.account_id());
}

#[given(expr = "the shopper can log in as {string} with the password {string}")]
#[given(expr = "顾客可以用户名 {string} 和密码 {string} 登录")]
async fn has_password_login(w: &mut ShopWorld, username: String, password: String) {
    w.zion
        .set_password_login(w.account_id(), &username, &password);
}

#[given(expr = "the shopper has logged in as {string} with the password {string}")]
#[given(expr = "顾客已用用户名 {string} 和密码 {string} 登录")]
async fn has_logged_in_with_form(
    w: &mut ShopWorld,
    username: String,
    password: String,
) -> Result<(), String> {
    logs_in_with_form(w, username, password).await?;
    shows_logged_in(w).await
}

#[when(expr = "the shopper logs in as {string} with the password {string}")]
#[when(expr = "顾客以用户名 {string} 和密码 {string} 登录")]
async fn logs_in_with_form(
    w: &mut ShopWorld,
    username: String,
    password: String,
) -> Result<(), String> {
    let result = crate::web::shopper::log_in_with_form(
        w.page(),
        &w.home_url()?,
        &w.profile,
        &username,
        &password,
    )
    .await;
    w.explain(result).await
}

#[then(expr = "the shop shows the shopper as logged in")]
#[then(expr = "网店显示顾客已登录")]
async fn shows_logged_in(w: &mut ShopWorld) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&w.profile.logged_in_text, SETTLE)
        .await;
    w.explain(result).await
}

#[then(expr = "the shop says the username or password is wrong")]
#[then(expr = "网店提示用户名或密码错误")]
async fn says_wrong_login(w: &mut ShopWorld) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&w.profile.wrong_login_text, SETTLE)
        .await;
    w.explain(result).await
}

#[then(expr = "the shopper is not logged in")]
#[then(expr = "顾客没有登录")]
async fn not_logged_in(w: &mut ShopWorld) -> Result<(), String> {
    let stored = crate::web::shopper::stored_login(w.page(), &w.profile).await;
    let result = match stored {
        None => Ok(()),
        Some(token) => Err(format!(
            "the app keeps a login after a refused log-in: localStorage[\"{}\"] = \"{}\"",
            w.profile.token_key,
            crate::browser::page::abbreviate(&token)
        )),
    };
    w.judge(result).await
}

#[when(expr = "the shopper opens the shop's home page")]
#[when(expr = "顾客打开网店首页")]
async fn opens_home(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.page().open(&w.home_url()?).await;
    w.explain(result).await
}

#[then(expr = "the shop asks the shopper to log in again")]
#[then(expr = "网店请顾客重新登录")]
async fn asks_to_log_in(w: &mut ShopWorld) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&w.profile.login_again_text, SETTLE)
        .await;
    w.explain(result).await
}

#[then(expr = "no order was created")]
#[then(expr = "没有创建订单")]
async fn no_order(w: &mut ShopWorld) -> Result<(), String> {
    let result = crate::web::shopper::no_order_created(&w.zion);
    w.judge(result).await
}

/// Every payment the app asked Zion for, and every order of the scenario, is of this amount
/// (in yuan, as the shopper reads it: "19.90").
#[then(expr = "the shopper was asked to pay {string} yuan")]
#[then(expr = "顾客被要求支付 {string} 元")]
async fn asked_to_pay(w: &mut ShopWorld, yuan: String) -> Result<(), String> {
    let orders = w.orders();
    let result = w
        .zion
        .journal(|j| crate::web::checks::asked_to_pay(j, &orders, &yuan));
    w.judge(result).await
}

#[then(expr = "the order is paid")]
#[then(expr = "订单已支付")]
async fn order_paid(w: &mut ShopWorld) -> Result<(), String> {
    let result = crate::web::shopper::order_status_is(&w.zion, true);
    w.explain(result).await
}

#[then(expr = "the order is still unpaid")]
#[then(expr = "订单仍未支付")]
async fn order_unpaid(w: &mut ShopWorld) -> Result<(), String> {
    let result = crate::web::shopper::order_status_is(&w.zion, false);
    w.explain(result).await
}

#[given(expr = "Zion learns of the payment {int} second(s) after it is made")]
#[given(expr = "Zion 在付款 {int} 秒后收到支付通知")]
async fn notification_delay(w: &mut ShopWorld, seconds: u64) {
    w.zion.set_notify_delay(Some(Duration::from_secs(seconds)));
}

#[given(expr = "Zion never learns of the payment")]
#[given(expr = "Zion 始终收不到支付通知")]
async fn notification_never(w: &mut ShopWorld) {
    w.zion.set_notify_delay(None);
}
