//! RFC 7009 token revocation. Any client of the realm may revoke any token of the realm (as
//! Keycloak allows); public clients identify themselves with `client_id`. Unknown, invalid
//! and foreign tokens get the same 200 (section 2.2), so the answer reveals nothing.

use super::client_auth;
use super::error::OAuthError;
use super::params::Params;
use super::realm;
use super::token::REALM_BODY_LIMIT;
use crate::body::read_limited;
use crate::events::{Event, EventKind};
use crate::state::AppState;
use crate::store;
use crate::tokens::claims::TYP_REFRESH;
use crate::tokens::revoke::revoke_issued_until_now;
use crate::tokens::verify::decode_signed;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, OAuthError> {
    let realm = realm::load(&state, &path).await?;
    let body = read_limited(&req, payload, REALM_BODY_LIMIT).await?;
    let params = Params::parse(&req, &body)?;
    let caller = client_auth::authenticate(&state, &req, &params, &realm.name).await?;
    let token = params.require("token")?;
    // Only a token this realm signed can name anything worth revoking.
    if let Ok(verified) = decode_signed(&state, token)
        && verified.realm == realm.name
    {
        let jti = verified.str_claim("jti").unwrap_or_default();
        store::revocations::revoke_jti(&state.db, jti, state.clock.now()).await?;
        // A refresh token takes its grant (the tokens issued with it and from it) along.
        if verified.str_claim("typ") == Some(TYP_REFRESH)
            && let Some(sid) = verified.str_claim("sid")
        {
            revoke_issued_until_now(&state, "grant", sid).await?;
        }
        state.events.record(Event::about_token(
            state.clock.now(),
            EventKind::Revoked,
            Some(token),
            Some(format!(
                "revoked at the revocation endpoint by {}",
                caller.client.client_id
            )),
        ));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}
