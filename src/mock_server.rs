//! The emulator in-process, for Rust tests, shaped like wiremock's `MockServer`: a free port,
//! an in-memory database and the default fixtures, ready when `start` returns and stopped
//! when dropped.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use ion_mock::MockServer;
//!
//! let server = MockServer::start().await;
//! // Client credentials with a fixture API key, as ION's own scripts get tokens.
//! let answer: serde_json::Value = reqwest::Client::new()
//!     .post(server.token_endpoint())
//!     .form(&[
//!         ("grant_type", "client_credentials"),
//!         ("client_id", "acme-admin-key"),
//!         ("client_secret", "acme-admin-secret"),
//!     ])
//!     .send()
//!     .await
//!     .unwrap()
//!     .json()
//!     .await
//!     .unwrap();
//! assert_eq!(answer["token_type"], "Bearer");
//!
//! // Or skip the grant: a token for a fixture user, then move the clock past its expiry.
//! let token = server.user_token("operator@acme.test").await;
//! server.advance_clock(3600);
//! # let _ = token;
//! # }
//! ```

use crate::api_keys::{self, KeyRequest};
use crate::config::Settings;
use crate::controls::error::ControlError;
use crate::controls::tokens::{MintRequest, mint_tokens};
use crate::fixtures::{DEFAULT_REALM, Fixtures, RealmFixture};
use crate::oauth_apps;
use crate::startup::Application;
use crate::state::AppState;
use crate::store;
use actix_web::dev::ServerHandle;
use anyhow::{Context, anyhow};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;

/// A running emulator; dropping it stops the server.
pub struct MockServer {
    url: String,
    state: Arc<AppState>,
    handle: ServerHandle,
}

/// Fixtures, realms, clock and lifetimes of a [`MockServer`] before it starts.
#[derive(Debug)]
pub struct MockServerBuilder {
    settings: Settings,
    fixtures: Option<Fixtures>,
    fixture_error: Option<String>,
    realms: Vec<String>,
    clock_offset: i64,
    user_token_lifetime: Option<i64>,
    client_token_lifetime: Option<i64>,
    refresh_token_lifetime: Option<i64>,
}

/// What [`MockServer::mint`] answers (the JSON of `POST /mock/tokens`).
#[derive(Debug, Clone, Deserialize)]
pub struct TokenSet {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
    pub jti: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

/// A client registered by [`MockServer::register_app`] or [`MockServer::create_api_key`].
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    /// The app's GraphQL `id` (`oauthApp(id:)`), or the key's.
    pub id: i64,
    pub client_id: String,
    /// Confidential apps and API keys only.
    pub client_secret: Option<String>,
}

impl MockServer {
    /// Starts a server with the default fixtures; panics if it cannot (like wiremock).
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    pub fn builder() -> MockServerBuilder {
        MockServerBuilder {
            settings: Settings::for_tests(),
            fixtures: None,
            fixture_error: None,
            realms: Vec::new(),
            clock_offset: 0,
            user_token_lifetime: None,
            client_token_lifetime: None,
            refresh_token_lifetime: None,
        }
    }

    /// `http://127.0.0.1:{port}`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The default realm's issuer, `{public-url}/realms/api-keys`.
    pub fn issuer(&self) -> String {
        self.state.issuer(DEFAULT_REALM)
    }

    /// Another realm's issuer.
    pub fn realm_issuer(&self, realm: &str) -> String {
        self.state.issuer(realm)
    }

    /// The default realm's token endpoint.
    pub fn token_endpoint(&self) -> String {
        self.state.endpoint(DEFAULT_REALM, "token")
    }

    /// The application state, for what the helpers below do not cover.
    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    /// Mints tokens as `POST /mock/tokens` does (any user or client, lifetimes, claims, bad
    /// variants).
    pub async fn mint(&self, request: MintRequest) -> anyhow::Result<TokenSet> {
        let answer = mint_tokens(&self.state, &request)
            .await
            .map_err(|e| match e {
                ControlError::Unexpected(e) => e,
                other => anyhow!(other.description()),
            })?;
        Ok(serde_json::from_value(answer)?)
    }

    /// An access token of a user (`openid profile email`, the realm's user lifetime); panics
    /// for an unknown user.
    pub async fn user_token(&self, email: &str) -> String {
        self.mint(MintRequest {
            user: Some(email.to_owned()),
            ..MintRequest::default()
        })
        .await
        .unwrap_or_else(|e| panic!("token for {email}: {e:#}"))
        .access_token
    }

    /// An access token of the fixtures' Acme admin (`admin@acme.test`): what `/graphql`
    /// mutations and `/mock/*` controls accept.
    pub async fn admin_token(&self) -> String {
        self.user_token("admin@acme.test").await
    }

    /// Registers an OAuth app in the owner's organization with its redirect URIs, as
    /// `(uri, "callback" | "origin" | "logout")`.
    pub async fn register_app(
        &self,
        owner: &str,
        name: &str,
        app_type: &str,
        uris: &[(&str, &str)],
    ) -> anyhow::Result<RegisteredClient> {
        let user = self.user(owner).await?;
        let app = oauth_apps::register_with_uris(
            &self.state.db,
            DEFAULT_REALM,
            &user,
            name,
            app_type,
            uris,
            self.state.clock.now(),
        )
        .await?;
        Ok(RegisteredClient {
            id: app.id,
            client_id: app.client_id,
            client_secret: app.secret.map(|s| s.expose().to_owned()),
        })
    }

    /// Creates an API key acting as a user, with that user's permissions frozen now.
    pub async fn create_api_key(&self, owner: &str) -> anyhow::Result<RegisteredClient> {
        let user = self.user(owner).await?;
        let key = api_keys::create(
            &self.state.db,
            KeyRequest {
                user: &user,
                realm: DEFAULT_REALM,
                credentials: None,
                ceiling: None,
                now: self.state.clock.now(),
            },
        )
        .await?
        .context("client id already taken; try again")?;
        Ok(RegisteredClient {
            id: key.id,
            client_id: key.client_id,
            client_secret: Some(key.secret.expose().to_owned()),
        })
    }

    /// Moves the emulator clock forward (negative: back), as `POST /mock/clock` does.
    pub fn advance_clock(&self, seconds: i64) {
        self.state.clock.advance_seconds(seconds);
    }

    pub fn set_clock_offset(&self, seconds: i64) {
        self.state.clock.set_offset_seconds(seconds);
    }

    /// Unix seconds on the emulator clock.
    pub fn now(&self) -> i64 {
        self.state.clock.now()
    }

    async fn user(&self, email: &str) -> anyhow::Result<store::users::User> {
        store::users::by_email(&self.state.db, email)
            .await?
            .with_context(|| format!("no user {email:?}"))
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // `stop` sends the command at once; its future only waits for the workers.
        std::mem::drop(self.handle.stop(false));
    }
}

impl MockServerBuilder {
    /// Every setting at once (bind address, database URL, public URL, TLS...).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Fixtures from a TOML file instead of the defaults.
    pub fn fixtures_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.settings.store.fixtures = Some(path.into());
        self.fixtures = None;
        self
    }

    /// Fixtures from TOML text instead of the defaults.
    pub fn fixtures_toml(mut self, toml: &str) -> Self {
        match Fixtures::parse(toml) {
            Ok(fixtures) => self.fixtures = Some(fixtures),
            Err(e) => self.fixture_error = Some(format!("{e:#}")),
        }
        self
    }

    /// A further realm with its own keys and issuer (RS256, default lifetimes).
    pub fn realm(mut self, name: &str) -> Self {
        self.realms.push(name.to_owned());
        self
    }

    /// The emulator clock's offset from real time at start, in seconds.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset = seconds;
        self
    }

    /// Lifetime of signed-in users' access tokens in every realm.
    pub fn user_token_lifetime(mut self, seconds: i64) -> Self {
        self.user_token_lifetime = Some(seconds);
        self
    }

    /// Lifetime of client-credentials access tokens in every realm.
    pub fn client_token_lifetime(mut self, seconds: i64) -> Self {
        self.client_token_lifetime = Some(seconds);
        self
    }

    /// Lifetime of refresh tokens in every realm.
    pub fn refresh_token_lifetime(mut self, seconds: i64) -> Self {
        self.refresh_token_lifetime = Some(seconds);
        self
    }

    /// Starts the server; panics with the reason if it cannot.
    pub async fn start(self) -> MockServer {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("ion-mock MockServer did not start: {e:#}"))
    }

    pub async fn try_start(self) -> anyhow::Result<MockServer> {
        if let Some(e) = self.fixture_error {
            anyhow::bail!("bad fixtures: {e}");
        }
        let mut fixtures = match self.fixtures {
            Some(fixtures) => fixtures,
            None => Fixtures::load(self.settings.store.fixtures.as_deref())?,
        };
        for name in &self.realms {
            if !fixtures.realms.iter().any(|r| &r.name == name) {
                crate::fixtures::check_realm_name(name)?;
                fixtures.realms.push(RealmFixture::named(name));
            }
        }
        for realm in &mut fixtures.realms {
            realm.user_token_lifetime = self
                .user_token_lifetime
                .unwrap_or(realm.user_token_lifetime);
            realm.client_token_lifetime = self
                .client_token_lifetime
                .unwrap_or(realm.client_token_lifetime);
            realm.refresh_token_lifetime = self
                .refresh_token_lifetime
                .unwrap_or(realm.refresh_token_lifetime);
        }
        let app = Application::build_with(self.settings, fixtures).await?;
        let state = app.state();
        state.clock.set_offset_seconds(self.clock_offset);
        let server = MockServer {
            url: app.base_url().to_owned(),
            handle: app.handle(),
            state,
        };
        tokio::spawn(app.run_until_stopped());
        Ok(server)
    }
}
