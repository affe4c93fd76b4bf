//! The `zion-pay-e2e` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zion_pay_e2e::runner::{run, RunOptions};

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
#[derive(clap::Args)]
struct Target {
    /// A .feature file or a folder of them.
    #[arg(default_value = "features")]
    features: PathBuf,
    /// The web app under test: a folder with index.html.
    #[arg(long, default_value = "fixtures/web-shop", value_name = "DIR")]
    web_app: PathBuf,
    /// The Mini Program under test: a folder with app.json.
    #[arg(long, default_value = "fixtures/miniprogram-shop", value_name = "DIR")]
    mini_program: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Run features against a web app in headless Chromium; exit 0 only if all pass.
    Run {
        #[command(flatten)]
        target: Target,
        /// Where JUnit XML and failure artifacts go.
        #[arg(long, default_value = "reports", value_name = "DIR")]
        report: PathBuf,
        /// Scenarios at once, each with its own browser session and mock.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// Only scenarios whose name matches this regular expression.
        #[arg(long, value_name = "REGEX")]
        name: Option<regex::Regex>,
        /// Only scenarios whose tags match this expression, e.g. "@alipay and not @slow".
        #[arg(long, value_name = "EXPR", value_parser = parse_tags)]
        tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
        /// Use this WebDriver endpoint (e.g. a Selenium Grid) instead of starting chromedriver.
        #[arg(long, env = "WEBDRIVER_URL", value_name = "URL")]
        webdriver_url: Option<String>,
        /// Show the browser window (local debugging).
        #[arg(long)]
        headed: bool,
    },
    /// Check that a run can work here: Chromium, chromedriver (or the WebDriver URL),
    /// loopback ports, the feature files and the web app; prints the fix for each problem.
    Doctor {
        #[command(flatten)]
        target: Target,
        /// Check this WebDriver endpoint instead of the local Chromium and chromedriver.
        #[arg(long, env = "WEBDRIVER_URL", value_name = "URL")]
        webdriver_url: Option<String>,
    },
    /// Serve mock-zion (a mock of your Zion project's GraphQL API and payment providers)
    /// until Ctrl-C.
    Mock(mock_zion::serve::ServeArgs),
}

fn parse_tags(expression: &str) -> Result<cucumber::gherkin::tagexpr::TagOperation, String> {
    expression
        .parse()
        .map_err(|e| format!("not a tag expression ({e}); write e.g. \"@alipay and not @slow\""))
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
            webdriver_url,
            headed,
        } => {
            let mut options = RunOptions::bundled(std::path::Path::new("."));
            options.features = target.features;
            options.web_app = target.web_app;
            options.mini_program = target.mini_program;
            options.report_dir = report;
            options.concurrency = concurrency;
            options.name = name;
            options.tags = tags;
            options.browser.webdriver_url = webdriver_url.filter(|u| !u.is_empty());
            options.browser.headed = headed;
            match run(options).await {
                Ok(true) => return ExitCode::SUCCESS,
                Ok(false) => return ExitCode::FAILURE,
                Err(e) => Err(e.to_string()),
            }
        }
        Command::Mock(args) => args.serve().await,
        Command::Doctor {
            target,
            webdriver_url,
        } => {
            let browser = zion_pay_e2e::browser::BrowserOptions {
                webdriver_url: webdriver_url.filter(|u| !u.is_empty()),
                ..Default::default()
            };
            let findings = zion_pay_e2e::doctor::examine(
                &browser,
                &target.features,
                &target.web_app,
                &target.mini_program,
            )
            .await;
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
