//! OIDC userinfo (OIDC Core section 5.3): who the access token's user is, per its scopes.

use super::error::OAuthError;
use super::params::Params;
use super::realm;
use super::token::REALM_BODY_LIMIT;
use crate::body::read_limited;
use crate::domain::scope::{OPENID, SUPPORTED, Scopes};
use crate::state::AppState;
use crate::store;
use crate::tokens::id_token::identity_claims;
use crate::tokens::verify::{TokenError, verify_access_token};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

/// RFC 6750 section 2.1 (`Authorization: Bearer`), or 2.2 (`access_token` in a POSTed form).
fn presented_token(req: &HttpRequest, body: &[u8]) -> Result<String, OAuthError> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if let Some((scheme, token)) = header.and_then(|h| h.trim().split_once(' '))
        && scheme.eq_ignore_ascii_case("bearer")
        && !token.trim().is_empty()
    {
        return Ok(token.trim().to_owned());
    }
    if header.is_none() && !body.is_empty() {
        let form = Params::from_form(body)?;
        if let Some(token) = form.get("access_token") {
            return Ok(token.to_owned());
        }
    }
    Err(OAuthError::InvalidToken(
        "Missing access token: send Authorization: Bearer <token>".into(),
    ))
}

/// `GET` and `POST R/protocol/openid-connect/userinfo`.
pub async fn userinfo(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    let body = read_limited(&req, payload, REALM_BODY_LIMIT).await?;
    let token = presented_token(&req, &body)?;
    let verified = verify_access_token(&state, &token)
        .await
        .map_err(|e| match e {
            TokenError::Unexpected(e) => OAuthError::from(e),
            other => OAuthError::InvalidToken(format!("Invalid access token: {other}")),
        })?;
    if let Some(client_id) = verified.client_id() {
        super::cors::name_client(&req, client_id);
    }
    if verified.realm != realm.name {
        return Err(OAuthError::InvalidToken(
            "Invalid access token: it was issued by another realm".into(),
        ));
    }
    // Scopes this emulator knows, ignoring any others a minted token may carry.
    let granted: Vec<&str> = verified
        .str_claim("scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| SUPPORTED.contains(s))
        .collect();
    let scope = Scopes::from_static(&granted);
    if !scope.contains(OPENID) {
        return Err(OAuthError::InsufficientScope(
            "The access token was not granted the openid scope".into(),
        ));
    }
    let user = match verified.sub() {
        Some(sub) => store::users::by_subject(&state.db, sub).await?,
        None => None,
    }
    .filter(|u| u.active)
    .ok_or_else(|| OAuthError::InvalidToken("Invalid access token: the user is disabled".into()))?;
    let mut claims = identity_claims(&user, &scope);
    claims.insert("sub".into(), Value::String(user.subject));
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!(claims)))
}
