//! A Mini Program's TypeScript modules, made JavaScript mp-sim can run: types are stripped
//! by [ts-blank-space](https://github.com/bloomberg/ts-blank-space), which replaces them with
//! blanks, so every line and column stays where the author wrote it and an error's position
//! points into the `.ts` file. It runs on Node.js from `ts-strip/` (installed by
//! `scripts/setup`), one process for all of a Mini Program's files.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Where `strip.mjs` and its `node_modules` are: `$ZION_E2E_TS_STRIP`, else this checkout's
/// `ts-strip/`.
pub fn stripper_dir() -> PathBuf {
    std::env::var_os("ZION_E2E_TS_STRIP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/ts-strip")))
}

/// Strips the types of `sources` (path → TypeScript); returns path → JavaScript.
///
/// # Errors
/// `path:line:column: problem` for a syntax error or TypeScript that has a runtime meaning
/// (an `enum`, a `namespace`), or what to install when Node.js or ts-blank-space is missing.
pub fn strip(sources: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    let dir = stripper_dir();
    if !dir.join("node_modules/ts-blank-space").is_dir() {
        return Err(format!(
            "TypeScript pages need ts-blank-space, which is not installed in {}: run `npm ci --prefix {}` (scripts/setup does)",
            dir.display(),
            dir.display()
        ));
    }
    let mut child = Command::new("node")
        .arg(dir.join("strip.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("TypeScript pages need Node.js to strip their types, and `node` does not run ({e}): install nodejs (scripts/setup does)"))?;
    let input = serde_json::to_vec(sources).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        // A stripper that died early shows in its exit status below.
        let _ = stdin.write_all(&input);
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("stripping TypeScript failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "stripping TypeScript failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let answers: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the TypeScript stripper answered something unreadable: {e}"))?;
    let mut stripped = BTreeMap::new();
    for (path, answer) in answers {
        match (answer["code"].as_str(), answer["error"].as_str()) {
            (Some(code), _) => stripped.insert(path, code.to_string()),
            (None, Some(error)) => return Err(error.to_string()),
            (None, None) => return Err(format!("{path}: the TypeScript stripper gave no code")),
        };
    }
    Ok(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &str, source: &str) -> Result<String, String> {
        strip(&BTreeMap::from([(path.to_string(), source.to_string())]))
            .map(|mut out| out.remove(path).unwrap())
    }

    #[test]
    fn types_become_blanks_and_every_position_stays() {
        let source = "interface Order { id: number }\nconst total = (o: Order): number => o.id as number;\nthrow new Error('x');\n";
        let js = one("pages/pay/pay.ts", source).unwrap();
        assert!(
            !js.contains("interface") && !js.contains(": number"),
            "{js}"
        );
        assert_eq!(js.len(), source.len());
        assert_eq!(js.find("throw"), source.find("throw"));
    }

    #[test]
    fn an_enum_and_a_syntax_error_are_named_with_file_line_and_column() {
        let e = one("utils/kind.ts", "const a = 1;\nenum Kind { Web, Mini }\n").unwrap_err();
        assert!(
            e.starts_with(
                "utils/kind.ts:2:1: `enum Kind { Web, Mini }` is TypeScript with a runtime meaning"
            ),
            "{e}"
        );
        let e = one("app.ts", "App({ onLaunch( { }\n").unwrap_err();
        assert!(e.starts_with("app.ts:"), "{e}");
    }
}
