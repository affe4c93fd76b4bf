//! Steps of the Alipay web flow (seed 001): the shopper pays at Alipay and comes back.

use std::time::Duration;

use cucumber::{given, then, when};
use mock_zion::{Fault, FaultKind, Outcome};

use super::ShopWorld;
use crate::checks;

const SETTLE: Duration = Duration::from_secs(10);

#[given(expr = "Alipay will accept the payment")]
#[given(expr = "支付宝将接受付款")]
async fn alipay_accepts(w: &mut ShopWorld) {
    w.zion.set_alipay_outcome(Some(Outcome::Pay));
}

#[given(expr = "the shopper will leave Alipay's cashier without paying")]
#[given(expr = "顾客将不付款离开支付宝收银台")]
async fn shopper_abandons(w: &mut ShopWorld) {
    w.zion.set_alipay_outcome(Some(Outcome::Abandon));
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

#[given(expr = "Zion will refuse to create the Alipay payment with {string}")]
#[given(expr = "Zion 将以 {string} 拒绝创建支付宝支付")]
async fn zion_refuses(w: &mut ShopWorld, message: String) {
    w.zion.inject(Fault::new(
        "alipayTrade",
        FaultKind::GraphqlError { message },
    ));
}

#[when(expr = "the shopper buys the AI membership")]
#[when(expr = "顾客购买 AI 会员")]
async fn buys(w: &mut ShopWorld) -> Result<(), String> {
    let result = crate::shopper::buy(w.page(), &w.app.origin(), &w.profile, SETTLE).await;
    w.explain(result).await
}

#[then(expr = "Alipay accepted the payment form as Zion signed it")]
#[then(expr = "支付宝接受了 Zion 签名的支付表单")]
async fn form_accepted(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.check_flow(checks::gateway_accepted);
    w.explain(result).await
}

#[then(expr = "the app asked Alipay to send the shopper back to the shop's own origin")]
#[then(expr = "应用请支付宝把顾客送回网店自己的源地址")]
async fn return_url_is_origin(w: &mut ShopWorld) -> Result<(), String> {
    let origin = w.app.origin();
    let result = w.zion.journal(|j| checks::return_url_is(j, &origin));
    w.explain(result).await
}

#[then(expr = "the app asked Alipay for the order's price in yuan")]
#[then(expr = "应用向支付宝请求的金额是以元计的订单价格")]
async fn amount_in_yuan(w: &mut ShopWorld) -> Result<(), String> {
    let price = w.profile.price_fen;
    let result = w.zion.journal(|j| checks::amount_in_yuan(j, price));
    w.explain(result).await
}

#[then(expr = "the app waited for Zion's confirmation before checking the order status")]
#[then(expr = "应用先等待 Zion 确认再查询订单状态")]
async fn waited_before_status(w: &mut ShopWorld) -> Result<(), String> {
    w.wait_for_flow(SETTLE, |flow| !flow.status_queries.is_empty())
        .await;
    let result = w.check_flow(|flow, _| checks::status_queried_after_waiting(flow, 1500));
    w.explain(result).await
}

#[then(expr = "the shop confirms the payment")]
#[then(expr = "网店确认支付成功")]
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
#[then(expr = "顾客回到首页且 AI 会员已开通")]
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
#[then(expr = "网店提示支付仍在处理中")]
async fn shop_says_processing(w: &mut ShopWorld) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&w.profile.processing_text, SETTLE)
        .await;
    w.explain(result).await
}

#[then(expr = "the shop does not claim the payment succeeded")]
#[then(expr = "网店没有声称支付成功")]
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
#[then(expr = "顾客停留在支付宝收银台")]
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
#[then(expr = "网店显示错误且顾客留在网店")]
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
#[then(expr = "应用从未查询订单状态")]
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
