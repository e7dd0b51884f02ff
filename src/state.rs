//! The one dependency bag, shared by every surface.

use crate::clock::Clock;
use crate::config::Settings;
use crate::events::EventLog;
use crate::faults::FaultTable;
use crate::fixtures::Fixtures;
use crate::store::{self, Db};
use crate::tokens::keyring::KeyRing;
use anyhow::Context;

#[derive(Debug)]
pub struct AppState {
    pub db: Db,
    pub keys: KeyRing,
    pub clock: Clock,
    pub events: EventLog,
    /// Armed injected failures (`/mock/faults`).
    pub faults: FaultTable,
    pub fixtures: Fixtures,
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
        let db = store::connect(&settings.store.database_url).await?;
        let keys = KeyRing::load(&db).await?;
        let clock = Clock::default();
        fixtures
            .apply(&db, &keys, clock.now())
            .await
            .context("cannot apply fixtures")?;
        Ok(Self {
            db,
            keys,
            clock,
            events: EventLog::default(),
            faults: Default::default(),
            fixtures,
            settings: settings.clone(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// `{public-url}/realms/{realm}`, whichever path prefix the request used.
    pub fn issuer(&self, realm: &str) -> String {
        format!("{}/realms/{}", self.public_url, realm)
    }

    pub fn endpoint(&self, realm: &str, path: &str) -> String {
        format!("{}/protocol/openid-connect/{}", self.issuer(realm), path)
    }
}
