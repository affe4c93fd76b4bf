//! `mock-zion serve`: a mock Zion project for local development and for tests in any
//! language. Prints its URLs, serves until Ctrl-C (or SIGTERM), then exits cleanly.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Serve {
        /// Project config (TOML); without it, the seed documents' shapes.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Address to listen on. Keep the default unless other machines must reach it.
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
        host: IpAddr,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let Command::Serve { config, port, host } = Cli::parse().command;
    match mock_zion::serve::serve(config.as_deref(), SocketAddr::new(host, port)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mock-zion: error: {message}");
            ExitCode::from(2)
        }
    }
}
