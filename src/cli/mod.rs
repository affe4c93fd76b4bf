//! What the command line does around a run: the project config (`zion-e2e.toml`), `init`,
//! `doctor`, the checks before anything starts ([`preflight`]) and the feature files to run.

pub mod config;
pub mod doctor;
pub mod feature_files;
pub mod init;
pub mod preflight;
