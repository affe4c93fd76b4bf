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
use crate::tables::Row;

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

/// The `Query` or `Mutation` root object.
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
        let args =
            super::values::from_apollo(&serde_json_bytes::Value::Object(info.arguments().clone()));
        match (self.type_name.as_str(), field) {
            ("Mutation", "fz_invoke_action_flow") => {
                let flow_id = args["actionFlowId"].as_str().unwrap_or_default();
                let mut state = self.ctx.state.borrow_mut();
                actionflows::invoke(&mut state, self.ctx.caller, flow_id, &args["args"])
                    .map(leaf)
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
                        ResolvedValue::object(RowObject {
                            type_name: "SignResult".into(),
                            row: fields,
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

/// A JSON object resolved key by key: a table row, or a `SignResult`.
struct RowObject {
    type_name: String,
    row: Row,
}

impl ObjectValue for RowObject {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        match self.row.get(info.field_name()) {
            Some(value) => Ok(leaf(value.clone())),
            None => Err(self.unknown_field_error(info)),
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
