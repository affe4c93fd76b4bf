//! A Mini Program's modules compiled as WeChat DevTools compiles them ("ES6 → ES5" on):
//! ES `import`/`export` become CommonJS and TypeScript loses its types, an `enum` becoming
//! its object — one [sucrase](https://github.com/alangpierce/sucrase) pass on Node.js from
//! `mp-compile/` (installed by `scripts/setup`), one process for all of a Mini Program's
//! modules that need it. Plain CommonJS modules are served as written and need no Node.js.
//!
//! Sucrase keeps every line where the author wrote it; the columns it moves come back as a
//! table ([`Compiled::columns`]) that mp-sim applies to stack traces, so an error names the
//! author's `file:line:column`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::Value;

/// Where `compile.mjs` and its `node_modules` are: `$ZION_E2E_MP_COMPILE`, else this
/// checkout's `mp-compile/`.
pub fn compiler_dir() -> PathBuf {
    std::env::var_os("ZION_E2E_MP_COMPILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/mp-compile")))
}

/// Whether a JavaScript module is an ES module (it has an `import` or `export` statement,
/// at the start of a line or after a `;` or `}` as minified code has them), which WeChat
/// compiles to CommonJS before running it.
///
/// ```
/// use zion_pay_e2e::mini_program::compile::is_es_module;
/// assert!(is_es_module("import { pay } from '../../utils/pay'\nPage({})"));
/// assert!(is_es_module("export default {\n  a: 1 }"));
/// assert!(is_es_module("const a=1;export{a as b};"));
/// assert!(!is_es_module("const pay = require('../../utils/pay');\nconst important = 1"));
/// assert!(!is_es_module("const p = import('./lazy.js');"));
/// ```
pub fn is_es_module(source: &str) -> bool {
    static STATEMENT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    STATEMENT
        .get_or_init(|| {
            regex::Regex::new(
                r#"(?m)(?:^|[;}])\s*(?:import\s*(?:[\w$]+\s*(?:,|from\b)|\{|\*|["'])|export\s*(?:default\b|const\b|let\b|var\b|function\b|class\b|async\b|\{|\*))"#,
            )
            .expect("a valid pattern")
        })
        .is_match(source)
}

/// One module compiled to CommonJS.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Compiled {
    /// The CommonJS code; every line where the source had it.
    pub code: String,
    /// Per 1-based line whose tokens moved: `[generated column, source column]` pairs
    /// (0-based), in order. Lines not listed kept their columns.
    #[serde(default)]
    pub columns: BTreeMap<String, Value>,
}

/// Compiles `sources` (path → source; a `.ts` path is TypeScript); returns path → compiled.
///
/// # Errors
/// `path:line:column: problem` for a syntax error, or what to install when Node.js or the
/// compiler is missing.
pub fn compile(sources: &BTreeMap<String, String>) -> Result<BTreeMap<String, Compiled>, String> {
    if sources.is_empty() {
        return Ok(BTreeMap::new());
    }
    let dir = compiler_dir();
    let example = sources
        .keys()
        .next()
        .map(String::as_str)
        .unwrap_or_default();
    if !dir.join("node_modules/sucrase").is_dir() {
        return Err(format!(
            "{example} is an ES module or TypeScript, which mp-sim compiles with sucrase, and sucrase is not installed in {}: run `npm ci --prefix {}` (scripts/setup does)",
            dir.display(),
            dir.display()
        ));
    }
    let mut child = Command::new("node")
        .arg(dir.join("compile.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{example} is an ES module or TypeScript, which mp-sim compiles on Node.js, and `node` does not run ({e}): install nodejs (scripts/setup does)"))?;
    let input = serde_json::to_vec(sources).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        // A compiler that died early shows in its exit status below.
        let _ = stdin.write_all(&input);
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("compiling the Mini Program's modules failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "compiling the Mini Program's modules failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let answers: BTreeMap<String, Value> = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the module compiler answered something unreadable: {e}"))?;
    let mut compiled = BTreeMap::new();
    for (path, answer) in answers {
        if let Some(error) = answer["error"].as_str() {
            return Err(error.to_string());
        }
        let module: Compiled = serde_json::from_value(answer)
            .map_err(|e| format!("{path}: the module compiler's answer is unreadable: {e}"))?;
        compiled.insert(path, module);
    }
    Ok(compiled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &str, source: &str) -> Result<Compiled, String> {
        compile(&BTreeMap::from([(path.to_string(), source.to_string())]))
            .map(|mut out| out.remove(path).unwrap())
    }

    #[test]
    fn types_go_an_enum_stays_and_every_line_keeps_its_place() {
        let source = "interface Order { id: number }\nenum Kind { Web = 'web', Mini = 'mini' }\nconst total = (o: Order): number => o.id;\nthrow new Error(Kind.Mini);\n";
        let js = one("pages/pay/pay.ts", source).unwrap();
        assert!(
            !js.code.contains("interface") && !js.code.contains(": number"),
            "{}",
            js.code
        );
        assert!(
            js.code
                .contains("const Mini = 'mini'; Kind[\"Mini\"] = Mini"),
            "{}",
            js.code
        );
        let line_of =
            |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap();
        assert_eq!(line_of(&js.code, "throw"), line_of(source, "throw"));
        // `const total = (o` moved left on line 3 once `: Order` went.
        assert!(js.columns.contains_key("3"), "{:?}", js.columns);
    }

    #[test]
    fn imports_and_exports_become_commonjs() {
        let js = one(
            "utils/pay.js",
            "import { request } from './http'\nimport config from '../config'\nexport const pay = () => request(config.url)\nexport default pay\n",
        )
        .unwrap();
        assert!(js.code.contains("require('./http')"), "{}", js.code);
        assert!(js.code.contains("exports.pay = pay"), "{}", js.code);
        assert!(
            js.code.contains("exports. default = exports.pay"),
            "{}",
            js.code
        );
        assert_eq!(js.code.lines().count(), 4);
    }

    #[test]
    fn a_syntax_error_is_named_with_file_line_and_column() {
        let e = one("utils/kind.js", "const a = 1;\nimport x from;\n").unwrap_err();
        assert!(e.starts_with("utils/kind.js:2:"), "{e}");
        let e = one("app.ts", "App({ onLaunch( { }\n").unwrap_err();
        assert!(e.starts_with("app.ts:"), "{e}");
    }
}
