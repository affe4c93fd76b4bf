//! Steps of the Alipay web flow (seed 001): the shopper pays at Alipay and comes back.

use std::time::Duration;

use cucumber::{given, then, when};
use mock_zion::{Fault, FaultKind, Outcome};

use super::ShopWorld;
use crate::checks;

const SETTLE: Duration = Duration::from_secs(10);

#[given(expr = "Alipay will accept the payment")]
async fn alipay_accepts(w: &mut ShopWorld) {
    w.zion.set_alipay_outcome(Some(Outcome::Pay));
}

#[given(expr = "the shopper will leave Alipay's cashier without paying")]
async fn shopper_abandons(w: &mut ShopWorld) {
    w.zion.set_alipay_outcome(Some(Outcome::Abandon));
}

#[given(expr = "Zion learns of the payment {int} second(s) after it is made")]
async fn notification_delay(w: &mut ShopWorld, seconds: u64) {
    w.zion.set_notify_delay(Some(Duration::from_secs(seconds)));
}

#[given(expr = "Zion never learns of the payment")]
async fn notification_never(w: &mut ShopWorld) {
    w.zion.set_notify_delay(None);
}

#[given(expr = "Zion will refuse to create the Alipay payment with {string}")]
async fn zion_refuses(w: &mut ShopWorld, message: String) {
    w.zion.inject(Fault::new(
        "alipayTrade",
        FaultKind::GraphqlError { message },
    ));
}

#[when(expr = "the shopper buys the AI membership")]
async fn buys(w: &mut ShopWorld) -> Result<(), String> {
    let result = crate::shopper::buy(w.page(), &w.app.origin(), &w.profile, SETTLE).await;
    w.explain(result).await
}

#[then(expr = "Alipay accepted the payment form as Zion signed it")]
async fn form_accepted(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.check_flow(checks::gateway_accepted);
    w.explain(result).await
}

#[then(expr = "the app asked Alipay to send the shopper back to the shop's own origin")]
async fn return_url_is_origin(w: &mut ShopWorld) -> Result<(), String> {
    let origin = w.app.origin();
    let result = w.zion.journal(|j| checks::return_url_is(j, &origin));
    w.explain(result).await
}

#[then(expr = "the app asked Alipay for the order's price in yuan")]
async fn amount_in_yuan(w: &mut ShopWorld) -> Result<(), String> {
    let price = w.profile.price_fen;
    let result = w.zion.journal(|j| checks::amount_in_yuan(j, price));
    w.explain(result).await
}

#[then(expr = "the app waited for Zion's confirmation before checking the order status")]
async fn waited_before_status(w: &mut ShopWorld) -> Result<(), String> {
    w.wait_for_flow(SETTLE, |flow| !flow.status_queries.is_empty())
        .await;
    let result = w.check_flow(|flow, _| checks::status_queried_after_waiting(flow, 1500));
    w.explain(result).await
}

#[then(expr = "the shop confirms the payment")]
async fn shop_confirms(w: &mut ShopWorld) -> Result<(), String> {
    let result = match w.page().wait_for_text(&w.profile.paid_text, SETTLE).await {
        Ok(()) => w.check_flow(|flow, _| match flow.status_queries.iter().any(|q| Some(q.seq) > flow.returned().map(|r| r.seq)) {
            true => Ok(()),
            false => Err("the shop showed success without asking Zion for the order status after the shopper came back from Alipay".into()),
        }),
        Err(e) => Err(e),
    };
    w.explain(result).await
}

#[then(expr = "the shopper is back on the home page with the AI membership active")]
async fn back_home_unlocked(w: &mut ShopWorld) -> Result<(), String> {
    let home = format!("{}/", w.app.origin());
    let unlocked = w.profile.unlocked_text.clone();
    let result = w
        .page()
        .wait_for(SETTLE, |url, text| url == home && text.contains(&unlocked))
        .await
        .map(|_| ())
        .map_err(|(url, text)| format!("expected the home page {home} showing \"{unlocked}\"; the browser is at {url} showing {}", crate::page::abbreviate(&text)));
    w.explain(result).await
}

#[then(expr = "the shop says the payment is still being processed")]
async fn shop_says_processing(w: &mut ShopWorld) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&w.profile.processing_text, SETTLE)
        .await;
    w.explain(result).await
}

#[then(expr = "the shop does not claim the payment succeeded")]
async fn no_success_claim(w: &mut ShopWorld) -> Result<(), String> {
    let text = w.page().text().await;
    let result = match text.contains(&w.profile.paid_text) {
        false => Ok(()),
        true => Err(format!(
            "the shop shows \"{}\" although Zion has not confirmed the payment",
            w.profile.paid_text
        )),
    };
    w.explain(result).await
}

#[then(expr = "the shopper is left at Alipay's cashier")]
async fn left_at_cashier(w: &mut ShopWorld) -> Result<(), String> {
    let gateway = format!("{}/gateway.do", w.zion.uri());
    let url = w.page().url().await;
    let result = match url.starts_with(&gateway) {
        true => Ok(()),
        false => Err(format!(
            "expected the browser at Alipay's cashier ({gateway}), it is at {url}"
        )),
    };
    w.explain(result).await
}

#[then(expr = "the shop shows an error and the shopper stays in the shop")]
async fn error_stays(w: &mut ShopWorld) -> Result<(), String> {
    let origin = w.app.origin();
    let result = match w.page().wait_for_text(&w.profile.error_text, SETTLE).await {
        Ok(()) if w.page().url().await.starts_with(&origin) => {
            w.check_flow(|flow, _| match flow.gateway.is_empty() {
                true => Ok(()),
                false => Err(
                    "the browser went to Alipay's gateway although Zion refused the payment".into(),
                ),
            })
        }
        Ok(()) => Err(format!(
            "the shopper left the shop for {}",
            w.page().url().await
        )),
        Err(e) => Err(e),
    };
    w.explain(result).await
}

#[then(expr = "the app never asked for an order's status")]
async fn never_asked_status(w: &mut ShopWorld) -> Result<(), String> {
    // The home page has settled once it shows the account's membership state.
    let settled = w
        .page()
        .wait_for(SETTLE, |_, text| text.contains("AI 会员："))
        .await;
    let result = match settled {
        Err((url, text)) => Err(format!("the home page at {url} never finished loading: {}", crate::page::abbreviate(&text))),
        Ok(_) => w.check_flow(|flow, _| match flow.status_queries.first() {
            None => Ok(()),
            Some(q) => Err(format!("the app queried an order status (journal #{}) although the shopper did not come back from a payment", q.seq)),
        }),
    };
    w.explain(result).await
}
