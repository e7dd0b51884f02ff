//! The token endpoint: reads the request, authenticates the client, dispatches on the grant.

mod audit;
mod authorization_code;
mod client_credentials;
mod refresh_token;
mod user_tokens;

use super::client_auth;
use super::error::OAuthError;
use super::params::Params;
use super::realm;
use crate::body::read_limited;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

pub const REALM_BODY_LIMIT: usize = 64 * 1024;

/// RFC 6749 section 5.1, with Keycloak's extra fields.
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(rename = "not-before-policy")]
    pub not_before_policy: i64,
    pub scope: String,
}

pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    let body = read_limited(&req, payload, REALM_BODY_LIMIT).await?;
    let params = Params::parse(&req, &body)?;
    let grant_type = params.require("grant_type")?;
    let response = match grant_type {
        "client_credentials" => {
            let client = client_auth::authenticate(&state, &req, &params, &realm.name).await?;
            client_credentials::grant(&state, &realm, &client, &params).await?
        }
        "authorization_code" => {
            let client = client_auth::authenticate(&state, &req, &params, &realm.name).await?;
            authorization_code::grant(&state, &realm, &client, &params).await?
        }
        "refresh_token" => {
            let client = client_auth::authenticate(&state, &req, &params, &realm.name).await?;
            refresh_token::grant(&state, &realm, &client, &params).await?
        }
        other => {
            return Err(OAuthError::UnsupportedGrantType(format!(
                "Unsupported grant_type: {other}"
            )));
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(response))
}
