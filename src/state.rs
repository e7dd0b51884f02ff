//! The one dependency bag, shared by every surface.

use crate::clock::Clock;
use crate::config::Settings;
use crate::events::EventLog;
use crate::faults::FaultTable;
use crate::fixtures::Fixtures;
use crate::oauth::authorize::{LoginLimits, LoginThrottle};
use crate::store::{self, Db, ReadCache, Unavailable, cached::Reads};
use crate::tokens::keyring::KeyRing;
use anyhow::Context;

#[derive(Debug)]
pub struct AppState {
    pub db: Db,
    /// The hot reads' answers, until the next committed write (see [`store::cache`]).
    pub cache: ReadCache,
    pub keys: KeyRing,
    pub clock: Clock,
    pub events: EventLog,
    /// Armed injected failures (`/mock/faults`).
    pub faults: FaultTable,
    pub fixtures: Fixtures,
    /// Failed sign-ins at the login form, per user and per client IP.
    pub login_throttle: LoginThrottle,
    pub settings: Settings,
    /// Base of every issuer and endpoint URL, without a trailing slash.
    pub public_url: String,
}

impl AppState {
    /// Opens and migrates the database, loads the signing keys and applies the fixtures: all
    /// a server needs short of a listener, and all an offline command needs.
    pub async fn open(
        settings: &Settings,
        fixtures: Fixtures,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let url = &settings.store.database_url;
        let clock = Clock::default();
        let cache = ReadCache::for_database(url);
        let (db, keys) = open_storage(url, &cache, &fixtures, &clock)
            .await
            .map_err(|e| storage_failure_at_start(e, url))?;
        Ok(Self {
            db,
            cache,
            keys,
            clock,
            events: EventLog::default(),
            faults: Default::default(),
            fixtures,
            login_throttle: LoginThrottle::new(LoginLimits {
                per_user: settings.login_failures_per_user,
                per_ip: settings.login_failures_per_ip,
                window_ms: i64::from(settings.login_failure_window) * 1000,
            }),
            settings: settings.clone(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The hot read queries, answered from the cache while nothing was written since.
    pub fn reads(&self) -> Reads<'_> {
        Reads {
            db: &self.db,
            cache: &self.cache,
        }
    }

    /// `{public-url}/realms/{realm}`, whichever path prefix the request used.
    pub fn issuer(&self, realm: &str) -> String {
        format!("{}/realms/{}", self.public_url, realm)
    }

    pub fn endpoint(&self, realm: &str, path: &str) -> String {
        format!("{}/protocol/openid-connect/{}", self.issuer(realm), path)
    }
}

/// The database, migrated, with its signing keys and the fixtures applied.
async fn open_storage(
    url: &str,
    cache: &ReadCache,
    fixtures: &Fixtures,
    clock: &Clock,
) -> anyhow::Result<(Db, KeyRing)> {
    let db = store::connect(url, cache).await?;
    let keys = KeyRing::load(&db).await?;
    fixtures
        .apply(&db, &keys, clock.now())
        .await
        .context("cannot apply fixtures")?;
    Ok((db, keys))
}

/// A database that cannot be written (read-only, full, failing) stops the start with a
/// message naming it, what is wrong and what to do, above SQLite's own words.
fn storage_failure_at_start(e: anyhow::Error, url: &str) -> anyhow::Error {
    match Unavailable::in_chain(&e) {
        Some(u) => e.context(format!(
            "cannot start on database {url}: {}. {}",
            u.cause(),
            u.remedy()
        )),
        None => e,
    }
}
