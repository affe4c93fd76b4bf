//! The Mini Program under test: its directory, read and checked before a browser opens it
//! (here), TypeScript modules stripped of their types ([`typescript`]), served with mp-sim
//! ([`host`]), driven as a shopper ([`shopper`]), and the verdicts on its WeChat Pay flow
//! ([`checks`]).
//!
//! The files mp-sim needs: `app.json` (its pages), `app.js`, every page's `.js` and `.wxml`,
//! any other module (`utils/**`), `.wxss` and `.json`. A page listed in `app.json` without
//! its `.js` or `.wxml` is an error here, naming the file, rather than a blank screen later.

pub mod checks;
pub mod host;
pub mod shopper;
pub mod typescript;

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
    /// A TypeScript module could not be stripped of its types.
    #[error("{dir}/{problem}")]
    TypeScript {
        /// The Mini Program.
        dir: PathBuf,
        /// `path:line:column: problem`, or what to install.
        problem: String,
    },
}

/// Where the reference Mini Program keeps a login in storage: the token's key and the
/// account id's. The default for `[mini_program] token_key` / `user_id_key`.
pub fn reference_storage_keys() -> (String, String) {
    ("token".into(), "userId".into())
}

/// The text files of a Mini Program, by path relative to its root (`pages/pay/pay.js`).
#[derive(Debug, Clone, Default)]
pub struct MiniProgram {
    /// Where it was read from.
    pub dir: PathBuf,
    /// JavaScript modules (a TypeScript module stripped, under its `.js` name).
    pub modules: BTreeMap<String, String>,
    /// The `.ts` file each stripped module came from, by module name.
    pub typescript_sources: BTreeMap<String, String>,
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
        let mut typescript = BTreeMap::new();
        program.read(dir, "", &mut typescript)?;
        if !typescript.is_empty() {
            let stripped =
                crate::mini_program::typescript::strip(&typescript).map_err(|problem| {
                    MiniProgramError::TypeScript {
                        dir: dir.to_path_buf(),
                        problem,
                    }
                })?;
            for (ts_path, code) in stripped {
                let module = format!("{}.js", ts_path.trim_end_matches(".ts"));
                program.typescript_sources.insert(module.clone(), ts_path);
                program.modules.insert(module, code);
            }
        }
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

    fn read(
        &mut self,
        dir: &Path,
        prefix: &str,
        typescript: &mut BTreeMap<String, String>,
    ) -> Result<(), MiniProgramError> {
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
                self.read(&path, &format!("{relative}/"), typescript)?;
                continue;
            }
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if !matches!(ext, "js" | "ts" | "wxml" | "wxss" | "json") || name.ends_with(".d.ts") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| MiniProgramError::Io(path.clone(), e))?;
            match ext {
                "js" => self.modules.insert(relative, text),
                "ts" => typescript.insert(relative, text),
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
    fn a_typescript_page_runs_as_its_js_module_with_its_positions() {
        let dir = tempfile::tempdir().unwrap();
        let page = "interface Data { n: number }\nPage({ data: { n: 1 } as Data });\n";
        write(
            dir.path(),
            &[
                ("app.json", r#"{"pages": ["pages/a/a"]}"#),
                ("app.ts", "App({})"),
                ("pages/a/a.ts", page),
                ("pages/a/a.wxml", "<view/>"),
                ("typings/wx.d.ts", "declare const wx: any;"),
            ],
        );
        let program = MiniProgram::load(dir.path()).unwrap();
        assert_eq!(
            program.modules.keys().collect::<Vec<_>>(),
            ["app.js", "pages/a/a.js"]
        );
        let js = &program.modules["pages/a/a.js"];
        assert!(!js.contains("interface") && !js.contains("as Data"), "{js}");
        assert_eq!(js.find("Page("), page.find("Page("));
        assert_eq!(program.typescript_sources["pages/a/a.js"], "pages/a/a.ts");
    }

    #[test]
    fn a_typescript_enum_is_named_before_anything_starts() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("app.json", r#"{"pages": ["pages/a/a"]}"#),
                ("app.js", "App({})"),
                ("pages/a/a.ts", "\nenum Pay { Ok }\nPage({})"),
                ("pages/a/a.wxml", "<view/>"),
            ],
        );
        let error = MiniProgram::load(dir.path()).unwrap_err().to_string();
        assert!(error.ends_with("/pages/a/a.ts:2:1: `enum Pay { Ok }` is TypeScript with a runtime meaning (an enum, a namespace, a constructor parameter property…), which cannot be stripped to JavaScript; write it in plain JavaScript"), "{error}");
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
