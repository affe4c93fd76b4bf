//! `report.html`: the run as one self-contained page a product owner can open — features,
//! scenarios and steps with status and duration; for a failed scenario its failure message,
//! screenshot, mock-zion journal, wx calls and page text, inlined (no other file needed).
//!
//! It is built from the run's Cucumber JSON (cucumber-rs' writer) and the failure folders
//! [`super::capture`] wrote, so it shows exactly what the CI artifacts hold.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde_json::Value;

/// The report's file name inside the report directory.
pub const FILE_NAME: &str = "report.html";

const STYLE: &str = include_str!("report.css");

/// Builds `report.html` in `report_dir` from its `cucumber.json` and failure folders.
/// Returns the page's path.
///
/// # Errors
/// `cucumber.json` is missing or not Cucumber JSON, or the page cannot be written.
pub fn write(report_dir: &Path) -> Result<std::path::PathBuf, String> {
    let source = report_dir.join("cucumber.json");
    let json =
        std::fs::read(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let features: Vec<Value> = serde_json::from_slice(&json)
        .map_err(|e| format!("{} is not Cucumber JSON: {e}", source.display()))?;
    let page = render(&features, report_dir);
    let path = report_dir.join(FILE_NAME);
    std::fs::write(&path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The page for `features` (Cucumber JSON), with artifacts read from `report_dir`.
///
/// ```
/// let features = serde_json::json!([{
///     "name": "Paying", "uri": "features/pay.feature", "keyword": "Feature",
///     "elements": [{ "name": "Paid", "keyword": "Scenario", "steps": [
///         { "keyword": "Given ", "name": "a shopper", "result": { "status": "passed", "duration": 2_000_000 } }
///     ]}]
/// }]);
/// let page = zion_pay_e2e::report::html::render(features.as_array().unwrap(), std::path::Path::new("/nowhere"));
/// assert!(page.contains("1 scenario: 1 passed"));
/// assert!(page.contains("a shopper"));
/// ```
pub fn render(features: &[Value], report_dir: &Path) -> String {
    let scenarios: Vec<(&Value, Scenario<'_>)> = features
        .iter()
        .flat_map(|f| scenarios_of(f).into_iter().map(move |s| (f, s)))
        .collect();
    let count = |status: &str| {
        scenarios
            .iter()
            .filter(|(_, s)| scenario_status(s) == status)
            .count()
    };
    let total_ns: u64 = scenarios.iter().map(|(_, s)| scenario_ns(s)).sum();
    let mut summary = format!(
        "{} scenario{}: {} passed",
        scenarios.len(),
        if scenarios.len() == 1 { "" } else { "s" },
        count("passed")
    );
    for status in ["failed", "skipped"] {
        if count(status) > 0 {
            let _ = write!(summary, ", {} {status}", count(status));
        }
    }
    let verdict = if count("failed") > 0 {
        "failed"
    } else {
        "passed"
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>zion-pay-e2e: {summary}</title><style>{STYLE}</style></head><body>\
         <header class=\"{verdict}\"><h1>Payment checks</h1><p id=\"summary\">{summary} · {} feature(s) · {} of scenario time</p></header>",
        features.len(),
        seconds(total_ns)
    );
    for feature in features {
        let _ = write!(
            page,
            "<section class=\"feature\"><h2>{} {}</h2><p class=\"uri\">{}</p>",
            text(str_of(feature, "keyword")),
            text(str_of(feature, "name")),
            text(str_of(feature, "uri"))
        );
        for scenario in scenarios_of(feature) {
            scenario_html(&mut page, feature, &scenario, report_dir);
        }
        page.push_str("</section>");
    }
    page.push_str("</body></html>\n");
    page
}

fn scenario_html(page: &mut String, feature: &Value, whole: &Scenario<'_>, report_dir: &Path) {
    let status = scenario_status(whole);
    let scenario = whole.scenario;
    let _ = write!(
        page,
        "<details class=\"scenario {status}\"{}><summary><span class=\"badge\">{status}</span> {} {} <span class=\"duration\">{}</span></summary><ol class=\"steps\">",
        if status == "failed" { " open" } else { "" },
        text(str_of(scenario, "keyword")),
        text(str_of(scenario, "name")),
        seconds(scenario_ns(whole))
    );
    // The Background's steps ran first, as part of this scenario.
    let steps = whole
        .background
        .into_iter()
        .chain([scenario])
        .flat_map(|element| element["steps"].as_array().into_iter().flatten());
    for step in steps {
        let result = &step["result"];
        let step_status = result["status"].as_str().unwrap_or("undefined");
        let _ = write!(
            page,
            "<li class=\"step {step_status}\"><span class=\"keyword\">{}</span>{} <span class=\"duration\">{}</span>",
            text(str_of(step, "keyword")),
            text(str_of(step, "name")),
            millis(result["duration"].as_u64().unwrap_or(0))
        );
        if let Some(message) = result["error_message"].as_str() {
            let _ = write!(page, "<pre class=\"error\">{}</pre>", text(message));
        }
        page.push_str("</li>");
    }
    page.push_str("</ol>");
    if status == "failed" {
        let name = super::scenario_title(str_of(feature, "name"), str_of(scenario, "name"));
        artifacts_html(page, &report_dir.join(super::slug(&name)));
    }
    page.push_str("</details>");
}

/// The failure folder's screenshot and texts, inlined.
fn artifacts_html(page: &mut String, dir: &Path) {
    if let Ok(png) = std::fs::read(dir.join("screenshot.png")) {
        let _ = write!(
            page,
            "<figure><img class=\"screenshot\" alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>The page when the step failed</figcaption></figure>",
            attr("screenshot of the page when the step failed"),
            base64::engine::general_purpose::STANDARD.encode(png)
        );
    }
    for (file, title) in [
        (
            "journal.txt",
            "mock-zion journal: every request the app made, and Zion's answers",
        ),
        (
            "wx-calls.txt",
            "wx calls: every call the Mini Program made, and its answer",
        ),
        ("page.txt", "The page's URL and text"),
    ] {
        if let Ok(body) = std::fs::read_to_string(dir.join(file)) {
            let _ = write!(
                page,
                "<h3>{}</h3><pre class=\"{}\">{}</pre>",
                text(title),
                attr(file.trim_end_matches(".txt")),
                text(&body)
            );
        }
    }
}

/// A scenario of the Cucumber JSON with its Background, which the JSON gives as an element of
/// its own (named after the scenario it ran for) but which is no scenario.
struct Scenario<'a> {
    background: Option<&'a Value>,
    scenario: &'a Value,
}

fn scenarios_of(feature: &Value) -> Vec<Scenario<'_>> {
    let elements = feature["elements"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let is_background = |e: &Value| e["type"].as_str() == Some("background");
    let mut backgrounds: Vec<Option<&Value>> = elements
        .iter()
        .filter(|e| is_background(e))
        .map(Some)
        .collect();
    elements
        .iter()
        .filter(|e| !is_background(e))
        .map(|scenario| {
            let background = backgrounds
                .iter_mut()
                .find(|b| b.is_some_and(|b| b["name"] == scenario["name"]))
                .and_then(Option::take);
            Scenario {
                background,
                scenario,
            }
        })
        .collect()
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default().trim_end()
}

/// Every result of a scenario: its hooks' and its steps', its Background's included.
fn results<'a>(scenario: &Scenario<'a>) -> impl Iterator<Item = &'a Value> {
    scenario
        .background
        .into_iter()
        .chain([scenario.scenario])
        .flat_map(|element| {
            ["before", "steps", "after"]
                .into_iter()
                .flat_map(move |key| element[key].as_array().into_iter().flatten())
        })
        .map(|item| &item["result"])
}

/// `failed` if anything failed, else `skipped` if a step was not run, else `passed`.
fn scenario_status(scenario: &Scenario<'_>) -> &'static str {
    let statuses: Vec<&str> = results(scenario)
        .map(|r| r["status"].as_str().unwrap_or("undefined"))
        .collect();
    if statuses.contains(&"failed") {
        "failed"
    } else if statuses.iter().any(|s| *s != "passed") {
        "skipped"
    } else {
        "passed"
    }
}

fn scenario_ns(scenario: &Scenario<'_>) -> u64 {
    results(scenario)
        .map(|r| r["duration"].as_u64().unwrap_or(0))
        .sum()
}

fn seconds(ns: u64) -> String {
    format!("{:.1} s", ns as f64 / 1e9)
}

fn millis(ns: u64) -> String {
    format!("{} ms", ns / 1_000_000)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// cucumber-rs writes a Background as an element of its own, after or before the
    /// scenario it ran for, named after it.
    #[test]
    fn a_background_is_part_of_its_scenario_not_a_scenario() {
        let step = |name: &str, status: &str| json!({ "keyword": "Given ", "name": name, "result": { "status": status, "duration": 1 } });
        let features = json!([{
            "name": "Plans", "uri": "plans.feature", "keyword": "Feature",
            "elements": [
                { "type": "scenario", "keyword": "Scenario", "name": "Pro", "steps": [step("pays", "skipped")] },
                { "type": "background", "keyword": "Background", "name": "Pro", "steps": [step("the plans", "failed")] },
                { "type": "background", "keyword": "Background", "name": "Basic", "steps": [step("the plans", "passed")] },
                { "type": "scenario", "keyword": "Scenario", "name": "Basic", "steps": [step("pays", "passed")] }
            ]
        }]);
        let page = super::render(
            features.as_array().unwrap(),
            std::path::Path::new("/nowhere"),
        );
        assert!(page.contains("2 scenarios: 1 passed, 1 failed"), "{page}");
        assert_eq!(
            page.matches("the plans").count(),
            2,
            "each scenario shows its Background"
        );
    }
}
