//! What a team calls the parts of its app: named pages (paths with `{parameters}`) and named
//! elements (CSS selectors), from `[web_app.pages]`, `[web_app.elements]`,
//! `[mini_program.pages]` and `[mini_program.elements]` in `zion-e2e.toml`. Features then
//! say "the shopper opens the \"plan\" page for 101" and "clicks \"pay button\"", and the
//! selectors stay in one file.
//!
//! # Example
//!
//! ```
//! use zion_pay_e2e::ui::names::PagePattern;
//!
//! let plan = PagePattern::new("/plans/{id}").unwrap();
//! assert_eq!(plan.parameters(), ["id"]);
//! assert_eq!(plan.fill(&["101"]).unwrap(), "/plans/101");
//! assert!(plan.matches("/plans/7"));
//! assert!(!plan.matches("/plans/7/reviews"));
//! ```

use std::collections::BTreeMap;

/// A page's path (web: `/plans/{id}`; Mini Program: `pages/plan/plan?id={id}`), with the
/// parameters a step fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePattern {
    text: String,
    parameters: Vec<String>,
}

impl PagePattern {
    /// Reads a pattern; `{name}` is a parameter (letters, digits, `_`).
    ///
    /// # Errors
    /// An unclosed or empty `{}`, or a parameter named twice.
    pub fn new(text: &str) -> Result<Self, String> {
        let mut parameters = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("`{text}` has a `{{` without its `}}`"))?;
            let name = &after[..close];
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(format!(
                    "`{text}`: `{{{name}}}` is not a parameter name (letters, digits and _)"
                ));
            }
            if parameters.iter().any(|p| p == name) {
                return Err(format!("`{text}` names the parameter {{{name}}} twice"));
            }
            parameters.push(name.to_string());
            rest = &after[close + 1..];
        }
        Ok(PagePattern {
            text: text.to_string(),
            parameters,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parameters, in the order they appear.
    pub fn parameters(&self) -> &[String] {
        &self.parameters
    }

    /// The path with `values` in place of the parameters, in order.
    ///
    /// # Errors
    /// Not one value per parameter.
    pub fn fill(&self, values: &[&str]) -> Result<String, String> {
        if values.len() != self.parameters.len() {
            return Err(match self.parameters.len() {
                0 => format!("`{}` takes no parameter", self.text),
                n => format!(
                    "`{}` takes {n} parameter(s) ({}), given {}",
                    self.text,
                    self.parameters
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    values.len()
                ),
            });
        }
        let mut path = self.text.clone();
        for (name, value) in self.parameters.iter().zip(values) {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        Ok(path)
    }

    /// Whether `path` (with its query, if the pattern has one) is this page, any value standing
    /// for each parameter (up to the next `/`, `?`, `&` or `#`).
    pub fn matches(&self, path: &str) -> bool {
        let mut expression = String::from("^");
        let mut rest = self.text.as_str();
        for name in &self.parameters {
            let marker = format!("{{{name}}}");
            let at = rest.find(&marker).unwrap_or(rest.len());
            expression.push_str(&regex::escape(&rest[..at]));
            expression.push_str("[^/?&#]+");
            rest = &rest[(at + marker.len()).min(rest.len())..];
        }
        expression.push_str(&regex::escape(rest));
        expression.push('$');
        regex::Regex::new(&expression).is_ok_and(|re| re.is_match(path))
    }
}

/// One app's named pages and elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Page name → path pattern.
    pub pages: BTreeMap<String, PagePattern>,
    /// Element name → CSS selector.
    pub elements: BTreeMap<String, String>,
}

impl Names {
    /// The page called `name`.
    ///
    /// # Errors
    /// No such page; the message lists the names there are and where they are set.
    pub fn page(&self, name: &str, section: &str) -> Result<&PagePattern, String> {
        self.pages.get(name).ok_or_else(|| {
            let known: Vec<String> = self.pages.keys().map(|k| format!("\"{k}\"")).collect();
            format!(
                "no page is called \"{name}\": name it in [{section}.pages] in zion-e2e.toml (e.g. {name} = \"/path/{{id}}\"){}",
                match known.is_empty() {
                    true => String::new(),
                    false => format!("; named pages: {}", known.join(", ")),
                }
            )
        })
    }

    /// The page whose pattern `path` matches, if any (the first by name).
    pub fn page_at(&self, path: &str) -> Option<&str> {
        self.pages
            .iter()
            .find(|(_, pattern)| pattern.matches(path))
            .map(|(name, _)| name.as_str())
    }
}

/// Named pages and elements of the web app and of the Mini Program.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppNames {
    /// `[web_app.pages]` and `[web_app.elements]`.
    pub web: Names,
    /// `[mini_program.pages]` and `[mini_program.elements]`.
    pub mini_program: Names,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_fill_and_match_their_parameters() {
        let p = PagePattern::new("pages/plan/plan?id={id}&from={from}").unwrap();
        assert_eq!(p.parameters(), ["id", "from"]);
        assert_eq!(
            p.fill(&["3", "home"]).unwrap(),
            "pages/plan/plan?id=3&from=home"
        );
        assert!(p.matches("pages/plan/plan?id=3&from=list"));
        assert!(!p.matches("pages/plan/plan?id=3"));
        let e = p.fill(&["3"]).unwrap_err();
        assert!(
            e.contains("takes 2 parameter(s) ({id}, {from}), given 1"),
            "{e}"
        );
        let fixed = PagePattern::new("/plans").unwrap();
        assert!(fixed.matches("/plans") && !fixed.matches("/plans/1"));
        assert!(fixed
            .fill(&["1"])
            .unwrap_err()
            .contains("takes no parameter"));
    }

    #[test]
    fn a_broken_pattern_says_what_is_wrong() {
        assert!(PagePattern::new("/plans/{id")
            .unwrap_err()
            .contains("without"));
        assert!(PagePattern::new("/plans/{}")
            .unwrap_err()
            .contains("not a parameter"));
        assert!(PagePattern::new("/{a}/{a}").unwrap_err().contains("twice"));
    }

    #[test]
    fn an_unknown_page_lists_the_named_ones() {
        let mut names = Names::default();
        names
            .pages
            .insert("plan".into(), PagePattern::new("/plans/{id}").unwrap());
        let e = names.page("plans", "web_app").unwrap_err();
        assert!(
            e.contains("[web_app.pages]") && e.contains("\"plan\""),
            "{e}"
        );
        assert_eq!(names.page_at("/plans/9"), Some("plan"));
        assert_eq!(names.page_at("/"), None);
    }
}
