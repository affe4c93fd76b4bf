//! The step library as a list a team reads: every step's English and Chinese wording, the
//! keywords it follows and what it does, read from the step definitions themselves (their
//! `#[given/when/then(expr = …)]` attributes and doc comments), so README's list and
//! `zion-pay-e2e steps` cannot drift from what runs. A test checks that the list holds as
//! many wordings as cucumber registered.

/// The step definition files, in the order the list shows them, with a heading each.
const SOURCES: &[(&str, &str, &str)] = &[
    (
        "steps/generic.rs",
        "Any page, web app or Mini Program",
        include_str!("../../steps/generic.rs"),
    ),
    (
        "steps/shop.rs",
        "The shop, its shopper and the order",
        include_str!("../../steps/shop.rs"),
    ),
    (
        "steps/alipay.rs",
        "Alipay in the web app",
        include_str!("../../steps/alipay.rs"),
    ),
    (
        "steps/wechat.rs",
        "WeChat Pay in the Mini Program",
        include_str!("../../steps/wechat.rs"),
    ),
    (
        "steps/data.rs",
        "Data in the project",
        include_str!("../../steps/data.rs"),
    ),
    (
        "steps/actionflows.rs",
        "The team's own actionflows",
        include_str!("../../steps/actionflows.rs"),
    ),
];

/// One step definition: its wordings and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDoc {
    /// The file it is defined in.
    pub file: &'static str,
    /// The keywords it is registered for (`Given`, `When`, `Then`).
    pub keywords: Vec<&'static str>,
    /// Its English wordings (cucumber expressions).
    pub english: Vec<String>,
    /// Its Chinese wordings.
    pub chinese: Vec<String>,
    /// The first sentence of its doc comment ("" when it has none).
    pub doc: String,
}

/// Every step definition of the library, in file order.
///
/// ```
/// let steps = zion_pay_e2e::cli::step_list::library();
/// let opens = steps
///     .iter()
///     .find(|s| s.english.contains(&"the shopper opens {string}".to_string()))
///     .unwrap();
/// assert_eq!(opens.keywords, ["Given", "When", "Then"]);
/// assert_eq!(opens.chinese, ["顾客打开 {string}"]);
/// ```
pub fn library() -> Vec<StepDoc> {
    SOURCES
        .iter()
        .flat_map(|(file, _, source)| read(file, source))
        .collect()
}

/// The wordings of one file's step functions.
fn read(file: &'static str, source: &str) -> Vec<StepDoc> {
    let mut steps = Vec::new();
    let mut doc: Vec<String> = Vec::new();
    let mut current: Option<StepDoc> = None;
    // `#[then(` alone on a line: its `expr = "…"` follows on the next.
    let mut pending: Option<&str> = None;
    for line in source.lines().map(str::trim) {
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_string());
            continue;
        }
        let attribute = ["given", "when", "then"].into_iter().find_map(|k| {
            line.strip_prefix(&format!("#[{k}("))
                .map(|rest| (k, rest.strip_prefix("expr = \"")))
        });
        let wording = match (attribute, pending, line.strip_prefix("expr = \"")) {
            (Some((keyword, Some(rest))), _, _) => Some((keyword, rest)),
            (Some((keyword, None)), _, _) => {
                pending = Some(keyword);
                continue;
            }
            (None, Some(keyword), Some(rest)) => Some((keyword, rest)),
            _ => None,
        };
        if let Some((keyword, rest)) = wording {
            pending = None;
            let expression = rest
                .trim_end_matches(")]")
                .trim_end_matches(',')
                .trim_end_matches('"')
                .to_string();
            let step = current.get_or_insert_with(|| StepDoc {
                file,
                keywords: Vec::new(),
                english: Vec::new(),
                chinese: Vec::new(),
                doc: first_sentence(&doc),
            });
            let keyword = match keyword {
                "given" => "Given",
                "when" => "When",
                _ => "Then",
            };
            if !step.keywords.contains(&keyword) {
                step.keywords.push(keyword);
            }
            let list = match expression.chars().any(is_chinese) {
                true => &mut step.chinese,
                false => &mut step.english,
            };
            if !list.contains(&expression) {
                list.push(expression);
            }
            continue;
        }
        if line.starts_with("#[") || line == ")]" {
            continue;
        }
        if let Some(step) = current.take() {
            steps.push(step);
        }
        if !line.is_empty() {
            doc.clear();
        }
    }
    steps
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn first_sentence(doc: &[String]) -> String {
    let text = doc.join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_string(),
        None => text,
    }
}

/// The list as Markdown tables, one per file (README's "Step library" section).
pub fn markdown() -> String {
    let steps = library();
    let mut out = String::new();
    for (file, heading, _) in SOURCES {
        out.push_str(&format!(
            "#### {heading}\n\n| Keywords | English | 中文 | What it does |\n|---|---|---|---|\n"
        ));
        for step in steps.iter().filter(|s| s.file == *file) {
            let cell = |list: &[String]| match list.is_empty() {
                true => "—".to_string(),
                false => list
                    .iter()
                    .map(|e| format!("`{}`", e.replace('|', "\\|")))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                keywords(step),
                cell(&step.english),
                cell(&step.chinese),
                step.doc.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out
}

/// The list as plain text, for the terminal.
pub fn text() -> String {
    let steps = library();
    let mut out = String::new();
    for (file, heading, _) in SOURCES {
        out.push_str(&format!("{heading}\n"));
        for step in steps.iter().filter(|s| s.file == *file) {
            for wording in step.english.iter().chain(&step.chinese) {
                out.push_str(&format!("  {:<11} {wording}\n", keywords(step)));
            }
            if !step.doc.is_empty() {
                out.push_str(&format!("              {}\n", step.doc));
            }
        }
        out.push('\n');
    }
    out
}

fn keywords(step: &StepDoc) -> String {
    match step.keywords.len() {
        3 => "any".into(),
        _ => step.keywords.join("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cucumber::codegen::{StepConstructor as _, WorldInventory};

    use crate::steps::ShopWorld;

    /// Every wording cucumber registered is in the list, and nothing else.
    #[test]
    fn the_list_holds_every_registered_step() {
        let mut registered = 0;
        for step in cucumber::codegen::inventory::iter::<<ShopWorld as WorldInventory>::Given> {
            let _ = step.inner();
            registered += 1;
        }
        for step in cucumber::codegen::inventory::iter::<<ShopWorld as WorldInventory>::When> {
            let _ = step.inner();
            registered += 1;
        }
        for step in cucumber::codegen::inventory::iter::<<ShopWorld as WorldInventory>::Then> {
            let _ = step.inner();
            registered += 1;
        }
        let listed: usize = library()
            .iter()
            .map(|s| s.keywords.len() * (s.english.len() + s.chinese.len()))
            .sum();
        assert_eq!(listed, registered);
    }

    #[test]
    fn the_readme_lists_the_step_library() {
        let readme = include_str!("../../README.md");
        let list = readme
            .split("<!-- step list: generated by `zion-pay-e2e steps --markdown` -->\n")
            .nth(1)
            .and_then(|rest| rest.split("<!-- end of the step list -->").next())
            .expect("README.md has the generated step list");
        assert!(
            list == markdown(),
            "README's step list is out of date: replace it with the output of `cargo run -- steps --markdown`"
        );
    }
}
