//! What the command line does around a run: the project config (`zion-e2e.toml`), `init`,
//! `doctor`, the checks before anything starts ([`preflight`]), the feature files to run and
//! the step library's list ([`step_list`]).

pub mod config;
pub mod doctor;
pub mod feature_files;
pub mod init;
pub mod preflight;
pub mod step_list;
