//! Checks the feature files before anything starts: each must parse, and each step must
//! match a step of the library. A typo in a feature then ends in one message naming the file,
//! the line and the step — not in a browser run whose scenario is merely "skipped".

use std::path::PathBuf;

use cucumber::gherkin::{self, GherkinEnv, Step};

use crate::cli::feature_files::list;
use crate::phrases::Phrases;

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
    /// Steps that no step definition (or phrase) matches, or match several.
    #[error("{} step(s) match no step definition, or several (see the step list in README.md, or `zion-pay-e2e steps`):\n{}", .0.len(), .0.join("\n"))]
    UnknownSteps(Vec<String>),
    /// No feature files at all.
    #[error("no .feature files at {0}: give a .feature file or a folder of them")]
    None(PathBuf),
}

/// Parses every feature file at `paths` (files or folders) and matches every step against
/// the step library and the team's `phrases`; every step of a phrase a feature uses must
/// match too (with the values the feature gives).
///
/// # Errors
/// [`FeatureError`] naming every problem found.
pub fn check(paths: &[PathBuf], phrases: &Phrases) -> Result<(), FeatureError> {
    if let Some(empty) = paths
        .iter()
        .find(|p| list(std::slice::from_ref(p)).is_empty())
    {
        return Err(FeatureError::None(empty.clone()));
    }
    let files = list(paths);
    let mut unknown = Vec::new();
    let mut used = std::collections::HashSet::new();
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
        for step in steps_of(&feature) {
            let at = format!("{}:{}", file.display(), step.position.line);
            unknown.extend(problems_of(&step, &at, phrases, &mut used));
        }
    }
    // A phrase no feature uses yet is still checked: its parameters as written (a quoted
    // `"{plan}"` matches a string), or else as 1 (where a number is expected).
    let unused: Vec<_> = phrases
        .iter()
        .filter(|p| !used.contains(&p.place()))
        .collect();
    for phrase in unused {
        for step in &phrase.steps {
            let at = format!("{}:{}", phrase.file.display(), step.position.line);
            let as_written = problems_of(step, &at, phrases, &mut used);
            if as_written.is_empty() {
                continue;
            }
            let mut with_ones = step.clone();
            for parameter in &phrase.parameters {
                with_ones.value = with_ones.value.replace(&format!("{{{parameter}}}"), "1");
            }
            if !problems_of(&with_ones, &at, phrases, &mut used).is_empty() {
                unknown.extend(as_written);
            }
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(FeatureError::UnknownSteps(unknown))
    }
}

/// What is wrong with one step found at `at`: it matches nothing, several things, or it is a
/// phrase one of whose steps is wrong. Records the phrases it uses in `used`.
fn problems_of(
    step: &Step,
    at: &str,
    phrases: &Phrases,
    used: &mut std::collections::HashSet<String>,
) -> Vec<String> {
    let library = crate::steps::phrases::library().find(step);
    let matching = phrases.matching(&step.value);
    let line = format!("  {at}: {}{}", step.keyword, step.value);
    match (library, matching.as_slice()) {
        (Err(ambiguous), _) => vec![format!(
            "{line}
    matches several steps: {ambiguous}"
        )],
        (Ok(Some(_)), [phrase, ..]) => vec![format!(
            "{line}
    matches both a step of the library and the phrase \"{}\" ({}): reword the phrase",
            phrase.0.sentence,
            phrase.0.place()
        )],
        (Ok(Some(_)), []) => Vec::new(),
        (Ok(None), []) => vec![line],
        (Ok(None), [(phrase, values)]) => {
            used.insert(phrase.place());
            phrase
                .expand(values)
                .iter()
                .flat_map(|inner| {
                    let inner_at = format!("{}:{}", phrase.file.display(), inner.position.line);
                    problems_of(inner, &inner_at, phrases, used)
                        .into_iter()
                        .map(|p| {
                            format!(
                                "{p}
    (a step of the phrase \"{}\", used at {at})",
                                phrase.sentence
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        (Ok(None), several) => vec![format!(
            "{line}
    matches several phrases: {}",
            several
                .iter()
                .map(|(p, _)| format!("\"{}\" ({})", p.sentence, p.place()))
                .collect::<Vec<_>>()
                .join(", ")
        )],
    }
}

/// Whether any step of the features at `paths` (or of the team's phrases) is a step defined in
/// the step file `file` (e.g. `wechat.rs`): what a run will need. Files that do not parse
/// count as using nothing ([`check`] names them).
pub fn uses_steps_of(paths: &[PathBuf], phrases: &Phrases, file: &str) -> bool {
    let defined_in = |step: &Step| {
        matches!(
            crate::steps::phrases::library().find(step),
            Ok(Some((_, _, Some(location), _))) if location.path.ends_with(file)
        )
    };
    let in_features = list(paths).iter().any(|path| {
        gherkin::Feature::parse_path(path, GherkinEnv::default())
            .is_ok_and(|feature| steps_of(&feature).iter().any(defined_in))
    });
    in_features || phrases.iter().flat_map(|p| &p.steps).any(defined_in)
}

/// Every step of a feature as it will run: its Backgrounds' (the rules' too), then each
/// scenario's, an outline's with its first example row filled in.
fn steps_of(feature: &gherkin::Feature) -> Vec<Step> {
    let backgrounds = feature
        .background
        .iter()
        .chain(feature.rules.iter().filter_map(|r| r.background.as_ref()))
        .flat_map(|b| b.steps.iter().cloned());
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| &r.scenarios))
        .flat_map(|scenario| {
            scenario
                .steps
                .iter()
                .map(move |step| with_first_example(step, scenario))
        });
    backgrounds.chain(scenarios).collect()
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
