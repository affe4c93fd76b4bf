//! A Mini Program's directory, read and checked before a browser opens it.
//!
//! The files mp-sim needs: `app.json` (its pages), `app.js`, every page's `.js` and `.wxml`,
//! any other module (`utils/**`), `.wxss` and `.json`. A page listed in `app.json` without
//! its `.js` or `.wxml` is an error here, naming the file, rather than a blank screen later.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A problem with the Mini Program's directory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MiniProgramError {
    /// The directory has no `app.json`.
    #[error("{0} is not a Mini Program: it has no app.json (point --mini-program at the directory that holds app.json)")]
    NoAppJson(PathBuf),
    /// `app.json` is not JSON or lists no pages.
    #[error("{path}: {message}")]
    BadAppJson {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A page in `app.json` lacks a file.
    #[error("{dir}: app.json lists page \"{page}\" but {missing} does not exist")]
    MissingPageFile {
        /// The Mini Program.
        dir: PathBuf,
        /// The route.
        page: String,
        /// The missing file, relative to the Mini Program.
        missing: String,
    },
    /// A file could not be read.
    #[error("could not read {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The text files of a Mini Program, by path relative to its root (`pages/pay/pay.js`).
#[derive(Debug, Clone, Default)]
pub struct MiniProgram {
    /// Where it was read from.
    pub dir: PathBuf,
    /// JavaScript modules.
    pub modules: BTreeMap<String, String>,
    /// WXML, WXSS and JSON files.
    pub files: BTreeMap<String, String>,
    /// The routes in `app.json`, the first one the entry page.
    pub pages: Vec<String>,
}

impl MiniProgram {
    /// Reads `dir` (skipping `node_modules` and hidden entries) and checks every page.
    ///
    /// # Errors
    /// See [`MiniProgramError`].
    pub fn load(dir: &Path) -> Result<Self, MiniProgramError> {
        let app_json = dir.join("app.json");
        if !app_json.is_file() {
            return Err(MiniProgramError::NoAppJson(dir.to_path_buf()));
        }
        let mut program = MiniProgram {
            dir: dir.to_path_buf(),
            ..Default::default()
        };
        program.read(dir, "")?;
        let bad = |message: String| MiniProgramError::BadAppJson {
            path: app_json.clone(),
            message,
        };
        let json: Value = serde_json::from_str(&program.files["app.json"])
            .map_err(|e| bad(format!("not JSON: {e}")))?;
        program.pages = json
            .get("pages")
            .and_then(Value::as_array)
            .map(|pages| {
                pages
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if program.pages.is_empty() {
            return Err(bad(
                "\"pages\" must list at least one page route, e.g. [\"pages/index/index\"]".into(),
            ));
        }
        for page in &program.pages {
            let js = format!("{page}.js");
            let wxml = format!("{page}.wxml");
            for (file, present) in [
                (&js, program.modules.contains_key(&js)),
                (&wxml, program.files.contains_key(&wxml)),
            ] {
                if !present {
                    return Err(MiniProgramError::MissingPageFile {
                        dir: dir.to_path_buf(),
                        page: page.clone(),
                        missing: file.clone(),
                    });
                }
            }
        }
        if !program.modules.contains_key("app.js") {
            return Err(MiniProgramError::MissingPageFile {
                dir: dir.to_path_buf(),
                page: "(the app)".into(),
                missing: "app.js".into(),
            });
        }
        Ok(program)
    }

    fn read(&mut self, dir: &Path, prefix: &str) -> Result<(), MiniProgramError> {
        let entries = std::fs::read_dir(dir).map_err(|e| MiniProgramError::Io(dir.into(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| MiniProgramError::Io(dir.into(), e))?;
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name == "node_modules" {
                continue;
            }
            let path = entry.path();
            let relative = format!("{prefix}{name}");
            if path.is_dir() {
                self.read(&path, &format!("{relative}/"))?;
                continue;
            }
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if !matches!(ext, "js" | "wxml" | "wxss" | "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| MiniProgramError::Io(path.clone(), e))?;
            match ext {
                "js" => self.modules.insert(relative, text),
                _ => self.files.insert(relative, text),
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn reads_modules_and_files_by_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("app.json", r#"{"pages": ["pages/a/a"]}"#),
                ("app.js", "App({})"),
                ("pages/a/a.js", "Page({})"),
                ("pages/a/a.wxml", "<view/>"),
                ("utils/x.js", ""),
                ("node_modules/skip.js", ""),
                ("logo.png", "not text"),
            ],
        );
        let program = MiniProgram::load(dir.path()).unwrap();
        assert_eq!(program.pages, ["pages/a/a"]);
        assert_eq!(
            program.modules.keys().collect::<Vec<_>>(),
            ["app.js", "pages/a/a.js", "utils/x.js"]
        );
        assert!(program.files.contains_key("pages/a/a.wxml"));
    }

    #[test]
    fn a_page_without_its_wxml_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("app.json", r#"{"pages": ["pages/a/a"]}"#),
                ("app.js", ""),
                ("pages/a/a.js", ""),
            ],
        );
        let error = MiniProgram::load(dir.path()).unwrap_err().to_string();
        assert!(
            error.ends_with("app.json lists page \"pages/a/a\" but pages/a/a.wxml does not exist"),
            "{error}"
        );
    }

    #[test]
    fn a_directory_without_app_json_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = MiniProgram::load(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("is not a Mini Program: it has no app.json"),
            "{error}"
        );
    }
}
