//! Command line and environment settings: `serve` (the default) and the offline subcommands.

use crate::cli::Command;
use clap::{Args, Parser, ValueEnum};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use url::Url;

/// ion-mock: a local emulator of First Resonance ION's authorization server.
///
/// Without a subcommand it serves, as `ion-mock serve` does.
#[derive(Debug, Parser)]
#[command(
    name = "ion-mock",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub settings: Settings,

    /// Log format on stderr: human-readable text, or one JSON object per line.
    #[arg(long, env = "ION_MOCK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The default listening address, which offline commands also assume a server uses.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// How one server instance runs. Every flag has an environment twin.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "ION_MOCK_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,

    #[command(flatten)]
    pub store: StoreArgs,

    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "ION_MOCK_WORKERS")]
    pub workers: Option<usize>,

    /// Serve HTTPS with a certificate for localhost, 127.0.0.1 and ::1 generated at start; the
    /// PEM file to trust is printed before the readiness line.
    #[arg(long, env = "ION_MOCK_TLS")]
    pub tls: bool,

    /// Serve HTTPS with this certificate chain (PEM) instead of a generated one; needs --tls-key.
    #[arg(long, env = "ION_MOCK_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM, PKCS#8, PKCS#1 or SEC1) of --tls-cert.
    #[arg(long, env = "ION_MOCK_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Failed sign-ins of one user (email) within the window after which the login form
    /// refuses that user with 429; 0 for no limit.
    #[arg(long, env = "ION_MOCK_LOGIN_FAILURES_PER_USER", default_value_t = 10)]
    pub login_failures_per_user: u32,

    /// Failed sign-ins from one client IP within the window after which the login form
    /// refuses every user from it with 429; 0 for no limit.
    #[arg(long, env = "ION_MOCK_LOGIN_FAILURES_PER_IP", default_value_t = 50)]
    pub login_failures_per_ip: u32,

    /// The window of the sign-in limits, in seconds on the emulator clock.
    #[arg(long, env = "ION_MOCK_LOGIN_FAILURE_WINDOW", default_value_t = 300)]
    pub login_failure_window: u32,

    /// Stop on SIGTERM/SIGINT (off for servers embedded in tests).
    #[arg(skip = true)]
    pub handle_signals: bool,
}

/// Where the state lives: what `serve` and every offline subcommand share.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// sqlx SQLite URL: sqlite://relative.db, sqlite:///abs/path.db (created if missing), or
    /// sqlite::memory: for a throwaway instance.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://ion-mock.db")]
    pub database_url: String,

    /// Fixture file (TOML) loaded at start instead of the built-in defaults.
    #[arg(long, env = "ION_MOCK_FIXTURES")]
    pub fixtures: Option<PathBuf>,

    /// Base URL used in issuers and discovery documents (serve: derived from the bound address;
    /// offline commands: the one the last server on this database used).
    #[arg(long, env = "ION_MOCK_PUBLIC_URL")]
    pub public_url: Option<Url>,
}

impl Settings {
    /// A throwaway instance: free loopback port, in-memory database, default fixtures.
    pub fn for_tests() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            store: StoreArgs {
                database_url: "sqlite::memory:".to_owned(),
                fixtures: None,
                public_url: None,
            },
            workers: Some(1),
            tls: false,
            tls_cert: None,
            tls_key: None,
            login_failures_per_user: 10,
            login_failures_per_ip: 50,
            login_failure_window: 300,
            handle_signals: false,
        }
    }

    /// Whether to serve HTTPS.
    pub fn serves_tls(&self) -> bool {
        self.tls || self.tls_cert.is_some()
    }
}

/// Logs go to stderr (stdout carries only the readiness lines and command output). `RUST_LOG`
/// filters them by target and level (`debug`, `ion_mock=debug,sqlx=warn`); `default_level`
/// applies when it is unset, empty or not a list of directives.
pub fn init_tracing(format: LogFormat, default_level: &str) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|directives| !directives.trim().is_empty())
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| default_level.parse().unwrap_or_default());
    let builder = tracing_subscriber::fmt()
        // Colour codes only for a person at a terminal: a CI log or a file gets plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.finish().with(filter).try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .finish()
            .with(filter)
            .try_init(),
    };
}
