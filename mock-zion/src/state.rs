//! The whole mutable state of one mock instance, behind one lock.

use std::sync::Arc;

use serde_json::Value;

use crate::alipay::AlipayState;
use crate::auth::Tokens;
use crate::clock::Clock;
use crate::config::ProjectConfig;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::notifications::{Notification, Notifications};
use crate::tables::{TableError, Tables};
use crate::wechat::WechatState;

/// Tables, tokens, journal and faults of one mock instance.
#[derive(Debug)]
pub struct State {
    /// The project config the instance was started with.
    pub config: Arc<ProjectConfig>,
    /// The project's rows.
    pub tables: Tables,
    /// Bearer tokens and the accounts they stand for.
    pub tokens: Tokens,
    /// Log-in details and the codes issued for log-ins.
    pub logins: crate::auth::login::Logins,
    /// Every request received.
    pub journal: Journal,
    /// Async actionflow tasks.
    pub tasks: crate::actionflows::tasks::Tasks,
    /// A scenario's one-off plans for the next calls of actionflows.
    pub planned_actionflows: crate::actionflows::once::Planned,
    /// Bumped by every reset, so a change counter never repeats across resets.
    pub generation: u64,
    /// Faults waiting for their calls.
    pub faults: Faults,
    /// Trades and the chosen outcome of the mock Alipay.
    pub alipay: AlipayState,
    /// Prepayments and the chosen outcome of the mock WeChat Pay.
    pub wechat: WechatState,
    /// Payment notifications waiting to land, and their delay.
    pub notifications: Notifications,
    /// This instance's own base URL (`http://127.0.0.1:PORT`), for the URLs it hands out.
    pub base_url: String,
    /// Hands Alipay notifications for merchant backends to their delivery task.
    pub courier: crate::alipay::notify_delivery::Courier,
    /// The instance's time: what is due and what the journal writes down read it.
    pub clock: Arc<Clock>,
}

impl State {
    /// Fresh state: empty tables plus the config's accounts.
    ///
    /// # Errors
    /// An account seed that does not fit the account table.
    pub fn new(config: Arc<ProjectConfig>) -> Result<Self, TableError> {
        Self::with_clock(config, Arc::default())
    }

    /// Fresh state on `clock` (a reset keeps the instance's clock: time does not go back).
    ///
    /// # Errors
    /// An account seed that does not fit the account table.
    pub fn with_clock(config: Arc<ProjectConfig>, clock: Arc<Clock>) -> Result<Self, TableError> {
        let model = crate::graphql::schema::model(&config);
        let mut state = State {
            tables: Tables::on_clock(model, clock.clone()),
            tokens: Tokens::default(),
            logins: crate::auth::login::Logins::new(&config.accounts),
            journal: Journal::new(clock.clone()),
            tasks: Default::default(),
            planned_actionflows: Default::default(),
            generation: 0,
            faults: Faults::default(),
            alipay: AlipayState::default(),
            wechat: WechatState::default(),
            notifications: Notifications::default(),
            base_url: String::new(),
            // Replaced by a courier with a delivery task when the instance starts serving.
            courier: tokio::sync::mpsc::unbounded_channel().0,
            clock,
            config,
        };
        for account in state.config.accounts.clone() {
            state.add_account(account.id, &account.token, account.values)?;
        }
        Ok(state)
    }

    /// Back to [`State::new`]: rows, tokens, journal and faults all start over.
    pub fn reset(&mut self) {
        // The config's seeds were inserted once already, so they cannot fail now.
        if let Ok(fresh) = State::with_clock(self.config.clone(), self.clock.clone()) {
            let base_url = std::mem::take(&mut self.base_url);
            let courier = self.courier.clone();
            *self = State {
                base_url,
                courier,
                generation: self.generation + 1,
                ..fresh
            };
        }
    }

    /// Delivers what is due by `now` (payment notifications, the end of async actionflow
    /// tasks): called on every lock, so anything that reads the state sees exactly what has
    /// happened by then.
    pub fn settle(&mut self, now: std::time::Instant) {
        crate::actionflows::finish_due_tasks(self, now);
        for notification in self.notifications.take_due(now) {
            match notification {
                Notification::Alipay { out_trade_no } => {
                    crate::alipay::notify::deliver(self, &out_trade_no);
                }
                Notification::Wechat { prepay_id } => {
                    crate::wechat::notify::deliver(self, &prepay_id);
                }
            }
        }
    }

    /// The next moment something happens by itself (a notification lands, a task moves on).
    pub fn next_due(&self) -> Option<std::time::Instant> {
        [self.notifications.next_due(), self.tasks.next_due()]
            .into_iter()
            .flatten()
            .min()
    }

    /// How long until [`State::next_due`], on the instance's clock.
    pub fn next_due_in(&self) -> Option<std::time::Duration> {
        let now = self.clock.now();
        self.next_due()
            .map(|due| due.saturating_duration_since(now))
    }

    /// A number that changes whenever the rows or the tasks change (for subscriptions to
    /// know when to look again).
    pub fn version(&self) -> (u64, u64, u64) {
        (
            self.generation,
            self.tables.db().conn().total_changes(),
            self.tasks.changes(),
        )
    }

    /// Inserts an account row and grants its token.
    ///
    /// # Errors
    /// The values do not fit the account table, or the id is taken.
    pub fn add_account(
        &mut self,
        id: i64,
        token: &str,
        mut values: serde_json::Map<String, Value>,
    ) -> Result<(), TableError> {
        values.insert("id".into(), Value::from(id));
        let table = self.config.account_table.name.clone();
        self.tables.insert(&table, values)?;
        self.tokens.grant(token, id);
        Ok(())
    }
}
