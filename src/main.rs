//! The `zion-pay-e2e` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zion_pay_e2e::cli::config::E2eConfig;
use zion_pay_e2e::runner::{run, RunOptions};
use zion_pay_e2e::web::WebAppSource;

#[derive(Parser)]
#[command(
    name = "zion-pay-e2e",
    version,
    about = "End-to-end payment tests for apps built on Zion"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What a run is about: the features and the apps they drive (shared by `run` and `doctor`).
/// Each option overrides `zion-e2e.toml`, which overrides the built-in defaults.
#[derive(clap::Args)]
struct Target {
    /// .feature files or folders of them [default: features].
    features: Vec<PathBuf>,
    /// The project config [default: ./zion-e2e.toml when there is one].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The web app under test: a folder with index.html, or the URL of a dev server on this
    /// machine [default: fixtures/web-shop].
    #[arg(long, value_name = "DIR|URL", value_parser = parse_web_app)]
    web_app: Option<WebAppSource>,
    /// The Mini Program under test: a folder with app.json [default: fixtures/miniprogram-shop].
    #[arg(long, value_name = "DIR")]
    mini_program: Option<PathBuf>,
    /// Use this WebDriver endpoint (e.g. a Selenium Grid) instead of starting chromedriver.
    #[arg(long, env = "WEBDRIVER_URL", value_name = "URL")]
    webdriver_url: Option<String>,
}

impl Target {
    /// The config's options with the command line's over them.
    fn options(self) -> Result<RunOptions, String> {
        let (config, root) =
            E2eConfig::discover(self.config.as_deref()).map_err(|e| e.to_string())?;
        let mut options = RunOptions::from_config(&config, &root);
        if !self.features.is_empty() {
            options.features = self.features;
        }
        if let Some(web_app) = self.web_app {
            options.web_app = web_app;
        }
        if let Some(dir) = self.mini_program {
            options.mini_program = dir;
        }
        if let Some(url) = self.webdriver_url.filter(|u| !u.is_empty()) {
            options.browser.webdriver_url = Some(url);
        }
        Ok(options)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run features against the apps in headless Chromium; exit 0 only if all pass.
    Run {
        #[command(flatten)]
        target: Target,
        /// Where JUnit XML, Cucumber JSON and failure artifacts go [default: reports].
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
        /// Scenarios at once, each with its own browser session and mock [default: the
        /// number of CPU cores].
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        concurrency: Option<u16>,
        /// Only scenarios whose name matches this regular expression.
        #[arg(long, value_name = "REGEX")]
        name: Option<regex::Regex>,
        /// Only scenarios whose tags match this expression, e.g. "@alipay and not @slow".
        #[arg(long, value_name = "EXPR", value_parser = parse_tags)]
        tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
        /// Show the browser window (local debugging).
        #[arg(long)]
        headed: bool,
        /// Keep the wall clock: every wait the app makes takes as long as it says, instead
        /// of being skipped while the page and the mock are idle.
        #[arg(long)]
        real_time: bool,
        /// Start no scenario after the first one fails; those already running finish.
        #[arg(long)]
        fail_fast: bool,
    },
    /// Check that a run can work here: the config, Chromium, chromedriver (or the WebDriver
    /// URL), loopback ports, the feature files and the apps; prints the fix for each problem.
    Doctor {
        #[command(flatten)]
        target: Target,
    },
    /// Write a starter zion-e2e.toml, the reference features and the reference apps they pass
    /// against into a folder (your repository), then point the config at your app.
    Init {
        /// The folder to write into.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace files init wrote before (your edits to them are lost).
        #[arg(long)]
        force: bool,
    },
    /// List the steps features can use (English and zh-CN), and the team's own phrases from
    /// the .steps files beside the features.
    Steps {
        /// .feature files or folders whose .steps files to list [default: from the config].
        features: Vec<PathBuf>,
        /// The project config [default: ./zion-e2e.toml when there is one].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Markdown tables (README's step list) instead of plain text.
        #[arg(long)]
        markdown: bool,
    },
    /// Serve mock-zion (a mock of your Zion project's GraphQL API and payment providers)
    /// until Ctrl-C. Reads ./zion-e2e.toml when there is one and no --config is given.
    Mock(mock_zion::serve::ServeArgs),
}

/// `zion-pay-e2e steps`: the library, then the team's phrases.
fn list_steps(
    features: Vec<PathBuf>,
    config: Option<PathBuf>,
    markdown: bool,
) -> Result<(), String> {
    use zion_pay_e2e::cli::step_list;
    if markdown {
        print!("{}", step_list::markdown());
        return Ok(());
    }
    print!("{}", step_list::text());
    let features = match features.is_empty() {
        false => features,
        true => {
            let (config, root) =
                E2eConfig::discover(config.as_deref()).map_err(|e| e.to_string())?;
            RunOptions::from_config(&config, &root).features
        }
    };
    let phrases = zion_pay_e2e::phrases::Phrases::load(&features)
        .map_err(|e| format!("the .steps files have problems:\n{e}"))?;
    if !phrases.is_empty() {
        println!("Your phrases (.steps files)");
        for phrase in phrases.iter() {
            println!("  any         {}    ({})", phrase.sentence, phrase.place());
        }
    }
    Ok(())
}

fn parse_tags(expression: &str) -> Result<cucumber::gherkin::tagexpr::TagOperation, String> {
    expression
        .parse()
        .map_err(|e| format!("not a tag expression ({e}); write e.g. \"@alipay and not @slow\""))
}

fn parse_web_app(value: &str) -> Result<WebAppSource, String> {
    match value.starts_with("http://") || value.starts_with("https://") {
        true => WebAppSource::parse_url(value),
        false => Ok(WebAppSource::Dir(PathBuf::from(value))),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Run {
            target,
            report,
            concurrency,
            name,
            tags,
            headed,
            real_time,
            fail_fast,
        } => match target.options() {
            Ok(mut options) => {
                if let Some(report) = report {
                    options.report_dir = report;
                }
                if let Some(n) = concurrency {
                    options.concurrency = n.into();
                }
                options.name = name;
                options.tags = tags;
                options.browser.headed = headed;
                options.real_time |= real_time;
                options.fail_fast = fail_fast;
                match run(options).await {
                    Ok(true) => return ExitCode::SUCCESS,
                    Ok(false) => return ExitCode::FAILURE,
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e),
        },
        Command::Mock(mut args) => {
            let default = PathBuf::from(zion_pay_e2e::cli::config::FILE_NAME);
            if args.config.is_none() && default.is_file() {
                args.config = Some(default);
            }
            args.serve().await
        }
        Command::Init { dir, force } => match zion_pay_e2e::cli::init::write(&dir, force) {
            Ok(written) => {
                println!(
                    "wrote {} files into {}: zion-e2e.toml, features/ (English and zh-CN), reference-apps/",
                    written.len(),
                    dir.display()
                );
                println!(
                    "next: `zion-pay-e2e run` there runs the features against the reference apps;"
                );
                println!("then set [web_app] and [mini_program] in zion-e2e.toml to your own app.");
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        },
        Command::Steps {
            features,
            config,
            markdown,
        } => list_steps(features, config, markdown),
        Command::Doctor { target } => {
            let options = match target.options() {
                Ok(options) => options,
                Err(problem) => {
                    println!("FAIL  config: {problem}");
                    return ExitCode::FAILURE;
                }
            };
            let findings = zion_pay_e2e::cli::doctor::examine(&options).await;
            for finding in &findings {
                match &finding.verdict {
                    Ok(detail) => println!("ok    {}: {detail}", finding.what),
                    Err(problem) => println!("FAIL  {}: {problem}", finding.what),
                }
            }
            return match findings.iter().all(|f| f.verdict.is_ok()) {
                true => ExitCode::SUCCESS,
                false => ExitCode::FAILURE,
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("zion-pay-e2e: error: {message}");
            ExitCode::from(2)
        }
    }
}
