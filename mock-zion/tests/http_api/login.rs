//! Zion's log-in mutations: usernames, e-mail codes and the Mini Program's wx.login code, each
//! answering a real JWT that then acts for the account.

use mock_zion::{MockZion, ProjectConfig};
use serde_json::{json, Value};

use crate::support::{gql, only_error};

const ACCOUNT: &str = "{ id username email permissionRoles profileImageUrl }";

async fn start() -> MockZion {
    let config = ProjectConfig::from_toml_str(
        r#"
        [[accounts]]
        id = 1
        token = "zion-test-token"
        username = "alice"
        password = "s3cret"
        email = "alice@example.com"
        openid = "o-alice"
        values = { can_use_ai = false }

        [[accounts]]
        id = 2
        token = "bob-token"
        openid = "o-bob"
        "#,
        "zion-e2e.toml",
    )
    .unwrap();
    MockZion::start(config).await.unwrap()
}

fn login_query(field: &str, args: &str) -> String {
    format!("mutation {{ {field}({args}) {{ account {ACCOUNT} jwt {{ token }} }} }}")
}

/// The token a successful log-in answered, after checking the account it names.
fn token_of(body: &Value, field: &str, account: i64) -> String {
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"][field]["account"]["id"], account, "{body}");
    body["data"][field]["jwt"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn my_account(zion: &MockZion, token: &str) -> Value {
    let (_, body) = gql(zion, Some(token), "{ account { id } }", json!({})).await;
    body
}

#[tokio::test]
async fn a_username_log_in_answers_a_jwt_that_acts_for_the_account() {
    let zion = start().await;
    let query = login_query(
        "authenticateWithUsername",
        r#"username: "alice", password: "s3cret", register: false"#,
    );
    let (_, body) = gql(&zion, None, &query, json!({})).await;
    let token = token_of(&body, "authenticateWithUsername", 1);
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    assert_eq!(
        body["data"]["authenticateWithUsername"]["account"]["username"],
        "alice"
    );
    // The account table is owner-only: the token sees Alice's row and nobody else's.
    assert_eq!(
        my_account(&zion, &token).await["data"]["account"],
        json!([{"id": 1}])
    );
    // The journal shows the log-in.
    assert_eq!(
        zion.journal(|j| j.calls("authenticateWithUsername").count()),
        1
    );
}

#[tokio::test]
async fn a_wrong_password_and_a_taken_username_are_refused() {
    let zion = start().await;
    let wrong = login_query(
        "authenticateWithUsername",
        r#"username: "alice", password: "nope", register: false"#,
    );
    let (_, body) = gql(&zion, None, &wrong, json!({})).await;
    let (message, code) = only_error(&body);
    assert_eq!(
        (message.as_str(), code.as_str()),
        (
            "authenticateWithUsername: wrong username or password",
            "UNAUTHENTICATED"
        )
    );
    let taken = login_query(
        "authenticateWithUsername",
        r#"username: "alice", password: "x", register: true"#,
    );
    let (_, body) = gql(&zion, None, &taken, json!({})).await;
    let (message, code) = only_error(&body);
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains("\"alice\" is already registered"),
        "{message}"
    );
    // A new username registers a new account, which then logs in.
    let register = login_query(
        "authenticateWithUsername",
        r#"username: "carol", password: "pw", register: true"#,
    );
    let (_, body) = gql(&zion, None, &register, json!({})).await;
    let id = body["data"]["authenticateWithUsername"]["account"]["id"]
        .as_i64()
        .unwrap();
    assert!(zion.row("account", id).is_some(), "the account row exists");
    let again = login_query(
        "authenticateWithUsername",
        r#"username: "carol", password: "pw", register: false"#,
    );
    let (_, body) = gql(&zion, None, &again, json!({})).await;
    token_of(&body, "authenticateWithUsername", id);
}

#[tokio::test]
async fn a_tampered_or_expired_jwt_is_refused() {
    let zion = start().await;
    let query = login_query(
        "authenticateWithUsername",
        r#"username: "alice", password: "s3cret", register: false"#,
    );
    let (_, body) = gql(&zion, None, &query, json!({})).await;
    let token = token_of(&body, "authenticateWithUsername", 1);
    // Claim to be account 2 with Alice's signature.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = json!("2");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    let (message, code) = only_error(&my_account(&zion, &forged).await);
    assert_eq!(code, "UNAUTHENTICATED");
    assert!(message.contains("not valid for this project"), "{message}");
    zion.expire_token(&token);
    let (message, _) = only_error(&my_account(&zion, &token).await);
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn an_email_code_signs_up_once_and_logs_in_once() {
    let zion = start().await;
    let send = r#"mutation($e: String!, $t: verificationEnumType!) { sendVerificationCodeToEmail(email: $e, verificationEnumType: $t) }"#;
    let (_, body) = gql(
        &zion,
        None,
        send,
        json!({"e": "dan@example.com", "t": "SIGN_UP"}),
    )
    .await;
    assert_eq!(body["data"]["sendVerificationCodeToEmail"], true);
    let code = zion.verification_code("dan@example.com").unwrap();
    let sign_up = r#"mutation($c: String) { authenticateWithEmail(email: "dan@example.com", password: "pw", verificationCode: $c, register: true) { account { id email } jwt { token } } }"#;
    let (_, body) = gql(&zion, None, sign_up, json!({"c": "000000x"})).await;
    assert!(
        only_error(&body)
            .0
            .contains("verification code refused: invalid code"),
        "{body}"
    );
    let (_, body) = gql(&zion, None, sign_up, json!({"c": code})).await;
    let id = body["data"]["authenticateWithEmail"]["account"]["id"]
        .as_i64()
        .unwrap();
    // With the password, and with a LOGIN code (once).
    let with_password = r#"mutation { authenticateWithEmail(email: "dan@example.com", password: "pw", register: false) { account { id } jwt { token } } }"#;
    let (_, body) = gql(&zion, None, with_password, json!({})).await;
    token_of(&body, "authenticateWithEmail", id);
    gql(
        &zion,
        None,
        send,
        json!({"e": "dan@example.com", "t": "LOGIN"}),
    )
    .await;
    let code = zion.verification_code("dan@example.com").unwrap();
    let with_code = r#"mutation($c: String) { authenticateWithEmail(email: "dan@example.com", verificationCode: $c, register: false) { account { id } jwt { token } } }"#;
    let (_, body) = gql(&zion, None, with_code, json!({"c": code})).await;
    token_of(&body, "authenticateWithEmail", id);
    let (_, body) = gql(&zion, None, with_code, json!({"c": code})).await;
    assert_eq!(only_error(&body).1, "UNAUTHENTICATED", "a code works once");
}

#[tokio::test]
async fn a_wx_login_code_logs_its_user_in_once() {
    let zion = start().await;
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/wechat/login-code", zion.admin_url()))
        .json(&json!({"openid": "o-bob"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = answer["code"].as_str().unwrap().to_string();
    let query = r#"mutation($code: String!) { loginWithWechatMiniApp(code: $code) { account { id username profileImageUrl } jwt { token } } }"#;
    let (_, body) = gql(&zion, None, query, json!({"code": code})).await;
    let token = token_of(&body, "loginWithWechatMiniApp", 2);
    assert_eq!(
        my_account(&zion, &token).await["data"]["account"],
        json!([{"id": 2}])
    );
    let (_, body) = gql(&zion, None, query, json!({"code": code})).await;
    let (message, _) = only_error(&body);
    assert!(message.contains("40163 code been used"), "{message}");
    let (_, body) = gql(&zion, None, query, json!({"code": "made-up"})).await;
    assert!(only_error(&body).0.contains("40029 invalid code"), "{body}");
    // Without an openid the code is the first account's.
    let code = zion.wechat_login_code(None).unwrap();
    let (_, body) = gql(&zion, None, query, json!({"code": code})).await;
    token_of(&body, "loginWithWechatMiniApp", 1);
}
