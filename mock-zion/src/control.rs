//! The control API under `/__mock/`: what a scenario (or a developer with curl) uses to
//! reset the mock, seed rows and accounts, read rows, inject faults and read the journal.
//! The same operations are methods of [`MockZion`](crate::MockZion) for Rust callers.
//!
//! | request | does |
//! | --- | --- |
//! | `GET /__mock/` | lists these endpoints |
//! | `POST /__mock/reset` | forgets rows, tokens, faults and the journal; reseeds accounts |
//! | `GET /__mock/journal` | every request so far, as JSON (`?format=text`: one line each) |
//! | `POST /__mock/accounts` `{id, token, values}` | adds an account |
//! | `POST /__mock/tokens/expire` `{token}` | makes a token expired |
//! | `GET /__mock/tables/{table}/rows` | all rows of a table |
//! | `GET /__mock/tables/{table}/rows/{id}` | one row |
//! | `POST /__mock/tables/{table}/rows` `{column: value, …}` | inserts a row |
//! | `POST /__mock/faults` `{field, kind, times, …}` | injects a fault (see [`Fault`]) |
//! | `DELETE /__mock/faults` | removes pending faults |
//! | `GET /__mock/schema.graphql` | the schema served, as SDL |
//! | `GET /__mock/keys/merchant.pem`, `…/alipay.pem` | the run's public keys |
//! | `POST /__mock/alipay/outcome` `{"outcome": "pay" \| "abandon" \| "fail", "reason"}` | how gateway visits end |
//! | `DELETE /__mock/alipay/outcome` | back to the cashier page with Pay / Cancel |
//! | `POST /__mock/notify-delay` `{"ms": 3000}` or `{"ms": null}` | when (or that never) notifications land |
//! | `POST /__mock/alipay/notify/{out_trade_no}` | delivers a paid trade's notification again |
//! | `GET /__mock/alipay/trades` | every trade the gateway knows |
//! | `POST /__mock/wechat/outcome` `{"outcome": "pay" \| "cancel" \| "never" \| "fail", "reason"}` | how payment sheets end |
//! | `POST /__mock/wechat/sign-failure` `{"message"}`, `DELETE` | `createWechatPayment` answers `FAIL` |
//! | `POST /__mock/wechat/request-payment` `{timeStamp, nonceStr, package, signType, paySign}` | what `wx.requestPayment` answers |
//! | `POST /__mock/wechat/notify/{prepay_id}` | delivers a notification again |
//! | `GET /__mock/wechat/prepays` | every prepayment issued |
//! | `POST /__mock/actionflows/{id}/next` `{"answer": …}` \| `{"error": "…"}`, `"duration_ms"` | what the next call of an actionflow does (see [`Once`](crate::actionflows::once::Once)) |
//! | `GET /__mock/actionflows/tasks` | every async actionflow task |
//! | `GET /__mock/clock` | the instance's time: `{lead_ms, next_due_in_ms}` (see [`Clock`](crate::Clock)) |
//! | `POST /__mock/clock` `{"advance_ms": 2000}` | skips ahead; what falls due meanwhile happens |

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use wiremock::{Request, Respond, ResponseTemplate};

use std::time::Duration;

use crate::alipay::keys::run_keys;
use crate::alipay::{notify, Outcome};
use crate::faults::Fault;
use crate::http;
use crate::journal::EntryKind;
use crate::server::Shared;
use crate::wechat::payment_sheet::request_payment;
use crate::wechat::SheetOutcome;

pub(crate) struct Control(pub Arc<Shared>);

const INDEX: &str = "mock-zion control API
GET    /__mock/journal[?format=text]
POST   /__mock/reset
POST   /__mock/accounts            {\"id\": 2, \"token\": \"...\", \"values\": {...}}
POST   /__mock/tokens/expire       {\"token\": \"...\"}
GET    /__mock/tables/{table}/rows[/{id}]
POST   /__mock/tables/{table}/rows {\"column\": value, ...}
POST   /__mock/faults              {\"field\": \"alipayTrade\", \"kind\": \"http_status\", \"status\": 500, \"times\": 1}
DELETE /__mock/faults
GET    /__mock/schema.graphql
GET    /__mock/keys/merchant.pem   (verifies page-pay forms and WeChat paySign)
GET    /__mock/keys/alipay.pem     (verifies Alipay returns and notifications)
POST   /__mock/alipay/outcome      {\"outcome\": \"pay\"} | {\"outcome\": \"abandon\"} | {\"outcome\": \"fail\", \"reason\": \"...\"}
DELETE /__mock/alipay/outcome
POST   /__mock/notify-delay        {\"ms\": 3000} | {\"ms\": null} (never)
POST   /__mock/alipay/notify/{out_trade_no}
GET    /__mock/alipay/trades
POST   /__mock/wechat/outcome      {\"outcome\": \"pay\"} | \"cancel\" | \"never\" | {\"outcome\": \"fail\", \"reason\": \"...\"}
POST   /__mock/wechat/sign-failure {\"message\": \"...\"}   (DELETE to clear)
POST   /__mock/wechat/request-payment {\"timeStamp\", \"nonceStr\", \"package\", \"signType\", \"paySign\"}
POST   /__mock/wechat/notify/{prepay_id}
GET    /__mock/wechat/prepays
POST   /__mock/wechat/login-code   {} | {\"openid\": \"...\"}   (a wx.login code for loginWithWechatMiniApp)
GET    /__mock/codes               (verification and wx.login codes issued)
GET    /__mock/keys/jwt.pem        (verifies the JWTs the log-in mutations issue)
POST   /__mock/actionflows/{id}/next {\"answer\": {...}} | {\"error\": \"...\"}, and/or \"duration_ms\": 3000 (the next call only)
GET    /__mock/actionflows/tasks   (async actionflow tasks)
GET    /__mock/clock               {\"lead_ms\", \"next_due_in_ms\"} (how far ahead of the wall clock; when something happens next)
POST   /__mock/clock               {\"advance_ms\": 2000} (skip ahead; what falls due meanwhile happens)
";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginCode {
    #[serde(default)]
    openid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignFailure {
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    advance_ms: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotifyDelay {
    ms: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    id: i64,
    token: String,
    #[serde(default)]
    values: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Token {
    token: String,
}

/// An answer: status and body (JSON, or text when it is a string).
type Reply = (u16, Value);

impl Respond for Control {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let segments: Vec<&str> = request
            .url
            .path()
            .trim_start_matches("/__mock")
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let method = request.method.as_str();
        let (status, body) = self.route(method, &segments, request);
        // Reading the journal or the clock changes nothing, and a page reads the clock at
        // every load: neither belongs in the journal.
        let quiet = segments == ["journal"] || segments == ["clock"];
        if !quiet {
            crate::server::record(&self.0, request, EntryKind::Control, status, body.clone());
        }
        match body {
            Value::String(text) => http::cors(request, ResponseTemplate::new(status))
                .set_body_raw(text, "text/plain; charset=utf-8"),
            Value::Null => http::cors(request, ResponseTemplate::new(status)),
            body => http::json(request, status, &body),
        }
    }
}

impl Control {
    fn route(&self, method: &str, segments: &[&str], request: &Request) -> Reply {
        let shared = &self.0;
        match (method, segments) {
            ("GET", []) => (200, Value::String(INDEX.into())),
            ("GET", ["journal"]) => {
                let state = shared.lock();
                if request
                    .url
                    .query_pairs()
                    .any(|(k, v)| k == "format" && v == "text")
                {
                    (200, Value::String(state.journal.summary()))
                } else {
                    (
                        200,
                        serde_json::to_value(state.journal.entries()).unwrap_or(Value::Null),
                    )
                }
            }
            ("POST", ["reset"]) => {
                shared.lock().reset();
                (204, Value::Null)
            }
            ("POST", ["accounts"]) => match parse::<NewAccount>(request) {
                Ok(a) => match shared.lock().add_account(a.id, &a.token, a.values) {
                    Ok(()) => (201, json!({"id": a.id})),
                    Err(e) => error(422, e),
                },
                Err(reply) => reply,
            },
            ("POST", ["tokens", "expire"]) => match parse::<Token>(request) {
                Ok(t) => {
                    shared.lock().tokens.expire(&t.token);
                    (204, Value::Null)
                }
                Err(reply) => reply,
            },
            ("GET", ["tables", table, "rows"]) => {
                let state = shared.lock();
                match state.tables.rows(table) {
                    Ok(rows) => (
                        200,
                        Value::Array(rows.into_iter().map(Value::Object).collect()),
                    ),
                    Err(e) => error(404, e),
                }
            }
            ("GET", ["tables", table, "rows", id]) => {
                let Ok(id) = id.parse::<i64>() else {
                    return error(400, format!("row id `{id}` is not an integer"));
                };
                match shared.lock().tables.get(table, id) {
                    Some(row) => (200, Value::Object(row)),
                    None => error(404, format!("table `{table}` has no row {id}")),
                }
            }
            ("POST", ["tables", table, "rows"]) => match parse::<Map<String, Value>>(request) {
                Ok(row) => match shared.lock().tables.insert(table, row) {
                    Ok(id) => (201, json!({"id": id})),
                    Err(e) => error(422, e),
                },
                Err(reply) => reply,
            },
            ("POST", ["faults"]) => match parse::<Fault>(request) {
                Ok(fault) => {
                    shared.lock().faults.inject(fault);
                    (201, Value::Null)
                }
                Err(reply) => reply,
            },
            ("DELETE", ["faults"]) => {
                shared.lock().faults.clear();
                (204, Value::Null)
            }
            ("GET", ["keys", "merchant.pem"]) => {
                (200, Value::String(run_keys().merchant.public().to_pem()))
            }
            ("GET", ["keys", "alipay.pem"]) => {
                (200, Value::String(run_keys().alipay.public().to_pem()))
            }
            ("POST", ["alipay", "outcome"]) => match parse::<Outcome>(request) {
                Ok(outcome) => {
                    shared.lock().alipay.outcome = Some(outcome);
                    (204, Value::Null)
                }
                Err(reply) => reply,
            },
            ("DELETE", ["alipay", "outcome"]) => {
                shared.lock().alipay.outcome = None;
                (204, Value::Null)
            }
            ("POST", ["notify-delay"]) => match parse::<NotifyDelay>(request) {
                Ok(delay) => {
                    shared.lock().notifications.delay = delay.ms.map(Duration::from_millis);
                    (204, Value::Null)
                }
                Err(reply) => reply,
            },
            ("POST", ["alipay", "notify", out_trade_no]) => {
                let mut state = shared.lock();
                if !state.alipay.trades.contains_key(*out_trade_no) {
                    return error(404, format!("the gateway has no trade {out_trade_no}"));
                }
                let changed = notify::deliver(&mut state, out_trade_no);
                (200, json!({ "changed_order": changed }))
            }
            ("GET", ["alipay", "trades"]) => {
                let state = shared.lock();
                (
                    200,
                    serde_json::to_value(&state.alipay.trades).unwrap_or(Value::Null),
                )
            }
            ("POST", ["wechat", "outcome"]) => match parse::<SheetOutcome>(request) {
                Ok(outcome) => {
                    shared.lock().wechat.outcome = outcome;
                    (204, Value::Null)
                }
                Err(reply) => reply,
            },
            ("POST", ["wechat", "sign-failure"]) => match parse::<SignFailure>(request) {
                Ok(failure) => {
                    shared.lock().wechat.sign_failure = Some(failure.message);
                    (204, Value::Null)
                }
                Err(reply) => reply,
            },
            ("DELETE", ["wechat", "sign-failure"]) => {
                shared.lock().wechat.sign_failure = None;
                (204, Value::Null)
            }
            ("POST", ["wechat", "request-payment"]) => match parse::<Value>(request) {
                Ok(params) => (200, request_payment(&mut shared.lock(), &params)),
                Err(reply) => reply,
            },
            ("POST", ["wechat", "notify", prepay_id]) => {
                let mut state = shared.lock();
                if !state.wechat.prepays.contains_key(*prepay_id) {
                    return error(404, format!("WeChat Pay issued no prepay_id {prepay_id}"));
                }
                let changed = crate::wechat::notify::deliver(&mut state, prepay_id);
                (200, json!({ "changed_order": changed }))
            }
            ("POST", ["wechat", "login-code"]) => match parse::<LoginCode>(request) {
                Ok(wanted) => match shared
                    .lock()
                    .logins
                    .issue_wechat_code(wanted.openid.as_deref())
                {
                    Ok(code) => (201, json!({ "code": code })),
                    Err(e) => error(422, e),
                },
                Err(reply) => reply,
            },
            ("GET", ["clock"]) => (200, crate::server::clock_json(shared)),
            ("POST", ["clock"]) => match parse::<Advance>(request) {
                Ok(Advance { advance_ms }) if advance_ms.is_finite() && advance_ms >= 0.0 => {
                    shared.advance(Duration::from_secs_f64(advance_ms / 1000.0));
                    (200, crate::server::clock_json(shared))
                }
                Ok(_) => error(
                    400,
                    "advance_ms must be a number of milliseconds, 0 or more",
                ),
                Err(reply) => reply,
            },
            ("GET", ["codes"]) => (200, crate::auth::login::codes_json(&shared.lock().logins)),
            ("GET", ["keys", "jwt.pem"]) => {
                (200, Value::String(crate::auth::jwt::public_pem().into()))
            }
            ("GET", ["wechat", "prepays"]) => {
                let state = shared.lock();
                (
                    200,
                    serde_json::to_value(&state.wechat.prepays).unwrap_or(Value::Null),
                )
            }
            ("POST", ["actionflows", flow_id, "next"]) => {
                match crate::actionflows::once::Once::from_json(&request.body) {
                    Ok(once) => {
                        let mut state = shared.lock();
                        if !state.config.actionflows.contains_key(*flow_id) {
                            return error(404, format!("actionflow \"{flow_id}\" is not in this project's [actionflows]"));
                        }
                        state.planned_actionflows.plan(flow_id, once);
                        (201, Value::Null)
                    }
                    Err(message) => error(400, message),
                }
            }
            ("GET", ["actionflows", "tasks"]) => {
                let state = shared.lock();
                let tasks: Vec<&crate::actionflows::tasks::Task> = state.tasks.all().collect();
                (200, serde_json::to_value(tasks).unwrap_or(Value::Null))
            }
            ("GET", ["schema.graphql"]) => {
                (200, Value::String(shared.endpoint.schema().to_string()))
            }
            _ => error(
                404,
                format!(
                    "no control endpoint {method} {}; GET /__mock/ lists them",
                    request.url.path()
                ),
            ),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, Reply> {
    serde_json::from_slice(&request.body).map_err(|e| {
        error(
            400,
            format!("the request body is not what this endpoint takes: {e}"),
        )
    })
}

fn error(status: u16, message: impl std::fmt::Display) -> Reply {
    (status, json!({ "error": message.to_string() }))
}
