//! The subcommands beside `serve`: they work on the same database and signing keys a server
//! uses, without starting one. Results go to stdout, errors to stderr with a non-zero exit.

mod apikey;
mod app;
mod snapshot;
mod token;

use crate::config::{DEFAULT_BIND, Settings, StoreArgs};
use crate::fixtures::Fixtures;
use crate::startup::default_public_url;
use crate::state::AppState;
use crate::store;
use clap::Subcommand;
use serde_json::Value;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the emulator (what `ion-mock` does without a subcommand).
    Serve(Settings),
    /// Mint a token offline with the database's keys: for a user or a client, good or broken.
    Token(token::TokenArgs),
    /// Register and list OAuth apps.
    #[command(subcommand)]
    App(app::AppCommand),
    /// Create API keys.
    #[command(subcommand)]
    Apikey(apikey::ApiKeyCommand),
    /// Write the whole state (keys, apps, users, revocations...) to a JSON snapshot.
    Export(snapshot::ExportArgs),
    /// Replace a database's whole state with a snapshot written by `export`.
    Import(snapshot::ImportArgs),
}

/// Runs an offline subcommand (`serve` is the binary's own business).
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => anyhow::bail!("serve runs from main"),
        Command::Token(args) => token::run(args).await,
        Command::App(cmd) => app::run(cmd).await,
        Command::Apikey(cmd) => apikey::run(cmd).await,
        Command::Export(args) => snapshot::export(args).await,
        Command::Import(args) => snapshot::import(args).await,
    }
}

/// The state a server on this database would have: migrated, fixtures applied, and the public
/// URL of the last server that ran on it (so issuers match), unless one is given.
async fn open(store_args: &StoreArgs) -> anyhow::Result<AppState> {
    let fixtures = Fixtures::load(store_args.fixtures.as_deref())?;
    let settings = Settings {
        store: store_args.clone(),
        ..Settings::for_tests()
    };
    let fallback = default_public_url("http", DEFAULT_BIND.parse()?);
    let given = store_args
        .public_url
        .as_ref()
        .map(|u| u.as_str().to_owned());
    let mut state = AppState::open(&settings, fixtures, given.clone().unwrap_or(fallback)).await?;
    if given.is_none()
        && let Some(url) = store::meta::get(&state.db, store::meta::PUBLIC_URL).await?
    {
        state.public_url = url;
    }
    Ok(state)
}

/// Everything an offline command did is on disk before the process exits.
async fn close(state: AppState) -> anyhow::Result<()> {
    state.keys.flush(&state.db).await?;
    state.db.close().await;
    Ok(())
}

fn print_json(value: &Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
