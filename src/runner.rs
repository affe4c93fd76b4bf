//! Runs the feature suite: cucumber over `features/`, one World per scenario, a shared
//! browser pool, a console report and JUnit XML.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::{writer, World as _, WriterExt as _};

use crate::browser::{Browser, BrowserError, BrowserOptions};
use crate::cleanup;
use crate::cli::config::E2eConfig;
use crate::cli::feature_files::FeatureFiles;
use crate::mini_program::{MiniProgram, MiniProgramError};
use crate::phrases::Phrases;
use crate::report::progress::Progress;
use crate::steps::ShopWorld;
use crate::web::{WebAppProfile, WebAppSource};
use cucumber::gherkin;
use mock_zion::ProjectConfig;

/// What to run, and how.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// `.feature` files or folders of them.
    pub features: Vec<PathBuf>,
    /// The web app under test: a folder with `index.html`, or a dev server's URL.
    pub web_app: WebAppSource,
    /// The Mini Program under test: a folder with `app.json`.
    pub mini_program: PathBuf,
    /// Where JUnit XML and failure artifacts go.
    pub report_dir: PathBuf,
    /// Scenarios run at once (each with its own browser session and mock).
    pub concurrency: usize,
    /// Keep the wall clock instead of each scenario's virtual clock (see
    /// [`browser::time`](crate::browser::time)).
    pub real_time: bool,
    /// Start no scenario after the first one fails (those already running finish): a quick
    /// "is it broken?" run, and how the mutants test tells a known bug is caught.
    pub fail_fast: bool,
    /// Only scenarios whose name matches.
    pub name: Option<regex::Regex>,
    /// Only scenarios whose tags (with their feature's and rule's) satisfy this expression,
    /// e.g. `@alipay and not @slow`.
    pub tags: Option<TagOperation>,
    /// The browser to use.
    pub browser: BrowserOptions,
    /// Selectors and texts of the web app.
    pub profile: WebAppProfile,
    /// Storage keys of a logged-in Mini Program shopper: the token's and the account id's.
    pub mp_storage_keys: (String, String),
    /// What the team calls its pages and elements.
    pub names: crate::ui::names::AppNames,
    /// Hosts of the app's real Zion project (empty: any host with Zion's GraphQL path).
    pub zion_hosts: Vec<String>,
    /// The mock Zion project every scenario gets a fresh instance of.
    pub mock: ProjectConfig,
}

impl RunOptions {
    /// The bundled features against the bundled reference app, from the repository root.
    pub fn bundled(root: &Path) -> Self {
        RunOptions {
            features: vec![root.join("features")],
            web_app: WebAppSource::Dir(root.join("fixtures/web-shop")),
            mini_program: root.join("fixtures/miniprogram-shop"),
            report_dir: root.join("reports"),
            concurrency: default_concurrency(),
            real_time: false,
            fail_fast: false,
            name: None,
            tags: None,
            browser: BrowserOptions::default(),
            profile: WebAppProfile::default(),
            mp_storage_keys: crate::mini_program::reference_storage_keys(),
            names: Default::default(),
            zion_hosts: Vec::new(),
            mock: ProjectConfig::default(),
        }
    }

    /// What a `zion-e2e.toml` says, with the built-in defaults (relative to `root`, the
    /// config file's folder) for what it leaves out.
    pub fn from_config(config: &E2eConfig, root: &Path) -> Self {
        let defaults = RunOptions::bundled(root);
        RunOptions {
            features: config.features.clone().unwrap_or(defaults.features),
            web_app: config.web_app.clone().unwrap_or(defaults.web_app),
            mini_program: config.mini_program.clone().unwrap_or(defaults.mini_program),
            report_dir: config.report.clone().unwrap_or(defaults.report_dir),
            concurrency: config.concurrency.unwrap_or(defaults.concurrency),
            real_time: config.real_time.unwrap_or(defaults.real_time),
            browser: BrowserOptions {
                webdriver_url: config.webdriver_url.clone(),
                ..defaults.browser
            },
            profile: config.profile.clone(),
            mp_storage_keys: config.mp_storage_keys.clone(),
            names: config.names.clone(),
            zion_hosts: config.zion_hosts.clone(),
            mock: config.mock.clone(),
            ..defaults
        }
    }
}

/// Scenarios at once when nothing says otherwise: one per CPU core (each scenario's browser
/// keeps a core busy; measured on two cores, two at once beat four).
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The feature files are missing, malformed, or use unknown steps.
    #[error(transparent)]
    Features(#[from] crate::cli::preflight::FeatureError),
    /// A `.steps` file is malformed or inconsistent.
    #[error("the .steps files have problems:\n{0}")]
    Phrases(#[from] crate::phrases::PhraseError),
    /// The web app folder is not a web app.
    #[error("the web app folder {0} has no index.html: pass the app's static folder (or its dev server's URL) with --web-app, or set [web_app] in zion-e2e.toml")]
    NoWebApp(PathBuf),
    /// The Mini Program folder is broken.
    #[error(transparent)]
    MiniProgram(#[from] MiniProgramError),
    /// The report folder cannot be written.
    #[error("cannot write the report folder {0}: {1}")]
    Report(PathBuf, std::io::Error),
    /// The browser could not start.
    #[error(transparent)]
    Browser(#[from] BrowserError),
    /// `--name` / `--tags` selected no scenario.
    #[error("no scenario matches the --name / --tags filter, so nothing was checked")]
    NothingSelected,
    /// A run already happened in this process.
    #[error("a run already happened in this process")]
    AlreadyRan,
}

/// What every scenario of a run shares.
#[derive(Debug)]
pub struct Harness {
    /// The browser pool.
    pub browser: Browser,
    /// The run's options.
    pub options: RunOptions,
    /// The Mini Program under test, read once; `Err` says why there is none (only the Mini
    /// Program's scenarios need it).
    pub mini_program: Result<Arc<MiniProgram>, String>,
    /// `Err` says why there is no web app (a Mini Program team's folder has none): only the
    /// scenarios that open the web app need it.
    pub web_app: Result<(), String>,
    /// The team's own phrases, from the `.steps` files beside the features.
    pub phrases: Arc<Phrases>,
}

static HARNESS: OnceLock<Arc<Harness>> = OnceLock::new();

/// The running harness, for the World's constructor.
///
/// # Errors
/// When no run is in progress (a World created outside [`run`]).
pub fn harness() -> Result<Arc<Harness>, String> {
    HARNESS
        .get()
        .cloned()
        .ok_or_else(|| "no zion-pay-e2e run is in progress".to_string())
}

/// `--name` and `--tags`: which scenarios a run runs.
#[derive(Debug, Clone)]
struct Filter {
    name: Option<regex::Regex>,
    tags: Option<TagOperation>,
}

impl Filter {
    fn selects(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
    ) -> bool {
        let inherited = feature.tags.iter().chain(rule.iter().flat_map(|r| &r.tags));
        let all_tags: Vec<&String> = inherited.chain(&scenario.tags).collect();
        self.name
            .as_ref()
            .is_none_or(|re| re.is_match(&scenario.name))
            && self.tags.as_ref().is_none_or(|op| op.eval(all_tags.iter()))
    }

    /// How many scenarios of the feature files it selects (for progress lines).
    fn count(&self, paths: &[PathBuf]) -> usize {
        use cucumber::Parser as _;
        use futures::StreamExt as _;
        let features = FeatureFiles.parse(paths.to_vec(), Default::default());
        // The parser's stream is ready at once: reading it blocks on nothing.
        let features = futures::executor::block_on(features.collect::<Vec<_>>());
        features
            .iter()
            .flatten()
            .map(|feature| {
                let plain = feature.scenarios.iter().map(|s| (None, s));
                let ruled = feature
                    .rules
                    .iter()
                    .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s)));
                plain
                    .chain(ruled)
                    .filter(|(rule, scenario)| self.selects(feature, *rule, scenario))
                    .count()
            })
            .sum()
    }
}

/// Runs the features; returns whether every scenario passed.
///
/// # Errors
/// [`RunError`] when the run cannot start; failing scenarios are not errors.
pub async fn run(options: RunOptions) -> Result<bool, RunError> {
    cleanup::exit_on_interrupt();
    cleanup::adopt_orphans();
    // The harness lives in a static, which is never dropped: whatever way this function is
    // left (an error, a panic in a step's library code), stop what it started.
    let _guard = cleanup::OnDrop;
    let phrases = Arc::new(Phrases::load(&options.features)?);
    crate::cli::preflight::check(&options.features, &phrases)?;
    // A folder that is not a web app is an error before anything starts; a missing one, as
    // for the Mini Program, only matters to the scenarios that open it.
    let web_app = match &options.web_app {
        WebAppSource::Dir(dir) if !dir.exists() => Err(format!(
            "there is no web app at {}: pass its static folder (or its dev server's URL) with --web-app, or set [web_app] dir in zion-e2e.toml",
            dir.display()
        )),
        WebAppSource::Dir(dir) if !dir.join("index.html").is_file() => {
            return Err(RunError::NoWebApp(dir.clone()))
        }
        _ => Ok(()),
    };
    // A broken Mini Program is an error before anything starts; a missing one only matters
    // to the scenarios that open it.
    let mini_program = match options.mini_program.exists() {
        true => Ok(Arc::new(MiniProgram::load(&options.mini_program)?)),
        false => Err(format!(
            "there is no Mini Program at {}: pass its folder (the one with app.json) with --mini-program",
            options.mini_program.display()
        )),
    };
    let filter = Filter {
        name: options.name.clone(),
        tags: options.tags.clone(),
    };
    // A filter that selects nothing would otherwise "pass" having checked nothing; known
    // before anything starts.
    let selected = filter.count(&options.features);
    if selected == 0 {
        return Err(RunError::NothingSelected);
    }
    let report_dir = options.report_dir.clone();
    std::fs::create_dir_all(&report_dir).map_err(|e| RunError::Report(report_dir.clone(), e))?;
    crate::report::remove_stale(&report_dir);
    let junit = std::fs::File::create(report_dir.join("junit.xml"))
        .map_err(|e| RunError::Report(report_dir.clone(), e))?;
    let cucumber_json = std::fs::File::create(report_dir.join("cucumber.json"))
        .map_err(|e| RunError::Report(report_dir.clone(), e))?;
    let mut browser_options = options.browser.clone();
    browser_options.log_dir = report_dir.clone();
    // The run's keys and schema are made while the browser starts, not in the first scenario.
    let mock = options.mock.clone();
    let warm = tokio::task::spawn_blocking(move || mock_zion::warm_up(&mock));
    let browser = Browser::launch(browser_options).await?;
    // The first scenarios' sessions too, side by side: Chromium's start is the largest cost
    // of a first scenario. A browser that cannot start is the run's one error, not a failure
    // of every scenario.
    let first = options.concurrency.max(1).min(selected);
    let sessions = futures::future::join_all((0..first).map(|_| browser.session())).await;
    let mut refused = None;
    for session in sessions {
        match session {
            Ok(session) => browser.release(session).await,
            Err(e) => refused = Some(e),
        }
    }
    if let Some(e) = refused {
        browser.shutdown().await;
        return Err(e.into());
    }
    let _ = warm.await;
    let harness = Arc::new(Harness {
        browser,
        options: options.clone(),
        mini_program,
        web_app,
        phrases: phrases.clone(),
    });
    HARNESS
        .set(harness.clone())
        .map_err(|_| RunError::AlreadyRan)?;

    let progress = Arc::new(Progress::new(selected));
    let mut cucumber = ShopWorld::cucumber::<PathBuf>();
    for phrase in phrases.iter() {
        // A phrase reads the same after any keyword, as the generic steps do.
        let run = crate::steps::phrases::run_phrase;
        cucumber = cucumber
            .given(phrase.regex().clone(), run)
            .when(phrase.regex().clone(), run)
            .then(phrase.regex().clone(), run);
    }
    let cucumber = cucumber
        .with_parser(FeatureFiles)
        .max_concurrent_scenarios(options.concurrency.max(1));
    let cucumber = match options.fail_fast {
        true => cucumber.fail_fast(),
        false => cucumber,
    };
    let writer = cucumber
        .before(|feature, _rule, scenario, world| {
            Box::pin(async move {
                world.scenario = crate::report::scenario_title(&feature.name, &scenario.name);
            })
        })
        .after({
            let progress = progress.clone();
            move |feature, _rule, scenario, finished, world| {
                let line = progress.finished(
                    &crate::report::scenario_title(&feature.name, &scenario.name),
                    finished,
                );
                Box::pin(async move {
                    if let Some(world) = world {
                        world.release().await;
                    }
                    eprintln!("{line}");
                })
            }
        })
        .with_writer(
            writer::Basic::raw(std::io::stdout(), writer::Coloring::Auto, 0)
                .summarized()
                .tee::<ShopWorld, _>(writer::JUnit::for_tee(junit, 0))
                .tee::<ShopWorld, _>(writer::Json::for_tee(cucumber_json))
                .normalized(),
        )
        // Both after `with_writer`, which resets them. The harness has its own CLI, so
        // cucumber must not read argv (and exit on arguments it does not know).
        .fail_on_skipped()
        .with_default_cli()
        .filter_run(options.features.clone(), move |feature, rule, scenario| {
            filter.selects(feature, rule, scenario)
        })
        .await;
    harness.browser.shutdown().await;
    cleanup::clean_up_all();
    use cucumber::writer::Stats as _;
    if writer.passed_steps() + writer.failed_steps() + writer.skipped_steps() == 0 {
        // Scenarios were selected and none reached a step: each failed to start (its browser
        // session, say), as the report above says. Never a pass.
        eprintln!("zion-pay-e2e: none of the {selected} selected scenario(s) reached its first step: see why above");
        return Ok(false);
    }
    let not_started = progress.not_finished();
    if options.fail_fast && not_started > 0 {
        // cucumber's summary counts only the scenarios that ran: say what was left out.
        eprintln!("zion-pay-e2e: --fail-fast: {not_started} of the {selected} selected scenario(s) were not started after the first failure");
    }
    // cucumber's JSON writer has written the whole run by now (it writes on the run's end).
    match crate::report::html::write(&report_dir) {
        Ok(page) => println!("HTML report: {}", page.display()),
        Err(e) => eprintln!("zion-pay-e2e: the HTML report could not be written: {e}"),
    }
    Ok(!writer.execution_has_failed())
}
