//! What any shopper does on any page, web app or Mini Program alike: open a page, click or
//! tap, fill a field, choose an option, go back, read the page. The generic steps
//! (`steps/generic.rs`) are one line over these; the names a team gives its pages and
//! elements live in [`names`], and how a step's words become an element in [`locate`].
//!
//! Web pages and Mini Program pages share the browser's DOM (mp-sim renders WXML into it), so
//! clicking, filling and reading are one code path; only where the shopper *is* and how they
//! move between pages differ ([`Surface`]).

pub mod controls;
pub mod locate;
pub mod names;

use std::time::Duration;

use crate::browser::page::Page;
use crate::mini_program::shopper as mp;
use locate::{Kind, Target};
use names::PagePattern;

/// Where the scenario's shopper is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Surface {
    /// The web app; paths are resolved against its home page's URL.
    Web {
        /// The home page's URL.
        home: String,
    },
    /// The Mini Program running in mp-sim; paths are routes (`pages/plan/plan?id=1`).
    MiniProgram,
}

/// A page the shopper should be on: a path, or a named page's pattern.
#[derive(Debug, Clone)]
pub enum Place {
    /// A path (web: `/plans/101`, with its query if given; Mini Program: a route).
    Path(String),
    /// A named page: its name and pattern.
    Named(String, PagePattern),
}

impl Place {
    fn describe(&self) -> String {
        match self {
            Place::Path(path) => path.clone(),
            Place::Named(name, pattern) => format!("the \"{name}\" page ({})", pattern.as_str()),
        }
    }

    /// Whether `location` (a path with its query, or a route with its query) is this place.
    fn holds(&self, location: &str) -> bool {
        let path = location.split(['?', '#']).next().unwrap_or(location);
        match self {
            Place::Path(wanted) => {
                let wanted = wanted.trim_start_matches('/');
                let (location, path) = (
                    location.trim_start_matches('/'),
                    path.trim_start_matches('/'),
                );
                wanted == path || wanted == location
            }
            Place::Named(_, pattern) => pattern.matches(location) || pattern.matches(path),
        }
    }
}

/// Opens `path` on the surface: a web path resolved against the home page (`/plans/101`,
/// or a full loopback URL), or a Mini Program route.
///
/// # Errors
/// The navigation failed, or the Mini Program has no such page.
pub async fn open(page: &Page, surface: &Surface, path: &str) -> Result<(), String> {
    match surface {
        Surface::Web { home } => {
            let url = url::Url::parse(home)
                .and_then(|home| home.join(path))
                .map_err(|e| format!("`{path}` is not a path of the app at {home}: {e}"))?;
            page.open(url.as_str()).await
        }
        Surface::MiniProgram => mp::go(page, path).await,
    }
}

/// Goes back one page: the browser's back button, or the Mini Program's back gesture.
///
/// # Errors
/// There is nothing to go back to.
pub async fn back(page: &Page, surface: &Surface) -> Result<(), String> {
    match surface {
        Surface::Web { .. } => page
            .client()
            .back()
            .await
            .map_err(|e| format!("could not go back: {e}")),
        Surface::MiniProgram => mp::back(page).await,
    }
}

/// Where the shopper is: the web page's path, query and fragment, or the Mini Program's route
/// and query.
pub async fn location(page: &Page, surface: &Surface) -> String {
    match surface {
        Surface::Web { .. } => url::Url::parse(&page.url().await)
            .map(|u| {
                let mut here = u.path().to_string();
                if let Some(query) = u.query() {
                    here = format!("{here}?{query}");
                }
                // A hash router's route (`/#/active`) is where the shopper is, too.
                if let Some(fragment) = u.fragment() {
                    here = format!("{here}#{fragment}");
                }
                // Compared with paths as a feature writes them: `/套餐/1`, not `/%E5%A5%97…`.
                percent_encoding::percent_decode_str(&here)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .unwrap_or_default(),
        Surface::MiniProgram => mp::location(page).await.unwrap_or_default(),
    }
}

/// Waits until the shopper is at `place`.
///
/// # Errors
/// They were not within `limit`; the message says where they were.
pub async fn is_on(
    page: &Page,
    surface: &Surface,
    place: &Place,
    limit: Duration,
) -> Result<(), String> {
    let deadline = page.deadline(limit);
    loop {
        let here = location(page, surface).await;
        if place.holds(&here) {
            return Ok(());
        }
        if deadline.passed() {
            return Err(format!(
                "the shopper is not on {} within {limit:?}: they are on {}",
                place.describe(),
                match here.is_empty() {
                    true => "no page".to_string(),
                    false => here,
                }
            ));
        }
        page.pass_time(&deadline).await;
    }
}

/// Clicks (or taps) what `target` points at, once it is shown.
///
/// # Errors
/// Nothing, or more than one thing, shown matches within `limit`; or the click failed.
pub async fn click(page: &Page, target: &Target, limit: Duration) -> Result<(), String> {
    let element = locate::find(page, target, Kind::Clickable, limit).await?;
    element
        .click()
        .await
        .map_err(|e| format!("could not click {}: {e}", target.describe()))
}

/// Types `value` into the field `target` points at (emptied first).
///
/// # Errors
/// No such field shown within `limit`, or it takes no input.
pub async fn fill(
    page: &Page,
    target: &Target,
    value: &str,
    limit: Duration,
) -> Result<(), String> {
    let field = locate::find(page, target, Kind::Field, limit).await?;
    field
        .clear()
        .await
        .map_err(|e| format!("could not empty the field {}: {e}", target.describe()))?;
    field
        .send_keys(value)
        .await
        .map_err(|e| format!("could not type into the field {}: {e}", target.describe()))
}

/// Chooses the option labelled `option` in the drop-down list (or the Mini Program picker,
/// through its sheet: see [`controls::pick`]) `target` points at.
///
/// # Errors
/// No such list shown within `limit`, or it has no such option (the message lists them).
pub async fn choose(
    page: &Page,
    target: &Target,
    option: &str,
    limit: Duration,
) -> Result<(), String> {
    let select = locate::find(page, target, Kind::Select, limit).await?;
    if select.tag_name().await.unwrap_or_default() == "wx-picker" {
        return controls::pick(page, &select, target, option, limit).await;
    }
    if select.select_by_label(option).await.is_ok() {
        return Ok(());
    }
    let mut labels = Vec::new();
    for element in select
        .find_all(fantoccini::Locator::Css("option"))
        .await
        .unwrap_or_default()
    {
        labels.push(format!(
            "\"{}\"",
            element.text().await.unwrap_or_default().trim()
        ));
    }
    Err(format!(
        "the drop-down list {} has no option \"{option}\"; its options: {}",
        target.describe(),
        labels.join(", ")
    ))
}

/// The keys a step can press, by the names Playwright and WebDriver give them.
const KEYS: &[(&str, fantoccini::key::Key)] = {
    use fantoccini::key::Key;
    &[
        ("Enter", Key::Enter),
        ("Tab", Key::Tab),
        ("Escape", Key::Escape),
        ("Backspace", Key::Backspace),
        ("Delete", Key::Delete),
        ("Space", Key::Space),
        ("ArrowUp", Key::Up),
        ("ArrowDown", Key::Down),
        ("ArrowLeft", Key::Left),
        ("ArrowRight", Key::Right),
        ("Home", Key::Home),
        ("End", Key::End),
        ("PageUp", Key::PageUp),
        ("PageDown", Key::PageDown),
    ]
};

/// Presses the key named `name` (`Enter`, `Tab`, `Escape`, `ArrowDown`, …) in the element
/// that has the focus, as a user submitting a field with Enter does.
///
/// # Errors
/// No such key name (the message lists them), or nothing can take the key.
pub async fn press(page: &Page, name: &str) -> Result<(), String> {
    let Some((_, key)) = KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) else {
        let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        return Err(format!(
            "\"{name}\" is not a key this step knows; it knows {}",
            names.join(", ")
        ));
    };
    let focused = page
        .client()
        .active_element()
        .await
        .map_err(|e| format!("nothing has the focus to press {name} in: {e}"))?;
    focused
        .send_keys(&key.to_string())
        .await
        .map_err(|e| format!("could not press {name}: {e}"))
}

/// Waits until the page shows `text`.
///
/// # Errors
/// It did not within `limit`.
pub async fn sees(page: &Page, text: &str, limit: Duration) -> Result<(), String> {
    page.wait_for_text(text, limit).await
}

/// Waits until the page does not show `text` (at once when it never did).
///
/// # Errors
/// It still showed it after `limit`.
pub async fn does_not_see(page: &Page, text: &str, limit: Duration) -> Result<(), String> {
    page.wait_for(limit, |_, shown| !shown.contains(text))
        .await
        .map(drop)
        .map_err(|(url, shown)| {
            format!(
                "the page still shows \"{text}\" after {limit:?}; at {url} it shows: {}",
                crate::browser::page::abbreviate_around(&shown, text)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_place_matches_with_or_without_its_query() {
        let place = Place::Path("/plans/101".into());
        assert!(place.holds("/plans/101"));
        assert!(place.holds("/plans/101?from=list"));
        assert!(!place.holds("/plans/102"));
        assert!(Place::Path("/#/active".into()).holds("/#/active"));
        assert!(!Place::Path("/#/active".into()).holds("/#/completed"));
        let with_query = Place::Path("/checkout?plan=2".into());
        assert!(with_query.holds("/checkout?plan=2"));
        assert!(!with_query.holds("/checkout?plan=3"));
        let route = Place::Path("pages/plan/plan".into());
        assert!(route.holds("pages/plan/plan?id=1"));
    }

    #[test]
    fn a_named_place_matches_its_pattern() {
        let place = Place::Named("plan".into(), PagePattern::new("/plans/{id}").unwrap());
        assert!(place.holds("/plans/7?x=1"));
        assert!(!place.holds("/plans"));
    }
}
