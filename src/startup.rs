//! Building the application: database, fixtures, keys, listener and routes, in that order.

use crate::config::Settings;
use crate::fixtures::Fixtures;
use crate::state::AppState;
use crate::{controls, faults, graphql, health, oauth, store, tls};
use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use serde_json::json;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub struct Application {
    local_addr: SocketAddr,
    base_url: String,
    tls_certificate: Option<PathBuf>,
    server: Server,
    state: Arc<AppState>,
}

impl Application {
    /// Everything short of serving: when this returns, the port accepts connections and the
    /// database is migrated and loaded with fixtures.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let fixtures = Fixtures::load(settings.store.fixtures.as_deref())?;
        Self::build_with(settings, fixtures).await
    }

    /// [`Application::build`] with fixtures already in hand (the in-process `MockServer`
    /// changes them before starting).
    pub async fn build_with(settings: Settings, fixtures: Fixtures) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let local_addr = listener.local_addr()?;
        let tls = match settings.serves_tls() {
            true => Some(tls::setup(
                settings.tls_cert.as_deref(),
                settings.tls_key.as_deref(),
                &std::env::temp_dir().join(format!("ion-mock-{}-ca.pem", local_addr.port())),
            )?),
            false => None,
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{local_addr}");
        let public_url = match &settings.store.public_url {
            Some(url) => url.as_str().to_owned(),
            None => default_public_url(scheme, local_addr),
        };
        let state = Arc::new(AppState::open(&settings, fixtures, public_url).await?);
        store::meta::set(&state.db, store::meta::PUBLIC_URL, &state.public_url)
            .await
            .context("cannot record the public URL")?;
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
        .shutdown_timeout(8);
        let tls_certificate = tls.as_ref().map(|t| t.trust_pem.clone());
        server = match tls {
            Some(tls) => server.listen_rustls_0_23(listener, tls.config)?,
            None => server.listen(listener)?,
        };
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        if !settings.handle_signals {
            server = server.disable_signals();
        }
        Ok(Self {
            local_addr,
            base_url,
            tls_certificate,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// `http://` (or `https://` with TLS) + the bound address.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// With TLS: the absolute path of the PEM file clients should trust.
    pub fn tls_certificate(&self) -> Option<&Path> {
        self.tls_certificate.as_deref()
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

/// Issuers must name a host clients can reach: an unspecified bind address becomes loopback.
pub fn default_public_url(scheme: &str, addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    format!("{scheme}://{addr}")
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .json(json!({"error": "not_found", "error_description": "No such endpoint"}))
}
