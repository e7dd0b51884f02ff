//! The Keycloak-layout realm endpoints, mounted with and without the legacy `/auth` prefix.

pub mod authorize;
pub mod client_auth;
pub mod cors;
pub mod discovery;
pub mod error;
pub mod introspect;
pub mod logout;
pub mod pages;
pub mod params;
pub mod realm;
pub mod revoke;
pub mod token;
pub mod userinfo;

use actix_web::web;

/// Every realm route, once, under both prefixes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for prefix in ["/realms/{realm}", "/auth/realms/{realm}"] {
        cfg.service(web::scope(prefix).configure(realm_routes));
    }
}

fn realm_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/.well-known/openid-configuration",
        web::get().to(discovery::openid_configuration),
    )
    .route(
        "/.well-known/oauth-authorization-server",
        web::get().to(discovery::authorization_server),
    )
    .route(
        "/protocol/openid-connect/certs",
        web::get().to(discovery::certs),
    )
    .route(
        "/protocol/openid-connect/token",
        web::post().to(token::token),
    )
    .route(
        "/protocol/openid-connect/token/introspect",
        web::post().to(introspect::introspect),
    )
    .route(
        "/protocol/openid-connect/revoke",
        web::post().to(revoke::revoke),
    )
    .route(
        "/protocol/openid-connect/auth",
        web::get().to(authorize::authorize),
    )
    .route(
        "/protocol/openid-connect/auth",
        web::post().to(authorize::sign_in),
    )
    .route(
        "/protocol/openid-connect/userinfo",
        web::get().to(userinfo::userinfo),
    )
    .route(
        "/protocol/openid-connect/userinfo",
        web::post().to(userinfo::userinfo),
    )
    .route(
        "/protocol/openid-connect/logout",
        web::get().to(logout::logout),
    )
    .route(
        "/protocol/openid-connect/logout",
        web::post().to(logout::logout),
    );
}
