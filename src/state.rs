//! The one dependency bag, shared by every surface.

use crate::clock::Clock;
use crate::config::Settings;
use crate::events::EventLog;
use crate::faults::FaultTable;
use crate::fixtures::Fixtures;
use crate::oauth::authorize::LoginThrottle;
use crate::store::Db;
use crate::tokens::keyring::KeyRing;

#[derive(Debug)]
pub struct AppState {
    pub db: Db,
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
    /// `{public-url}/realms/{realm}`, whichever path prefix the request used.
    pub fn issuer(&self, realm: &str) -> String {
        format!("{}/realms/{}", self.public_url, realm)
    }

    pub fn endpoint(&self, realm: &str, path: &str) -> String {
        format!("{}/protocol/openid-connect/{}", self.issuer(realm), path)
    }
}
