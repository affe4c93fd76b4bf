//! `createWechatPayment` and the WeChat client's checks on `wx.requestPayment`, as the
//! seed's Mini Program (seed 000) drives them.

use mock_zion::alipay::keys::PublicKey;
use mock_zion::wechat::payment::pay_sign_content;
use mock_zion::{MockZion, SheetOutcome};
use serde_json::{json, Value};

use crate::support::*;

const CREATE_PAYMENT: &str = r#"mutation CreateWechatPayment($orderId: Long!, $amount: BigDecimal!, $description: String!, $type: PaymentType!) {
  createWechatPayment(orderId: $orderId, amount: $amount, description: $description, type: $type) { message status }
}"#;

fn vars(order: i64, amount: Value, kind: &str) -> Value {
    json!({"orderId": order, "amount": amount, "description": "积分充值", "type": kind})
}

/// Creates an order of `fen` and its payment; returns the order and the parsed parameters.
async fn payment_params(zion: &MockZion, fen: i64) -> (i64, Value) {
    let order = create_order(zion, TOKEN, fen).await;
    let yuan: Value = serde_json::from_str(&mock_zion::money::fen_to_yuan_text(fen)).unwrap();
    let (_, body) = gql(
        zion,
        Some(TOKEN),
        CREATE_PAYMENT,
        vars(order, yuan, "WECHATPAY_MINIPROGRAM"),
    )
    .await;
    let result = &body["data"]["createWechatPayment"];
    assert_eq!(result["status"], "SUCCESS", "{body}");
    (
        order,
        serde_json::from_str(result["message"].as_str().unwrap()).unwrap(),
    )
}

async fn request_payment(zion: &MockZion, params: &Value) -> Value {
    post_json(
        &format!("{}/wechat/request-payment", zion.admin_url()),
        params,
    )
    .await
}

#[tokio::test]
async fn the_parameters_carry_a_pay_sign_that_verifies_with_the_published_merchant_key() {
    let zion = start().await;
    let (_, params) = payment_params(&zion, 100).await;
    assert_eq!(params["appId"], "wx1234567890abcdef");
    assert_eq!(params["signType"], "RSA");
    assert!(params["package"]
        .as_str()
        .unwrap()
        .starts_with("prepay_id=wx"));
    assert_eq!(params["nonceStr"].as_str().unwrap().len(), 32);
    let pem = get_text(&format!("{}/keys/merchant.pem", zion.admin_url())).await;
    let text = |k: &str| params[k].as_str().unwrap().to_string();
    let content = pay_sign_content(
        &text("appId"),
        &text("timeStamp"),
        &text("nonceStr"),
        &text("package"),
    );
    assert!(PublicKey::from_pem(&pem)
        .unwrap()
        .verify(&content, &text("paySign")));
}

#[tokio::test]
async fn paying_unchanged_parameters_succeeds_and_the_notification_pays_the_order_once() {
    let zion = start().await;
    let (order, params) = payment_params(&zion, 100).await;
    assert_eq!(
        request_payment(&zion, &params).await,
        json!({"errMsg": "requestPayment:ok"})
    );
    assert_eq!(zion.row("order", order).unwrap()["status"], "已支付");
    assert_eq!(
        zion.row("account", 1).unwrap()["ud_jifenshuzhi_1f263d"],
        100
    );
    let prepay = params["package"]
        .as_str()
        .unwrap()
        .trim_start_matches("prepay_id=")
        .to_string();
    let again = post_json(
        &format!("{}/wechat/notify/{prepay}", zion.admin_url()),
        &json!({}),
    )
    .await;
    assert_eq!(again, json!({"changed_order": false}));
    assert_eq!(
        zion.row("account", 1).unwrap()["ud_jifenshuzhi_1f263d"],
        100
    );
    assert_eq!(
        request_payment(&zion, &params).await["errMsg"],
        "requestPayment:fail 该订单已支付"
    );
}

#[tokio::test]
async fn changed_or_missing_parameters_fail_like_the_real_client() {
    let zion = start().await;
    let (order, params) = payment_params(&zion, 100).await;
    let mut md5 = params.clone();
    md5["signType"] = json!("MD5");
    let answer = request_payment(&zion, &md5).await;
    assert!(
        answer["errMsg"]
            .as_str()
            .unwrap()
            .starts_with("requestPayment:fail 支付验证签名失败 (signType must be \"RSA\""),
        "{answer}"
    );
    let mut other_time = params.clone();
    other_time["timeStamp"] = json!("1");
    let answer = request_payment(&zion, &other_time).await;
    assert!(
        answer["errMsg"]
            .as_str()
            .unwrap()
            .starts_with("requestPayment:fail 支付验证签名失败 (paySign does not verify"),
        "{answer}"
    );
    // The whole message string passed as if it were the parameters: nothing is where it belongs.
    let answer = request_payment(&zion, &json!({"message": params.to_string()})).await;
    assert_eq!(answer["errMsg"], "requestPayment:fail parameter error: parameter.timeStamp should be String instead of Undefined;");
    assert_eq!(zion.row("order", order).unwrap()["status"], "待支付");
}

#[tokio::test]
async fn cancel_fail_and_never_leave_the_order_unpaid() {
    let zion = start().await;
    for (outcome, expected) in [
        (
            SheetOutcome::Cancel,
            json!({"errMsg": "requestPayment:fail cancel"}),
        ),
        (
            SheetOutcome::Fail {
                reason: "余额不足".into(),
            },
            json!({"errMsg": "requestPayment:fail 余额不足"}),
        ),
        (SheetOutcome::Never, json!({"pending": true})),
    ] {
        zion.set_wechat_outcome(outcome);
        let (order, params) = payment_params(&zion, 100).await;
        assert_eq!(request_payment(&zion, &params).await, expected);
        assert_eq!(zion.row("order", order).unwrap()["status"], "待支付");
    }
}

#[tokio::test]
async fn a_chosen_sign_failure_answers_fail_with_its_message() {
    let zion = start().await;
    zion.set_wechat_sign_failure(Some("商户号配置错误".into()));
    let order = create_order(&zion, TOKEN, 100).await;
    let (_, body) = gql(
        &zion,
        Some(TOKEN),
        CREATE_PAYMENT,
        vars(order, json!(1.00), "WECHATPAY_MINIPROGRAM"),
    )
    .await;
    assert_eq!(
        body["data"]["createWechatPayment"],
        json!({"message": "商户号配置错误", "status": "FAIL"})
    );
}

#[tokio::test]
async fn create_wechat_payment_refuses_each_integration_mistake_with_its_own_message() {
    let zion = start().await;
    let order = create_order(&zion, TOKEN, 100).await;
    let cases = [
        (None, vars(order, json!(1), "WECHATPAY_MINIPROGRAM"), "UNAUTHENTICATED", "createWechatPayment needs a logged-in caller: send the header \"Authorization: Bearer <token>\"".to_string()),
        (Some(TOKEN), vars(order, json!(100), "WECHATPAY_MINIPROGRAM"), "BAD_USER_INPUT", format!("createWechatPayment: amount 100 does not match order {order}: it costs 100 fen = 1.00 yuan, and amount is in yuan (fen / 100)")),
        (Some(TOKEN), vars(order, json!(1), "WECHATPAY_MOBILE_WEB"), "BAD_USER_INPUT", "createWechatPayment: type must be WECHATPAY_MINIPROGRAM for a Mini Program payment, got WECHATPAY_MOBILE_WEB".to_string()),
        (Some(TOKEN), vars(42, json!(1), "WECHATPAY_MINIPROGRAM"), "NOT_FOUND", "createWechatPayment: order 42 is not an order of the caller — pay the order_id returned by the create-order actionflow, not an id of your own".to_string()),
        (Some(TOKEN), json!({"orderId": order, "amount": 1, "description": "", "type": "WECHATPAY_MINIPROGRAM"}), "BAD_USER_INPUT", "createWechatPayment: description must not be empty".to_string()),
    ];
    for (token, vars, code, message) in cases {
        let (_, body) = gql(&zion, token, CREATE_PAYMENT, vars).await;
        assert_eq!(only_error(&body), (message, code.to_string()), "{body}");
    }
}
