//! [`MockZion`]: one running mock instance on its own loopback port.
//!
//! It is a wiremock [`MockServer`] with four mounted mocks, lowest priority number first:
//! CORS preflights (any `OPTIONS`), the GraphQL endpoint, the control API under `/__mock/`,
//! and a fallback that answers any other path with a 404 naming the GraphQL path. A scenario
//! can mount its own mock at priority 1 to answer one operation its own way
//! ([`MockZion::override_field`]); it is journaled like the rest.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Map, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use std::time::Duration;

use crate::alipay::{notify, Outcome, Trade};
use crate::config::ProjectConfig;
use crate::control;
use crate::faults::Fault;
use crate::graphql::{self, Endpoint, HttpRequest};
use crate::http;
use crate::journal::{EntryKind, Journal};
use crate::matchers::root_field;
use crate::state::State;
use crate::tables::{Row, TableError};
use crate::wechat::SheetOutcome;

/// Why a mock instance could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}{}", if source.kind() == std::io::ErrorKind::AddrInUse { " — another process holds this port: pick another one (--port), or stop that process" } else { "" })]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why the OS refused.
        source: std::io::Error,
    },
    /// The config's tables do not make a valid GraphQL schema.
    #[error("the project config does not make a valid GraphQL schema:\n{0}")]
    Schema(String),
    /// The config's accounts do not fit the account table.
    #[error("the project config's accounts cannot be seeded: {0}")]
    Seed(#[from] TableError),
}

/// What the responders of one instance share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub endpoint: Endpoint,
    /// Ticks whenever a lock of the state is released with rows or tasks changed:
    /// subscriptions wait on it to send their results again.
    pub changed: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    /// The state, settled to now, even if a panicking responder poisoned the lock: the state
    /// is plain data and every writer leaves it consistent between statements.
    pub fn lock(&self) -> StateGuard<'_> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let before = state.version();
        let now = state.clock.now();
        state.settle(now);
        StateGuard {
            state,
            before,
            changed: &self.changed,
        }
    }
}

impl Shared {
    /// Skips the instance's clock ahead by `by`, then settles: what fell due meanwhile
    /// happens now, and subscriptions hear of it (the guard's release tells them).
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.clock.advance(by);
        let now = state.clock.now();
        state.settle(now);
    }
}

/// The control API's answer about the clock.
pub(crate) fn clock_json(shared: &Shared) -> Value {
    let state = shared.lock();
    json!({
        "lead_ms": state.clock.lead().as_secs_f64() * 1000.0,
        "next_due_in_ms": state.next_due_in().map(|d| d.as_secs_f64() * 1000.0),
    })
}

/// The locked state; on release it tells the subscriptions whether anything changed.
pub(crate) struct StateGuard<'a> {
    state: MutexGuard<'a, State>,
    before: (u64, u64, u64),
    changed: &'a tokio::sync::watch::Sender<u64>,
}

impl std::ops::Deref for StateGuard<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}

impl std::ops::DerefMut for StateGuard<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.state
    }
}

impl Drop for StateGuard<'_> {
    fn drop(&mut self) {
        if self.state.version() != self.before {
            self.changed.send_modify(|tick| *tick += 1);
        }
    }
}

/// A running mock of a Zion project: GraphQL API, tables, control API and journal.
///
/// ```
/// # tokio_test::block_on(async {
/// use mock_zion::{MockZion, ProjectConfig};
///
/// // Arrange
/// let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
///
/// // Act
/// let answer: serde_json::Value = reqwest::Client::new()
///     .post(zion.graphql_url())
///     .bearer_auth("zion-test-token")
///     .json(&serde_json::json!({"query": "{ account_by_pk(id: 1) { id can_use_ai } }"}))
///     .send().await.unwrap()
///     .json().await.unwrap();
///
/// // Assert
/// assert_eq!(answer["data"]["account_by_pk"]["can_use_ai"], false);
/// assert_eq!(zion.journal(|j| j.entries().len()), 1);
/// # })
/// ```
#[derive(Debug)]
pub struct MockZion {
    server: MockServer,
    shared: Arc<Shared>,
    graphql_path: String,
    sockets: crate::subscriptions::SocketEndpoint,
    subscription_path: String,
}

/// Options for starting a [`MockZion`].
#[derive(Debug, Clone)]
#[must_use]
pub struct MockZionBuilder {
    config: ProjectConfig,
    addr: SocketAddr,
    socket_port: u16,
}

impl MockZionBuilder {
    /// The project config to serve (default: the seeds' shapes).
    pub fn config(mut self, config: ProjectConfig) -> Self {
        self.config = config;
        self
    }

    /// The port to listen on (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// The port of the subscription WebSocket endpoint (default 0: a free one).
    pub fn socket_port(mut self, port: u16) -> Self {
        self.socket_port = port;
        self
    }

    /// The address to listen on (default 127.0.0.1: nothing leaves the machine).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Binds the port and starts serving.
    ///
    /// # Errors
    /// [`StartError`]: a busy port, or a config that makes no valid schema or seed.
    pub async fn start(self) -> Result<MockZion, StartError> {
        let schema = graphql::schema::build(&self.config).map_err(StartError::Schema)?;
        let graphql_path = self.config.graphql_path();
        let subscription_path = self.config.subscription_path();
        let state = State::new(Arc::new(self.config))?;
        let listener = TcpListener::bind(self.addr).map_err(|source| StartError::Bind {
            addr: self.addr,
            source,
        })?;
        let server = MockServer::builder().listener(listener).start().await;
        let mut state = state;
        state.base_url = server.uri();
        let (courier, inbox) = tokio::sync::mpsc::unbounded_channel();
        state.courier = courier;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            endpoint: Endpoint::new(schema),
            changed: tokio::sync::watch::channel(0).0,
        });
        tokio::spawn(crate::alipay::notify_delivery::run(
            inbox,
            Arc::downgrade(&shared),
        ));
        // The subscription socket's own port, on the same address (wiremock cannot upgrade).
        let socket_addr = SocketAddr::new(self.addr.ip(), self.socket_port);
        let socket_listener =
            TcpListener::bind(socket_addr).map_err(|source| StartError::Bind {
                addr: socket_addr,
                source,
            })?;
        let sockets = crate::subscriptions::start(
            socket_listener,
            shared.clone(),
            subscription_path.clone(),
            graphql_path.clone(),
        )
        .map_err(|source| StartError::Bind {
            addr: socket_addr,
            source,
        })?;
        let zion = MockZion {
            server,
            shared,
            graphql_path,
            sockets,
            subscription_path,
        };
        zion.mount_endpoints().await;
        Ok(zion)
    }
}

impl MockZion {
    /// A builder for a chosen config, port or address.
    pub fn builder() -> MockZionBuilder {
        MockZionBuilder {
            config: ProjectConfig::default(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            socket_port: 0,
        }
    }

    /// Starts an instance serving `config` on a free loopback port.
    ///
    /// # Errors
    /// As [`MockZionBuilder::start`].
    pub async fn start(config: ProjectConfig) -> Result<Self, StartError> {
        Self::builder().config(config).start().await
    }

    async fn mount_endpoints(&self) {
        let shared = &self.shared;
        Mock::given(method("OPTIONS"))
            .respond_with(Preflight(shared.clone()))
            .with_priority(2)
            .mount(&self.server)
            .await;
        Mock::given(path(self.graphql_path.as_str()))
            .respond_with(GraphqlEndpoint(shared.clone()))
            .with_priority(10)
            .mount(&self.server)
            .await;
        Mock::given(path_regex(r"^/gateway\.do(/cashier)?$"))
            .respond_with(crate::alipay::gateway::Gateway(shared.clone()))
            .with_priority(10)
            .mount(&self.server)
            .await;
        Mock::given(path_regex("^/__mock(/.*)?$"))
            .respond_with(control::Control(shared.clone()))
            .with_priority(10)
            .mount(&self.server)
            .await;
        Mock::given(path_regex(".*"))
            .respond_with(Fallback {
                shared: shared.clone(),
                graphql_path: self.graphql_path.clone(),
            })
            .with_priority(255)
            .mount(&self.server)
            .await;
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The address the instance listens on.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// The GraphQL endpoint's full URL.
    pub fn graphql_url(&self) -> String {
        format!("{}{}", self.uri(), self.graphql_path)
    }

    /// The subscription endpoint's WebSocket URL
    /// (`ws://127.0.0.1:PORT/zero/<project>/api/graphql-subscription`, its own port).
    pub fn subscription_url(&self) -> String {
        format!("ws://{}{}", self.sockets.addr, self.subscription_path)
    }

    /// The control API's base URL (`…/__mock`).
    pub fn admin_url(&self) -> String {
        format!("{}/__mock", self.uri())
    }

    /// The underlying wiremock server, to mount mocks of your own.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// Answers every call of the root field `field` with `response` instead of executing
    /// it, for as long as the returned guard lives. The calls are journaled (kind
    /// `override`).
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use mock_zion::{MockZion, ProjectConfig};
    /// use wiremock::ResponseTemplate;
    ///
    /// let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
    /// let _guard = zion
    ///     .override_field(
    ///         "alipayTrade",
    ///         ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {"alipayTrade": ["<form></form>", null]}})),
    ///     )
    ///     .await;
    /// let query = r#"mutation { alipayTrade(bizContent: {out_trade_no: "1", total_amount: 0.01}, returnUrl: "http://127.0.0.1") }"#;
    /// let answer: serde_json::Value = reqwest::Client::new()
    ///     .post(zion.graphql_url())
    ///     .json(&serde_json::json!({ "query": query }))
    ///     .send().await.unwrap().json().await.unwrap();
    /// assert_eq!(answer["data"]["alipayTrade"][0], "<form></form>");
    /// # })
    /// ```
    pub async fn override_field(&self, field: &str, response: ResponseTemplate) -> OverrideGuard {
        // Not `register_as_scoped`: wiremock 0.6.5 sorts its mocks by priority in place but
        // deactivates a scoped mock by its registration index, so dropping the guard of a
        // priority-1 mock switched off another mock. A flag of our own avoids that.
        let active = Arc::new(AtomicBool::new(true));
        let mock = Mock::given(method("POST"))
            .and(path(self.graphql_path.as_str()))
            .and(root_field(field))
            .and(Active(active.clone()))
            .respond_with(Override {
                shared: self.shared.clone(),
                response,
            })
            .with_priority(1);
        self.server.register(mock).await;
        OverrideGuard(active)
    }

    /// Forgets every row, token, fault and journal entry, and seeds the config's accounts
    /// again. Mounted overrides stay.
    pub fn reset(&self) {
        self.shared.lock().reset();
    }

    /// Adds an account that `token` authenticates as.
    ///
    /// # Errors
    /// The values do not fit the account table, or the id is taken.
    pub fn add_account(
        &self,
        id: i64,
        token: &str,
        values: Map<String, Value>,
    ) -> Result<(), TableError> {
        self.shared.lock().add_account(id, token, values)
    }

    /// Makes `token` expired: requests carrying it are refused as `UNAUTHENTICATED`.
    pub fn expire_token(&self, token: &str) {
        self.shared.lock().tokens.expire(token);
    }

    /// Expires every token of `account`, the JWTs its log-ins were issued included: the app
    /// then holds an expired login. Returns how many tokens that was.
    pub fn expire_logins(&self, account: i64) -> usize {
        self.shared.lock().tokens.expire_account(account)
    }

    /// Lets `account` log in with `authenticateWithUsername(username, password)`.
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// let zion = mock_zion::MockZion::start(mock_zion::ProjectConfig::default()).await.unwrap();
    /// zion.set_password_login(1, "alice", "s3cret");
    /// let query = r#"mutation { authenticateWithUsername(username: "alice", password: "s3cret", register: false) { account { id } jwt { token } } }"#;
    /// let answer: serde_json::Value = reqwest::Client::new().post(zion.graphql_url())
    ///     .json(&serde_json::json!({"query": query})).send().await.unwrap().json().await.unwrap();
    /// assert_eq!(answer["data"]["authenticateWithUsername"]["account"]["id"], 1);
    /// assert_eq!(zion.expire_logins(1), 2, "the configured token and the new JWT");
    /// # })
    /// ```
    pub fn set_password_login(&self, account: i64, username: &str, password: &str) {
        self.shared
            .lock()
            .logins
            .set_password_login(account, username, password);
    }

    /// Inserts a row into `table` (a missing `id` is assigned) and returns its id.
    ///
    /// # Errors
    /// Unknown table or column, a value of the wrong type, or an id already taken.
    pub fn insert_row(&self, table: &str, row: Row) -> Result<i64, TableError> {
        self.shared.lock().tables.insert(table, row)
    }

    /// A copy of a row, whoever owns it.
    pub fn row(&self, table: &str, id: i64) -> Option<Row> {
        self.shared.lock().tables.get(table, id)
    }

    /// Copies of every row of `table`, in id order (empty for an unknown table).
    pub fn rows(&self, table: &str) -> Vec<Row> {
        let state = self.shared.lock();
        state.tables.rows(table).unwrap_or_default()
    }

    /// The project config this instance serves.
    pub fn config(&self) -> Arc<ProjectConfig> {
        self.shared.lock().config.clone()
    }

    /// Plans what the next call of the actionflow `flow_id` does (sync or async), instead of
    /// its configured behaviour; plans for one id are used in order, once each.
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use mock_zion::actionflows::once::{Once, Outcome};
    /// use mock_zion::{MockZion, ProjectConfig};
    ///
    /// let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
    /// let flow = "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d";
    /// zion.plan_actionflow(flow, Once { outcome: Some(Outcome::Error("sold out".into())), duration_ms: None });
    /// let query = format!(r#"mutation {{ fz_invoke_action_flow(actionFlowId: "{flow}", args: {{amount: 1}}) }}"#);
    /// let answer: serde_json::Value = reqwest::Client::new()
    ///     .post(zion.graphql_url()).bearer_auth("zion-test-token")
    ///     .json(&serde_json::json!({"query": query}))
    ///     .send().await.unwrap().json().await.unwrap();
    /// assert_eq!(answer["errors"][0]["message"], format!("actionflow \"{flow}\": sold out"));
    /// # })
    /// ```
    pub fn plan_actionflow(&self, flow_id: &str, once: crate::actionflows::once::Once) {
        self.shared.lock().planned_actionflows.plan(flow_id, once);
    }

    /// Queues a fault for the next calls of a root field.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.inject(fault);
    }

    /// Chooses how the next visits to the Alipay gateway end (`None`: a cashier page with
    /// Pay / Cancel buttons).
    pub fn set_alipay_outcome(&self, outcome: Option<Outcome>) {
        self.shared.lock().alipay.outcome = outcome;
    }

    /// How long after a payment its notification lands (`None`: never).
    pub fn set_notify_delay(&self, delay: Option<Duration>) {
        self.shared.lock().notifications.delay = delay;
    }

    /// Delivers the notification of a paid trade again, as Alipay's retries do. Returns
    /// whether the order changed (it must not, for a duplicate).
    pub fn redeliver_notification(&self, out_trade_no: &str) -> bool {
        notify::deliver(&mut self.shared.lock(), out_trade_no)
    }

    /// A copy of the Alipay trade for an `out_trade_no`.
    pub fn alipay_trade(&self, out_trade_no: &str) -> Option<Trade> {
        self.shared.lock().alipay.trades.get(out_trade_no).cloned()
    }

    /// A `wx.login` code for the account with `openid` (or the first account), which
    /// `loginWithWechatMiniApp` redeems once within five minutes.
    ///
    /// # Errors
    /// No such account.
    pub fn wechat_login_code(&self, openid: Option<&str>) -> Result<String, String> {
        self.shared.lock().logins.issue_wechat_code(openid)
    }

    /// The last verification code sent to `email`.
    pub fn verification_code(&self, email: &str) -> Option<String> {
        let state = self.shared.lock();
        state
            .logins
            .codes()
            .iter()
            .rev()
            .find(|c| c.to == email)
            .map(|c| c.code.clone())
    }

    /// How WeChat payment sheets end in this scenario.
    pub fn wechat_outcome(&self) -> SheetOutcome {
        self.shared.lock().wechat.outcome.clone()
    }

    /// Chooses how the next WeChat payment sheets end.
    pub fn set_wechat_outcome(&self, outcome: SheetOutcome) {
        self.shared.lock().wechat.outcome = outcome;
    }

    /// Makes `createWechatPayment` answer `status: "FAIL"` with `message` (or succeed again,
    /// with `None`).
    pub fn set_wechat_sign_failure(&self, message: Option<String>) {
        self.shared.lock().wechat.sign_failure = message;
    }

    /// What `wx.requestPayment` answers for these parameters (see
    /// [`request_payment`](crate::wechat::payment_sheet::request_payment)).
    pub fn wechat_request_payment(&self, params: &serde_json::Value) -> serde_json::Value {
        crate::wechat::payment_sheet::request_payment(&mut self.shared.lock(), params)
    }

    /// Reads the journal.
    pub fn journal<R>(&self, read: impl FnOnce(&Journal) -> R) -> R {
        read(&self.shared.lock().journal)
    }

    /// The instance's clock (the scenario's time, when a harness keeps virtual time).
    ///
    /// ```
    /// # tokio_test::block_on(async {
    /// use std::time::Duration;
    /// use mock_zion::{MockZion, ProjectConfig};
    ///
    /// let zion = MockZion::start(ProjectConfig::default()).await.unwrap();
    /// let ask = || async {
    ///     reqwest::Client::new()
    ///         .post(zion.graphql_url())
    ///         .bearer_auth("zion-test-token")
    ///         .json(&serde_json::json!({"query": "{ account_by_pk(id: 1) { id } }"}))
    ///         .send().await.unwrap();
    /// };
    ///
    /// ask().await;
    /// zion.advance(Duration::from_secs(60));
    /// ask().await;
    ///
    /// // The journal writes down the instance's time: a minute passed between the two.
    /// let gap = zion.journal(|j| j.entries()[1].elapsed_ms - j.entries()[0].elapsed_ms);
    /// assert!(gap >= 60_000, "{gap}");
    /// assert_eq!(zion.clock().lead(), Duration::from_secs(60));
    /// # })
    /// ```
    pub fn clock(&self) -> Arc<crate::Clock> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clock
            .clone()
    }

    /// Skips the instance's clock ahead by `by`: a notification due meanwhile lands, an
    /// async task due meanwhile ends, and subscriptions hear of it.
    pub fn advance(&self, by: Duration) {
        self.shared.advance(by);
    }

    /// How long until something happens by itself (a notification lands, an async task
    /// moves on), on the instance's clock; `None` when nothing is scheduled.
    pub fn next_due_in(&self) -> Option<Duration> {
        self.shared.lock().next_due_in()
    }

    /// The URL of the clock in the control API (`GET` reads it, `POST {"advance_ms"}` skips).
    pub fn clock_url(&self) -> String {
        format!("{}/__mock/clock", self.uri())
    }
}

/// Keeps an override of [`MockZion::override_field`] in force; dropping it removes the
/// override.
#[derive(Debug)]
#[must_use = "the override is removed when the guard is dropped"]
pub struct OverrideGuard(Arc<AtomicBool>);

impl Drop for OverrideGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

struct Active(Arc<AtomicBool>);

impl Match for Active {
    fn matches(&self, _: &Request) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Records one answered request in the journal.
pub(crate) fn record(
    shared: &Shared,
    request: &Request,
    kind: EntryKind,
    status: u16,
    response: Value,
) {
    shared.lock().journal.record(
        http::received(request, kind),
        None,
        Value::Null,
        status,
        response,
    );
}

struct GraphqlEndpoint(Arc<Shared>);

impl Respond for GraphqlEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock();
        let answer = self.0.endpoint.answer(
            &mut state,
            HttpRequest {
                method: request.method.as_str(),
                content_type: http::header(request, "content-type"),
                authorization: http::header(request, "authorization"),
                body: &request.body,
            },
        );
        state.journal.record(
            http::received(request, EntryKind::Graphql),
            answer.operation,
            answer.variables,
            answer.status,
            answer.body.clone(),
        );
        drop(state);
        // wiremock applies the delay after this function returns, outside its lock.
        http::json(request, answer.status, &answer.body).set_delay(answer.delay)
    }
}

struct Override {
    shared: Arc<Shared>,
    response: ResponseTemplate,
}

impl Respond for Override {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let operation = self.shared.endpoint.summarize(&body);
        let variables = body.get("variables").cloned().unwrap_or(Value::Null);
        let mut state = self.shared.lock();
        state.journal.record(
            http::received(request, EntryKind::Override),
            operation,
            variables,
            200,
            json!("(answered by an override mock)"),
        );
        http::cors(request, self.response.clone())
    }
}

struct Preflight(Arc<Shared>);

impl Respond for Preflight {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        record(&self.0, request, EntryKind::Preflight, 204, Value::Null);
        http::preflight(request)
    }
}

struct Fallback {
    shared: Arc<Shared>,
    graphql_path: String,
}

impl Respond for Fallback {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = json!({"errors": [{
            "message": format!(
                "mock-zion serves no {} {}: the GraphQL endpoint is POST {}, the control API is under /__mock/",
                request.method, request.url.path(), self.graphql_path
            ),
            "extensions": {"code": "NOT_FOUND"},
        }]});
        record(
            &self.shared,
            request,
            EntryKind::Unmatched,
            404,
            body.clone(),
        );
        http::json(request, 404, &body)
    }
}
