//! Serving a mock project from the command line until Ctrl-C or SIGTERM: what
//! `mock-zion serve` and `zion-pay-e2e mock` run.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use crate::{MockZion, ProjectConfig};

/// The options of `mock-zion serve` and `zion-pay-e2e mock`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Project config (TOML); without it, the seed documents' shapes.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Port of the subscription WebSocket endpoint; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub socket_port: u16,
    /// Address to listen on. Keep the default unless other machines must reach it.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Print the GraphQL schema (SDL) the project is served with, and exit.
    #[arg(long)]
    pub print_schema: bool,
}

impl ServeArgs {
    /// Runs [`serve`] with these options.
    ///
    /// # Errors
    /// As [`serve`].
    pub async fn serve(&self) -> Result<(), String> {
        if self.print_schema {
            print!("{}", schema(self.config.as_deref())?);
            return Ok(());
        }
        serve(
            self.config.as_deref(),
            SocketAddr::new(self.host, self.port),
            self.socket_port,
        )
        .await
    }
}

/// The SDL a project is served with: Zion's shared schema and the table API generated from
/// its data model.
///
/// # Errors
/// An unreadable or malformed config or schema file, or a data model that makes no valid
/// schema.
pub fn schema(config: Option<&Path>) -> Result<String, String> {
    let config = load(config)?;
    crate::graphql::schema::build(&config)?;
    Ok(crate::graphql::schema::project_sdl(&config))
}

fn load(config: Option<&Path>) -> Result<ProjectConfig, String> {
    match config {
        Some(path) => ProjectConfig::from_file(path).map_err(|e| e.to_string()),
        None => Ok(ProjectConfig::default()),
    }
}

/// Starts a mock project from `config` (the seeds' shapes when `None`) on `addr`, prints its
/// URLs and accounts, and serves until Ctrl-C or SIGTERM.
///
/// # Errors
/// One readable message: an unreadable or malformed config (file:line), or a busy port.
pub async fn serve(
    config: Option<&Path>,
    addr: SocketAddr,
    socket_port: u16,
) -> Result<(), String> {
    let config = load(config)?;
    let speedup = config.alipay.notify_retry_speedup;
    let accounts: Vec<String> = config
        .accounts
        .iter()
        .map(|a| format!("account {} (Bearer {})", a.id, a.token))
        .collect();
    let zion = MockZion::builder()
        .config(config)
        .addr(addr)
        .socket_port(socket_port)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    println!("mock-zion is serving a mock Zion project");
    println!("  GraphQL:     {}", zion.graphql_url());
    println!("  subscriptions (WebSocket): {}", zion.subscription_url());
    println!("  control API: {}/", zion.admin_url());
    println!("  journal:     {}/journal?format=text", zion.admin_url());
    for account in accounts {
        println!("  {account}");
    }
    println!("  Alipay gateway: {}/gateway.do", zion.uri());
    let keys = crate::alipay::keys::run_keys();
    println!(
        "This run's public keys (also at {}/keys/):",
        zion.admin_url()
    );
    println!(
        "  merchant (verifies page-pay forms and WeChat paySign):\n{}",
        keys.merchant.public().to_pem().trim_end()
    );
    println!(
        "  Alipay (verifies returns and notifications):\n{}",
        keys.alipay.public().to_pem().trim_end()
    );
    println!("A backend of your own (not Zion) can use this gateway as an offline Alipay sandbox:");
    println!(
        "  set its Alipay SDK's gateway to {}/gateway.do and its Alipay public key to the",
        zion.uri()
    );
    println!(
        "  Alipay key above ({}/keys/alipay.pem, new every run); list its app_id and its own",
        zion.admin_url()
    );
    println!("  public key under [[alipay.apps]] in the config. Notifications are POSTed to its");
    println!("  notify_url (loopback only) until it answers `success`, on Alipay's retry schedule");
    println!("  {speedup}x faster; each delivery and answer is in the journal.");
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
