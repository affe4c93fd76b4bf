//! The cucumber World and the step library.
//!
//! Every step reads in English and in Chinese: two attributes on one function, so both
//! phrasings run the same code (`features/zh-CN/` holds the Chinese features).
//!
//! One World per scenario: its own mock-zion instance (own port, tables, journal), its own
//! app host (own origin) and a browser session from the pool, so scenarios run
//! concurrently without sharing state. Steps are thin: each calls the harness or mock-zion
//! in a few lines; what they check lives in [`crate::web::checks`].

mod actionflows;
mod alipay;
mod data;
mod generic;
pub mod phrases;
mod shop;
mod wechat;

use std::sync::Arc;

use mock_zion::config::ActionflowBehaviour;
use mock_zion::{MockZion, ProjectConfig};
use serde_json::json;

use crate::browser::page::Page;
use crate::mini_program::host::{MpConfig, MpHost};
use crate::report;
use crate::runner::{harness, Harness};
use crate::web::checks::Flow;
use crate::web::host::AppHost;
use crate::web::WebAppProfile;

/// The state of one scenario.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct ShopWorld {
    /// This scenario's mock Zion project.
    pub zion: MockZion,
    /// The web app under test, on this scenario's own origin (none when the run has none: a
    /// Mini Program team's).
    pub app: Option<AppHost>,
    /// The Mini Program under test, once a step opened it.
    pub mp: Option<MpHost>,
    /// wx methods to mock from the Mini Program's launch on (steps before it opens).
    pub wx_mocks: serde_json::Map<String, serde_json::Value>,
    /// What the shopper will answer WeChat, chosen before the Mini Program opened.
    pub wx_user: Vec<(String, serde_json::Value)>,
    /// The shopper's browser page.
    pub page: Option<Page>,
    /// Selectors and texts of the app.
    pub profile: WebAppProfile,
    /// The CDP identifiers of the scripts added to the page for this scenario (the page
    /// clock, the rerouting of the app's real Zion calls here).
    scripts: Vec<String>,
    /// "Feature — Scenario", for report folders.
    pub scenario: String,
    /// Journal lengths after the step before the last passing one, and after the last one:
    /// a failure's diagnosis lists the GraphQL errors from the last passing step on.
    marks: [std::sync::atomic::AtomicU64; 2],
    harness: Arc<Harness>,
}

impl ShopWorld {
    async fn new() -> anyhow::Result<Self> {
        let harness = harness().map_err(anyhow::Error::msg)?;
        let zion = MockZion::start(harness.options.mock.clone()).await?;
        let config = zion.config();
        let app_config = json!({
            "graphqlUrl": zion.graphql_url(),
            "subscriptionUrl": zion.subscription_url(),
            "createOrderFlowId": config.actionflow_for(ActionflowBehaviour::CreateOrder),
            "queryOrderStatusFlowId": query_status_flow(&config),
            "paidStatus": config.order_table.paid_status,
        });
        let app = match harness.web_app {
            Ok(()) => Some(AppHost::start(&harness.options.web_app, &app_config).await?),
            Err(_) => None,
        };
        let session = harness.browser.session().await?;
        // What the previous scenario on this session tried to reach is not this one's.
        if let Some(sinkhole) = &session.sinkhole {
            sinkhole.take_hosts();
        }
        let mut page = Page::new(session);
        if let Some(app) = &app {
            page.forget_origin(&app.origin()).await;
        }
        let mut scripts = Vec::new();
        if !harness.options.real_time {
            let clock = page.keep_time(zion.clock(), &zion.clock_url()).await;
            scripts.push(clock.map_err(anyhow::Error::msg)?);
        }
        let reroute = page
            .reroute_zion_to(
                &zion.graphql_url(),
                &zion.subscription_url(),
                &harness.options.zion_hosts,
            )
            .await
            .map_err(anyhow::Error::msg)?;
        scripts.push(reroute);
        Ok(ShopWorld {
            zion,
            app,
            mp: None,
            wx_mocks: Default::default(),
            wx_user: Vec::new(),
            page: Some(page),
            scripts,
            profile: harness.options.profile.clone(),
            scenario: String::new(),
            marks: Default::default(),
            harness,
        })
    }

    /// The shopper's page.
    pub fn page(&self) -> &Page {
        self.page
            .as_ref()
            .expect("the page lives as long as the scenario")
    }

    /// The default account's Bearer token.
    pub fn token(&self) -> String {
        self.zion
            .config()
            .accounts
            .first()
            .map(|a| a.token.clone())
            .unwrap_or_default()
    }

    /// The default account's id.
    pub fn account_id(&self) -> i64 {
        self.zion.config().accounts.first().map_or(1, |a| a.id)
    }

    /// Opens the Mini Program on its own origin, as a shopper who is logged in (the token
    /// and user id in storage, as the app keeps them) or not.
    ///
    /// # Errors
    /// No Mini Program, or it did not start.
    pub async fn open_mini_program(&mut self, logged_in: bool) -> Result<(), String> {
        let program = self.harness.mini_program.clone()?;
        let config = self.zion.config();
        let mut storage = serde_json::Map::new();
        if logged_in {
            let (token_key, user_id_key) = &self.harness.options.mp_storage_keys;
            storage.insert(token_key.clone(), json!(self.token()));
            storage.insert(user_id_key.clone(), json!(self.account_id()));
        }
        let mp_config = MpConfig {
            control_url: self.zion.admin_url(),
            graphql_url: self.zion.graphql_url(),
            app_id: config.wechat.app_id.clone(),
            zion_hosts: self.harness.options.zion_hosts.clone(),
            storage,
            mocks: self.wx_mocks.clone(),
            user: self.wx_user.clone(),
        };
        let host = MpHost::start(program, &mp_config)
            .await
            .map_err(|e| format!("could not serve the Mini Program: {e}"))?;
        let origin = host.origin();
        self.mp = Some(host);
        crate::mini_program::shopper::open(self.page(), &origin, std::time::Duration::from_secs(10))
            .await
            .map(drop)
    }

    /// Makes `wx.<api>` answer `answer`: at once when the Mini Program is open, else from its
    /// launch on.
    ///
    /// # Errors
    /// mp-sim lacks the method.
    pub async fn mock_wx(
        &mut self,
        api: &str,
        answer: Result<serde_json::Value, String>,
    ) -> Result<(), String> {
        let spec = crate::mini_program::shopper::mock_spec(answer);
        match self.mp {
            Some(_) => crate::mini_program::shopper::mock_wx(self.page(), api, spec).await,
            None => {
                self.wx_mocks.insert(api.to_string(), spec);
                Ok(())
            }
        }
    }

    /// Decides what the shopper answers when WeChat asks (mp-sim's `__mpSim.user[method]`):
    /// at once in an open Mini Program, else from its launch on.
    ///
    /// # Errors
    /// mp-sim refused the answer (an unknown permission name, with the known ones).
    pub async fn shopper_will(
        &mut self,
        method: &str,
        arg: serde_json::Value,
    ) -> Result<(), String> {
        match self.mp {
            Some(_) => crate::mini_program::shopper::user_answer(self.page(), method, arg).await,
            None => {
                crate::mini_program::shopper::check_user_answer(method, &arg)?;
                self.wx_user.push((method.to_string(), arg));
                Ok(())
            }
        }
    }

    /// What mp-sim recorded so far (empty when no Mini Program is open).
    pub async fn sim(&self) -> crate::mini_program::shopper::SimState {
        match self.mp {
            Some(_) => crate::mini_program::shopper::state(self.page())
                .await
                .unwrap_or_default(),
            None => Default::default(),
        }
    }

    /// The web app of this scenario.
    ///
    /// # Errors
    /// The run has no web app (why, and how to name one).
    pub fn app(&self) -> Result<&AppHost, String> {
        match (&self.app, &self.harness.web_app) {
            (Some(app), _) => Ok(app),
            (None, Err(why)) => Err(format!("this step needs the web app, and {why}")),
            (None, Ok(())) => Err("this step needs the web app, and it was not served".into()),
        }
    }

    /// The page a logged-in shopper starts on: `[web_app] start` on the app's URL.
    ///
    /// # Errors
    /// The run has no web app.
    pub fn start_url(&self) -> Result<String, String> {
        Ok(join(&self.app()?.home(), &self.profile.start))
    }

    /// The app's home page: `[web_app] home` on the app's URL.
    ///
    /// # Errors
    /// The run has no web app.
    pub fn home_url(&self) -> Result<String, String> {
        Ok(join(&self.app()?.home(), &self.profile.home))
    }

    /// The orders of this scenario: each row of the order table, as (id, amount in fen).
    pub fn orders(&self) -> Vec<(String, i64)> {
        let binding = self.zion.config().order_table.clone();
        self.zion
            .rows(&binding.name)
            .iter()
            .map(|row| {
                let id = match row.get("id") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                let fen = row
                    .get(&binding.amount_column)
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or_default();
                (id, fen)
            })
            .collect()
    }

    /// Reads the payment flow out of the journal and passes it to `check`.
    pub fn check_flow(
        &self,
        check: impl FnOnce(&Flow<'_>, &mock_zion::Journal) -> Result<(), String>,
    ) -> Result<(), String> {
        let config = self.zion.config();
        self.zion.journal(|journal| {
            let flow = Flow::read(
                journal,
                query_status_flow(&config),
                &config.order_table.name,
            );
            check(&flow, journal)
        })
    }

    /// Polls the journal until `ready` holds for the payment flow or `limit` passes; a check
    /// that follows then sees everything the app did by that point.
    pub async fn wait_for_flow(
        &self,
        limit: std::time::Duration,
        ready: impl Fn(&Flow<'_>) -> bool,
    ) {
        let config = self.zion.config();
        let (flow, table) = (query_status_flow(&config), &config.order_table.name);
        self.wait_for_journal(limit, |journal| ready(&Flow::read(journal, flow, table)))
            .await;
    }

    /// Polls the journal until `ready` holds or `limit` passes.
    pub async fn wait_for_journal(
        &self,
        limit: std::time::Duration,
        ready: impl Fn(&mock_zion::Journal) -> bool,
    ) {
        let page = self.page();
        let deadline = page.deadline(limit);
        while !self.zion.journal(&ready) && !deadline.passed() {
            page.pass_time(&deadline).await;
        }
    }

    /// Turns a failed step into its failure message: the causes the diagnosis pass finds
    /// (one per line), then the symptom, then where the screenshot, page and journal were
    /// saved.
    pub async fn explain(&self, result: Result<(), String>) -> Result<(), String> {
        self.explain_as(result, false).await
    }

    /// As [`ShopWorld::explain`], for a step whose failure is itself a verdict on what the
    /// app did (a rule of the seeds it broke): the verdict comes first, the other causes after.
    pub async fn judge(&self, result: Result<(), String>) -> Result<(), String> {
        self.explain_as(result, true).await
    }

    async fn explain_as(&self, result: Result<(), String>, verdict: bool) -> Result<(), String> {
        use std::sync::atomic::Ordering::Relaxed;
        let Err(message) = result else {
            let now = self.zion.journal(|j| j.entries().len() as u64);
            self.marks[0].store(self.marks[1].load(Relaxed), Relaxed);
            self.marks[1].store(now, Relaxed);
            return Ok(());
        };
        // A session that is gone answers nothing more: say so, and read no page.
        if let Some(lost) = crate::report::diagnose::session_lost(&message) {
            return Err(format!("{lost}\n{message}"));
        }
        let causes = self.diagnose(self.marks[0].load(Relaxed)).await;
        let causes: Vec<String> = causes
            .into_iter()
            .filter(|cause| !message.contains(cause.as_str()))
            .map(|cause| crate::report::diagnose::short_urls_in(&cause))
            .collect();
        let dir = self
            .harness
            .options
            .report_dir
            .join(report::slug(&self.scenario));
        let pointer = report::capture(&dir, self.page.as_ref(), &self.zion).await;
        // What the Mini Program showed and answered, whichever check failed.
        let sim = match self.mp.is_some() {
            true => format!(
                "\n{}",
                crate::report::diagnose::short_urls_in(&self.sim().await.describe())
            ),
            false => String::new(),
        };
        let message = crate::report::diagnose::short_urls_in(&message);
        let mut lines = Vec::new();
        if verdict {
            lines.push(message);
            lines.extend(causes);
        } else {
            lines.extend(causes);
            lines.push(message);
        }
        Err(format!("{}{sim}\n{pointer}", lines.join("\n")))
    }

    /// Gathers the evidence of a failure and returns its causes.
    async fn diagnose(&self, since_seq: u64) -> Vec<String> {
        use crate::report::diagnose::{Evidence, OrderSeen};
        let config = self.zion.config();
        let binding = &config.order_table;
        let order = self.zion.rows(&binding.name).pop().map(|row| {
            let status = row
                .get(&binding.status_column)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string();
            OrderSeen {
                id: row
                    .get("id")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or_default(),
                paid: status == binding.paid_status,
                status,
            }
        });
        let mut evidence = Evidence {
            since_seq,
            order,
            app_origin: self.app.as_ref().map(AppHost::origin).unwrap_or_default(),
            ..Evidence::default()
        };
        if let Some(page) = &self.page {
            evidence.blocked_hosts = page.blocked_hosts();
            evidence.url = page.url().await;
            evidence.page_errors = page.page_errors().await;
            let (frames, forms) = page.frames_and_forms().await;
            evidence.frames = frames;
            evidence.forms = forms;
        }
        let paid = &self.profile.paid_text;
        if self.mp.is_some() {
            let sim = self.sim().await;
            let toasts: Vec<String> = sim.toasts().into_iter().map(String::from).collect();
            evidence.shown = crate::report::diagnose::shown(&toasts, paid);
            evidence.unexpected_sheet_answer = crate::mini_program::checks::unexpected_sheet_answer(
                &sim,
                &self.zion.wechat_outcome(),
            );
            // The web app's origin says nothing about a Mini Program.
            evidence.app_origin = String::new();
        } else if let Some(page) = &self.page {
            evidence.shown = crate::report::diagnose::shown(&[page.text().await], paid);
        }
        let config = self.zion.config();
        evidence.status_answers = self.zion.journal(|journal| {
            Flow::read(
                journal,
                query_status_flow(&config),
                &config.order_table.name,
            )
            .status_answers()
        });
        self.zion.journal(|journal| {
            crate::report::diagnose::causes(&Evidence {
                journal: Some(journal),
                ..evidence
            })
        })
    }

    /// Gives the browser session back to the pool.
    pub async fn release(&mut self) {
        if let Some(page) = self.page.take() {
            for script in &self.scripts {
                page.remove_script(script).await;
            }
            self.harness.browser.release(page.into_session()).await;
        }
    }
}

/// The actionflow id an app calls to ask for an order's status.
fn query_status_flow(config: &ProjectConfig) -> &str {
    config
        .actionflow_for(ActionflowBehaviour::QueryOrderStatus)
        .unwrap_or(mock_zion::config::DEFAULT_QUERY_STATUS_FLOW)
}

/// `path` resolved against `base` (`base` itself for an empty path).
fn join(base: &str, path: &str) -> String {
    match path.is_empty() {
        true => base.to_string(),
        false => url::Url::parse(base)
            .and_then(|b| b.join(path))
            .map(|u| u.to_string())
            .unwrap_or_else(|_| base.to_string()),
    }
}
