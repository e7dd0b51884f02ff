//! All SQL lives here: plain async functions over the pool, one file per table or aggregate.

pub mod api_keys;
pub mod cache;
pub mod cached;
pub mod clients;
pub mod codes;
pub mod keys;
pub mod meta;
pub mod minted;
pub mod orgs;
pub mod origins;
pub mod realms;
pub mod redirect_uris;
pub mod refresh_tokens;
pub mod reset;
pub mod revocations;
pub mod roles;
pub mod sessions;
pub mod settings;
pub mod snapshot;
pub mod unavailable;
pub mod user_admin;
pub mod users;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::time::Duration;

pub type Db = SqlitePool;

pub use cache::ReadCache;
pub use unavailable::Unavailable;

pub fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// Opens (creating if missing) and migrates the database named by a sqlx SQLite URL. Every
/// committed write makes `cache`'s answers stale.
pub async fn connect(url: &str, cache: &ReadCache) -> anyhow::Result<Db> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid database URL {url:?}"))?
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let writes = cache.write_counter();
    let pool_options = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            let writes = writes.clone();
            Box::pin(async move {
                conn.lock_handle().await?.set_commit_hook(move || {
                    writes.fetch_add(1, Ordering::AcqRel);
                    true
                });
                Ok(())
            })
        });
    let pool = if is_in_memory(url) {
        // One connection: every connection to `:memory:` would otherwise be its own database,
        // and the single one must never be closed while the server runs.
        pool_options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
    } else {
        pool_options
            .max_connections(8)
            .connect_with(
                options
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal),
            )
            .await
    }
    .with_context(|| format!("cannot open database {url}"))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .with_context(|| format!("cannot migrate database {url}"))?;
    Ok(pool)
}

/// Whether an error is a UNIQUE constraint violation, which callers turn into a conflict.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
