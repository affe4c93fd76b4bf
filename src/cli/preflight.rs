//! Checks the feature files before anything starts: each must parse, and each step must
//! match a step of the library. A typo in a feature then ends in one message naming the file,
//! the line and the step — not in a browser run whose scenario is merely "skipped".

use std::path::PathBuf;

use cucumber::gherkin::{self, GherkinEnv, Step};
use cucumber::World as _;

use crate::cli::feature_files::list;
use crate::steps::ShopWorld;

/// What is wrong with the feature files.
#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    /// A file is not valid Gherkin.
    #[error("{path}: not a valid feature file: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The parser's words.
        message: String,
    },
    /// Steps that no step definition matches.
    #[error("{} step(s) match no step definition (see the step list in README.md):\n{}", .0.len(), .0.join("\n"))]
    UnknownSteps(Vec<String>),
    /// No feature files at all.
    #[error("no .feature files at {0}: give a .feature file or a folder of them")]
    None(PathBuf),
}

/// Parses every feature file at `paths` (files or folders) and matches every step against
/// the step library.
///
/// # Errors
/// [`FeatureError`] naming every problem found.
pub fn check(paths: &[PathBuf]) -> Result<(), FeatureError> {
    if let Some(empty) = paths
        .iter()
        .find(|p| list(std::slice::from_ref(p)).is_empty())
    {
        return Err(FeatureError::None(empty.clone()));
    }
    let files = list(paths);
    let steps = ShopWorld::collection();
    let mut unknown = Vec::new();
    for file in files {
        let feature = gherkin::Feature::parse_path(&file, GherkinEnv::default()).map_err(|e| {
            FeatureError::Malformed {
                path: file.clone(),
                // The parser's position is in the error's source ("Error at 2:3: …").
                message: std::error::Error::source(&e)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| e.to_string()),
            }
        })?;
        let mut check_step = |step: &Step| {
            if !matches!(steps.find(step), Ok(Some(_))) {
                unknown.push(format!(
                    "  {}:{}: {}{}",
                    file.display(),
                    step.position.line,
                    step.keyword,
                    step.value
                ));
            }
        };
        let backgrounds = feature
            .background
            .iter()
            .chain(feature.rules.iter().filter_map(|r| r.background.as_ref()));
        for step in backgrounds.flat_map(|b| &b.steps) {
            check_step(step);
        }
        let scenarios = feature
            .scenarios
            .iter()
            .chain(feature.rules.iter().flat_map(|r| &r.scenarios));
        for scenario in scenarios {
            for step in &scenario.steps {
                check_step(&with_first_example(step, scenario));
            }
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(FeatureError::UnknownSteps(unknown))
    }
}

/// A scenario outline's step with `<placeholders>` filled from its first example row.
fn with_first_example(step: &Step, scenario: &gherkin::Scenario) -> Step {
    let mut step = step.clone();
    for examples in &scenario.examples {
        let Some(table) = &examples.table else {
            continue;
        };
        if let (Some(header), Some(row)) = (table.rows.first(), table.rows.get(1)) {
            for (name, value) in header.iter().zip(row) {
                step.value = step.value.replace(&format!("<{name}>"), value);
            }
        }
    }
    step
}
