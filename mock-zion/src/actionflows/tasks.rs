//! Async actionflow tasks: `fz_create_action_flow_task` starts one, and
//! `fz_listen_action_flow_result` follows it through CREATED → PROCESSING → COMPLETED or
//! FAILED, as Zion's actionflow rules describe.
//!
//! A task's timeline is fixed when it is created (its duration comes from the actionflow's
//! `duration_ms`, a scenario's one-off plan, or [`DEFAULT_DURATION`]); the actionflow itself
//! runs when the task reaches its end, so what it writes appears at that moment, as an async
//! flow's nodes do. [`Tasks::next_due`] tells the subscriptions when to look again.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use mock_zion::actionflows::tasks::{TaskStatus, Tasks};
//!
//! let mut tasks = Tasks::default();
//! let start = Instant::now();
//! let id = tasks.create("flow", 7, serde_json::json!({}), Duration::from_millis(400), None, start);
//! assert_eq!(tasks.get(id).unwrap().status, TaskStatus::Created);
//! tasks.advance(start + Duration::from_millis(100));
//! assert_eq!(tasks.get(id).unwrap().status, TaskStatus::Processing);
//! // At its end the task is due: whoever settles the state runs the actionflow.
//! assert_eq!(tasks.due(start + Duration::from_millis(400)), vec![id]);
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::once::Outcome;

/// How long a task takes when nothing says otherwise.
pub const DEFAULT_DURATION: Duration = Duration::from_millis(500);

/// The first task id handed out (Zion's ids are large numbers; an app must keep them as
/// `Long`, not as a 32-bit integer).
const FIRST_TASK_ID: i64 = 1_150_000_000_000_001;

/// Where a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    /// Accepted, not started.
    Created,
    /// Running.
    Processing,
    /// Done; `output` holds the result.
    Completed,
    /// Ended with an error.
    Failed,
}

impl TaskStatus {
    /// COMPLETED or FAILED: nothing more will happen.
    pub fn is_final(self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Failed)
    }

    /// The name Zion sends (`"PROCESSING"`).
    pub fn name(self) -> &'static str {
        match self {
            TaskStatus::Created => "CREATED",
            TaskStatus::Processing => "PROCESSING",
            TaskStatus::Completed => "COMPLETED",
            TaskStatus::Failed => "FAILED",
        }
    }
}

/// One async run of an actionflow.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// The task id `fz_create_action_flow_task` answered.
    pub id: i64,
    /// The actionflow it runs.
    pub flow_id: String,
    /// The account that started it (only it may listen).
    pub caller: i64,
    /// The args it was started with.
    pub args: Value,
    /// Where it is now.
    pub status: TaskStatus,
    /// The actionflow's result once COMPLETED (null before, and when FAILED).
    pub output: Value,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A scenario's planned outcome, replacing the actionflow's own.
    #[serde(skip)]
    pub planned: Option<Outcome>,
    #[serde(skip)]
    processing_at: Instant,
    #[serde(skip)]
    done_at: Instant,
}

/// Every task of one mock instance.
#[derive(Debug, Clone)]
pub struct Tasks {
    next_id: i64,
    tasks: BTreeMap<i64, Task>,
    changes: u64,
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks {
            next_id: FIRST_TASK_ID,
            tasks: BTreeMap::new(),
            changes: 0,
        }
    }
}

impl Tasks {
    /// Starts a task at `now` that takes `duration` (CREATED for its first quarter, then
    /// PROCESSING) and returns its id.
    pub fn create(
        &mut self,
        flow_id: &str,
        caller: i64,
        args: Value,
        duration: Duration,
        planned: Option<Outcome>,
        now: Instant,
    ) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.changes += 1;
        self.tasks.insert(
            id,
            Task {
                id,
                flow_id: flow_id.to_string(),
                caller,
                args,
                status: TaskStatus::Created,
                output: Value::Null,
                error: None,
                planned,
                processing_at: now + duration / 4,
                done_at: now + duration,
            },
        );
        id
    }

    /// A task by id.
    pub fn get(&self, id: i64) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// Every task, oldest first.
    pub fn all(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    /// Moves CREATED tasks whose start has come to PROCESSING.
    pub fn advance(&mut self, now: Instant) {
        for task in self.tasks.values_mut() {
            if task.status == TaskStatus::Created && now >= task.processing_at {
                task.status = TaskStatus::Processing;
                self.changes += 1;
            }
        }
    }

    /// The tasks whose end has come and that have not ended yet (after [`Tasks::advance`]).
    pub fn due(&mut self, now: Instant) -> Vec<i64> {
        self.advance(now);
        self.tasks
            .values()
            .filter(|t| t.status == TaskStatus::Processing && now >= t.done_at)
            .map(|t| t.id)
            .collect()
    }

    /// Ends a task: COMPLETED with `output`, or FAILED with the reason.
    pub fn finish(&mut self, id: i64, result: Result<Value, String>) {
        if let Some(task) = self.tasks.get_mut(&id) {
            self.changes += 1;
            match result {
                Ok(output) => {
                    task.status = TaskStatus::Completed;
                    task.output = output;
                }
                Err(reason) => {
                    task.status = TaskStatus::Failed;
                    task.error = Some(reason);
                }
            }
        }
    }

    /// How many times a task was created or changed status: a counter for watchers.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The next moment a task changes status by itself, if any task is still running.
    pub fn next_due(&self) -> Option<Instant> {
        self.tasks
            .values()
            .filter_map(|t| match t.status {
                TaskStatus::Created => Some(t.processing_at),
                TaskStatus::Processing => Some(t.done_at),
                _ => None,
            })
            .min()
    }
}
