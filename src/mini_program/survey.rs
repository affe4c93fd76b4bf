//! What a Mini Program uses that mp-sim would refuse, found before a run: `mp-sim/survey.mjs`
//! parses every WXML file with mp-sim's own parser and checks every tag, `usingComponents`
//! entry and `wx.<api>` call against what mp-sim implements (its code is the list, so the
//! survey cannot drift from it). `zion-pay-e2e doctor` prints the whole gap at once, each
//! construct with its count and where it is used.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::mini_program::MiniProgram;

/// One place a construct is used.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Use {
    /// The file, relative to the Mini Program.
    pub file: String,
    /// Its line (1-based).
    #[serde(deserialize_with = "line")]
    pub line: u32,
}

fn line<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Number(n) => n.as_u64().unwrap_or(1) as u32,
        serde_json::Value::String(s) => s.parse().unwrap_or(1),
        _ => 1,
    })
}

/// One construct mp-sim would refuse.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Gap {
    /// What kind of construct (`wx API mp-sim does not implement`, `tag (…)`, …).
    pub kind: String,
    /// The construct (`wx.chooseAddress`, `<video>`).
    pub name: String,
    /// Where it is used.
    pub uses: Vec<Use>,
    /// Not a refusal: mp-sim runs it as WeChat does, and says so (a tag drawn as a plain
    /// element).
    #[serde(default)]
    pub warning: bool,
}

/// What the survey found, and what mp-sim offers.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Survey {
    /// The constructs mp-sim would refuse, most used first.
    pub gaps: Vec<Gap>,
    /// Every wx API mp-sim implements.
    pub wx: Vec<String>,
    /// Every built-in component mp-sim renders.
    pub tags: Vec<String>,
}

impl Survey {
    /// The gaps as lines a person reads: the construct, how often, where (the first few).
    ///
    /// ```
    /// use zion_pay_e2e::mini_program::survey::{Gap, Survey, Use};
    /// let survey = Survey {
    ///     gaps: vec![Gap {
    ///         kind: "wx API mp-sim does not implement".into(),
    ///         name: "wx.chooseAddress".into(),
    ///         uses: vec![Use { file: "app.js".into(), line: 12 }],
    ///         warning: false,
    ///     }],
    ///     ..Default::default()
    /// };
    /// assert_eq!(survey.describe(3), "wx.chooseAddress ×1 (wx API mp-sim does not implement): app.js:12");
    /// ```
    pub fn describe(&self, places: usize) -> String {
        Self::describe_gaps(self.gaps.iter().filter(|g| !g.warning), places)
    }

    /// As [`Survey::describe`], for what mp-sim runs but warns about.
    pub fn describe_warnings(&self, places: usize) -> String {
        Self::describe_gaps(self.gaps.iter().filter(|g| g.warning), places)
    }

    /// The constructs mp-sim would refuse (warnings left out).
    pub fn refusals(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().filter(|g| !g.warning)
    }

    fn describe_gaps<'a>(gaps: impl Iterator<Item = &'a Gap>, places: usize) -> String {
        gaps.map(|gap| {
            let mut at: Vec<String> = gap
                .uses
                .iter()
                .take(places)
                .map(|u| format!("{}:{}", u.file, u.line))
                .collect();
            if gap.uses.len() > places {
                at.push(format!("… {} more", gap.uses.len() - places));
            }
            format!(
                "{} ×{} ({}): {}",
                gap.name,
                gap.uses.len(),
                gap.kind,
                at.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
    }
}

/// Where `survey.mjs` is: `$ZION_E2E_MP_SIM`, else this checkout's `mp-sim/`.
pub fn mp_sim_dir() -> PathBuf {
    std::env::var_os("ZION_E2E_MP_SIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/mp-sim")))
}

/// Surveys `program` on Node.js.
///
/// # Errors
/// Node.js does not run, or the survey fails (its message).
pub fn survey(program: &MiniProgram) -> Result<Survey, String> {
    let script = mp_sim_dir().join("survey.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("surveying the Mini Program needs Node.js, and `node` does not run ({e}): install nodejs (scripts/setup does)"))?;
    let input = serde_json::json!({ "files": program.files, "modules": program.modules });
    if let Some(mut stdin) = child.stdin.take() {
        // A survey that died early shows in its exit status below.
        let _ = stdin.write_all(input.to_string().as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("surveying the Mini Program failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "surveying the Mini Program failed ({}): {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the Mini Program survey answered something unreadable: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn program(files: &[(&str, &str)], modules: &[(&str, &str)]) -> MiniProgram {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        MiniProgram {
            files: map(files),
            modules: map(modules),
            ..Default::default()
        }
    }

    #[test]
    fn lists_tags_components_and_wx_apis_mp_sim_would_refuse_with_counts_and_places() {
        let survey = survey(&program(
            &[
                ("app.json", r#"{"pages": ["pages/a/a"], "usingComponents": {"g-card": "/components/card/card"}}"#),
                ("pages/a/a.json", r#"{"usingComponents": {"pay-sheet": "../../components/sheet/sheet", "share": "plugin://share/button"}}"#),
                ("pages/a/a.wxml", "<view>\n<camera mode=\"scanCode\"></camera>\n<g-card/><pay-sheet/><div/></view>\n<camera/>"),
                ("components/card/card.wxml", "<view/>"),
            ],
            &[
                ("app.js", "App({ onLaunch() { wx.openBluetoothAdapter(); } })"),
                ("pages/a/a.js", "Page({})\nwx.request({}); wx.openBluetoothAdapter()"),
                ("components/card/card.js", "Component({})"),
            ],
        ))
        .unwrap();
        let described = survey.describe(2);
        assert!(
            !described.contains("<div>"),
            "a plain tag is no refusal: {described}"
        );
        assert_eq!(
            survey.describe_warnings(2),
            "<div> ×1 (tag: not a WeChat component nor in usingComponents, drawn as a plain element as WeChat does): pages/a/a.wxml:3"
        );
        assert!(described.contains("<camera> ×2 (tag: a WeChat component mp-sim does not render): pages/a/a.wxml:2, pages/a/a.wxml:4"), "{described}");
        assert!(
            described.contains(
                "wx.openBluetoothAdapter ×2 (wx API mp-sim does not implement): app.js:1, pages/a/a.js:2"
            ),
            "{described}"
        );
        assert!(described.contains("<pay-sheet> \"../../components/sheet/sheet\" ×1 (usingComponents path that leads nowhere): pages/a/a.json:1"), "{described}");
        assert!(
            described.contains("<share> plugin://share/button ×1 (plugin component"),
            "{described}"
        );
        assert!(
            !described.contains("wx.request") && !described.contains("<g-card>"),
            "{described}"
        );
        assert!(survey.wx.contains(&"requestPayment".to_string()));
        assert!(survey.tags.contains(&"view".to_string()));
    }

    #[test]
    fn readme_lists_exactly_the_built_in_components_and_wx_apis_mp_sim_has() {
        let survey = survey(&MiniProgram::default()).unwrap();
        let code = |names: &[String]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let start = readme
            .find("<!-- mp-sim support: generated from mp-sim's code; a test compares -->")
            .expect("README's generated mp-sim support rows");
        let block = &readme[start
            ..readme[start..]
                .find("<!-- end of the mp-sim support -->")
                .unwrap()
                + start];
        for (row, names) in [("built-in components", &survey.tags), ("wx", &survey.wx)] {
            let expected = format!("| {row} | {}", code(names));
            assert!(
                block.lines().any(|l| l.starts_with(&format!("{expected} (")) || l.starts_with(&format!("{expected};"))),
                "README's mp-sim support row \"{row}\" must start with:\n{expected}\n(mp-sim's code changed: update README)"
            );
        }
    }
}
