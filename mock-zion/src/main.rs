//! `mock-zion serve`: a mock Zion project for local development and for tests in any
//! language. Prints its URLs, serves until Ctrl-C (or SIGTERM), then exits cleanly.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mock_zion::{MockZion, ProjectConfig};

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
    match serve(config, SocketAddr::new(host, port)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mock-zion: error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn serve(config: Option<PathBuf>, addr: SocketAddr) -> Result<(), String> {
    let config = match config {
        Some(path) => ProjectConfig::from_file(&path).map_err(|e| e.to_string())?,
        None => ProjectConfig::default(),
    };
    let accounts: Vec<String> = config
        .accounts
        .iter()
        .map(|a| format!("account {} (Bearer {})", a.id, a.token))
        .collect();
    let zion = MockZion::builder()
        .config(config)
        .addr(addr)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    println!("mock-zion is serving a mock Zion project");
    println!("  GraphQL:     {}", zion.graphql_url());
    println!("  control API: {}/", zion.admin_url());
    println!("  journal:     {}/journal?format=text", zion.admin_url());
    for account in accounts {
        println!("  {account}");
    }
    println!("Press Ctrl-C to stop.");
    wait_for_stop().await;
    println!("mock-zion stopped");
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
