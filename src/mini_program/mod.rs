//! The Mini Program under test: its directory, read and checked before a browser opens it
//! (here), its ES modules and TypeScript compiled to CommonJS as WeChat DevTools does
//! ([`compile`]), its npm packages built as DevTools' "build npm" does ([`npm`]), served with
//! mp-sim ([`host`]), driven as a shopper ([`shopper`]), and the verdicts on its WeChat Pay
//! flow ([`checks`]).
//!
//! The files mp-sim needs: `app.json` (its pages and subpackages), `app.js`, every page's
//! `.js` and `.wxml`, any other module (`utils/**`, components), `.wxss`, `.wxs` and `.json`.
//! A page listed in `app.json` without its `.js` or `.wxml` is an error here, naming the file,
//! rather than a blank screen later.

pub mod checks;
pub mod compile;
pub mod host;
pub mod npm;
pub mod shopper;
pub mod survey;

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
    /// A module could not be compiled (an ES module or TypeScript).
    #[error("{dir}/{problem}")]
    Compile {
        /// The Mini Program.
        dir: PathBuf,
        /// `path:line:column: problem`, or what to install.
        problem: String,
    },
    /// An npm package the Mini Program depends on could not be built.
    #[error("{0}")]
    Npm(String),
}

/// Where the reference Mini Program keeps a login in storage: the token's key and the
/// account id's. The default for `[mini_program] token_key` / `user_id_key`.
pub fn reference_storage_keys() -> (String, String) {
    ("token".into(), "userId".into())
}

/// A subpackage of `app.json` (`subPackages` / `subpackages`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subpackage {
    /// Its root directory (`packageA`).
    pub root: String,
    /// Its routes, root included (`packageA/pages/cat/cat`).
    pub pages: Vec<String>,
    /// Whether it runs without the main package (`independent: true`).
    pub independent: bool,
}

/// The text files of a Mini Program, by path relative to its root (`pages/pay/pay.js`).
#[derive(Debug, Clone, Default)]
pub struct MiniProgram {
    /// Where it was read from.
    pub dir: PathBuf,
    /// JavaScript modules as mp-sim runs them (CommonJS; a TypeScript module compiled, under
    /// its `.js` name; npm packages under `miniprogram_npm/`).
    pub modules: BTreeMap<String, String>,
    /// The file the author wrote, by module name, where it is not the module itself (a `.ts`
    /// file, a package's file in `node_modules`).
    pub sources: BTreeMap<String, String>,
    /// The columns compiling moved, by module name (see [`compile::Compiled::columns`]).
    pub columns: BTreeMap<String, BTreeMap<String, Value>>,
    /// The modules compiled from ES modules and TypeScript: their top-level `this` is
    /// `undefined`, as after WeChat's "ES6 → ES5" (Babel), where a CommonJS module's is its
    /// `exports`. A component library's `Toast({ context: this })` in such a module then finds
    /// the current page itself.
    pub es_modules: std::collections::BTreeSet<String>,
    /// WXML, WXSS, WXS and JSON files.
    pub files: BTreeMap<String, String>,
    /// Every route: `app.json`'s pages (the first one the entry page), then each
    /// subpackage's.
    pub pages: Vec<String>,
    /// The subpackages.
    pub subpackages: Vec<Subpackage>,
}

impl MiniProgram {
    /// Reads `dir` (skipping `node_modules` and hidden entries), builds its npm packages when
    /// it has no `miniprogram_npm/`, compiles its ES modules and TypeScript, and checks every
    /// page.
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
        let mut scripts = BTreeMap::new();
        program.read(dir, "", &mut scripts)?;
        if !scripts.keys().any(|p| p.starts_with("miniprogram_npm/")) {
            let built = npm::build(dir).map_err(MiniProgramError::Npm)?;
            for (path, file) in built {
                if is_script(&path) {
                    program.sources.insert(path.clone(), file.source);
                    scripts.insert(path, file.text);
                } else {
                    program.files.insert(path, file.text);
                }
            }
        }
        let bad = |message: String| MiniProgramError::BadAppJson {
            path: app_json.clone(),
            message,
        };
        let json: Value = serde_json::from_str(&program.files["app.json"])
            .map_err(|e| bad(format!("not JSON: {e}")))?;
        // What WeChat brings for useExtendedLib, unless the app brought it already.
        let extended = npm::extended_libs(&json, &crate::mini_program::survey::mp_sim_dir())
            .map_err(MiniProgramError::Npm)?;
        for (path, file) in extended {
            if scripts.contains_key(&path) || program.files.contains_key(&path) {
                continue;
            }
            if is_script(&path) {
                program.sources.insert(path.clone(), file.source);
                scripts.insert(path, file.text);
            } else {
                program.files.insert(path, file.text);
            }
        }
        program.compile(dir, scripts)?;
        let routes = |value: Option<&Value>| -> Vec<String> {
            value
                .and_then(Value::as_array)
                .map(|pages| {
                    pages
                        .iter()
                        .filter_map(|p| p.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        program.pages = routes(json.get("pages"));
        if program.pages.is_empty() {
            return Err(bad(
                "\"pages\" must list at least one page route, e.g. [\"pages/index/index\"]".into(),
            ));
        }
        let subpackages = json.get("subPackages").or_else(|| json.get("subpackages"));
        for sub in subpackages.and_then(Value::as_array).into_iter().flatten() {
            let Some(root) = sub.get("root").and_then(Value::as_str) else {
                return Err(bad(format!("a subpackage has no \"root\": {sub}")));
            };
            let root = root.trim_matches('/').to_string();
            let pages: Vec<String> = routes(sub.get("pages"))
                .into_iter()
                .map(|p| format!("{root}/{}", p.trim_start_matches('/')))
                .collect();
            program.pages.extend(pages.iter().cloned());
            program.subpackages.push(Subpackage {
                root,
                pages,
                independent: sub.get("independent").and_then(Value::as_bool) == Some(true),
            });
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

    /// Puts every script in [`Self::modules`]: TypeScript and ES modules compiled, CommonJS
    /// as written.
    fn compile(
        &mut self,
        dir: &Path,
        scripts: BTreeMap<String, String>,
    ) -> Result<(), MiniProgramError> {
        let mut to_compile = BTreeMap::new();
        for (path, source) in scripts {
            if path.ends_with(".ts") || compile::is_es_module(&source) {
                to_compile.insert(path, source);
            } else {
                self.modules.insert(path, source);
            }
        }
        let compiled =
            compile::compile(&to_compile).map_err(|problem| MiniProgramError::Compile {
                dir: dir.to_path_buf(),
                problem,
            })?;
        for (path, module) in compiled {
            let name = match path.strip_suffix(".ts") {
                Some(stem) => {
                    let name = format!("{stem}.js");
                    self.sources.insert(name.clone(), path.clone());
                    name
                }
                None => path,
            };
            if !module.columns.is_empty() {
                self.columns.insert(name.clone(), module.columns);
            }
            self.es_modules.insert(name.clone());
            self.modules.insert(name, module.code);
        }
        Ok(())
    }

    fn read(
        &mut self,
        dir: &Path,
        prefix: &str,
        scripts: &mut BTreeMap<String, String>,
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
                self.read(&path, &format!("{relative}/"), scripts)?;
                continue;
            }
            if !is_script(&relative) && !is_text_file(&relative) {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| MiniProgramError::Io(path.clone(), e))?;
            if is_script(&relative) {
                scripts.insert(relative, text);
            } else {
                self.files.insert(relative, text);
            }
        }
        Ok(())
    }
}

/// Whether mp-sim runs the file as a module (`.js`, `.ts`, not a `.d.ts` declaration).
fn is_script(path: &str) -> bool {
    (path.ends_with(".js") || path.ends_with(".ts")) && !path.ends_with(".d.ts")
}

/// Whether mp-sim reads the file as text: WXML, WXSS, WXS, JSON.
fn is_text_file(path: &str) -> bool {
    [".wxml", ".wxss", ".wxs", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (path relative to `dir`, text) with their folders; for this module's
    /// tests and its submodules'.
    pub(crate) fn write(dir: &Path, files: &[(&str, &str)]) {
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
        let line = |text: &str| text.lines().position(|l| l.contains("Page(")).unwrap();
        assert_eq!(line(js), line(page));
        assert_eq!(program.sources["pages/a/a.js"], "pages/a/a.ts");
    }

    #[test]
    fn es_modules_and_an_enum_are_compiled_and_a_syntax_error_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("app.json", r#"{"pages": ["pages/a/a"]}"#),
                ("app.js", "App({})"),
                (
                    "pages/a/a.ts",
                    "import { Pay } from '../../utils/pay'\nPage({ data: { ok: Pay.Ok } })",
                ),
                ("pages/a/a.wxml", "<view/>"),
                ("utils/pay.ts", "export enum Pay { Ok = 'ok' }\n"),
                (
                    "utils/plain.js",
                    "module.exports = 1 // import x from 'y'\n",
                ),
            ],
        );
        let program = MiniProgram::load(dir.path()).unwrap();
        assert!(program.modules["pages/a/a.js"].contains("require('../../utils/pay')"));
        assert!(program.modules["utils/pay.js"].contains("exports.Pay = Pay"));
        assert_eq!(
            program.modules["utils/plain.js"],
            "module.exports = 1 // import x from 'y'\n"
        );

        write(
            dir.path(),
            &[("utils/pay.ts", "\nexport enum Pay { Ok = }\n")],
        );
        let error = MiniProgram::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("/utils/pay.ts:2:"), "{error}");
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
