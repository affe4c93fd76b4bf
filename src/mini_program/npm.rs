//! A Mini Program's npm packages, built as WeChat DevTools' "build npm" builds them when the
//! project has no `miniprogram_npm/` committed: every package in `package.json`'s
//! `dependencies` (and theirs) lands in `miniprogram_npm/<name>/`, so `require('<name>')`
//! and `usingComponents` paths into packages resolve as in WeChat.
//!
//! - A Mini Program package (its `package.json` has a `miniprogram` field, like
//!   `@vant/weapp` or `tdesign-miniprogram`) brings that directory: components (`.js`, `.wxml`,
//!   `.wxss`, `.wxs`, `.json`) as the package ships them.
//! - Any other package brings its JavaScript and JSON, and `miniprogram_npm/<name>/index.js`
//!   is its `main`.
//!
//! `package.json` is looked for beside `app.json`, then one directory up (a project whose
//! `project.config.json` puts the Mini Program in a subdirectory).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One file of a built package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmFile {
    /// Its text.
    pub text: String,
    /// Where it came from, relative to the Mini Program (`../node_modules/dayjs/dayjs.min.js`),
    /// so an error in it names the installed file.
    pub source: String,
}

/// Files larger than this are not Mini Program code (DevTools refuses packages over 2 MB).
const MAX_FILE: u64 = 2 * 1024 * 1024;

/// Builds the packages of the Mini Program in `dir`: `miniprogram_npm/…` path → file.
/// Nothing when it has no `package.json` or no `dependencies`.
///
/// # Errors
/// A dependency is not installed (naming the command that installs it), or a package's
/// `package.json` is unreadable.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("package.json"), r#"{"dependencies": {"money": "1"}}"#).unwrap();
/// let package = dir.path().join("node_modules/money");
/// std::fs::create_dir_all(package.join("src")).unwrap();
/// std::fs::write(package.join("package.json"), r#"{"main": "src/yuan.js"}"#).unwrap();
/// std::fs::write(package.join("src/yuan.js"), "module.exports = (fen) => fen / 100;").unwrap();
///
/// let built = zion_pay_e2e::mini_program::npm::build(dir.path()).unwrap();
/// assert_eq!(built["miniprogram_npm/money/index.js"].text, "module.exports = require('./src/yuan.js');\n");
/// assert_eq!(built["miniprogram_npm/money/src/yuan.js"].source, "node_modules/money/src/yuan.js");
/// ```
pub fn build(dir: &Path) -> Result<BTreeMap<String, NpmFile>, String> {
    let Some(project) = [dir.to_path_buf(), dir.join("..")]
        .into_iter()
        .find(|d| d.join("package.json").is_file())
    else {
        return Ok(BTreeMap::new());
    };
    let manifest = read_manifest(&project.join("package.json"))?;
    let prefix = if project == dir { "" } else { "../" };
    let mut built = BTreeMap::new();
    let mut queue: Vec<(String, PathBuf)> = dependencies(&manifest)
        .into_iter()
        .map(|name| (name, project.clone()))
        .collect();
    let mut done = std::collections::BTreeSet::new();
    while let Some((name, from)) = queue.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(package) = installed(&name, &from, &project) else {
            return Err(format!(
                "{}: the Mini Program depends on the npm package \"{name}\", which is not installed: run `npm install` in {} (WeChat DevTools' \"build npm\" needs it too)",
                project.join("package.json").display(),
                project.display()
            ));
        };
        let manifest = read_manifest(&package.join("package.json"))?;
        let relative = |path: &Path| {
            format!(
                "{prefix}{}",
                path.strip_prefix(&project)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/")
            )
        };
        let target = format!("miniprogram_npm/{name}");
        match manifest.get("miniprogram").and_then(Value::as_str) {
            Some(sub) => {
                let root = package.join(sub);
                copy(&root, &root, &target, &relative, &mut built, |_| true)?;
            }
            None => {
                copy(&package, &package, &target, &relative, &mut built, |p| {
                    p.ends_with(".js") || p.ends_with(".json")
                })?;
                let main = manifest
                    .get("main")
                    .and_then(Value::as_str)
                    .unwrap_or("index.js")
                    .trim_start_matches("./");
                let main = if main.ends_with(".js") || main.ends_with(".json") {
                    main.to_string()
                } else if package.join(main).is_dir() {
                    format!("{}/index.js", main.trim_end_matches('/'))
                } else {
                    format!("{main}.js")
                };
                if main != "index.js" {
                    built.insert(
                        format!("{target}/index.js"),
                        NpmFile {
                            text: format!("module.exports = require('./{main}');\n"),
                            source: relative(&package.join("package.json")),
                        },
                    );
                }
            }
        }
        queue.extend(
            dependencies(&manifest)
                .into_iter()
                .map(|dep| (dep, package.clone())),
        );
    }
    Ok(built)
}

/// The extended libraries app.json's `useExtendedLib` asks WeChat for (`{"weui": true}`):
/// WeChat brings them itself, so mp-sim brings them from its own npm packages (`mp_sim` is
/// mp-sim's folder), at `miniprogram_npm/<package>/` where the app's paths find them.
///
/// # Errors
/// A library mp-sim does not provide, or its package is not installed (the fix named).
pub fn extended_libs(app_json: &Value, mp_sim: &Path) -> Result<BTreeMap<String, NpmFile>, String> {
    let mut built = BTreeMap::new();
    let Some(libs) = app_json.get("useExtendedLib").and_then(Value::as_object) else {
        return Ok(built);
    };
    for (name, on) in libs {
        if on != &Value::Bool(true) {
            continue;
        }
        let package = match name.as_str() {
            "weui" => "weui-miniprogram",
            other => {
                return Err(format!(
                    "app.json's useExtendedLib asks for \"{other}\", which mp-sim does not provide (it provides \"weui\"): install the library as an npm package instead"
                ))
            }
        };
        let root = mp_sim
            .join("node_modules")
            .join(package)
            .join("miniprogram_dist");
        if !root.is_dir() {
            return Err(format!(
                "app.json's useExtendedLib asks for \"{name}\", which mp-sim provides from its npm package {package}, and {} is missing: run scripts/setup (it installs mp-sim's packages)",
                root.display()
            ));
        }
        let relative = |path: &Path| {
            format!(
                "(mp-sim) {package}/{}",
                path.strip_prefix(&root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/")
            )
        };
        copy(
            &root,
            &root,
            &format!("miniprogram_npm/{package}"),
            &relative,
            &mut built,
            |_| true,
        )?;
    }
    Ok(built)
}

fn read_manifest(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("could not read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

fn dependencies(manifest: &Value) -> Vec<String> {
    manifest
        .get("dependencies")
        .and_then(Value::as_object)
        .map(|deps| deps.keys().cloned().collect())
        .unwrap_or_default()
}

/// Where `name` is installed for a package in `from`: its own `node_modules`, then each one
/// up to the project's, as Node.js resolves it.
fn installed(name: &str, from: &Path, project: &Path) -> Option<PathBuf> {
    let mut dir = from.to_path_buf();
    loop {
        let candidate = dir.join("node_modules").join(name);
        if candidate.join("package.json").is_file() {
            return Some(candidate);
        }
        if dir == project || !dir.pop() {
            return None;
        }
    }
}

fn copy(
    root: &Path,
    dir: &Path,
    target: &str,
    relative: &dyn Fn(&Path) -> String,
    built: &mut BTreeMap<String, NpmFile>,
    wanted: fn(&str) -> bool,
) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("could not read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            copy(root, &path, target, relative, built, wanted)?;
            continue;
        }
        let inner = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let text_file = [".js", ".json", ".wxml", ".wxss", ".wxs"]
            .iter()
            .any(|ext| name.ends_with(ext));
        let small = entry
            .metadata()
            .map(|m| m.len() <= MAX_FILE)
            .unwrap_or(false);
        if !text_file || !wanted(&name) || !small || name.ends_with(".d.ts") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        built.insert(
            format!("{target}/{inner}"),
            NpmFile {
                text,
                source: relative(&path),
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mini_program::tests::write;

    #[test]
    fn use_extended_lib_weui_comes_from_mp_sims_own_package() {
        let mp_sim = tempfile::tempdir().unwrap();
        write(
            mp_sim.path(),
            &[(
                "node_modules/weui-miniprogram/miniprogram_dist/dialog/dialog.js",
                "Component({})",
            )],
        );
        let app: Value = serde_json::json!({"useExtendedLib": {"weui": true}});
        let built = extended_libs(&app, mp_sim.path()).unwrap();
        let file = &built["miniprogram_npm/weui-miniprogram/dialog/dialog.js"];
        assert_eq!(file.text, "Component({})");
        assert_eq!(file.source, "(mp-sim) weui-miniprogram/dialog/dialog.js");
        let off = serde_json::json!({"useExtendedLib": {"weui": false}});
        assert!(extended_libs(&off, mp_sim.path()).unwrap().is_empty());
        let other = serde_json::json!({"useExtendedLib": {"kbone": true}});
        let refused = extended_libs(&other, mp_sim.path()).unwrap_err();
        assert!(
            refused.contains("asks for \"kbone\", which mp-sim does not provide"),
            "{refused}"
        );
        let empty = tempfile::tempdir().unwrap();
        let missing = extended_libs(&app, empty.path()).unwrap_err();
        assert!(missing.contains("run scripts/setup"), "{missing}");
    }

    #[test]
    fn a_mini_program_package_brings_its_miniprogram_directory_and_its_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("package.json", r#"{"dependencies": {"@acme/ui": "1"}}"#),
                (
                    "node_modules/@acme/ui/package.json",
                    r#"{"miniprogram": "lib", "dependencies": {"tiny": "1"}}"#,
                ),
                ("node_modules/@acme/ui/lib/button/index.js", "Component({})"),
                ("node_modules/@acme/ui/lib/button/index.wxml", "<view/>"),
                ("node_modules/@acme/ui/src/button.ts", "skipped"),
                ("node_modules/tiny/package.json", r#"{}"#),
                ("node_modules/tiny/index.js", "module.exports = 1"),
            ],
        );
        let built = build(dir.path()).unwrap();
        assert_eq!(
            built.keys().collect::<Vec<_>>(),
            [
                "miniprogram_npm/@acme/ui/button/index.js",
                "miniprogram_npm/@acme/ui/button/index.wxml",
                "miniprogram_npm/tiny/index.js",
                "miniprogram_npm/tiny/package.json",
            ]
        );
    }

    #[test]
    fn a_missing_dependency_names_the_command_that_installs_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[("package.json", r#"{"dependencies": {"dayjs": "1"}}"#)],
        );
        let error = build(dir.path()).unwrap_err();
        assert!(
            error.contains("depends on the npm package \"dayjs\", which is not installed: run `npm install` in"),
            "{error}"
        );
    }

    #[test]
    fn a_project_with_its_mini_program_in_a_subdirectory_finds_package_json_above() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("package.json", r#"{"dependencies": {"tiny": "1"}}"#),
                ("node_modules/tiny/package.json", r#"{"main": "lib/tiny"}"#),
                ("node_modules/tiny/lib/tiny.js", "module.exports = 1"),
                ("miniprogram/app.json", "{}"),
            ],
        );
        let built = build(&dir.path().join("miniprogram")).unwrap();
        assert_eq!(
            built["miniprogram_npm/tiny/index.js"].text,
            "module.exports = require('./lib/tiny.js');\n"
        );
        assert_eq!(
            built["miniprogram_npm/tiny/lib/tiny.js"].source,
            "../node_modules/tiny/lib/tiny.js"
        );
    }
}
