//! What a run leaves for its readers: per failed scenario a folder under the report
//! directory with a screenshot, the page URL and text, the scenario's mock-zion journal and
//! wx calls; and [`html`], one self-contained page of the whole run.

pub mod diagnose;
pub mod html;
pub mod progress;

use std::path::{Path, PathBuf};

use mock_zion::MockZion;

use crate::browser::page::Page;

/// How a scenario is named in progress lines and failure folders: "Feature — Scenario". The
/// HTML report finds a scenario's folder by the same name.
///
/// ```
/// use zion_pay_e2e::report::{scenario_title, slug};
/// let title = scenario_title("Paying", "A paid order");
/// assert_eq!(title, "Paying — A paid order");
/// assert_eq!(slug(&title), "paying-a-paid-order");
/// ```
pub fn scenario_title(feature: &str, scenario: &str) -> String {
    format!("{feature} — {scenario}")
}

/// A folder name for a scenario: its words, lower-case, joined by `-`.
///
/// ```
/// assert_eq!(zion_pay_e2e::report::slug("A paid order unlocks AI!"), "a-paid-order-unlocks-ai");
/// ```
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_lowercase());
    }
    slug
}

/// Removes the failure folders an earlier run left in `dir`, so the report describes this
/// run only. Only folders holding this harness's artifacts (a `journal.json`) are touched:
/// the report directory may be one the user keeps other things in.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path.join("journal.json").is_file() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Writes the failure artifacts of a scenario into `dir` and returns a one-line pointer to
/// them for the failure message.
pub async fn capture(dir: &Path, page: Option<&Page>, zion: &MockZion) -> String {
    if let Err(e) = std::fs::create_dir_all(dir) {
        return format!(
            "(could not create the report folder {}: {e})",
            dir.display()
        );
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        if std::fs::write(&path, bytes).is_ok() {
            written.push(path);
        }
    };
    if let Some(page) = page {
        if let Ok(png) = page.screenshot().await {
            write("screenshot.png", &png);
        }
        let text = format!("URL: {}\n\n{}", page.url().await, page.text().await);
        write("page.txt", text.as_bytes());
        if let Ok(sim) = crate::mini_program::shopper::state(page).await {
            write("wx-calls.txt", sim.summary().as_bytes());
        }
    }
    let (json, text) = zion.journal(|j| {
        (
            serde_json::to_vec_pretty(j.entries()).unwrap_or_default(),
            j.summary(),
        )
    });
    write("journal.json", &json);
    write("journal.txt", text.as_bytes());
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".json"))
        .collect();
    format!("report: {} ({})", dir.display(), names.join(", "))
}
