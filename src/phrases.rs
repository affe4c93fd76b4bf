//! A team's own phrases, without Rust: `.steps` files beside the features define a sentence
//! with `{parameters}` by the steps it stands for, as Gauge's concepts do. A product owner
//! reads "When the shopper buys the Pro plan"; the team defines it once from generic steps.
//!
//! ```text
//! # features/plans.steps
//! Phrase: the shopper buys the {plan} plan
//!   When the shopper opens the "plans" page
//!   And the shopper clicks "{plan}"
//!   And the shopper clicks "Buy"
//! ```
//!
//! A `.steps` file is Gherkin: a `# language: zh-CN` line first makes it Chinese (the
//! header is then `短语：`), the steps take data tables and doc strings, and `{plan}` in
//! them (tables and doc strings included) is the value the feature gave. A value may be
//! written bare (`buys the Pro plan`) or quoted (`buys the "Pro" plan`).
//!
//! Loading checks what can be checked without the features: every parameter is used, no
//! step uses a parameter the phrase lacks, no phrase is defined twice, and no phrase uses
//! itself through others. The checks before a run ([`crate::cli::preflight`]) add that every
//! step of every phrase a feature uses matches a step.
//!
//! # Example
//!
//! ```
//! use zion_pay_e2e::phrases::Phrases;
//!
//! let phrases = Phrases::parse(
//!     "Phrase: the shopper buys the {plan} plan\n  When the shopper clicks \"{plan}\"\n",
//!     "plans.steps".as_ref(),
//! )
//! .unwrap();
//! let (phrase, values) = phrases.matching("the shopper buys the \"Pro\" plan").pop().unwrap();
//! assert_eq!(values, ["Pro"]);
//! assert_eq!(phrase.expand(&values)[0].value, "the shopper clicks \"Pro\"");
//! ```

use std::path::{Path, PathBuf};

use cucumber::gherkin::{self, GherkinEnv, Step};
use regex::Regex;

/// The header of a phrase, in English or Chinese.
static HEADER: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(\s*)(?:Phrase|短语)\s*[:：]\s*(.*?)\s*$").expect("a valid pattern")
});

/// A `{parameter}` in a phrase or its steps.
static PARAMETER: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"\{([^{}\s]*)\}").expect("a valid pattern"));

/// One phrase: its sentence, its parameters and the steps it stands for.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The sentence as written, with its `{parameters}`.
    pub sentence: String,
    /// The parameters, in order.
    pub parameters: Vec<String>,
    /// The steps, with `{parameters}` still in them.
    pub steps: Vec<Step>,
    /// Where it is defined.
    pub file: PathBuf,
    /// The line of its header.
    pub line: usize,
    regex: Regex,
}

impl Phrase {
    /// `file:line` of its header.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    /// The values of its parameters when `text` is this phrase.
    pub fn values(&self, text: &str) -> Option<Vec<String>> {
        let captures = self.regex.captures(text)?;
        Some(
            (0..self.parameters.len())
                .map(|i| {
                    captures
                        .get(2 * i + 1)
                        .or_else(|| captures.get(2 * i + 2))
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default()
                })
                .collect(),
        )
    }

    /// Its steps with `values` in place of the parameters (in text, doc strings and tables).
    pub fn expand(&self, values: &[String]) -> Vec<Step> {
        let fill = |text: &str| {
            PARAMETER
                .replace_all(text, |c: &regex::Captures<'_>| {
                    match self.parameters.iter().position(|p| *p == c[1]) {
                        Some(i) => values.get(i).cloned().unwrap_or_default(),
                        None => c[0].to_string(),
                    }
                })
                .into_owned()
        };
        self.steps
            .iter()
            .map(|step| {
                let mut step = step.clone();
                step.value = fill(&step.value);
                step.docstring = step.docstring.as_deref().map(fill);
                if let Some(table) = &mut step.table {
                    for row in &mut table.rows {
                        for cell in row {
                            *cell = fill(cell);
                        }
                    }
                }
                step
            })
            .collect()
    }

    /// The regular expression a feature step matches: for cucumber to route it here.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }
}

/// What is wrong with a `.steps` file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct PhraseError(pub Vec<String>);

/// Every phrase of a run.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    list: Vec<Phrase>,
}

impl Phrases {
    /// Reads and checks every `.steps` file that comes with the features at `paths`.
    ///
    /// # Errors
    /// Every problem of every file, each as `file:line: problem`.
    pub fn load(paths: &[PathBuf]) -> Result<Self, PhraseError> {
        let mut all = Phrases::default();
        let mut problems = Vec::new();
        for file in crate::cli::feature_files::list_phrase_files(paths) {
            match std::fs::read_to_string(&file) {
                Ok(text) => match Self::read(&text, &file) {
                    Ok(phrases) => all.list.extend(phrases),
                    Err(PhraseError(more)) => problems.extend(more),
                },
                Err(e) => problems.push(format!("{}: cannot read it: {e}", file.display())),
            }
        }
        if problems.is_empty() {
            problems = all.check();
        }
        match problems.is_empty() {
            true => Ok(all),
            false => Err(PhraseError(problems)),
        }
    }

    /// Reads and checks the phrases of one file's text.
    ///
    /// # Errors
    /// As [`Phrases::load`].
    pub fn parse(text: &str, file: &Path) -> Result<Self, PhraseError> {
        let phrases = Phrases {
            list: Self::read(text, file)?,
        };
        let problems = phrases.check();
        match problems.is_empty() {
            true => Ok(phrases),
            false => Err(PhraseError(problems)),
        }
    }

    /// The phrases, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Phrase> {
        self.list.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The phrases `text` is, with their parameters' values (more than one is an ambiguity).
    pub fn matching(&self, text: &str) -> Vec<(&Phrase, Vec<String>)> {
        self.list
            .iter()
            .filter_map(|p| p.values(text).map(|v| (p, v)))
            .collect()
    }

    /// Parses one file: Gherkin with `Phrase:` for `Scenario:`.
    fn read(text: &str, file: &Path) -> Result<Vec<Phrase>, PhraseError> {
        let at = |line: usize, problem: String| format!("{}:{line}: {problem}", file.display());
        let language = text
            .lines()
            .map(str::trim)
            .take_while(|l| l.is_empty() || l.starts_with('#'))
            .find_map(|l| {
                l.trim_start_matches('#')
                    .trim()
                    .strip_prefix("language:")
                    .map(|lang| lang.trim().to_string())
            })
            .unwrap_or_else(|| "en".into());
        let (feature, scenario) = match language.as_str() {
            "en" => ("Feature", "Scenario"),
            "zh-CN" => ("功能", "场景"),
            other => {
                return Err(PhraseError(vec![at(
                    1,
                    format!("a .steps file is in English (no language line) or `# language: zh-CN`, not `{other}`"),
                )]))
            }
        };
        // Two lines go before the file's own (the language and a Feature header), so a
        // position in the parsed text is two more than in the file.
        const SHIFT: usize = 2;
        let mut source = format!("# language: {language}\n{feature}: phrases\n");
        let mut headers = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(c) = HEADER.captures(line) {
                headers.push((i + 1, c[2].to_string()));
                source.push_str(&format!("{}{scenario}: {}\n", &c[1], &c[2]));
            } else if line.trim().starts_with("# language:") {
                source.push('\n');
            } else {
                source.push_str(line);
                source.push('\n');
            }
        }
        let feature = gherkin::Feature::parse(&source, GherkinEnv::default()).map_err(|e| {
            let message = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| e.to_string());
            // "Error at 5:3: …" counts the two lines put before the file.
            let line = Regex::new(r"(\d+):\d+")
                .ok()
                .and_then(|re| re.captures(&message).and_then(|c| c[1].parse::<usize>().ok()))
                .map_or(1, |l| l.saturating_sub(SHIFT).max(1));
            PhraseError(vec![at(
                line,
                format!("not a valid .steps file ({message}): each phrase is `Phrase: <sentence with {{parameters}}>` followed by its steps"),
            )])
        })?;
        if !feature.rules.is_empty() || feature.background.is_some() {
            return Err(PhraseError(vec![at(
                1,
                "a .steps file holds phrases only (no Rule or Background)".into(),
            )]));
        }
        let mut problems = Vec::new();
        let mut phrases = Vec::new();
        for scenario in feature.scenarios {
            let line = scenario.position.line.saturating_sub(SHIFT);
            let sentence = scenario.name.trim().to_string();
            if !headers.iter().any(|(l, _)| *l == line) {
                problems.push(at(
                    line,
                    format!(
                        "`{}:` is not a phrase header: write `Phrase: {sentence}`",
                        scenario.keyword
                    ),
                ));
                continue;
            }
            let steps: Vec<Step> = scenario
                .steps
                .into_iter()
                .map(|mut s| {
                    s.position.line = s.position.line.saturating_sub(SHIFT);
                    s
                })
                .collect();
            match compile(&sentence) {
                Ok((parameters, regex)) if !steps.is_empty() => phrases.push(Phrase {
                    sentence,
                    parameters,
                    steps,
                    file: file.to_path_buf(),
                    line,
                    regex,
                }),
                Ok(_) => problems.push(at(
                    line,
                    format!("the phrase \"{sentence}\" has no steps: list the steps it stands for below it, indented"),
                )),
                Err(problem) => problems.push(at(line, problem)),
            }
        }
        match problems.is_empty() {
            true => Ok(phrases),
            false => Err(PhraseError(problems)),
        }
    }

    /// Checks that need every phrase: parameters used and known, no phrase twice, no cycle.
    fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, phrase) in self.list.iter().enumerate() {
            if let Some(first) = self.list[..i]
                .iter()
                .find(|p| p.sentence == phrase.sentence)
            {
                problems.push(format!(
                    "{}: the phrase \"{}\" is already defined at {}",
                    phrase.place(),
                    phrase.sentence,
                    first.place()
                ));
            }
            let mut used = std::collections::HashSet::new();
            for step in &phrase.steps {
                let mut texts = vec![step.value.as_str()];
                texts.extend(step.docstring.as_deref());
                if let Some(table) = &step.table {
                    texts.extend(table.rows.iter().flatten().map(String::as_str));
                }
                for text in texts {
                    for c in PARAMETER.captures_iter(text) {
                        let name = c[1].to_string();
                        if !phrase.parameters.contains(&name) {
                            problems.push(format!(
                                "{}:{}: {{{name}}} is not a parameter of the phrase \"{}\" ({}){}",
                                phrase.file.display(),
                                step.position.line,
                                phrase.sentence,
                                phrase.place(),
                                match phrase.parameters.is_empty() {
                                    true => String::new(),
                                    false => format!(
                                        "; its parameters: {}",
                                        phrase
                                            .parameters
                                            .iter()
                                            .map(|p| format!("{{{p}}}"))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    ),
                                }
                            ));
                        }
                        used.insert(name);
                    }
                }
            }
            for parameter in &phrase.parameters {
                if !used.contains(parameter) {
                    problems.push(format!(
                        "{}: the parameter {{{parameter}}} of \"{}\" is used by none of its steps",
                        phrase.place(),
                        phrase.sentence
                    ));
                }
            }
        }
        if problems.is_empty() {
            problems.extend(self.cycles());
        }
        problems
    }

    /// Phrases that use themselves, directly or through others, each cycle named once.
    fn cycles(&self) -> Vec<String> {
        // A step of a phrase uses the phrases its text matches, parameters left as written.
        let uses: Vec<Vec<usize>> = self
            .list
            .iter()
            .map(|phrase| {
                let mut used: Vec<usize> = phrase
                    .steps
                    .iter()
                    .flat_map(|step| {
                        self.list
                            .iter()
                            .enumerate()
                            .filter(|(_, other)| other.values(&step.value).is_some())
                            .map(|(j, _)| j)
                    })
                    .collect();
                used.dedup();
                used
            })
            .collect();
        let mut problems = Vec::new();
        let mut reported = std::collections::HashSet::new();
        for start in 0..self.list.len() {
            let mut path = vec![start];
            if let Some(cycle) = self.cycle_from(&uses, &mut path) {
                let mut key = cycle.clone();
                key.sort_unstable();
                if reported.insert(key) {
                    let chain: Vec<String> = cycle
                        .iter()
                        .chain(cycle.first())
                        .map(|&i| {
                            format!("\"{}\" ({})", self.list[i].sentence, self.list[i].place())
                        })
                        .collect();
                    problems.push(format!(
                        "{}: the phrase \"{}\" uses itself: {}",
                        self.list[cycle[0]].place(),
                        self.list[cycle[0]].sentence,
                        chain.join(" → ")
                    ));
                }
            }
        }
        problems
    }

    fn cycle_from(&self, uses: &[Vec<usize>], path: &mut Vec<usize>) -> Option<Vec<usize>> {
        let last = *path.last()?;
        for &next in &uses[last] {
            if let Some(at) = path.iter().position(|&p| p == next) {
                return Some(path[at..].to_vec());
            }
            path.push(next);
            if let Some(cycle) = self.cycle_from(uses, path) {
                return Some(cycle);
            }
            path.pop();
        }
        None
    }
}

/// A sentence's parameters and the regular expression a step matches: each `{name}` stands for
/// a quoted value (quotes dropped) or a bare one.
fn compile(sentence: &str) -> Result<(Vec<String>, Regex), String> {
    if sentence.is_empty() {
        return Err("a phrase needs a sentence after `Phrase:`".into());
    }
    let mut parameters: Vec<String> = Vec::new();
    let mut expression = String::from("^");
    let mut last = 0;
    for c in PARAMETER.captures_iter(sentence) {
        let whole = c.get(0).expect("a match");
        let name = c[1].to_string();
        if name.is_empty() || !name.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
            return Err(format!(
                "`{}` is not a parameter: name it with letters, digits and _ (e.g. {{plan}})",
                whole.as_str()
            ));
        }
        if parameters.contains(&name) {
            return Err(format!("the phrase names the parameter {{{name}}} twice"));
        }
        expression.push_str(&regex::escape(&sentence[last..whole.start()]));
        expression.push_str(r#"(?:"([^"]*)"|(.+?))"#);
        parameters.push(name);
        last = whole.end();
    }
    expression.push_str(&regex::escape(&sentence[last..]));
    expression.push('$');
    let regex = Regex::new(&expression).map_err(|e| format!("cannot read the sentence: {e}"))?;
    Ok((parameters, regex))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Phrases, String> {
        Phrases::parse(text, Path::new("shop.steps")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_phrase_matches_bare_and_quoted_values_and_fills_tables() {
        let phrases = parse(
            "# Our phrases\n\nPhrase: the shopper buys {count} of the {plan} plan\n  Given the plans:\n    | name   |\n    | {plan} |\n  When the shopper clicks \"{plan}\" {count} times\n",
        )
        .unwrap();
        let (phrase, values) = phrases
            .matching("the shopper buys 2 of the \"Pro max\" plan")
            .pop()
            .unwrap();
        assert_eq!(values, ["2", "Pro max"]);
        assert_eq!(phrase.line, 3);
        let steps = phrase.expand(&values);
        assert_eq!(steps[0].table.as_ref().unwrap().rows[1], ["Pro max"]);
        assert_eq!(steps[1].value, "the shopper clicks \"Pro max\" 2 times");
        assert_eq!(steps[1].position.line, 7, "lines are the file's own");
        assert!(phrases.matching("the shopper buys the Pro plan").is_empty());
    }

    #[test]
    fn chinese_phrases_read_with_their_own_keywords() {
        let phrases = parse(
            "# language: zh-CN\n短语：顾客购买 {plan} 套餐\n  当顾客点击 \"{plan}\"\n  而且顾客点击 \"购买\"\n",
        )
        .unwrap();
        let (phrase, values) = phrases.matching("顾客购买 专业版 套餐").pop().unwrap();
        let steps = phrase.expand(&values);
        assert_eq!(steps[1].value, "顾客点击 \"购买\"");
        assert_eq!(steps[1].ty, gherkin::StepType::When, "而且 continues 当");
    }

    #[test]
    fn unused_and_unknown_parameters_are_named_with_their_lines() {
        let e =
            parse("Phrase: buys the {plan} plan\n  When the shopper clicks \"Buy\"\n").unwrap_err();
        assert_eq!(
            e,
            "shop.steps:1: the parameter {plan} of \"buys the {plan} plan\" is used by none of its steps"
        );
        let e = parse("Phrase: buys the {plan} plan\n  When the shopper clicks \"{plna}\"\n")
            .unwrap_err();
        assert!(
            e.starts_with("shop.steps:2: {plna} is not a parameter"),
            "{e}"
        );
        assert!(e.contains("its parameters: {plan}"), "{e}");
    }

    #[test]
    fn a_phrase_that_uses_itself_is_refused_with_the_chain() {
        let e = parse(
            "Phrase: the shopper pays\n  When the shopper checks out\n\nPhrase: the shopper checks out\n  When the shopper pays\n",
        )
        .unwrap_err();
        assert!(
            e.starts_with("shop.steps:1: the phrase \"the shopper pays\" uses itself"),
            "{e}"
        );
        assert!(e.contains("(shop.steps:4) → \"the shopper pays\""), "{e}");
        assert_eq!(e.lines().count(), 1, "one cycle, named once: {e}");
    }

    #[test]
    fn malformed_files_name_the_line() {
        let e = parse("Phrase: a\n  When b\n\nthis is not gherkin\n").unwrap_err();
        assert!(
            e.starts_with("shop.steps:4: not a valid .steps file"),
            "{e}"
        );
        let e = parse("Scenario: a\n  When b\n").unwrap_err();
        assert!(
            e.starts_with("shop.steps:1: `Scenario:` is not a phrase header"),
            "{e}"
        );
        let e = parse("Phrase: a\n\nPhrase: b\n  When c\n").unwrap_err();
        assert!(
            e.starts_with("shop.steps:1: the phrase \"a\" has no steps"),
            "{e}"
        );
        let e = parse("Phrase: a\n  When b\nPhrase: a\n  When c\n").unwrap_err();
        assert!(
            e.contains("shop.steps:3: the phrase \"a\" is already defined at shop.steps:1"),
            "{e}"
        );
        let e = parse("# language: fr\nPhrase: a\n  When b\n").unwrap_err();
        assert!(e.contains("not `fr`"), "{e}");
    }
}
