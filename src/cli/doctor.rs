//! `zion-pay-e2e doctor`: checks what a run needs, one line per check, with the fix for
//! each problem — before a run fails on it.

use std::path::Path;
use std::process::Command;

use crate::runner::RunOptions;
use crate::web::WebAppSource;

/// One check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked.
    pub what: String,
    /// `Ok(detail)`, or `Err(problem and fix)`.
    pub verdict: Result<String, String>,
}

/// Runs every check for a run with `options`.
pub async fn examine(options: &RunOptions) -> Vec<Finding> {
    let (browser, features) = (&options.browser, &options.features);
    let mini_program = &options.mini_program;
    let mut findings = Vec::new();
    let mut check = |what: &str, verdict: Result<String, String>| {
        findings.push(Finding {
            what: what.to_string(),
            verdict,
        })
    };
    match &browser.webdriver_url {
        Some(url) => check("WebDriver endpoint", webdriver_ready(url).await),
        None => {
            let binary = browser.binary();
            let shell = browser.starts_headless_shell();
            let package = if shell {
                "chromium-headless-shell"
            } else {
                "chromium"
            };
            let chromium = version_of(binary, &format!("apt-get install {package}")).map(|v| {
                match (shell, browser.headed) {
                    (true, _) => format!("{v} (headless shell, {})", binary.display()),
                    // The full browser works headless too, on more CPU.
                    (false, false) => format!("{v} ({}; the headless shell, `apt-get install chromium-headless-shell` with CHROMIUM unset, runs headless scenarios on ~40% less CPU)", binary.display()),
                    (false, true) => format!("{v} ({})", binary.display()),
                }
            });
            let driver = version_of(&browser.chromedriver, "apt-get install chromium-driver");
            let matching = match (&chromium, &driver) {
                (Ok(c), Ok(d)) if major(c) == major(d) => Ok(format!("both major version {}", major(c))),
                (Ok(c), Ok(d)) => Err(format!("Chromium is {c} but chromedriver is {d}: install the chromium-driver that matches chromium (apt-get install chromium chromium-driver)")),
                _ => Err("cannot compare versions until both are installed".into()),
            };
            check("Chromium", chromium);
            check("chromedriver", driver);
            check("Chromium and chromedriver match", matching);
        }
    }
    check(
        "loopback ports",
        std::net::TcpListener::bind("127.0.0.1:0")
            .map(|l| format!("can listen on 127.0.0.1 (got port {})", l.local_addr().map(|a| a.port()).unwrap_or(0)))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e} — the harness serves the app and mock-zion there")),
    );
    // Read once: the feature check and the Mini Program check below both need them.
    let phrases = crate::phrases::Phrases::load(features);
    check(
        "feature files",
        phrases
            .as_ref()
            .map_err(|e| format!("the .steps files have problems:\n{e}"))
            .and_then(|phrases| {
                crate::cli::preflight::check(features, phrases)
                    .map(|()| phrases.iter().count())
                    .map_err(|e| e.to_string())
            })
            .map(|phrases| {
                format!(
                    "{} file(s) and {phrases} phrase(s) in {} parse and use known steps",
                    crate::cli::feature_files::list(features).len(),
                    features
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
    );
    let phrases = phrases.unwrap_or_default();
    let opens_mini_program = crate::cli::preflight::uses_steps_of(features, &phrases, "wechat.rs")
        || !options.names.mini_program.pages.is_empty();
    // A Mini Program team's folder has no web app: none is needed when the features open only
    // the Mini Program (as the run treats it: a missing web app fails only its scenarios).
    let web_only_steps = crate::cli::preflight::uses_steps_of(features, &phrases, "alipay.rs")
        || !options.names.web.pages.is_empty();
    let web_app = match &options.web_app {
        WebAppSource::Dir(dir) if !dir.exists() && opens_mini_program && !web_only_steps => Ok(
            format!(
                "there is none at {}, and the features open the Mini Program only, so none is needed",
                dir.display()
            ),
        ),
        WebAppSource::Dir(dir) => match dir.join("index.html").is_file() {
            true => Ok(format!("{} has index.html", dir.display())),
            false => Err(format!(
                "{} has no index.html: pass the app's static folder (or its dev server's URL) with --web-app",
                dir.display()
            )),
        },
        WebAppSource::Url(url) => reqwest::get(url.clone())
            .await
            .map(|r| format!("{url} answers ({})", r.status()))
            .map_err(|e| format!("{url} does not answer ({e}): start the dev server")),
    };
    check("web app", web_app);
    // A web-only team has no Mini Program: check one only when a feature opens it.
    if !opens_mini_program {
        check(
            "Mini Program",
            Ok("no feature opens one, so none is needed".into()),
        );
        return findings;
    }
    let program = crate::mini_program::MiniProgram::load(mini_program);
    check(
        "Mini Program",
        program
            .as_ref()
            .map(|p| {
                let sub: usize = p.subpackages.iter().map(|s| s.pages.len()).sum();
                format!(
                    "{} has app.json and its {} page(s){}",
                    mini_program.display(),
                    p.pages.len(),
                    match sub {
                        0 => String::new(),
                        n => format!(", {n} of them in {} subpackage(s)", p.subpackages.len()),
                    }
                )
            })
            .map_err(|e| format!("{e} (only the Mini Program's scenarios need it)")),
    );
    if let Ok(program) = &program {
        check("what mp-sim runs of it", mp_sim_gaps(program));
    }
    findings
}

/// Whether mp-sim runs everything the Mini Program uses: the constructs it would refuse,
/// each with its count and first places.
fn mp_sim_gaps(program: &crate::mini_program::MiniProgram) -> Result<String, String> {
    let survey = crate::mini_program::survey::survey(program)?;
    let warnings = match survey.gaps.iter().any(|g| g.warning) {
        true => format!(
            "\n  drawn as plain elements, as WeChat draws tags it does not know:\n{}",
            survey.describe_warnings(3)
        ),
        false => String::new(),
    };
    let refusals: Vec<_> = survey.refusals().collect();
    if refusals.is_empty() {
        return Ok(format!(
            "every tag, component and wx API its {} WXML file(s) and {} module(s) use{warnings}",
            program
                .files
                .keys()
                .filter(|f| f.ends_with(".wxml"))
                .count(),
            program.modules.len()
        ));
    }
    let uses: usize = refusals.iter().map(|g| g.uses.len()).sum();
    Err(format!(
        "mp-sim would refuse {} construct(s) it uses, {uses} use(s) in all; a page that avoids them still runs, one that reaches them fails naming them:\n{}{warnings}",
        refusals.len(),
        survey.describe(3)
    ))
}

/// `binary --version`, or what is wrong and how to install it.
fn version_of(binary: &Path, install: &str) -> Result<String, String> {
    if !binary.exists() {
        return Err(format!(
            "not found at {}: {install} (scripts/setup does), or set WEBDRIVER_URL",
            binary.display()
        ));
    }
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .map_err(|e| format!("{} does not run: {e}", binary.display()))?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    match text.is_empty() {
        false => Ok(text),
        true => Err(format!(
            "{} --version printed nothing: reinstall it ({install})",
            binary.display()
        )),
    }
}

/// The major version in "Chromium 156.0.8078.73 …" or "ChromeDriver 156.0… (…)".
fn major(version: &str) -> String {
    version
        .split_whitespace()
        .find(|word| word.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
        .unwrap_or_default()
        .to_string()
}

async fn webdriver_ready(url: &str) -> Result<String, String> {
    let status = format!("{}/status", url.trim_end_matches('/'));
    let body: serde_json::Value = reqwest::get(&status)
        .await
        .map_err(|e| {
            format!(
                "{status} does not answer ({e}): start the WebDriver server or unset WEBDRIVER_URL"
            )
        })?
        .json()
        .await
        .map_err(|e| format!("{status} is not a WebDriver status ({e})"))?;
    match body["value"]["ready"] == true {
        true => Ok(format!("{url} is ready")),
        false => Err(format!(
            "{url} answers but is not ready: {}",
            body["value"]["message"]
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::major;

    #[test]
    fn reads_the_major_version_of_both_tools() {
        assert_eq!(major("Chromium 156.0.8078.73 built on Debian"), "156");
        assert_eq!(
            major("ChromeDriver 156.0.8078.73 (abc-refs/branch-heads/8078@{#1})"),
            "156"
        );
    }
}
