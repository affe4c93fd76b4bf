//! The `zion-pay-e2e` command line.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "zion-pay-e2e",
    version,
    about = "End-to-end payment tests for apps built on Zion"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve mock-zion (a mock of your Zion project's GraphQL API) until Ctrl-C.
    Mock {
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
    let result = match Cli::parse().command {
        Command::Mock { config, port, host } => {
            mock_zion::serve::serve(config.as_deref(), SocketAddr::new(host, port)).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("zion-pay-e2e: error: {message}");
            ExitCode::from(2)
        }
    }
}
