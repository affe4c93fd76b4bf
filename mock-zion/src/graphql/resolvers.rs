//! Field resolvers: how each root field of the schema reads or changes the mock's state.
//!
//! apollo-compiler's executor calls [`ObjectValue::resolve_field`] one field at a time. Its
//! [`FieldError`] carries only a message, so every refusal is also recorded in
//! [`Context::failures`] with its code, and the pipeline attaches the code afterwards.

use std::cell::RefCell;

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use serde_json::Value;

use crate::actionflows;
use crate::failure::Failure;
use crate::state::State;

/// What the resolvers of one request share.
pub(crate) struct Context<'s> {
    pub state: RefCell<&'s mut State>,
    /// The project's data model (shared, so resolvers need not borrow the state for it).
    pub model: std::sync::Arc<crate::project::Model>,
    pub caller: Option<i64>,
    /// Injected GraphQL-error faults: field → message.
    pub injected: Vec<(String, String)>,
    /// Every refusal so far: message → code.
    pub failures: RefCell<Vec<(String, &'static str)>>,
}

impl Context<'_> {
    pub(crate) fn fail(&self, failure: Failure) -> FieldError {
        self.failures
            .borrow_mut()
            .push((failure.message.clone(), failure.code));
        FieldError {
            message: failure.message,
        }
    }
}

/// The `Query`, `Mutation` or `Subscription` root object.
pub(crate) struct Root<'c, 's> {
    pub ctx: &'c Context<'s>,
    pub type_name: String,
}

impl ObjectValue for Root<'_, '_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let field = info.field_name();
        if let Some((_, message)) = self.ctx.injected.iter().find(|(f, _)| f == field) {
            return Err(self
                .ctx
                .fail(Failure::new("INJECTED_FAULT", message.clone())));
        }
        let args = super::values::arguments(info);
        match (self.type_name.as_str(), field) {
            ("Mutation", "fz_invoke_action_flow") => {
                let flow_id = args["actionFlowId"].as_str().unwrap_or_default();
                let mut state = self.ctx.state.borrow_mut();
                actionflows::invoke(&mut state, self.ctx.caller, flow_id, &args["args"])
                    .map(leaf)
                    .map_err(|f| self.ctx.fail(f))
            }
            ("Mutation", "fz_create_action_flow_task") => {
                let flow_id = args["actionFlowId"].as_str().unwrap_or_default();
                let mut state = self.ctx.state.borrow_mut();
                actionflows::create_task(&mut state, self.ctx.caller, flow_id, &args["args"])
                    .map(|id| leaf(Value::from(id)))
                    .map_err(|f| self.ctx.fail(f))
            }
            ("Subscription", "fz_listen_action_flow_result") => {
                let task_id = super::scalars::integer(&args["taskId"]).unwrap_or_default();
                let state = self.ctx.state.borrow();
                actionflows::task_result(&state, self.ctx.caller, task_id)
                    .map(|result| {
                        ResolvedValue::object(JsonObject {
                            type_name: "ActionFlowTaskResult".into(),
                            fields: result.as_object().cloned().unwrap_or_default(),
                        })
                    })
                    .map_err(|f| self.ctx.fail(f))
            }
            ("Mutation", "alipayTrade") => {
                let mut state = self.ctx.state.borrow_mut();
                crate::alipay::trade::alipay_trade(&mut state, self.ctx.caller, &args)
                    .map(list_of_leaves)
                    .map_err(|f| self.ctx.fail(f))
            }
            ("Mutation", "createWechatPayment") => {
                let mut state = self.ctx.state.borrow_mut();
                crate::wechat::payment::create_wechat_payment(&mut state, self.ctx.caller, &args)
                    .map(|result| {
                        let fields = result.as_object().cloned().unwrap_or_default();
                        ResolvedValue::object(JsonObject {
                            type_name: "SignResult".into(),
                            fields,
                        })
                    })
                    .map_err(|f| self.ctx.fail(f))
            }
            ("Mutation", "sendVerificationCodeToEmail") => {
                let mut state = self.ctx.state.borrow_mut();
                crate::auth::login::send_email_code(&mut state, &args)
                    .map(leaf)
                    .map_err(|f| self.ctx.fail(f))
            }
            (
                "Mutation",
                login @ ("authenticateWithUsername"
                | "authenticateWithEmail"
                | "loginWithWechatMiniApp"),
            ) => {
                let mut state = self.ctx.state.borrow_mut();
                let result = match login {
                    "authenticateWithUsername" => {
                        crate::auth::login::with_username(&mut state, &args)
                    }
                    "authenticateWithEmail" => crate::auth::login::with_email(&mut state, &args),
                    _ => crate::auth::login::with_wechat(&mut state, &args),
                };
                result
                    .map(|logged_in| {
                        let jwt = serde_json::json!({"token": logged_in.token});
                        let mut fields = serde_json::Map::new();
                        fields.insert("account".into(), Value::Object(logged_in.account));
                        fields.insert("jwt".into(), jwt);
                        ResolvedValue::object(JsonObject {
                            type_name: "FZ_AuthenticationResult".into(),
                            fields,
                        })
                    })
                    .map_err(|f| self.ctx.fail(f))
            }
            (root, field) => {
                let model = self.ctx.model.clone();
                match super::table_api::RootField::parse(&model, root, field) {
                    Some(table_field) => {
                        super::table_api::resolve_root(self.ctx, table_field, &args)
                            .map_err(|f| self.ctx.fail(f))
                    }
                    None => Err(self.unknown_field_error(info)),
                }
            }
        }
    }
}

/// A `[String]`-like list: a JSON array whose items are leaves.
fn list_of_leaves<'a>(value: Value) -> ResolvedValue<'a> {
    match value {
        Value::Array(items) => ResolvedValue::list(items.into_iter().map(leaf)),
        other => leaf(other),
    }
}

pub(crate) fn leaf<'a>(value: Value) -> ResolvedValue<'a> {
    ResolvedValue::leaf(serde_json_bytes::Value::from(value))
}

/// A JSON object resolved key by key (a `SignResult`, a log-in's answer), nested objects as
/// objects of their schema type.
struct JsonObject {
    type_name: String,
    fields: serde_json::Map<String, Value>,
}

impl ObjectValue for JsonObject {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let Some(value) = self.fields.get(info.field_name()) else {
            return Err(self.unknown_field_error(info));
        };
        let field_type = &info.field_definition().ty;
        let ty = field_type.inner_named_type();
        // A `Json` (or any scalar) field is a leaf whatever shape its value has; a list of
        // scalars is a list of leaves.
        if info.schema().get_scalar(ty).is_some() {
            return Ok(match value {
                Value::Array(items) if field_type.is_list() => {
                    ResolvedValue::list(items.iter().cloned().map(leaf))
                }
                other => leaf(other.clone()),
            });
        }
        Ok(json_value(ty.as_str(), value))
    }
}

/// A JSON value as a field of GraphQL type `ty`: objects as objects, arrays as lists.
fn json_value<'a>(ty: &str, value: &Value) -> ResolvedValue<'a> {
    match value {
        Value::Object(fields) => ResolvedValue::object(JsonObject {
            type_name: ty.to_string(),
            fields: fields.clone(),
        }),
        Value::Array(items) => {
            let items: Vec<ResolvedValue<'a>> = items.iter().map(|v| json_value(ty, v)).collect();
            ResolvedValue::list(items)
        }
        other => leaf(other.clone()),
    }
}
