//! OIDC discovery, RFC 8414 metadata and the JWKS.

use super::error::OAuthError;
use super::realm;
use crate::domain::scope::SUPPORTED;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde_json::{Value, json};

fn metadata(state: &AppState, realm: &str, algorithm: &str) -> Value {
    let endpoint = |path: &str| state.endpoint(realm, path);
    json!({
        "issuer": state.issuer(realm),
        "authorization_endpoint": endpoint("auth"),
        "token_endpoint": endpoint("token"),
        "introspection_endpoint": endpoint("token/introspect"),
        "userinfo_endpoint": endpoint("userinfo"),
        "end_session_endpoint": endpoint("logout"),
        "revocation_endpoint": endpoint("revoke"),
        "jwks_uri": endpoint("certs"),
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [algorithm],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "scopes_supported": SUPPORTED,
        "claims_supported": [
            "aud", "sub", "iss", "exp", "iat", "auth_time", "nonce", "azp", "name",
            "preferred_username", "email", "email_verified", "org_id", "org_domain"
        ],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    })
}

pub async fn openid_configuration(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    Ok(HttpResponse::Ok().json(metadata(&state, &realm.name, &realm.algorithm)))
}

/// RFC 8414: the same metadata, for OAuth-only clients.
pub async fn authorization_server(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, OAuthError> {
    openid_configuration(state, path).await
}

pub async fn certs(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    Ok(HttpResponse::Ok().json(state.keys.jwks(&realm.name)))
}
