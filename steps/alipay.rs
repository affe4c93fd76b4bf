//! Steps of the Alipay web flow (seed 001): the shopper pays at Alipay and comes back.

use std::time::Duration;

use cucumber::{given, then, when};
use mock_zion::{Fault, FaultKind, Outcome};

use super::ShopWorld;
use crate::web::{checks, shopper};

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
    let origin = w.app()?.origin();
    let result = shopper::buy(w.page(), &origin, &w.profile, SETTLE).await;
    w.explain(result).await
}

/// Pays at Alipay's cashier however the shopper got there (the generic steps, a phrase), and
/// comes back to the app.
#[when(expr = "the shopper pays with Alipay")]
#[when(expr = "顾客用支付宝付款")]
async fn pays_with_alipay(w: &mut ShopWorld) -> Result<(), String> {
    let paid = || {
        w.zion.journal(|j| {
            j.entries()
                .iter()
                .any(|e| e.kind == mock_zion::EntryKind::Gateway && e.status == 302)
        })
    };
    let result = shopper::pay_at_alipay(w.page(), &w.app()?.origin(), paid, SETTLE).await;
    w.explain(result).await
}

#[when(expr = "the shopper clicks the buy button twice quickly")]
#[when(expr = "顾客快速点击两次购买按钮")]
async fn buys_clicking_twice(w: &mut ShopWorld) -> Result<(), String> {
    let result =
        shopper::buy_clicking_twice(w.page(), &w.app()?.origin(), &w.profile, SETTLE).await;
    w.explain(result).await
}

#[then(expr = "the shop created one order and sent the shopper to Alipay once")]
#[then(expr = "网店只创建了一个订单，只把顾客送往支付宝一次")]
async fn paid_once(w: &mut ShopWorld) -> Result<(), String> {
    let orders = w.zion.rows(&w.zion.config().order_table.name).len();
    let result = w.check_flow(|flow, journal| checks::paid_once(flow, journal, orders));
    w.judge(result).await
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
    let origin = w.app()?.origin();
    let result = w.zion.journal(|j| checks::return_url_is(j, &origin));
    w.judge(result).await
}

#[then(expr = "the app asked Alipay for the order's price in yuan")]
#[then(expr = "应用向支付宝请求的金额是以元计的订单价格")]
async fn amount_in_yuan(w: &mut ShopWorld) -> Result<(), String> {
    let (price, orders) = (w.profile.price_fen, w.orders());
    let result = w
        .zion
        .journal(|j| checks::amount_in_yuan(j, &orders, price));
    w.judge(result).await
}

#[then(expr = "the app waited for Zion's confirmation before checking the order status")]
#[then(expr = "应用先等待 Zion 确认再查询订单状态")]
async fn waited_before_status(w: &mut ShopWorld) -> Result<(), String> {
    w.wait_for_flow(SETTLE, |flow| !flow.status_queries.is_empty())
        .await;
    let result = w.check_flow(|flow, _| checks::status_queried_after_waiting(flow, 1500));
    w.judge(result).await
}

#[then(expr = "the shop confirms the payment")]
#[then(expr = "网店确认支付成功")]
async fn shop_confirms(w: &mut ShopWorld) -> Result<(), String> {
    // Not showing success is a symptom; showing it without asking Zion is a verdict.
    if let Err(symptom) = w.page().wait_for_text(&w.profile.paid_text, SETTLE).await {
        return w.explain(Err(symptom)).await;
    }
    let result = w.check_flow(|flow, _| checks::status_confirmed_after_return(flow));
    w.judge(result).await
}

#[then(expr = "the shopper is back on the home page with the AI membership active")]
#[then(expr = "顾客回到首页且 AI 会员已开通")]
async fn back_home_unlocked(w: &mut ShopWorld) -> Result<(), String> {
    let result =
        shopper::back_home_showing(w.page(), &w.home_url()?, &w.profile.unlocked_text, SETTLE)
            .await;
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
    let result = shopper::does_not_show(
        w.page(),
        &w.profile.paid_text,
        "although Zion has not confirmed the payment",
    )
    .await;
    w.explain(result).await
}

#[then(expr = "the shopper is left at Alipay's cashier")]
#[then(expr = "顾客停留在支付宝收银台")]
async fn left_at_cashier(w: &mut ShopWorld) -> Result<(), String> {
    let gateway = format!("{}/gateway.do", w.zion.uri());
    let result = shopper::is_at(w.page(), &gateway, "Alipay's cashier").await;
    w.explain(result).await
}

#[then(expr = "the shop shows an error and the shopper stays in the shop")]
#[then(expr = "网店显示错误且顾客留在网店")]
async fn error_stays(w: &mut ShopWorld) -> Result<(), String> {
    let stayed =
        shopper::shows_and_stays(w.page(), &w.profile.error_text, &w.app()?.origin(), SETTLE).await;
    if let Err(symptom) = stayed {
        return w.explain(Err(symptom)).await;
    }
    let result = w.check_flow(|flow, _| checks::never_went_to_gateway(flow));
    w.judge(result).await
}

#[then(expr = "the app never asked for an order's status")]
#[then(expr = "应用从未查询订单状态")]
async fn never_asked_status(w: &mut ShopWorld) -> Result<(), String> {
    // The home page has settled once it shows the account's state.
    let loaded = w
        .page()
        .wait_for_text(&w.profile.home_loaded_text, SETTLE)
        .await;
    let result = loaded.and_then(|()| w.check_flow(|flow, _| checks::no_status_query(flow)));
    w.judge(result).await
}
