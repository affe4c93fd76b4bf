//! `zion-e2e.toml`: one file that tells the harness where a team's app is and what it shows,
//! and tells mock-zion what the team's Zion project looks like.
//!
//! The harness owns `[run]`, `[web_app]`, `[mini_program]` and `[zion]`; every other section is
//! mock-zion's [`ProjectConfig`] (tables, order table, accounts, actionflows, Alipay, WeChat),
//! so `zion-pay-e2e run` and `zion-pay-e2e mock` read the same file. Paths are relative to
//! the file's folder. Unknown keys, bad values and paths that do not exist end with
//! `FILE:LINE: problem`.
//!
//! # Example
//!
//! ```
//! use zion_pay_e2e::cli::config::E2eConfig;
//! use zion_pay_e2e::web::WebAppSource;
//!
//! let config = E2eConfig::from_toml_str(
//!     r#"
//!     [run]
//!     concurrency = 2
//!
//!     [web_app]
//!     url = "http://127.0.0.1:5173/"
//!     paid_text = "Payment received"
//!
//!     [project]
//!     ex_id = "my-shop"
//!     "#,
//!     "zion-e2e.toml",
//!     std::path::Path::new("."),
//! )
//! .unwrap();
//! assert_eq!(config.concurrency, Some(2));
//! assert!(matches!(config.web_app, Some(WebAppSource::Url(_))));
//! assert_eq!(config.profile.paid_text, "Payment received");
//! assert_eq!(config.mock.project.ex_id, "my-shop");
//! ```

use std::path::{Path, PathBuf};

use mock_zion::config::{ConfigError, HARNESS_SECTIONS};
use mock_zion::ProjectConfig;
use serde::Deserialize;
use toml::Spanned;

use crate::ui::names::{AppNames, Names, PagePattern};
use crate::web::{LoginStorage, StoredLogin, WebAppProfile, WebAppSource};

/// The file name `run`, `doctor` and `mock` look for in the current folder.
pub const FILE_NAME: &str = "zion-e2e.toml";

/// A read and checked `zion-e2e.toml`. `None` means the file leaves it to the command line
/// or the built-in default.
#[derive(Debug, Clone, PartialEq)]
pub struct E2eConfig {
    /// `[run] features`: `.feature` files or folders.
    pub features: Option<Vec<PathBuf>>,
    /// `[run] report`: the report folder.
    pub report: Option<PathBuf>,
    /// `[run] concurrency`: scenarios at once.
    pub concurrency: Option<usize>,
    /// `[run] real_time`: keep the wall clock instead of each scenario's virtual clock.
    pub real_time: Option<bool>,
    /// `[run] webdriver_url`: a WebDriver endpoint instead of a local chromedriver.
    pub webdriver_url: Option<String>,
    /// `[web_app] dir` or `url`: the web app under test.
    pub web_app: Option<WebAppSource>,
    /// `[web_app]`'s selectors and texts, over the reference app's.
    pub profile: WebAppProfile,
    /// `[mini_program] dir`: the Mini Program under test.
    pub mini_program: Option<PathBuf>,
    /// `[mini_program] token_key` / `user_id_key`: storage keys of a logged-in shopper.
    pub mp_storage_keys: (String, String),
    /// `[web_app.pages]`, `[web_app.elements]` and the same for `[mini_program]`: what the
    /// team calls its pages and elements in features.
    pub names: AppNames,
    /// `[zion] hosts`: the hosts of the app's real Zion project whose GraphQL calls go to the
    /// mock; empty means any host with Zion's path.
    pub zion_hosts: Vec<String>,
    /// mock-zion's sections.
    pub mock: ProjectConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Harness {
    run: RunSection,
    web_app: WebAppSection,
    mini_program: MiniProgramSection,
    zion: ZionSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RunSection {
    features: Option<Vec<Spanned<PathBuf>>>,
    report: Option<PathBuf>,
    concurrency: Option<Spanned<usize>>,
    real_time: Option<bool>,
    webdriver_url: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WebAppSection {
    dir: Option<Spanned<PathBuf>>,
    url: Option<Spanned<String>>,
    buy_button: Option<String>,
    paid_text: Option<String>,
    processing_text: Option<String>,
    error_text: Option<String>,
    login_again_text: Option<String>,
    unlocked_text: Option<String>,
    home_loaded_text: Option<String>,
    price_fen: Option<Spanned<i64>>,
    token_key: Option<String>,
    user_id_key: Option<Spanned<String>>,
    login_username: Option<String>,
    login_password: Option<String>,
    login_button: Option<String>,
    logged_in_text: Option<String>,
    wrong_login_text: Option<String>,
    start: Option<String>,
    home: Option<String>,
    login: Option<LoginSection>,
    pages: std::collections::BTreeMap<String, Spanned<String>>,
    elements: std::collections::BTreeMap<String, Spanned<String>>,
}

/// `[web_app.login]`: how the app keeps a login.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginSection {
    #[serde(default)]
    storage: Option<Spanned<String>>,
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    script: Option<String>,
    #[serde(default)]
    shown: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct MiniProgramSection {
    dir: Option<Spanned<PathBuf>>,
    token_key: Option<String>,
    user_id_key: Option<Spanned<String>>,
    pages: std::collections::BTreeMap<String, Spanned<String>>,
    elements: std::collections::BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ZionSection {
    hosts: Vec<Spanned<String>>,
}

impl E2eConfig {
    /// Reads and checks a config file; its paths are relative to its folder.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the line and the problem.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            origin: path.display().to_string(),
            line: None,
            message: format!(
                "cannot read the config file: {e} (write one with `zion-pay-e2e init`)"
            ),
        })?;
        Self::from_toml_str(&text, &path.display().to_string(), &folder_of(path))
    }

    /// Parses and checks a config held in a string; `origin` names it in errors and paths
    /// are relative to `base`.
    ///
    /// # Errors
    /// As [`E2eConfig::from_file`].
    pub fn from_toml_str(text: &str, origin: &str, base: &Path) -> Result<Self, ConfigError> {
        let mock = ProjectConfig::from_toml_str(text, origin)?;
        let at = |span, message| ConfigError::at(origin, text, span, message);
        let mut root =
            toml::de::DeTable::parse(text).map_err(|e| at(e.span(), e.message().into()))?;
        // mock-zion has checked (and owns) the other sections.
        let others: Vec<_> = root
            .get_ref()
            .iter()
            .map(|(key, _)| key.clone())
            .filter(|key| !HARNESS_SECTIONS.contains(&key.get_ref().as_ref()))
            .collect();
        for key in others {
            root.get_mut().remove(&key);
        }
        let raw = Harness::deserialize(toml::de::Deserializer::from(root))
            .map_err(|e| at(e.span(), e.message().trim().into()))?;

        let existing = |path: &Spanned<PathBuf>, key: &str| {
            let full = base.join(path.get_ref());
            match full.exists() {
                true => Ok(full),
                false => Err(at(
                    Some(path.span()),
                    format!(
                        "{key} `{}` does not exist (paths are relative to the config file's folder, {})",
                        path.get_ref().display(),
                        base.display()
                    ),
                )),
            }
        };
        let features = match &raw.run.features {
            Some(list) if list.is_empty() => {
                return Err(at(
                    None,
                    "[run] features is empty: list at least one .feature file or folder".into(),
                ))
            }
            Some(list) => Some(
                list.iter()
                    .map(|p| existing(p, "[run] features entry"))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let concurrency = match &raw.run.concurrency {
            Some(n) if *n.get_ref() == 0 => {
                return Err(at(
                    Some(n.span()),
                    "[run] concurrency must be at least 1".into(),
                ))
            }
            n => n.as_ref().map(|n| *n.get_ref()),
        };
        let webdriver_url = match &raw.run.webdriver_url {
            Some(u) => Some(
                url::Url::parse(u.get_ref())
                    .map(|_| u.get_ref().clone())
                    .map_err(|e| {
                        at(
                            Some(u.span()),
                            format!("[run] webdriver_url `{}` is not a URL: {e}", u.get_ref()),
                        )
                    })?,
            ),
            None => None,
        };
        let web_app = match (&raw.web_app.dir, &raw.web_app.url) {
            (Some(_), Some(url)) => {
                return Err(at(
                    Some(url.span()),
                    "[web_app] has both `dir` and `url`: give the static folder the harness serves, or the URL of your running dev server, not both".into(),
                ))
            }
            (Some(dir), None) => Some(WebAppSource::Dir(existing(dir, "[web_app] dir")?)),
            (None, Some(url)) => Some(
                WebAppSource::parse_url(url.get_ref())
                    .map_err(|problem| at(Some(url.span()), format!("[web_app] url {problem}")))?,
            ),
            (None, None) => None,
        };
        if let Some(price) = &raw.web_app.price_fen {
            if *price.get_ref() <= 0 {
                return Err(at(
                    Some(price.span()),
                    "[web_app] price_fen is the product's price in fen (分) and must be positive"
                        .into(),
                ));
            }
        }
        let mini_program = match &raw.mini_program.dir {
            Some(dir) => Some(existing(dir, "[mini_program] dir")?),
            None => None,
        };
        let mut zion_hosts = Vec::new();
        for host in &raw.zion.hosts {
            let name = host.get_ref();
            if name.is_empty() || name.contains(['/', ':', ' ']) {
                return Err(at(
                    Some(host.span()),
                    format!("[zion] hosts entry `{name}` is not a host name: write e.g. \"zion-app.functorz.com\", without scheme, port or path"),
                ));
            }
            zion_hosts.push(name.to_ascii_lowercase());
        }

        let names = AppNames {
            web: names_of(&raw.web_app.pages, &raw.web_app.elements, "web_app", &at)?,
            mini_program: names_of(
                &raw.mini_program.pages,
                &raw.mini_program.elements,
                "mini_program",
                &at,
            )?,
        };
        // One key for both would store the account id over the token (or the other way).
        let reference = WebAppProfile::default();
        let (mp_token, mp_user) = crate::mini_program::reference_storage_keys();
        for (section, token, user) in [
            (
                "web_app",
                raw.web_app
                    .token_key
                    .as_deref()
                    .unwrap_or(&reference.token_key),
                &raw.web_app.user_id_key,
            ),
            (
                "mini_program",
                raw.mini_program.token_key.as_deref().unwrap_or(&mp_token),
                &raw.mini_program.user_id_key,
            ),
        ] {
            let user_key = user.as_ref().map_or(
                if section == "web_app" {
                    reference.user_id_key.as_str()
                } else {
                    mp_user.as_str()
                },
                |u| u.get_ref().as_str(),
            );
            if token == user_key {
                return Err(at(
                    user.as_ref().map(|u| u.span()),
                    format!("[{section}] token_key and user_id_key are both \"{token}\": the login would store the account id over the token; give the key your app reads each from"),
                ));
            }
        }
        let stored_login = match &raw.web_app.login {
            None => None,
            Some(login) => Some(StoredLogin {
                storage: match login.storage.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
                    _ if login.script.is_some() => {
                        LoginStorage::Script(login.script.clone().unwrap_or_default())
                    }
                    _ if login.key.is_empty() => {
                        return Err(at(
                            None,
                            "[web_app.login] needs `key` and `value` (where and what the app stores), or a `script` that stores the login".into(),
                        ))
                    }
                    None | Some(("localStorage", _)) => LoginStorage::Local,
                    Some(("sessionStorage", _)) => LoginStorage::Session,
                    Some(("cookie", _)) => LoginStorage::Cookie,
                    Some((other, span)) => {
                        return Err(at(
                            Some(span),
                            format!("[web_app.login] storage `{other}` is not one of localStorage, sessionStorage, cookie"),
                        ))
                    }
                },
                key: login.key.clone(),
                value: login.value.clone(),
                shown: login.shown.clone(),
            }),
        };
        let w = raw.web_app;
        let profile = WebAppProfile {
            buy_button: w.buy_button.unwrap_or(reference.buy_button),
            paid_text: w.paid_text.unwrap_or(reference.paid_text),
            processing_text: w.processing_text.unwrap_or(reference.processing_text),
            error_text: w.error_text.unwrap_or(reference.error_text),
            login_again_text: w.login_again_text.unwrap_or(reference.login_again_text),
            unlocked_text: w.unlocked_text.unwrap_or(reference.unlocked_text),
            home_loaded_text: w.home_loaded_text.unwrap_or(reference.home_loaded_text),
            price_fen: w
                .price_fen
                .map(Spanned::into_inner)
                .unwrap_or(reference.price_fen),
            token_key: w.token_key.unwrap_or(reference.token_key),
            user_id_key: w
                .user_id_key
                .map(Spanned::into_inner)
                .unwrap_or(reference.user_id_key),
            login_username: w.login_username.unwrap_or(reference.login_username),
            login_password: w.login_password.unwrap_or(reference.login_password),
            login_button: w.login_button.unwrap_or(reference.login_button),
            logged_in_text: w.logged_in_text.unwrap_or(reference.logged_in_text),
            wrong_login_text: w.wrong_login_text.unwrap_or(reference.wrong_login_text),
            stored_login,
            start: w.start.unwrap_or(reference.start),
            home: w.home.unwrap_or(reference.home),
        };
        let mp = raw.mini_program;
        Ok(E2eConfig {
            features,
            report: raw.run.report.map(|r| base.join(r)),
            concurrency,
            real_time: raw.run.real_time,
            webdriver_url,
            web_app,
            profile,
            mini_program,
            mp_storage_keys: {
                let (token, user_id) = crate::mini_program::reference_storage_keys();
                (
                    mp.token_key.unwrap_or(token),
                    mp.user_id_key.map(Spanned::into_inner).unwrap_or(user_id),
                )
            },
            names,
            zion_hosts,
            mock,
        })
    }
}

type Named = std::collections::BTreeMap<String, Spanned<String>>;

/// `[<section>.pages]` and `[<section>.elements]`, checked.
fn names_of(
    pages: &Named,
    elements: &Named,
    section: &str,
    at: &dyn Fn(Option<std::ops::Range<usize>>, String) -> ConfigError,
) -> Result<Names, ConfigError> {
    let mut names = Names::default();
    for (name, path) in pages {
        let pattern = PagePattern::new(path.get_ref()).map_err(|problem| {
            at(
                Some(path.span()),
                format!("[{section}.pages] {name}: {problem}"),
            )
        })?;
        names.pages.insert(name.clone(), pattern);
    }
    for (name, css) in elements {
        if css.get_ref().trim().is_empty() {
            return Err(at(
                Some(css.span()),
                format!("[{section}.elements] {name} is empty: give the CSS selector of the element (e.g. \"#pay\")"),
            ));
        }
        names.elements.insert(name.clone(), css.get_ref().clone());
    }
    Ok(names)
}

impl E2eConfig {
    /// The config a command uses: `explicit` (`--config`), else `zion-e2e.toml` in the current
    /// folder when there is one, else none. Returns it with the folder its paths start from.
    ///
    /// # Errors
    /// As [`E2eConfig::from_file`].
    pub fn discover(explicit: Option<&Path>) -> Result<(Self, PathBuf), ConfigError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if Path::new(FILE_NAME).is_file() => PathBuf::from(FILE_NAME),
            None => return Ok((E2eConfig::default(), PathBuf::from("."))),
        };
        Ok((Self::from_file(&path)?, folder_of(&path)))
    }
}

impl Default for E2eConfig {
    /// No file: everything from the command line or the built-in defaults.
    fn default() -> Self {
        E2eConfig {
            features: None,
            report: None,
            concurrency: None,
            real_time: None,
            webdriver_url: None,
            web_app: None,
            profile: WebAppProfile::default(),
            mini_program: None,
            mp_storage_keys: crate::mini_program::reference_storage_keys(),
            names: AppNames::default(),
            zion_hosts: Vec::new(),
            mock: ProjectConfig::default(),
        }
    }
}

/// The folder a config file's relative paths start from.
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        E2eConfig::from_toml_str(text, "zion-e2e.toml", Path::new("."))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_readme_documents_every_key_with_its_default() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let readme = include_str!("../../README.md");
        let block = readme
            .split("```toml\n")
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .find(|block| block.starts_with("[run]"))
            .expect("README.md has a ```toml block of zion-e2e.toml, starting with [run]");
        let config = E2eConfig::from_toml_str(block, "README.md", root).unwrap();
        let mut from_readme = crate::runner::RunOptions::from_config(&config, root);
        // The example's one product is checked by mock-zion's own README test.
        from_readme.mock.products.clear();
        let defaults = crate::runner::RunOptions::bundled(root);
        assert_eq!(format!("{from_readme:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn real_time_is_a_switch_of_the_run() {
        let config =
            E2eConfig::from_toml_str("[run]\nreal_time = true\n", "x", Path::new(".")).unwrap();
        assert_eq!(config.real_time, Some(true));
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(crate::runner::RunOptions::from_config(&config, root).real_time);
        let e = err("[run]\nreal_time = \"yes\"\n");
        assert!(e.starts_with("zion-e2e.toml:2"), "{e}");
    }

    #[test]
    fn an_empty_file_changes_nothing() {
        let config = E2eConfig::from_toml_str("", "x", Path::new(".")).unwrap();
        assert_eq!(config, E2eConfig::default());
    }

    #[test]
    fn an_unknown_key_in_a_harness_section_names_file_and_line() {
        let e = err("[run]\nconcurrency = 2\n\n[web_app]\npaid_txt = \"ok\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:5: unknown field `paid_txt`"),
            "{e}"
        );
        assert!(e.contains("paid_text"), "lists the known keys: {e}");
    }

    #[test]
    fn an_unknown_section_names_file_and_line() {
        let e = err("[run]\nconcurrency = 2\n[webapp]\ndir = \"x\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:3: unknown field `webapp`"),
            "{e}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_line() {
        let e = err("[run]\n\nconcurrency = \"four\"\n");
        assert!(e.starts_with("zion-e2e.toml:3: invalid type"), "{e}");
        let e = err("[run]\nconcurrency = 0\n");
        assert_eq!(e, "zion-e2e.toml:2: [run] concurrency must be at least 1");
    }

    #[test]
    fn a_missing_folder_is_named_with_where_paths_start() {
        let e = err("[web_app]\ndir = \"no-such-app\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:2: [web_app] dir `no-such-app` does not exist"),
            "{e}"
        );
    }

    #[test]
    fn a_web_app_is_a_folder_or_a_url_on_this_machine() {
        let e = err("[web_app]\ndir = \".\"\nurl = \"http://127.0.0.1:5173\"\n");
        assert!(e.starts_with("zion-e2e.toml:3: [web_app] has both"), "{e}");
        let e = err("[web_app]\nurl = \"https://shop.example.com\"\n");
        assert!(e.starts_with("zion-e2e.toml:2: [web_app] url"), "{e}");
        assert!(e.contains("loopback"), "{e}");
    }

    #[test]
    fn one_storage_key_for_token_and_account_id_is_refused() {
        let e = err("[web_app]\ntoken_key = \"auth\"\nuser_id_key = \"auth\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:3: [web_app] token_key and user_id_key are both \"auth\""),
            "{e}"
        );
        let e = err("[mini_program]\nuser_id_key = \"token\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:2: [mini_program] token_key and user_id_key"),
            "{e}"
        );
    }

    #[test]
    fn a_stored_login_shape_is_read_and_its_storage_checked() {
        let config = E2eConfig::from_toml_str(
            "[web_app.login]\nkey = \"auth\"\nvalue = '{\"token\":\"{token}\"}'\nshown = \"Hi {username}\"\n",
            "x",
            Path::new("."),
        )
        .unwrap();
        let login = config.profile.stored_login.unwrap();
        assert_eq!(login.storage, LoginStorage::Local);
        assert_eq!(login.value_for("t", 1, "a"), "{\"token\":\"t\"}");
        let e = err("[web_app.login]\nshown = \"Hi\"\n");
        assert!(e.contains("[web_app.login] needs `key` and `value`"), "{e}");
        let e = err("[web_app.login]\nstorage = \"indexedDB\"\nkey = \"a\"\nvalue = \"b\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:2: [web_app.login] storage `indexedDB`"),
            "{e}"
        );
    }

    #[test]
    fn a_zion_host_is_a_bare_host_name() {
        let e = err("[zion]\nhosts = [\"https://zion-app.functorz.com/\"]\n");
        assert!(e.starts_with("zion-e2e.toml:2: [zion] hosts entry"), "{e}");
        let config =
            E2eConfig::from_toml_str("[zion]\nhosts = [\"Zion.Example\"]", "x", Path::new("."))
                .unwrap();
        assert_eq!(config.zion_hosts, ["zion.example"]);
    }

    #[test]
    fn mock_sections_are_checked_by_mock_zion() {
        let e = err("[web_app]\nprice_fen = 990\n[order_table]\namount_column = \"total\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:4: [order_table] amount_column"),
            "{e}"
        );
    }
}
