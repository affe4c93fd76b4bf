//! The mock Alipay gateway (`/gateway.do`): what the browser reaches when the page-pay form
//! submits itself.
//!
//! Like the real gateway (PROTOCOLS.md, "Alipay page pay") it takes the parameters from the
//! URL query and the form body together, requires `charset` in the query, knows the app by
//! `app_id`, and verifies the RSA2 signature over exactly the parameters it received (all
//! but `sign`, empty ones dropped, sorted). A rebuilt form fails there with Alipay's own
//! `invalid-signature` page, which prints the string it verified. Then it plays the outcome
//! the scenario chose ([`Outcome`]), or shows a cashier with Pay / Cancel buttons for a
//! developer clicking through by hand (`/gateway.do/cashier`).

use std::collections::BTreeMap;
use std::sync::Arc;

use html_escape::encode_text;
use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use super::keys::{run_keys, PublicKey};
use super::sign::{sign_content, Purpose};
use super::{timestamp, Outcome, Trade, TradeStatus};
use crate::http;
use crate::journal::EntryKind;
use crate::money::{fen_to_yuan_text, yuan_text_to_fen};
use crate::server::Shared;
use crate::state::State;

pub(crate) struct Gateway(pub Arc<Shared>);

/// An answer: a page, or a redirect to a URL.
enum Answer {
    Page(u16, String),
    Redirect(String),
}

impl Respond for Gateway {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock();
        let answer = if request.url.path().ends_with("/cashier") {
            cashier_action(&mut state, request)
        } else {
            page_pay(&mut state, request)
        };
        let (status, summary) = match &answer {
            Answer::Page(status, html) => (*status, Value::String(page_title(html))),
            Answer::Redirect(location) => (302, Value::String(format!("redirect to {location}"))),
        };
        state.journal.record(
            http::received(request, EntryKind::Gateway),
            None,
            Value::Null,
            status,
            summary,
        );
        match answer {
            Answer::Page(status, html) => {
                ResponseTemplate::new(status).set_body_raw(html, "text/html; charset=utf-8")
            }
            Answer::Redirect(location) => {
                ResponseTemplate::new(302).insert_header("location", location.as_str())
            }
        }
    }
}

/// Query and form-body parameters, as the gateway reads them (body wins on a clash).
fn parameters(request: &Request) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
    let body: BTreeMap<String, String> =
        form_urlencoded::parse(&request.body).into_owned().collect();
    (query, body)
}

fn page_pay(state: &mut State, request: &Request) -> Answer {
    let (query, body) = parameters(request);
    if !query.contains_key("charset") {
        return error_page("invalid-parameter", "charset 参数必须放在请求地址（URL）中");
    }
    let mut params = query.clone();
    params.extend(body);
    let get = |key: &str| params.get(key).map(String::as_str).unwrap_or_default();

    let app_id = get("app_id");
    let Some(key) = app_key(state, app_id) else {
        return error_page("invalid-app-id", "无效的AppID参数");
    };
    if get("sign_type") != "RSA2" {
        return error_page("invalid-sign-type", "sign_type 仅支持 RSA2");
    }
    let content = sign_content(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Purpose::Request,
    );
    if !key.verify(&content, get("sign")) {
        return error_page(
            "invalid-signature",
            &format!("验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：{content}"),
        );
    }
    if get("method") != "alipay.trade.page.pay" {
        return error_page(
            "invalid-method",
            &format!("不支持的接口：{}", get("method")),
        );
    }
    let Ok(biz) = serde_json::from_str::<Value>(get("biz_content")) else {
        return error_page("ACQ.INVALID_PARAMETER", "biz_content 不是合法的 JSON");
    };
    let text = |key: &str| {
        biz[key]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| biz[key].to_string())
    };
    let out_trade_no = text("out_trade_no");
    let amount_fen = yuan_text_to_fen(text("total_amount").trim_matches('"'))
        .filter(|fen| (1..=10_000_000_000).contains(fen));
    let Some(amount_fen) = amount_fen else {
        return error_page("ACQ.INVALID_PARAMETER", "订单总金额格式错误");
    };
    let trade_no = state.alipay.new_trade_no();
    let trade = state
        .alipay
        .trades
        .entry(out_trade_no.clone())
        .or_insert_with(|| Trade {
            out_trade_no: out_trade_no.clone(),
            trade_no,
            app_id: app_id.to_string(),
            amount_fen,
            subject: text("subject"),
            return_url: get("return_url").to_string(),
            notify_url: get("notify_url").to_string(),
            status: TradeStatus::WaitBuyerPay,
        });
    match trade.status {
        TradeStatus::TradeSuccess => return error_page("ACQ.TRADE_HAS_SUCCESS", "交易已被支付"),
        TradeStatus::TradeClosed => return error_page("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
        TradeStatus::WaitBuyerPay => {}
    }
    match state.alipay.outcome.clone() {
        Some(Outcome::Pay) => pay(state, &out_trade_no),
        Some(Outcome::Abandon) => Answer::Page(200, cashier_page(state, &out_trade_no, false)),
        Some(Outcome::Fail { reason }) => Answer::Page(
            200,
            page(
                "支付失败",
                &format!("<p class=\"error\">支付失败：{}</p>", encode_text(&reason)),
            ),
        ),
        None => Answer::Page(200, cashier_page(state, &out_trade_no, true)),
    }
}

/// The public key that verifies forms of `app_id`: the project's own app (signed with the
/// run's merchant key) or one listed in `[[alipay.apps]]`.
fn app_key(state: &State, app_id: &str) -> Option<PublicKey> {
    if app_id == state.config.alipay.app_id {
        return Some(run_keys().merchant.public());
    }
    let app = state
        .config
        .alipay
        .apps
        .iter()
        .find(|a| a.app_id == app_id)?;
    PublicKey::from_pem(&app.public_key).ok()
}

/// The shopper pays: the trade succeeds, the notification is scheduled, and the browser
/// goes back to `return_url` with Alipay's signed return parameters.
fn pay(state: &mut State, out_trade_no: &str) -> Answer {
    let Some(trade) = state.alipay.trades.get_mut(out_trade_no) else {
        return error_page("ACQ.TRADE_NOT_EXIST", "交易不存在");
    };
    trade.status = TradeStatus::TradeSuccess;
    let trade = trade.clone();
    super::notify::after_payment(state, &trade);
    if trade.return_url.is_empty() {
        return Answer::Page(200, page("支付成功", "<p>支付成功</p>"));
    }
    // In the order real captures show; signed like a notification (no sign, no sign_type).
    let mut params: Vec<(&str, String)> = vec![
        ("charset", "utf-8".into()),
        ("out_trade_no", trade.out_trade_no.clone()),
        ("method", "alipay.trade.page.pay.return".into()),
        ("total_amount", fen_to_yuan_text(trade.amount_fen)),
        ("sign", String::new()),
        ("trade_no", trade.trade_no.clone()),
        ("auth_app_id", trade.app_id.clone()),
        ("version", "1.0".into()),
        ("app_id", trade.app_id.clone()),
        ("sign_type", "RSA2".into()),
        ("seller_id", state.config.alipay.seller_id.clone()),
        ("timestamp", timestamp()),
    ];
    let content = sign_content(
        params.iter().map(|(k, v)| (*k, v.as_str())),
        Purpose::Callback,
    );
    params[4].1 = run_keys().alipay.sign(&content);
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    let separator = if trade.return_url.contains('?') {
        '&'
    } else {
        '?'
    };
    Answer::Redirect(format!("{}{separator}{query}", trade.return_url))
}

fn cashier_action(state: &mut State, request: &Request) -> Answer {
    let (query, body) = parameters(request);
    let mut params = query;
    params.extend(body);
    let out_trade_no = params.get("out_trade_no").cloned().unwrap_or_default();
    match (
        params.get("action").map(String::as_str),
        state.alipay.trades.get_mut(&out_trade_no),
    ) {
        (_, None) => error_page("ACQ.TRADE_NOT_EXIST", "交易不存在"),
        (Some("pay"), Some(_)) => pay(state, &out_trade_no),
        (Some("cancel"), Some(trade)) => {
            trade.status = TradeStatus::TradeClosed;
            Answer::Page(
                200,
                page("交易已取消", "<p>交易已取消，您可以关闭此页面。</p>"),
            )
        }
        (other, Some(_)) => error_page(
            "invalid-parameter",
            &format!("未知的操作：{}", other.unwrap_or("")),
        ),
    }
}

fn cashier_page(state: &State, out_trade_no: &str, with_buttons: bool) -> String {
    let trade = &state.alipay.trades[out_trade_no];
    let buttons = if with_buttons {
        let button = |action: &str, label: &str| {
            format!(
                "<form method=\"post\" action=\"/gateway.do/cashier\"><input type=\"hidden\" name=\"out_trade_no\" value=\"{}\"><input type=\"hidden\" name=\"action\" value=\"{action}\"><button type=\"submit\" id=\"cashier-{action}\">{label}</button></form>",
                html_escape::encode_double_quoted_attribute(out_trade_no)
            )
        };
        format!("{}{}", button("pay", "确认付款"), button("cancel", "取消"))
    } else {
        String::new()
    };
    page(
        "支付宝收银台",
        &format!(
            "<h1>支付宝收银台（模拟）</h1><p class=\"subject\">{}</p><p class=\"amount\">¥{}</p><p>订单号 {}</p>{buttons}",
            encode_text(&trade.subject),
            fen_to_yuan_text(trade.amount_fen),
            encode_text(out_trade_no)
        ),
    )
}

/// Alipay's error page for a bad request ("调试错误，请回到请求来源地，重新发起请求。").
fn error_page(code: &str, reason: &str) -> Answer {
    Answer::Page(
        200,
        page(
            "支付宝 - 调试错误",
            &format!(
                "<p>调试错误，请回到请求来源地，重新发起请求。</p><p>错误代码 <b id=\"error-code\">{}</b></p><p>错误原因: <span id=\"error-reason\">{}</span></p>",
                encode_text(code),
                encode_text(reason)
            ),
        ),
    )
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body>{body}</body></html>",
        encode_text(title)
    )
}

/// The journal's summary of a page: its title and, for errors, the code.
fn page_title(html: &str) -> String {
    let between = |start: &str, end: &str| {
        html.split_once(start)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(inner, _)| inner.to_string())
    };
    let title = between("<title>", "</title>").unwrap_or_default();
    match between("<b id=\"error-code\">", "</b>") {
        Some(code) => format!("{title}: {code}"),
        None => title,
    }
}
