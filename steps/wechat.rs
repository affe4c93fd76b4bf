//! Steps of the WeChat Mini Program flow (seed 000): the shopper pays in WeChat's payment
//! sheet, and the Mini Program asks Zion whether the order is paid.

use std::time::Duration;

use cucumber::{given, then, when};
use mock_zion::SheetOutcome;

use super::ShopWorld;
use crate::mini_program::{checks, shopper};

/// The app's own 2–3 s wait, a status query and a toast, with room for a busy machine.
const SETTLE: Duration = Duration::from_secs(10);
const TAP: Duration = Duration::from_secs(5);

#[given(expr = "a logged-in shopper in the Mini Program")]
#[given(expr = "一位已登录的顾客在小程序中")]
async fn logged_in_shopper(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.open_mini_program(true).await;
    w.explain(result).await
}

/// A Zion Mini Program logs in silently at launch, so a shopper stays logged out only when
/// that log-in fails: no stored login, and `wx.login` fails as it does offline.
#[given(expr = "a shopper who has not logged in to the Mini Program")]
#[given(expr = "一位未登录的顾客在小程序中")]
async fn anonymous_shopper(w: &mut ShopWorld) -> Result<(), String> {
    let mut result = w.mock_wx("login", Err("login:fail 网络错误".into())).await;
    if result.is_ok() {
        result = w.open_mini_program(false).await;
    }
    w.explain(result).await
}

#[given(expr = "a shopper opening the Mini Program for the first time")]
#[given(expr = "一位第一次打开小程序的顾客")]
async fn first_time_shopper(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.open_mini_program(false).await;
    w.explain(result).await
}

#[then(expr = "the Mini Program logged in with WeChat once")]
#[then(expr = "小程序用微信登录了一次")]
async fn logged_in_with_wechat_once(w: &mut ShopWorld) -> Result<(), String> {
    let result = w.zion.journal(checks::logged_in_with_wechat_once);
    w.judge(result).await
}

#[given(expr = "WeChat Pay will accept the payment")]
#[given(expr = "微信支付将接受付款")]
async fn wechat_accepts(w: &mut ShopWorld) {
    w.zion.set_wechat_outcome(SheetOutcome::Pay);
}

#[given(expr = "the shopper will cancel WeChat's payment sheet")]
#[given(expr = "顾客将在微信支付界面取消付款")]
async fn shopper_cancels(w: &mut ShopWorld) {
    w.zion.set_wechat_outcome(SheetOutcome::Cancel);
}

#[given(expr = "WeChat Pay will fail the payment with {string}")]
#[given(expr = "微信支付将以 {string} 使付款失败")]
async fn wechat_fails(w: &mut ShopWorld, reason: String) {
    w.zion.set_wechat_outcome(SheetOutcome::Fail { reason });
}

#[given(expr = "Zion will refuse to create the WeChat payment with {string}")]
#[given(expr = "Zion 将以 {string} 拒绝创建微信支付")]
async fn zion_refuses(w: &mut ShopWorld, message: String) {
    w.zion.set_wechat_sign_failure(Some(message));
}

#[given(expr = "wx.{word} will fail with {string}")]
#[given(expr = "wx.{word} 将以 {string} 失败")]
async fn wx_fails(w: &mut ShopWorld, api: String, reason: String) -> Result<(), String> {
    let result = w.mock_wx(&api, Err(reason)).await;
    w.explain(result).await
}

#[given(expr = "wx.{word} will answer {string}")]
#[given(expr = "wx.{word} 将返回 {string}")]
async fn wx_answers(w: &mut ShopWorld, api: String, json: String) -> Result<(), String> {
    let result = match serde_json::from_str(&json) {
        Ok(value) => w.mock_wx(&api, Ok(value)).await,
        Err(e) => Err(format!("the answer for wx.{api} must be JSON: {e}")),
    };
    w.explain(result).await
}

/// The shopper will refuse a permission when WeChat asks (`location`, `address`, `photo
/// album`, `phone number`, `subscription messages`, …, or a `scope.*` name).
#[given(expr = "the shopper refuses the {string} permission")]
#[when(expr = "the shopper refuses the {string} permission")]
#[given(expr = "顾客拒绝授权 {string}")]
#[when(expr = "顾客拒绝授权 {string}")]
async fn refuses_permission(w: &mut ShopWorld, permission: String) -> Result<(), String> {
    let result = w
        .shopper_will("refuse", serde_json::Value::from(permission))
        .await;
    w.explain(result).await
}

/// The shopper will close what `wx.<api>` opens (an address list, a photo picker) without
/// choosing: it fails with `cancel`.
#[given(expr = "the shopper will cancel wx.{word}")]
#[given(expr = "顾客将取消 wx.{word}")]
async fn cancels(w: &mut ShopWorld, api: String) -> Result<(), String> {
    let result = w.shopper_will("cancel", serde_json::Value::from(api)).await;
    w.explain(result).await
}

/// The address the shopper picks when the app calls `wx.chooseAddress`.
#[given(expr = "the shopper's WeChat address is:")]
#[given(expr = "顾客的微信收货地址是：")]
async fn address_is(w: &mut ShopWorld, step: &cucumber::gherkin::Step) -> Result<(), String> {
    let rows = step
        .table
        .as_ref()
        .map(|t| t.rows.clone())
        .unwrap_or_default();
    let result = match shopper::address_from_rows(&rows) {
        Ok(_) if rows.is_empty() => Err(
            "give the address as | field | value | rows under the step, e.g. | name | 李四 |"
                .into(),
        ),
        Ok(address) => w.shopper_will("address", address).await,
        Err(e) => Err(e),
    };
    w.explain(result).await
}

/// The photo the shopper picks (`wx.chooseImage`, `wx.chooseMedia`, a chosen avatar), a file
/// from the directory the run starts in.
#[given(expr = "the shopper will pick the image {string}")]
#[given(expr = "顾客将选择图片 {string}")]
async fn picks_image(w: &mut ShopWorld, path: String) -> Result<(), String> {
    let result = match shopper::image_answer(std::path::Path::new(&path)) {
        Ok(image) => {
            w.shopper_will("images", serde_json::Value::Array(vec![image]))
                .await
        }
        Err(e) => Err(e),
    };
    w.explain(result).await
}

/// The top-up offer on the home page, its page, and its pay button.
const TOP_UP: (&str, &str, &str) = ("充值 9.90 元", "pages/payment/payment", "立即支付");

#[when(expr = "the shopper tops up points in the Mini Program")]
#[when(expr = "顾客在小程序中充值积分")]
async fn tops_up(w: &mut ShopWorld) -> Result<(), String> {
    let (offer, route, pay) = TOP_UP;
    let result = shopper::buy(w.page(), offer, route, pay, TAP).await;
    w.explain(result).await
}

#[when(expr = "the shopper tops up points in the Mini Program, tapping pay twice quickly")]
#[when(expr = "顾客在小程序中充值积分，快速点了两次支付")]
async fn tops_up_tapping_twice(w: &mut ShopWorld) -> Result<(), String> {
    let (offer, route, pay) = TOP_UP;
    let result = shopper::buy_tapping(w.page(), offer, route, pay, 2, TAP).await;
    w.explain(result).await
}

#[then(expr = "the Mini Program created one order and opened WeChat's payment sheet once")]
#[then(expr = "小程序只创建了一个订单，只打开了一次微信支付界面")]
async fn paid_once(w: &mut ShopWorld) -> Result<(), String> {
    // The sheet answers at once; by the toast the app has done all it will do.
    let _ = shopper::wait_until(w.page(), SETTLE, |s| !s.toasts().is_empty()).await;
    let orders = w.zion.rows(&w.zion.config().order_table.name).len();
    let sim = w.sim().await;
    let result = w
        .zion
        .journal(|journal| checks::paid_once(journal, &sim, orders));
    w.judge(result).await
}

#[then(expr = "the home page shows the shopper's {int} points")]
#[then(expr = "首页显示顾客的 {int} 积分")]
async fn home_shows_points(w: &mut ShopWorld, points: i64) -> Result<(), String> {
    let result = w
        .page()
        .wait_for_text(&format!("{points} 积分"), SETTLE)
        .await;
    w.explain(result).await
}

/// Pays in WeChat's payment sheet however the shopper opened it: waits until the sheet has
/// answered, and passes when it answered `requestPayment:ok`.
#[when(expr = "the shopper pays with WeChat Pay")]
#[when(expr = "顾客用微信支付付款")]
async fn pays_with_wechat(w: &mut ShopWorld) -> Result<(), String> {
    let answered = |s: &shopper::SimState| s.payment_sheets().any(|c| c.ok.is_some());
    let result = match shopper::wait_until(w.page(), SETTLE, answered).await {
        Ok(sim) => match sim.payment_sheets().find(|c| c.ok.is_some()) {
            Some(call) if call.ok == Some(true) => Ok(()),
            Some(call) => Err(format!(
                "WeChat's payment sheet did not take the payment: it answered {}",
                call.result
            )),
            None => Err(format!(
                "WeChat's payment sheet was not opened (wx.requestPayment) within {SETTLE:?}"
            )),
        },
        Err(e) => Err(e),
    };
    w.explain(result).await
}

#[when(expr = "the shopper buys the AI membership in the Mini Program")]
#[when(expr = "顾客在小程序中开通 AI 会员")]
async fn buys_membership(w: &mut ShopWorld) -> Result<(), String> {
    let result = shopper::buy(w.page(), "开通会员", "pages/vip/vip", "立即开通", TAP).await;
    w.explain(result).await
}

/// A `wx.showToast`, or a component library's toast (TDesign's `<t-toast>`, Vant's `<van-toast>`).
#[then(expr = "the Mini Program shows the toast {string}")]
#[then(expr = "小程序提示 {string}")]
async fn shows_toast(w: &mut ShopWorld, title: String) -> Result<(), String> {
    let result = shopper::shows_toast(w.page(), &title, SETTLE).await;
    w.explain(result).await
}

/// Neither `wx.showToast` nor a component library's toast, once the payment flow has visibly ended.
#[then(expr = "the Mini Program never shows the toast {string}")]
#[then(expr = "小程序从未提示 {string}")]
async fn never_shows_toast(w: &mut ShopWorld, title: String) -> Result<(), String> {
    let result = shopper::never_shows_toast(w.page(), &title, SETTLE).await;
    w.judge(result).await
}

#[then(expr = "the Mini Program goes back to the home page")]
#[then(expr = "小程序回到首页")]
async fn back_home(w: &mut ShopWorld) -> Result<(), String> {
    let result = shopper::wait_for_page(w.page(), "pages/index/index", SETTLE).await;
    w.explain(result).await
}

#[then(expr = "WeChat's payment sheet received the payment parameters exactly as Zion issued them")]
#[then(expr = "微信支付收到的支付参数与 Zion 签发的完全一致")]
async fn parameters_unchanged(w: &mut ShopWorld) -> Result<(), String> {
    let sim = shopper::wait_until(w.page(), SETTLE, |s| s.payment_sheets().next().is_some()).await;
    let result = sim.and_then(|sim| w.zion.journal(|j| checks::parameters_unchanged(j, &sim)));
    w.judge(result).await
}

#[then(expr = "the app asked Zion for a WeChat payment of the order's price in yuan")]
#[then(expr = "应用向 Zion 请求的微信支付金额是以元计的订单价格")]
async fn amount_in_yuan(w: &mut ShopWorld) -> Result<(), String> {
    w.wait_for_journal(SETTLE, asked_for_payment).await;
    let result = w.zion.journal(checks::amount_in_yuan);
    w.judge(result).await
}

#[then(expr = "the app asked Zion to pay the order it created, as a Mini Program payment")]
#[then(expr = "应用请 Zion 以小程序支付方式支付它创建的订单")]
async fn pays_created_order(w: &mut ShopWorld) -> Result<(), String> {
    w.wait_for_journal(SETTLE, asked_for_payment).await;
    let result = w.zion.journal(checks::pays_created_order);
    w.judge(result).await
}

#[then(expr = "WeChat's payment sheet was never opened")]
#[then(expr = "微信支付界面从未打开")]
async fn sheet_never_opened(w: &mut ShopWorld) -> Result<(), String> {
    let sim = shopper::wait_until(w.page(), SETTLE, |s| !s.toasts().is_empty()).await;
    let result = sim.and_then(|sim| checks::sheet_never_opened(&sim));
    w.judge(result).await
}

#[then(
    expr = "the app checked the order status only after waiting for WeChat's notification to reach Zion"
)]
#[then(expr = "应用等待微信支付通知到达 Zion 后才查询订单状态")]
async fn waited_before_status(w: &mut ShopWorld) -> Result<(), String> {
    // The verdict needs the app's status query, which comes after its own wait.
    let _ = shopper::wait_until(w.page(), SETTLE, |s| s.calls_of("showToast").count() > 0).await;
    let result =
        w.check_flow(|flow, journal| checks::status_queried_after_waiting(flow, journal, 1500));
    w.judge(result).await
}

fn asked_for_payment(journal: &mock_zion::Journal) -> bool {
    journal.calls("createWechatPayment").next().is_some()
}
