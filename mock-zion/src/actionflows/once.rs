//! One-off plans for the next call of an actionflow: a scenario says "next time, answer
//! this", "fail with that" or "take three seconds", from a step or over the control API
//! (`POST /__mock/actionflows/<id>/next`). A plan is used by the next call of that id, sync
//! (`fz_invoke_action_flow`) or async (`fz_create_action_flow_task`), then forgotten.
//!
//! ```
//! use mock_zion::actionflows::once::{Once, Outcome, Planned};
//! use serde_json::json;
//!
//! let mut planned = Planned::default();
//! planned.plan("flow-1", Once { outcome: Some(Outcome::Answer(json!({"ok": true}))), duration_ms: None });
//! assert!(planned.take("flow-2").is_none());
//! assert_eq!(planned.take("flow-1").unwrap().outcome, Some(Outcome::Answer(json!({"ok": true}))));
//! assert!(planned.take("flow-1").is_none(), "used once");
//! ```

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a planned call ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answers this JSON (placeholders `{{args.…}}` / `{{caller.id}}` filled).
    Answer(Value),
    /// Fails with this message (a sync call gets a GraphQL error with code
    /// `ACTIONFLOW_ERROR`; an async task ends FAILED).
    Error(String),
}

/// What the next call of one actionflow does instead of its configured behaviour.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Once {
    /// The outcome; none keeps the actionflow's own.
    pub outcome: Option<Outcome>,
    /// How long an async run takes, in milliseconds; none keeps the actionflow's own.
    pub duration_ms: Option<u64>,
}

/// A plan as JSON (the control API's body): `{"answer": …}` or `{"error": "…"}`, and/or
/// `"duration_ms"` for an async run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnceJson {
    #[serde(default)]
    answer: Option<Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    duration_ms: Option<u64>,
}

impl Once {
    /// Reads a plan from the control API's JSON body.
    ///
    /// ```
    /// use mock_zion::actionflows::once::{Once, Outcome};
    /// let once = Once::from_json(br#"{"error": "quota used up", "duration_ms": 2000}"#).unwrap();
    /// assert_eq!(once.outcome, Some(Outcome::Error("quota used up".into())));
    /// assert!(Once::from_json(br#"{"answer": 1, "error": "x"}"#).is_err());
    /// assert!(Once::from_json(br#"{}"#).is_err());
    /// ```
    ///
    /// # Errors
    /// Not JSON, an unknown key, both `answer` and `error`, or nothing planned.
    pub fn from_json(body: &[u8]) -> Result<Once, String> {
        let json: OnceJson = serde_json::from_slice(body).map_err(|e| {
            format!("the body must be {{\"answer\": …}} or {{\"error\": \"…\"}} and/or {{\"duration_ms\": N}}: {e}")
        })?;
        let outcome = match (json.answer, json.error) {
            (Some(_), Some(_)) => return Err("give `answer` or `error`, not both".into()),
            (Some(answer), None) => Some(Outcome::Answer(answer)),
            (None, Some(error)) => Some(Outcome::Error(error)),
            (None, None) => None,
        };
        if outcome.is_none() && json.duration_ms.is_none() {
            return Err("nothing planned: give `answer`, `error` or `duration_ms`".into());
        }
        Ok(Once {
            outcome,
            duration_ms: json.duration_ms,
        })
    }
}

/// Plans waiting for their calls, per actionflow id, first planned first used.
#[derive(Debug, Clone, Default)]
pub struct Planned {
    by_flow: BTreeMap<String, VecDeque<Once>>,
}

impl Planned {
    /// Plans the next unplanned call of `flow_id`.
    pub fn plan(&mut self, flow_id: &str, once: Once) {
        self.by_flow
            .entry(flow_id.to_string())
            .or_default()
            .push_back(once);
    }

    /// The plan for this call of `flow_id`, if one is waiting.
    pub fn take(&mut self, flow_id: &str) -> Option<Once> {
        let queue = self.by_flow.get_mut(flow_id)?;
        let once = queue.pop_front();
        if queue.is_empty() {
            self.by_flow.remove(flow_id);
        }
        once
    }
}
