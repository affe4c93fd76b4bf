//! `mock-zion serve`: a mock Zion project for local development and for tests in any
//! language. Prints its URLs, serves until Ctrl-C (or SIGTERM), then exits cleanly.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mock_zion::serve::ServeArgs;

#[derive(Parser)]
#[command(
    name = "mock-zion",
    version,
    about = "A strict, stateful mock of a Zion project's GraphQL API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve a mock project until Ctrl-C.
    Serve(ServeArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let Command::Serve(args) = Cli::parse().command;
    match args.serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mock-zion: error: {message}");
            ExitCode::from(2)
        }
    }
}
