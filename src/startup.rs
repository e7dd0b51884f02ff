//! Building the application: database, fixtures, keys, listener and routes, in that order.

use crate::clock::Clock;
use crate::config::Settings;
use crate::events::EventLog;
use crate::fixtures::Fixtures;
use crate::oauth::authorize::{LoginLimits, LoginThrottle};
use crate::state::AppState;
use crate::store::Unavailable;
use crate::tokens::keyring::KeyRing;
use crate::{controls, faults, graphql, health, oauth, store};
use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use serde_json::json;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Instant;

pub struct Application {
    local_addr: SocketAddr,
    base_url: String,
    server: Server,
    state: Arc<AppState>,
}

impl Application {
    /// Everything short of serving: when this returns, the port accepts connections and the
    /// database is migrated and loaded with fixtures.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let fixtures = Fixtures::load(settings.fixtures.as_deref())?;
        let clock = Clock::default();
        let (db, keys) = open_storage(&settings.database_url, &fixtures, &clock)
            .await
            .map_err(|e| storage_failure_at_start(e, &settings.database_url))?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let local_addr = listener.local_addr()?;
        let base_url = format!("http://{local_addr}");
        let public_url = match &settings.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => default_public_url(local_addr),
        };
        let state = Arc::new(AppState {
            db,
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
            public_url,
        });
        let schema = graphql::build_schema(state.clone());
        let app_state = state.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::from(app_state.clone()))
                .app_data(web::Data::new(schema.clone()))
                .wrap(actix_web::middleware::from_fn(faults::inject::inject))
                .wrap(actix_web::middleware::from_fn(oauth::cors::cors))
                .wrap_fn(|req, srv| {
                    // One line per request; the path only, since query strings carry codes.
                    let (method, path, started) =
                        (req.method().clone(), req.path().to_owned(), Instant::now());
                    let fut = srv.call(req);
                    async move {
                        let res = fut.await?;
                        tracing::info!(%method, %path, status = res.status().as_u16(),
                            latency_ms = started.elapsed().as_secs_f64() * 1000.0, "request");
                        Ok(res)
                    }
                })
                .service(health::health)
                .configure(oauth::configure)
                .configure(graphql::configure)
                .configure(controls::configure)
                .default_service(web::to(not_found))
        })
        .listen(listener)?
        .shutdown_timeout(8);
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        if !settings.handle_signals {
            server = server.disable_signals();
        }
        Ok(Self {
            local_addr,
            base_url,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// `http://` + the bound address.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGTERM/SIGINT when signals are handled), then closes the database.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.state.db.close().await;
        result
    }
}

/// The database, migrated, with its signing keys and the fixtures applied.
async fn open_storage(
    url: &str,
    fixtures: &Fixtures,
    clock: &Clock,
) -> anyhow::Result<(store::Db, KeyRing)> {
    let db = store::connect(url).await?;
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

/// Issuers must name a host clients can reach: an unspecified bind address becomes loopback.
fn default_public_url(addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    format!("http://{addr}")
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .json(json!({"error": "not_found", "error_description": "No such endpoint"}))
}
