//! RFC 7662 token introspection. Any confidential client of the realm that authenticates
//! may ask about any token of the realm, as Keycloak allows; public clients may not.
//! A token that would be refused anywhere (bad signature, expired, revoked, another realm,
//! deactivated user) is just `{"active": false}`; the reason goes to the event log.

use super::client_auth;
use super::error::OAuthError;
use super::params::Params;
use super::realm;
use super::token::REALM_BODY_LIMIT;
use crate::body::read_limited;
use crate::graphql::auth::{AuthFailure, resolve_caller};
use crate::state::AppState;
use crate::tokens::claims::{TYP_ACCESS, TYP_ID, TYP_REFRESH};
use crate::tokens::verify::{TokenError, VerifiedToken, check_claims, decode_signed};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

pub async fn introspect(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    let body = read_limited(&req, payload, REALM_BODY_LIMIT).await?;
    let params = Params::parse(&req, &body)?;
    let caller = client_auth::authenticate(&state, &req, &params, &realm.name).await?;
    if !caller.confidential {
        return Err(OAuthError::InvalidClient);
    }
    let token = params.require("token")?;
    let answer = match inspect(&state, token, &realm.name).await? {
        Ok(active) => describe(active),
        Err(reason) => {
            state
                .events
                .rejected(state.clock.now(), Some(token), &reason);
            json!({"active": false})
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// Whether a token of any type is active in `realm` now: the token, or why it is not.
/// The outer error is an unexpected failure (a 500), never a verdict on the token.
pub async fn inspect(
    state: &AppState,
    token: &str,
    realm: &str,
) -> anyhow::Result<Result<VerifiedToken, String>> {
    let verified = match decode_signed(state, token) {
        Ok(verified) => verified,
        Err(e) => return verdict(e),
    };
    if verified.realm != realm {
        return Ok(Err(format!(
            "token was issued by realm {}, not {realm}",
            verified.realm
        )));
    }
    // Each type is checked by its own rules; an unknown type fails as a non-access token.
    let typ = match verified.str_claim("typ") {
        Some(typ @ (TYP_ACCESS | TYP_ID | TYP_REFRESH)) => typ.to_owned(),
        _ => TYP_ACCESS.to_owned(),
    };
    if let Err(e) = check_claims(state, &verified, &typ).await {
        return verdict(e);
    }
    match resolve_caller(state, &verified).await {
        Ok(_) => Ok(Ok(verified)),
        Err(AuthFailure::Unexpected(e)) => Err(e),
        Err(failure) => Ok(Err(failure.to_string())),
    }
}

fn verdict(e: TokenError) -> anyhow::Result<Result<VerifiedToken, String>> {
    match e {
        TokenError::Unexpected(e) => Err(e),
        other => Ok(Err(other.to_string())),
    }
}

/// RFC 7662 section 2.2, with Keycloak's `client_id`, `username` and `token_type`.
fn describe(token: VerifiedToken) -> Value {
    let client_id = token.client_id().map(str::to_owned);
    let username = token
        .str_claim("preferred_username")
        .or_else(|| token.str_claim("email"))
        .map(str::to_owned);
    let token_type = token.str_claim("typ").map(str::to_owned);
    let mut answer = Value::Object(token.claims);
    answer["active"] = json!(true);
    answer["client_id"] = json!(client_id);
    answer["username"] = json!(username);
    answer["token_type"] = json!(token_type);
    answer
}
