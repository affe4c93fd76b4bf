//! Faults a scenario injects into the next calls of a GraphQL root field.
//!
//! ```
//! use mock_zion::{Fault, FaultKind};
//!
//! let fault = Fault::new("alipayTrade", FaultKind::GraphqlError { message: "支付宝配置错误".into() });
//! assert_eq!(fault.times, 1);
//! let json = serde_json::to_value(&fault).unwrap();
//! assert_eq!(json["kind"], "graphql_error");
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What happens to a call that meets a fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// The field resolves to a GraphQL error with this message (code `INJECTED_FAULT`).
    GraphqlError {
        /// The error message the app receives.
        message: String,
    },
    /// The whole request is answered with this HTTP status and nothing is executed.
    HttpStatus {
        /// The status, e.g. 500 or 502.
        status: u16,
    },
    /// The request is executed normally but answered this much later.
    Delay {
        /// The delay in milliseconds.
        ms: u64,
    },
}

/// A fault for the next `times` calls of a root field.
// No `deny_unknown_fields`: serde does not support it together with `flatten`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The root field, e.g. `alipayTrade` or `fz_invoke_action_flow`.
    pub field: String,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many calls it applies to.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// A fault for the next call of `field`.
    pub fn new(field: impl Into<String>, kind: FaultKind) -> Self {
        Fault {
            field: field.into(),
            kind,
            times: 1,
        }
    }

    /// The same fault for the next `times` calls.
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }
}

/// The faults still pending on one mock instance, in the order they were injected.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pending: Vec<Fault>,
}

/// The faults that a request met, one per root field at most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Met {
    /// The first HTTP status fault met, if any.
    pub http_status: Option<u16>,
    /// The total delay to add.
    pub delay: Duration,
    /// GraphQL errors by field.
    pub errors: Vec<(String, String)>,
}

impl Faults {
    /// Queues a fault.
    pub fn inject(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    /// Removes every pending fault.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// Consumes one use of the first pending fault of each of `fields`.
    pub fn take<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) -> Met {
        let mut met = Met::default();
        for field in fields {
            let Some(i) = self.pending.iter().position(|f| f.field == field) else {
                continue;
            };
            let fault = &mut self.pending[i];
            match &fault.kind {
                FaultKind::GraphqlError { message } => {
                    met.errors.push((field.to_string(), message.clone()))
                }
                FaultKind::HttpStatus { status } => {
                    met.http_status.get_or_insert(*status);
                }
                FaultKind::Delay { ms } => met.delay += Duration::from_millis(*ms),
            }
            fault.times -= 1;
            if fault.times == 0 {
                self.pending.remove(i);
            }
        }
        met
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_applies_to_exactly_its_count_of_calls() {
        let mut faults = Faults::default();
        faults.inject(Fault::new("alipayTrade", FaultKind::HttpStatus { status: 500 }).times(2));
        assert_eq!(faults.take(["order_by_pk"]).http_status, None);
        assert_eq!(faults.take(["alipayTrade"]).http_status, Some(500));
        assert_eq!(faults.take(["alipayTrade"]).http_status, Some(500));
        assert_eq!(faults.take(["alipayTrade"]).http_status, None);
    }
}
