//! The controls a shopper sets rather than clicks through: a Mini Program picker (its bottom
//! sheet's columns, then 确定), a switch or checkbox (turned to the state the step names), and
//! a form (sent with its submit button). Each is driven with WebDriver clicks on what mp-sim
//! or the web page drew, as a shopper's taps.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::Locator;

use crate::browser::page::{abbreviate, Page};
use crate::ui::locate::{self, Kind, Target};

/// The parts of a choice, one per picker column: the whole choice for one column; for more,
/// the first way of splitting it that gives as many parts (`广东省 / 广州市 / 海珠区`,
/// `2026-12-01`, `09:30`, `水果 饮料`).
///
/// ```
/// use zion_pay_e2e::ui::controls::parts;
///
/// assert_eq!(parts("M", 1), vec!["M"]);
/// assert_eq!(parts("广东省 / 广州市 / 海珠区", 3), vec!["广东省", "广州市", "海珠区"]);
/// assert_eq!(parts("2026-12-01", 3), vec!["2026", "12", "01"]);
/// assert_eq!(parts("09:30", 2), vec!["09", "30"]);
/// assert_eq!(parts("2026-12", 3), vec!["2026-12"], "no split fits: the error names the columns");
/// ```
pub fn parts(choice: &str, columns: usize) -> Vec<String> {
    if columns > 1 {
        for separator in ["/", "-", ":", " "] {
            let split: Vec<String> = choice
                .split(separator)
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if split.len() == columns {
                return split;
            }
        }
    }
    vec![choice.trim().to_string()]
}

/// How an option reads as `part`: exactly (its text or value), or as the same number (`12`
/// for `12月`, `1` for `01`); `None` when it does not.
fn option_matches(text: &str, value: &str, part: &str) -> Option<Match> {
    if text == part || value == part {
        return Some(Match::Exact);
    }
    let number = |s: &str| s.trim_end_matches(['年', '月', '日']).parse::<u32>().ok();
    match (number(part), number(value).or(number(text))) {
        (Some(a), Some(b)) if a == b => Some(Match::Number),
        _ => None,
    }
}

/// How well an option matched: an exact match wins over a numeric one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Number,
    Exact,
}

/// Opens the picker `picker`, chooses `choice` column by column and confirms (确定).
///
/// # Errors
/// The sheet did not open, or a column has no such option (the message lists its options).
pub async fn pick(
    page: &Page,
    picker: &Element,
    what: &Target,
    choice: &str,
    limit: Duration,
) -> Result<(), String> {
    picker
        .click()
        .await
        .map_err(|e| format!("could not tap the picker {}: {e}", what.describe()))?;
    let sheet = wait_for_one(page, "wx-picker-sheet", limit)
        .await
        .map_err(|_| {
            format!(
                "the picker {} opened no sheet within {limit:?}",
                what.describe()
            )
        })?;
    let count = sheet
        .find_all(Locator::Css("wx-picker-column"))
        .await
        .map(|c| c.len())
        .unwrap_or(0);
    let wanted = parts(choice, count);
    if wanted.len() != count {
        return Err(format!(
            "the picker {} has {count} columns and \"{choice}\" names {} part(s): write one part per column, separated by \" / \" (a date as 2026-12-01, a time as 09:30)",
            what.describe(),
            wanted.len()
        ));
    }
    for (column, part) in wanted.iter().enumerate() {
        // Columns after a moved one are redrawn (a date's days, a region's cities): look again.
        let deadline = page.deadline(limit);
        loop {
            let options = page
                .client()
                .find_all(Locator::Css(&format!(
                    "wx-picker-sheet wx-picker-column[data-column=\"{column}\"] wx-picker-option"
                )))
                .await
                .unwrap_or_default();
            let mut texts = Vec::new();
            let mut found: Option<(Match, Element)> = None;
            for option in options {
                let text = option.text().await.unwrap_or_default().trim().to_string();
                let value = option
                    .attr("data-value")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                if let Some(how) = option_matches(&text, &value, part) {
                    if found.as_ref().is_none_or(|(best, _)| how > *best) {
                        found = Some((how, option));
                    }
                }
                texts.push(text);
            }
            if let Some((_, option)) = found {
                option.click().await.map_err(|e| {
                    format!(
                        "could not tap \"{part}\" in the picker {}: {e}",
                        what.describe()
                    )
                })?;
                break;
            }
            if deadline.passed() {
                let mut offered: Vec<String> =
                    texts.iter().take(20).map(|t| format!("\"{t}\"")).collect();
                if texts.len() > 20 {
                    offered.push(format!("… ({} in all)", texts.len()));
                }
                return Err(format!(
                    "the picker {} has no \"{part}\" in its column {}; it offers: {}",
                    what.describe(),
                    column + 1,
                    offered.join(", ")
                ));
            }
            page.pass_time(&deadline).await;
        }
    }
    let confirm = sheet
        .find(Locator::Css("wx-picker-bar [data-action=\"confirm\"]"))
        .await
        .map_err(|e| format!("the picker's sheet has no 确定 button: {e}"))?;
    confirm
        .click()
        .await
        .map_err(|e| format!("could not tap 确定 in the picker {}: {e}", what.describe()))
}

/// The one shown element matching `css`, waiting up to `limit`.
async fn wait_for_one(page: &Page, css: &str, limit: Duration) -> Result<Element, ()> {
    let deadline = page.deadline(limit);
    loop {
        if let Ok(element) = page.client().find(Locator::Css(css)).await {
            if element.is_displayed().await.unwrap_or(false) {
                return Ok(element);
            }
        }
        if deadline.passed() {
            return Err(());
        }
        page.pass_time(&deadline).await;
    }
}

/// Whether a switch or checkbox is on (`aria-checked`, else the input's `checked`).
async fn is_on(page: &Page, element: &Element) -> Result<bool, String> {
    page.run(
        "const el = arguments[0]; const aria = el.getAttribute('aria-checked'); return aria === null ? Boolean(el.checked) : aria === 'true';",
        vec![serde_json::to_value(element).map_err(|e| e.to_string())?],
    )
    .await
    .map(|v| v.as_bool().unwrap_or(false))
}

/// Turns the switch or checkbox `target` points at on (`true`) or off, with a tap when it is
/// not so already, and checks that it changed.
///
/// # Errors
/// No such control shown within `limit`, or it did not change (disabled).
pub async fn toggle(page: &Page, target: &Target, on: bool, limit: Duration) -> Result<(), String> {
    let control = locate::find(page, target, Kind::Toggle, limit).await?;
    let state = |on: bool| if on { "on" } else { "off" };
    if is_on(page, &control).await? == on {
        return Ok(());
    }
    control.click().await.map_err(|e| {
        format!(
            "could not tap the switch or checkbox {}: {e}",
            target.describe()
        )
    })?;
    let deadline = page.deadline(limit);
    loop {
        if is_on(page, &control).await? == on {
            return Ok(());
        }
        if deadline.passed() {
            let disabled = control.attr("disabled").await.ok().flatten().is_some();
            return Err(format!(
                "the switch or checkbox {} stayed {} after a tap{}",
                target.describe(),
                state(!on),
                if disabled { " (it is disabled)" } else { "" }
            ));
        }
        page.pass_time(&deadline).await;
    }
}

/// Sends the one shown form with its submit button (a Mini Program's `form-type="submit"`, a
/// web form's submit button), as the shopper's tap.
///
/// # Errors
/// No form, several, or a form without a submit button.
pub async fn submit_form(page: &Page, limit: Duration) -> Result<(), String> {
    let deadline = page.deadline(limit);
    let forms = loop {
        let mut shown = Vec::new();
        for form in page
            .client()
            .find_all(Locator::Css("wx-form, form"))
            .await
            .unwrap_or_default()
        {
            if form.is_displayed().await.unwrap_or(false) {
                shown.push(form);
            }
        }
        if !shown.is_empty() || deadline.passed() {
            break shown;
        }
        page.pass_time(&deadline).await;
    };
    let form = match forms.len() {
        0 => {
            return Err(format!(
                "the page shows no form to submit within {limit:?}; it shows: {}",
                abbreviate(&page.text().await)
            ))
        }
        1 => &forms[0],
        n => {
            return Err(format!(
                "the page shows {n} forms: tap the submit button of the one you mean (the shopper clicks \"…\")"
            ))
        }
    };
    let button = form
        .find(Locator::Css(
            "wx-button[form-type=\"submit\"], button[type=\"submit\"], input[type=\"submit\"], button:not([type])",
        ))
        .await
        .map_err(|_| {
            "the form has no submit button (<button form-type=\"submit\"> in a Mini Program, <button type=\"submit\"> on the web): tap what sends it instead".to_string()
        })?;
    button
        .click()
        .await
        .map_err(|e| format!("could not tap the form's submit button: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_match_by_text_value_or_number() {
        assert_eq!(option_matches("2026年", "2026", "2026"), Some(Match::Exact));
        assert_eq!(option_matches("12月", "12", "12"), Some(Match::Exact));
        assert_eq!(option_matches("1日", "01", "1"), Some(Match::Number));
        assert_eq!(option_matches("上海", "上海", "上海"), Some(Match::Exact));
        assert_eq!(option_matches("上海", "上海", "北京"), None);
        assert_eq!(option_matches("11月", "11", "12"), None);
    }
}
