//! Finding what a step points at the way a shopper would: by the text on it, by the label or
//! placeholder of a field, or by a selector the team named in `zion-e2e.toml`.
//!
//! Lookups are strict, as Playwright's locators are: a text that two shown elements carry is
//! an error naming both, not a guess. The text match prefers the element whose whole text is
//! the wanted one (the innermost such element, so a `<span>` inside a `<button>` counts
//! once), then falls back to the innermost element containing it.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::Locator;

use crate::browser::page::{abbreviate, Page};
use crate::ui::names::Names;

/// What a step points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An element the team named: its name and CSS selector.
    Named {
        /// The name in the feature.
        name: String,
        /// The selector from the config.
        css: String,
    },
    /// What the shopper reads: an element's text (or, for a field, its label, placeholder,
    /// name or id).
    Text(String),
}

impl Target {
    /// `words` as a named element when `names` has one by that name, else as text.
    ///
    /// ```
    /// use zion_pay_e2e::ui::locate::Target;
    /// use zion_pay_e2e::ui::names::Names;
    ///
    /// let mut names = Names::default();
    /// names.elements.insert("pay button".into(), "#pay".into());
    /// assert_eq!(
    ///     Target::from_words("pay button", &names),
    ///     Target::Named { name: "pay button".into(), css: "#pay".into() }
    /// );
    /// assert_eq!(Target::from_words("Pay now", &names), Target::Text("Pay now".into()));
    /// ```
    pub fn from_words(words: &str, names: &Names) -> Self {
        match names.elements.get(words) {
            Some(css) => Target::Named {
                name: words.to_string(),
                css: css.clone(),
            },
            None => Target::Text(words.to_string()),
        }
    }

    /// How a message names it.
    pub fn describe(&self) -> String {
        match self {
            Target::Named { name, css } => format!("\"{name}\" ({css})"),
            Target::Text(text) => format!("\"{text}\""),
        }
    }
}

/// What kind of element a lookup by text wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything a shopper clicks or taps, found by its text.
    Clickable,
    /// An input or text area, found by its label, placeholder, `aria-label`, name or id.
    Field,
    /// A `<select>` or a Mini Program `<picker>`, found by its label, name or id, or (a
    /// picker) by the text it shows or the text beside it.
    Select,
    /// A switch or checkbox (`<switch>`, `<checkbox>`, `<input type="checkbox">`, an element
    /// with `role="switch"`/`"checkbox"`), found by its label, name, id or value, or by the text
    /// beside it.
    Toggle,
}

/// What counts as a switch or checkbox in XPath.
const TOGGLE: &str = "(self::wx-switch or self::wx-checkbox or self::input[@type='checkbox'] or @role='switch' or @role='checkbox')";

/// An XPath string literal for `text`, whatever quotes it holds.
///
/// ```
/// use zion_pay_e2e::ui::locate::xpath_literal;
///
/// assert_eq!(xpath_literal("Pay"), "'Pay'");
/// assert_eq!(xpath_literal("Shopper's plan"), "\"Shopper's plan\"");
/// assert_eq!(xpath_literal("a'b\"c"), "concat('a', \"'\", 'b\"c')");
/// ```
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    if !text.contains('"') {
        return format!("\"{text}\"");
    }
    let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}

/// The XPath queries for `text`, most exact first.
fn queries(kind: Kind, text: &str) -> Vec<String> {
    let t = xpath_literal(text);
    match kind {
        Kind::Clickable => vec![
            format!(
                "//body//*[normalize-space(.)={t}][not(.//*[normalize-space(.)={t}])] \
                 | //input[@type='submit' or @type='button' or @type='reset'][@value={t}] \
                 | //body//*[@aria-label={t}]"
            ),
            format!("//body//*[contains(normalize-space(.), {t})][not(.//*[contains(normalize-space(.), {t})])]"),
        ],
        Kind::Field | Kind::Select => {
            let tags: &[&str] = match kind {
                Kind::Select => &["select"],
                _ => &["input", "textarea"],
            };
            let mut union = Vec::new();
            for tag in tags {
                union.push(format!(
                    "//{tag}[@id={t} or @name={t} or @placeholder={t} or @aria-label={t}]"
                ));
                union.push(format!("//{tag}[@id=//label[normalize-space(.)={t}]/@for]"));
                union.push(format!("//label[normalize-space(.)={t}]//{tag}"));
            }
            if kind == Kind::Select {
                // A picker shows its current choice, or sits beside the words naming it.
                union.push(format!(
                    "//wx-picker[@id={t} or @name={t} or @aria-label={t} or normalize-space(.)={t}]"
                ));
                union.push(format!(
                    "//wx-picker[../*[not(self::wx-picker)][normalize-space(.)={t}]]"
                ));
                union.push(format!("//wx-label[normalize-space(.)={t}]//wx-picker"));
            }
            vec![union.join(" | ")]
        }
        Kind::Toggle => vec![
            [
                format!("//*[{TOGGLE}][@id={t} or @name={t} or @aria-label={t} or @value={t}]"),
                format!("//input[@type='checkbox'][@id=//label[normalize-space(.)={t}]/@for]"),
                format!("//*[self::label or self::wx-label][normalize-space(.)={t}]//*[{TOGGLE}]"),
                format!("//*[{TOGGLE}][normalize-space(..)={t}]"),
                format!("//*[{TOGGLE}][../*[not({TOGGLE})][normalize-space(.)={t}]]"),
            ]
            .join(" | "),
            format!("//*[{TOGGLE}][contains(normalize-space(..), {t})]"),
        ],
    }
}

/// The one shown element `target` points at, waiting up to `limit` for it to appear.
///
/// # Errors
/// None appeared (the message lists what the page offers instead), or several did.
pub async fn find(
    page: &Page,
    target: &Target,
    kind: Kind,
    limit: Duration,
) -> Result<Element, String> {
    let deadline = page.deadline(limit);
    loop {
        // Whether what was found only contains the words: a page still drawing (a list
        // sliding open) may not show the element that reads exactly so yet.
        let mut loose = false;
        let shown = match target {
            Target::Named { css, .. } => shown(page, &[Locator::Css(css)]).await,
            Target::Text(text) => {
                let mut found = Vec::new();
                for (i, query) in queries(kind, text).iter().enumerate() {
                    found = shown(page, &[Locator::XPath(query)]).await;
                    if !found.is_empty() {
                        loose = i > 0;
                        break;
                    }
                }
                found
            }
        };
        match shown.len() {
            1 => return Ok(shown.into_iter().next().expect("one element")),
            0 if !deadline.passed() => page.pass_time(&deadline).await,
            0 => return Err(not_found(page, target, kind, limit).await),
            _ if loose && !deadline.passed() => page.pass_time(&deadline).await,
            _ => return Err(ambiguous(target, kind, &shown).await),
        }
    }
}

/// The displayed elements the locators find.
async fn shown(page: &Page, locators: &[Locator<'_>]) -> Vec<Element> {
    let mut out = Vec::new();
    for locator in locators {
        for element in page.client().find_all(*locator).await.unwrap_or_default() {
            if element.is_displayed().await.unwrap_or(false) {
                out.push(element);
            }
        }
    }
    out
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Clickable => "element",
        Kind::Field => "field",
        Kind::Select => "drop-down list or picker",
        Kind::Toggle => "switch or checkbox",
    }
}

async fn not_found(page: &Page, target: &Target, kind: Kind, limit: Duration) -> String {
    // What the shopper could have meant: the texts of what is there to click or fill.
    let offered = page
        .run(
            r#"const kind = arguments[0];
               const css = kind === 'Clickable'
                 ? 'button, a, [role=button], input[type=submit], input[type=button], wx-button, wx-navigator, [bindtap]'
                 : kind === 'Select' ? 'select, wx-picker'
                 : kind === 'Toggle' ? 'wx-switch, wx-checkbox, input[type=checkbox], [role=switch], [role=checkbox]'
                 : 'input:not([type=hidden]), textarea';
               const seen = [];
               for (const el of document.querySelectorAll(css)) {
                 if (!el.getClientRects().length) continue;
                 let label = (el.innerText || el.value || '').trim();
                 if (kind === 'Toggle') {
                   label = (el.getAttribute('aria-label') || (el.closest('label, wx-label') || el.parentElement || el).innerText || el.name || el.id || '').trim();
                 } else if (kind !== 'Clickable') {
                   const byFor = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
                   label = (byFor && byFor.innerText.trim()) || el.placeholder || el.name || el.id
                     || (el.localName === 'wx-picker' ? el.innerText.trim() : '') || '';
                 }
                 if (label && !seen.includes(label)) seen.push(label);
               }
               return seen.slice(0, 12);"#,
            vec![serde_json::json!(format!("{kind:?}"))],
        )
        .await
        .ok()
        .and_then(|v| serde_json::from_value::<Vec<String>>(v).ok())
        .unwrap_or_default();
    let offered = match offered.is_empty() {
        true => String::new(),
        false => format!(
            "; shown there: {}",
            offered
                .iter()
                .map(|t| abbreviate(t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let how = match (target, kind) {
        (Target::Named { .. }, _) => String::new(),
        (Target::Text(_), Kind::Clickable) => " with that text".into(),
        (Target::Text(_), _) => " with that label, placeholder, name or id".into(),
    };
    format!(
        "found no shown {} {}{how} within {limit:?} at {}{offered}; the page shows: {}",
        noun(kind),
        target.describe(),
        page.url().await,
        abbreviate(&page.text().await)
    )
}

async fn ambiguous(target: &Target, kind: Kind, shown: &[Element]) -> String {
    let mut which = Vec::new();
    for element in shown.iter().take(5) {
        let tag = element.tag_name().await.unwrap_or_default();
        let text = element.text().await.unwrap_or_default();
        which.push(format!("<{tag}> {}", abbreviate(text.trim())));
    }
    format!(
        "{} {} points at {} shown elements ({}{}): name the one you mean in [web_app.elements] / [mini_program.elements] with a selector that picks it",
        noun(kind),
        target.describe(),
        shown.len(),
        which.join(", "),
        if shown.len() > 5 { ", …" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_queries_cover_labels_placeholders_names_and_ids() {
        let q = queries(Kind::Field, "Email").join("\n");
        assert!(q.contains("@placeholder='Email'"), "{q}");
        assert!(
            q.contains("//label[normalize-space(.)='Email']//textarea"),
            "{q}"
        );
        assert!(queries(Kind::Select, "Plan")[0].starts_with("//select["));
    }
}
