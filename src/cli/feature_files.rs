//! The feature files of a run, from any number of files and folders: cucumber-rs' own parser
//! reads one path, so this parser hands it each file in turn.

use std::path::{Path, PathBuf};

use cucumber::gherkin;
use cucumber::parser::{self, Parser};
use futures::stream::{self, StreamExt as _};

/// A cucumber [`Parser`] over a list of files and folders, in the order given (each folder's
/// files sorted), every file once.
///
/// ```no_run
/// use std::path::PathBuf;
/// use zion_pay_e2e::cli::feature_files::FeatureFiles;
/// # use zion_pay_e2e::steps::ShopWorld;
/// # use cucumber::World as _;
///
/// # async fn example() {
/// ShopWorld::cucumber::<PathBuf>()
///     .with_parser(FeatureFiles)
///     .run(vec![PathBuf::from("features/alipay_web.feature"), PathBuf::from("features/zh-CN")])
///     .await;
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FeatureFiles;

impl Parser<Vec<PathBuf>> for FeatureFiles {
    type Cli = cucumber::cli::Empty;
    type Output = stream::Iter<std::vec::IntoIter<parser::Result<gherkin::Feature>>>;

    fn parse(self, input: Vec<PathBuf>, _cli: Self::Cli) -> Self::Output {
        let features: Vec<_> = list(&input)
            .into_iter()
            .flat_map(|file| {
                // cucumber's parser expands Examples and tags; its stream is ready at once.
                let one = parser::Basic::new().parse(file, Default::default());
                futures::executor::block_on(one.collect::<Vec<_>>())
            })
            .collect();
        stream::iter(features)
    }
}

/// The `.feature` files at each path (the file itself, or every one below a folder, sorted),
/// in the order of the paths, each once.
pub fn list(paths: &[PathBuf]) -> Vec<PathBuf> {
    once_each(paths.iter().flat_map(|path| match path.is_file() {
        true => vec![path.to_path_buf()],
        false => below(path, "feature"),
    }))
}

/// The `.steps` files (a team's own phrases) that come with the features at `paths`: every one
/// below a folder, and those beside a feature file given alone.
pub fn list_phrase_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    once_each(paths.iter().flat_map(|path| {
        match path.is_file() {
            true => path
                .parent()
                .map(|folder| {
                    let folder = match folder.as_os_str().is_empty() {
                        true => Path::new("."),
                        false => folder,
                    };
                    below(folder, "steps")
                        .into_iter()
                        .filter(|f| f.parent() == Some(folder))
                        .collect()
                })
                .unwrap_or_default(),
            false => below(path, "steps"),
        }
    }))
}

fn once_each(files: impl Iterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files
        .filter(|file| seen.insert(file.canonicalize().unwrap_or_else(|_| file.clone())))
        .collect()
}

/// The files with `extension` below the folder `path`, sorted.
fn below(path: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_folders_are_listed_in_order_each_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
        let files = list(&[root.join("zh-CN"), root.clone()]);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "zh-CN/alipay_web.feature",
                "zh-CN/web_login.feature",
                "zh-CN/wechat_miniprogram.feature",
                "alipay_web.feature",
                "web_login.feature",
                "wechat_miniprogram.feature"
            ]
        );
    }
}
