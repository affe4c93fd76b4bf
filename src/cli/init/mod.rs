//! `zion-pay-e2e init`: a starter `zion-e2e.toml`, copies of the reference features, and the
//! reference apps they pass against — in a team's repository, like `playwright init`. The
//! team then edits the config to point at its own app and adapts the features.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

static FEATURES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/features");
static WEB_SHOP: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/web-shop");
static MINI_PROGRAM_SHOP: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/miniprogram-shop");
const STARTER_CONFIG: &str = include_str!("zion-e2e.toml");

/// What `init` writes, relative to the target folder.
const WRITES: [&str; 3] = [crate::cli::config::FILE_NAME, "features", "reference-apps"];

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Something `init` would write is already there.
    #[error("{} already exist in {}: init writes nothing over a team's files; pass --force to replace them", .existing.join(", "), .dir.display())]
    Exists {
        /// The target folder.
        dir: PathBuf,
        /// What is in the way.
        existing: Vec<String>,
    },
    /// A file could not be written.
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, std::io::Error),
}

/// Writes the starter config, the reference features (`features/`, with `zh-CN/`) and the
/// reference apps (`reference-apps/web-shop`, `reference-apps/miniprogram-shop`) into `dir`.
/// Returns the paths written, relative to `dir`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let written = zion_pay_e2e::cli::init::write(dir.path(), false).unwrap();
/// assert!(written.iter().any(|p| p.ends_with("zion-e2e.toml")));
/// assert!(dir.path().join("features/zh-CN/alipay_web.feature").is_file());
/// // A second init refuses to overwrite what the team may have edited.
/// assert!(zion_pay_e2e::cli::init::write(dir.path(), false).is_err());
/// ```
///
/// # Errors
/// [`InitError`]: something is in the way (without `force`), or a write failed.
pub fn write(dir: &Path, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let existing: Vec<String> = WRITES
        .iter()
        .filter(|name| dir.join(name).exists())
        .map(|name| name.to_string())
        .collect();
    if !existing.is_empty() && !force {
        return Err(InitError::Exists {
            dir: dir.to_path_buf(),
            existing,
        });
    }
    let mut written = Vec::new();
    let mut put = |path: PathBuf, contents: &[u8]| {
        let full = dir.join(&path);
        full.parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| std::fs::write(&full, contents))
            .map_err(|e| InitError::Write(full.clone(), e))?;
        written.push(path);
        Ok::<(), InitError>(())
    };
    put(
        PathBuf::from(crate::cli::config::FILE_NAME),
        STARTER_CONFIG.as_bytes(),
    )?;
    for (tree, into) in [
        (&FEATURES, "features"),
        (&WEB_SHOP, "reference-apps/web-shop"),
        (&MINI_PROGRAM_SHOP, "reference-apps/miniprogram-shop"),
    ] {
        for file in files(tree) {
            put(Path::new(into).join(file.path()), file.contents())?;
        }
    }
    Ok(written)
}

fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut all: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        all.extend(files(sub));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_is_valid_where_init_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), false).unwrap();
        let config = crate::cli::config::E2eConfig::from_file(
            &dir.path().join(crate::cli::config::FILE_NAME),
        )
        .unwrap();
        assert_eq!(
            config.mini_program,
            Some(dir.path().join("reference-apps/miniprogram-shop"))
        );
        assert_eq!(config.profile, crate::web::WebAppProfile::default());
    }

    #[test]
    fn force_replaces_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("zion-e2e.toml"), "# ours").unwrap();
        let e = write(dir.path(), false).unwrap_err().to_string();
        assert!(e.starts_with("zion-e2e.toml already exist"), "{e}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("zion-e2e.toml")).unwrap(),
            "# ours"
        );
        write(dir.path(), true).unwrap();
        assert!(dir
            .path()
            .join("reference-apps/web-shop/index.html")
            .is_file());
    }
}
