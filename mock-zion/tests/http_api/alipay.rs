//! `alipayTrade` and the mock Alipay gateway, driven as a browser would drive them.

use std::time::{Duration, Instant};

use mock_zion::alipay::keys::PublicKey;
use mock_zion::alipay::sign::{sign_content, Purpose};
use mock_zion::{MockZion, Outcome};
use serde_json::{json, Value};

use crate::support::*;

const ALIPAY_TRADE: &str = r#"mutation AliPayTrade($outTradeNo: String!, $productCode: String!, $subject: String!, $totalAmount: Float!, $returnUrl: String!) {
  alipayTrade(bizContent: {out_trade_no: $outTradeNo, product_code: $productCode, subject: $subject, total_amount: $totalAmount}, returnUrl: $returnUrl)
}"#;
const ORIGIN: &str = "http://127.0.0.1:8080";

fn trade_vars(order: i64, total: Value, return_url: &str) -> Value {
    json!({"outTradeNo": order.to_string(), "productCode": "FAST_INSTANT_TRADE_PAY", "subject": "积分充值", "totalAmount": total, "returnUrl": return_url})
}

/// What a browser posts when the form submits itself: the action URL, and the hidden
/// inputs with `&quot;` decoded.
fn form_submission(html: &str) -> (String, Vec<(String, String)>) {
    let action = html
        .split_once("action=\"")
        .unwrap()
        .1
        .split_once('"')
        .unwrap()
        .0
        .to_string();
    let fields = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once("\" value=\"").unwrap();
            let value = rest.split_once("\" />").unwrap().0.replace("&quot;", "\"");
            (name.to_string(), value)
        })
        .collect();
    (action, fields)
}

async fn form_for(zion: &MockZion, amount_fen: i64) -> (i64, String) {
    let order = create_order(zion, TOKEN, amount_fen).await;
    let yuan = json!(amount_fen as f64 / 100.0);
    let (_, body) = gql(
        zion,
        Some(TOKEN),
        ALIPAY_TRADE,
        trade_vars(order, yuan, ORIGIN),
    )
    .await;
    let html = body["data"]["alipayTrade"][0]
        .as_str()
        .unwrap_or_else(|| panic!("no form in {body}"))
        .to_string();
    assert_eq!(body["data"]["alipayTrade"][1], Value::Null);
    (order, html)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn submit(action: &str, fields: &[(String, String)]) -> reqwest::Response {
    no_redirects()
        .post(action)
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// Submits a page-pay form of another merchant's app, signed with its `key`: URL parameters
/// `params`, and `biz` as the posted `biz_content`.
async fn submit_signed(
    zion: &MockZion,
    key: &mock_zion::alipay::keys::KeyPair,
    params: &[(&str, &str)],
    biz: &str,
) -> reqwest::Response {
    let sign = key.sign(&sign_content(
        params.iter().copied().chain([("biz_content", biz)]),
        Purpose::Request,
    ));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().copied().chain([("sign", sign.as_str())]))
        .finish();
    submit(
        &format!("{}/gateway.do?{query}", zion.uri()),
        &[("biz_content".into(), biz.into())],
    )
    .await
}

async fn order_status(zion: &MockZion, order: i64) -> Value {
    zion.row("order", order).unwrap()["status"].clone()
}

#[tokio::test]
async fn paying_redirects_to_the_origin_with_signed_return_parameters_and_the_notification_pays_the_order(
) {
    let zion = start().await;
    zion.set_alipay_outcome(Some(Outcome::Pay));
    let (order, html) = form_for(&zion, 990).await;
    let (action, fields) = form_submission(&html);
    assert!(
        action.starts_with(&format!(
            "{}/gateway.do?method=alipay.trade.page.pay&app_id=",
            zion.uri()
        )),
        "{action}"
    );

    let response = submit(&action, &fields).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("{ORIGIN}?charset=utf-8&out_trade_no={order}&method=alipay.trade.page.pay.return&total_amount=9.90&sign=")), "{location}");
    let params: Vec<(String, String)> = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let sign = &params.iter().find(|(k, _)| k == "sign").unwrap().1;
    let pem = get_text(&format!("{}/keys/alipay.pem", zion.admin_url())).await;
    let content = sign_content(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Purpose::Callback,
    );
    assert!(
        PublicKey::from_pem(&pem).unwrap().verify(&content, sign),
        "the return verifies with the published Alipay key"
    );

    assert_eq!(order_status(&zion, order).await, "已支付");
    let account = zion.row("account", 1).unwrap();
    assert_eq!(
        (
            account["can_use_ai"].clone(),
            account["ud_jifenshuzhi_1f263d"].clone()
        ),
        (json!(true), json!(990))
    );
    assert!(
        !zion.redeliver_notification(&order.to_string()),
        "a duplicate notification changes nothing"
    );
    assert_eq!(
        zion.row("account", 1).unwrap()["ud_jifenshuzhi_1f263d"],
        990
    );
    let notifications = zion.journal(|j| {
        j.entries()
            .iter()
            .filter(|e| e.kind == mock_zion::EntryKind::Notification)
            .count()
    });
    assert_eq!(notifications, 2);
}

#[tokio::test]
async fn a_rebuilt_form_fails_the_signature_check_and_the_page_prints_the_verified_string() {
    let zion = start().await;
    zion.set_alipay_outcome(Some(Outcome::Pay));
    let (order, html) = form_for(&zion, 100).await;
    let (action, mut fields) = form_submission(&html);
    // A JSON round trip that re-formats biz_content, as a string-level rebuild does.
    let biz = fields.iter_mut().find(|(k, _)| k == "biz_content").unwrap();
    biz.1 = serde_json::to_string_pretty(&serde_json::from_str::<Value>(&biz.1).unwrap()).unwrap();
    let response = submit(&action, &fields).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("错误代码 <b id=\"error-code\">invalid-signature</b>"),
        "{page}"
    );
    assert!(
        page.contains("网关生成的验签字符串为：alipay_sdk=alipay-sdk-nodejs-4.0.0&amp;app_id="),
        "{page}"
    );
    assert_eq!(order_status(&zion, order).await, "待支付");
}

#[tokio::test]
async fn an_unknown_app_id_and_a_missing_charset_are_refused() {
    let zion = start().await;
    let (_, html) = form_for(&zion, 100).await;
    let (action, fields) = form_submission(&html);
    let other_app = action.replace("app_id=2021000000000001", "app_id=2021000000000999");
    let page = submit(&other_app, &fields).await.text().await.unwrap();
    assert!(
        page.contains("invalid-app-id") && page.contains("无效的AppID参数"),
        "{page}"
    );
    let no_charset = action.replace("&charset=utf-8", "");
    let mut with_charset_in_body = fields.clone();
    with_charset_in_body.push(("charset".into(), "utf-8".into()));
    let page = submit(&no_charset, &with_charset_in_body)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("charset 参数必须放在请求地址（URL）中"),
        "{page}"
    );
}

#[tokio::test]
async fn without_a_chosen_outcome_a_cashier_lets_a_person_pay_or_cancel() {
    let zion = start().await;
    let (order, html) = form_for(&zion, 100).await;
    let (action, fields) = form_submission(&html);
    let page = submit(&action, &fields).await.text().await.unwrap();
    assert!(
        page.contains("id=\"cashier-pay\"") && page.contains("¥1.00"),
        "{page}"
    );
    let cancel = no_redirects()
        .post(format!("{}/gateway.do/cashier", zion.uri()))
        .form(&[
            ("out_trade_no", order.to_string()),
            ("action", "cancel".into()),
        ])
        .send()
        .await
        .unwrap();
    assert!(cancel.text().await.unwrap().contains("交易已取消"));
    assert_eq!(order_status(&zion, order).await, "待支付");
    let again = submit(&action, &fields).await.text().await.unwrap();
    assert!(again.contains("ACQ.TRADE_HAS_CLOSE"), "{again}");
}

#[tokio::test]
async fn abandon_and_fail_never_redirect_and_leave_the_order_unpaid() {
    let zion = start().await;
    for (outcome, expected) in [
        (Outcome::Abandon, "支付宝收银台"),
        (
            Outcome::Fail {
                reason: "余额不足".into(),
            },
            "支付失败：余额不足",
        ),
    ] {
        zion.set_alipay_outcome(Some(outcome));
        let (order, html) = form_for(&zion, 100).await;
        let (action, fields) = form_submission(&html);
        let response = submit(&action, &fields).await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        assert!(
            page.contains(expected) && !page.contains("cashier-pay"),
            "{page}"
        );
        assert_eq!(order_status(&zion, order).await, "待支付");
    }
}

#[tokio::test]
async fn the_notification_lands_after_the_chosen_delay_or_never() {
    let zion = start().await;
    zion.set_alipay_outcome(Some(Outcome::Pay));
    zion.set_notify_delay(Some(Duration::from_millis(300)));
    let (order, html) = form_for(&zion, 100).await;
    let (action, fields) = form_submission(&html);
    let paid_at = Instant::now();
    assert_eq!(submit(&action, &fields).await.status(), 302);
    assert_eq!(
        order_status(&zion, order).await,
        "待支付",
        "not before the delay"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while order_status(&zion, order).await != "已支付" {
        assert!(Instant::now() < deadline, "the notification never landed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(paid_at.elapsed() >= Duration::from_millis(300));

    zion.set_notify_delay(None);
    let (never, html) = form_for(&zion, 100).await;
    let (action, fields) = form_submission(&html);
    assert_eq!(submit(&action, &fields).await.status(), 302);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(order_status(&zion, never).await, "待支付");
}

#[tokio::test]
async fn alipay_trade_refuses_each_integration_mistake_with_its_own_message() {
    let zion = start().await;
    zion.add_account(2, "bob-token", Default::default())
        .unwrap();
    let order = create_order(&zion, TOKEN, 990).await;
    let bobs = create_order(&zion, "bob-token", 990).await;
    let cases = [
        (None, trade_vars(order, json!(9.9), ORIGIN), "UNAUTHENTICATED", "alipayTrade needs a logged-in caller: send the header \"Authorization: Bearer <token>\"".to_string()),
        (Some(TOKEN), trade_vars(order, json!(990), ORIGIN), "BAD_USER_INPUT", format!("alipayTrade: bizContent.total_amount 990 does not match order {order}: it costs 990 fen = 9.90 yuan, and bizContent.total_amount is in yuan (fen / 100)")),
        (Some(TOKEN), trade_vars(order, json!(9.9), "http://127.0.0.1:8080/payment/callback"), "BAD_USER_INPUT", "alipayTrade: returnUrl must be the page's origin (window.location.origin, e.g. http://127.0.0.1:8080), not a fixed path: got \"http://127.0.0.1:8080/payment/callback\"".to_string()),
        (Some(TOKEN), trade_vars(bobs, json!(9.9), ORIGIN), "NOT_FOUND", format!("alipayTrade: order {bobs} is not an order of the caller — pay the order_id returned by the create-order actionflow, not an id of your own")),
        (Some(TOKEN), json!({"outTradeNo": "ORDER-1", "productCode": "FAST_INSTANT_TRADE_PAY", "subject": "x", "totalAmount": 9.9, "returnUrl": ORIGIN}), "BAD_USER_INPUT", "alipayTrade: bizContent.out_trade_no \"ORDER-1\" is not an order id — use the order_id returned by the create-order actionflow".to_string()),
        (Some(TOKEN), json!({"outTradeNo": order.to_string(), "productCode": "QUICK_WAP_WAY", "subject": "x", "totalAmount": 9.9, "returnUrl": ORIGIN}), "BAD_USER_INPUT", "alipayTrade: bizContent.product_code must be \"FAST_INSTANT_TRADE_PAY\" for page pay, got \"QUICK_WAP_WAY\"".to_string()),
        (Some(TOKEN), json!({"outTradeNo": order.to_string(), "productCode": "FAST_INSTANT_TRADE_PAY", "subject": " ", "totalAmount": 9.9, "returnUrl": ORIGIN}), "BAD_USER_INPUT", "alipayTrade: bizContent.subject must not be empty: use the goods_name the create-order actionflow returned".to_string()),
    ];
    for (token, vars, code, message) in cases {
        let (_, body) = gql(&zion, token, ALIPAY_TRADE, vars).await;
        assert_eq!(
            only_error(&body),
            (message.clone(), code.to_string()),
            "{body}"
        );
    }
    let (_, ok) = gql(
        &zion,
        Some(TOKEN),
        ALIPAY_TRADE,
        trade_vars(order, json!(9.90), ORIGIN),
    )
    .await;
    assert!(
        ok["data"]["alipayTrade"][0]
            .as_str()
            .unwrap()
            .starts_with("<form action="),
        "{ok}"
    );
}

#[tokio::test]
async fn a_java_sdk_form_of_another_merchant_verifies_with_the_public_key_from_config() {
    use mock_zion::alipay::keys::KeyPair;
    // Arrange: another backend's app, its public key in config.
    let merchant = KeyPair::generate();
    let mut config = mock_zion::ProjectConfig::default();
    config.alipay.apps.push(mock_zion::config::AlipayApp {
        app_id: "2021000000000777".into(),
        public_key: merchant.public().to_pem(),
    });
    let zion = MockZion::start(config).await.unwrap();
    zion.set_alipay_outcome(Some(Outcome::Pay));
    // The Java SDK's shape: `format` and its own `alipay_sdk`, URL parameters in any order.
    let biz = r#"{"out_trade_no":"JAVA-1","product_code":"FAST_INSTANT_TRADE_PAY","subject":"会员 \"Pro\"","total_amount":"12.30"}"#;
    let params = [
        ("timestamp", "2026-11-23 13:53:41"),
        ("sign_type", "RSA2"),
        ("charset", "utf-8"),
        ("format", "json"),
        ("method", "alipay.trade.page.pay"),
        ("version", "1.0"),
        ("app_id", "2021000000000777"),
        ("return_url", "http://127.0.0.1:3000/alipay/return"),
        ("notify_url", "http://127.0.0.1:3000/alipay/notify"),
        ("alipay_sdk", "alipay-sdk-java-4.38.0.ALL"),
    ];

    // Act
    let response = submit_signed(&zion, &merchant, &params, biz).await;

    // Assert: accepted, and the return goes to that backend's return_url.
    assert_eq!(response.status(), 302, "{}", response.text().await.unwrap());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("http://127.0.0.1:3000/alipay/return?charset=utf-8&out_trade_no=JAVA-1&method=alipay.trade.page.pay.return&total_amount=12.30&sign="), "{location}");
    assert_eq!(
        zion.alipay_trade("JAVA-1").unwrap().status,
        mock_zion::TradeStatus::TradeSuccess
    );
}

/// A merchant backend on loopback that answers its notifications in turn with `answers`
/// (the last one from then on) and keeps what it received.
#[derive(Clone)]
struct Merchant {
    answers: Vec<&'static str>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Form>>>,
}

/// A form-encoded body's fields, in order.
type Form = Vec<(String, String)>;

impl wiremock::Respond for Merchant {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let form: Form = form_urlencoded::parse(&request.body).into_owned().collect();
        let mut seen = self.seen.lock().unwrap();
        seen.push(form);
        let answer = self.answers[(seen.len() - 1).min(self.answers.len() - 1)];
        wiremock::ResponseTemplate::new(200).set_body_string(answer)
    }
}

#[tokio::test]
async fn a_merchant_backend_answering_fail_twice_then_success_gets_three_signed_notifications_with_one_notify_id(
) {
    use mock_zion::alipay::keys::KeyPair;
    // Arrange: a merchant backend with its own Alipay app, and the mock gateway trusting it.
    let merchant = Merchant {
        answers: vec!["fail", "fail", "success"],
        seen: Default::default(),
    };
    let backend = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/alipay/notify"))
        .respond_with(merchant.clone())
        .mount(&backend)
        .await;
    let app_key = KeyPair::generate();
    let mut config = mock_zion::ProjectConfig::default();
    config.alipay.apps.push(mock_zion::config::AlipayApp {
        app_id: "2021000000000888".into(),
        public_key: app_key.public().to_pem(),
    });
    // Alipay's 4 min and 10 min waits become 40 ms and 100 ms.
    config.alipay.notify_retry_speedup = 6000.0;
    let zion = MockZion::start(config).await.unwrap();
    zion.set_alipay_outcome(Some(Outcome::Pay));
    let notify_url = format!("{}/alipay/notify", backend.uri());
    let biz = r#"{"out_trade_no":"SHOP-42","product_code":"FAST_INSTANT_TRADE_PAY","subject":"年度会员","total_amount":"88.00"}"#;
    let params = [
        ("app_id", "2021000000000888"),
        ("method", "alipay.trade.page.pay"),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("sign_type", "RSA2"),
        ("timestamp", "2026-11-23 13:53:41"),
        ("notify_url", notify_url.as_str()),
    ];

    // Act: the shopper pays.
    let paid = submit_signed(&zion, &app_key, &params, biz).await;
    assert!(paid.status().is_success(), "{}", paid.text().await.unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while zion.journal(|j| j.entries().iter().filter(|e| e.url == notify_url).count()) < 3
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Long enough for a fourth delivery (100 ms after the third) to show if one were sent.
    tokio::time::sleep(Duration::from_millis(400)).await;

    // Assert: three deliveries, each verifying with Alipay's public key, one notify_id.
    let seen = merchant.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "deliveries: {seen:?}");
    let alipay_key: PublicKey = mock_zion::alipay::keys::run_keys().alipay.public();
    let field = |form: &Form, name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in {form:?}"))
    };
    for form in &seen {
        let content = sign_content(
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Purpose::Callback,
        );
        assert!(
            alipay_key.verify(&content, &field(form, "sign")),
            "signature does not verify: {content}"
        );
        assert_eq!(field(form, "out_trade_no"), "SHOP-42");
        assert_eq!(field(form, "trade_status"), "TRADE_SUCCESS");
        assert_eq!(field(form, "total_amount"), "88.00");
    }
    let ids: Vec<String> = seen.iter().map(|f| field(f, "notify_id")).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    // The journal has every delivery and the merchant's answer, in order.
    let answers: Vec<(Value, Value)> = zion.journal(|j| {
        j.entries()
            .iter()
            .filter(|e| e.url == notify_url)
            .map(|e| (e.variables["delivery"].clone(), e.response.clone()))
            .collect()
    });
    assert_eq!(
        answers,
        [
            (json!(1), json!("fail")),
            (json!(2), json!("fail")),
            (json!(3), json!("success"))
        ]
    );
}

#[tokio::test]
async fn skipping_the_clock_lands_a_notification_due_later_at_once() {
    let zion = start().await;
    zion.set_alipay_outcome(Some(Outcome::Pay));
    zion.set_notify_delay(Some(Duration::from_secs(60)));
    let (order, html) = form_for(&zion, 100).await;
    let (action, fields) = form_submission(&html);
    assert_eq!(submit(&action, &fields).await.status(), 302);
    let clock = format!("{}/clock", zion.admin_url());
    let before: Value = get_json(&clock).await;
    let due = before["next_due_in_ms"].as_f64().unwrap();
    assert!((59_000.0..=60_000.0).contains(&due), "{before}");
    assert_eq!(order_status(&zion, order).await, "待支付");
    let entries = zion.journal(|j| j.entries().len());

    // A page skips with a text/plain body (no CORS preflight).
    let skipped: Value = reqwest::Client::new()
        .post(&clock)
        .header("content-type", "text/plain")
        .body(format!("{{\"advance_ms\": {due}}}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let lead = skipped["lead_ms"].as_f64().unwrap();
    assert!((lead - due).abs() < 0.01, "{skipped}");
    assert_eq!(skipped["next_due_in_ms"], Value::Null, "{skipped}");
    assert_eq!(order_status(&zion, order).await, "已支付");
    // Reading and skipping the clock are not the app's requests: only the notification and
    // the status query above were journaled.
    let kinds = zion.journal(|j| {
        j.entries()[entries..]
            .iter()
            .map(|e| e.url.clone())
            .collect::<Vec<_>>()
    });
    assert!(
        kinds.iter().all(|url| !url.contains("/__mock/clock")),
        "{kinds:?}"
    );
    let refused = reqwest::Client::new()
        .post(&clock)
        .body(r#"{"advance_ms": -5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("advance_ms must be"));
}
