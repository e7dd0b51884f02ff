//! Command line and environment settings.

use clap::{Args, Parser};
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

/// ion-mock: a local emulator of First Resonance ION's authorization server.
#[derive(Debug, Parser)]
#[command(name = "ion-mock", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
}

/// How one server instance runs. Every flag has an environment twin.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "ION_MOCK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// sqlx SQLite URL: sqlite://relative.db, sqlite:///abs/path.db (created if missing), or
    /// sqlite::memory: for a throwaway instance.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://ion-mock.db")]
    pub database_url: String,

    /// Fixture file (TOML) loaded at start instead of the built-in defaults.
    #[arg(long, env = "ION_MOCK_FIXTURES")]
    pub fixtures: Option<PathBuf>,

    /// Base URL used in issuers and discovery documents (default: derived from the bound address).
    #[arg(long, env = "ION_MOCK_PUBLIC_URL")]
    pub public_url: Option<Url>,

    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "ION_MOCK_WORKERS")]
    pub workers: Option<usize>,

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

impl Settings {
    /// A throwaway instance: free loopback port, in-memory database, default fixtures.
    pub fn for_tests() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: "sqlite::memory:".to_owned(),
            fixtures: None,
            public_url: None,
            workers: Some(1),
            login_failures_per_user: 10,
            login_failures_per_ip: 50,
            login_failure_window: 300,
            handle_signals: false,
        }
    }
}

/// Logs go to stderr (stdout carries only the readiness line). `RUST_LOG` filters them.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
