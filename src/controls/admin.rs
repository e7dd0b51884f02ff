//! The admin guard in front of every `/mock/*` control: an access token of a user with the
//! `admin` role (any org), or an admin API key's own credentials.

use super::error::ControlError;
use crate::domain::app_type::AppType;
use crate::graphql::auth::{AuthFailure, resolve_caller, token_from_header};
use crate::oauth::client_auth::{self, basic_client_id};
use crate::oauth::error::{INVALID_CLIENT_DESCRIPTION, OAuthError};
use crate::oauth::params::Params;
use crate::state::AppState;
use crate::store;
use crate::tokens::claims::TYP_ACCESS;
use crate::tokens::verify::{TokenError, VerifiedToken, check_claims, decode_signed};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, web};

/// The role whose holders (of any org) may use the controls.
pub const ADMIN_ROLE: &str = "admin";

/// 401 without a valid access token (or admin API key credentials), 403 unless its user
/// holds the admin role.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let checked = match req.app_data::<web::Data<AppState>>() {
        Some(state) => require_admin(state, req.request()).await,
        None => Err(ControlError::Unexpected(anyhow::anyhow!("no AppState"))),
    };
    match checked {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

async fn require_admin(state: &AppState, req: &HttpRequest) -> Result<(), ControlError> {
    let user_id = match basic_client_id(req) {
        Some(client_id) => client_user(state, req, &client_id).await?,
        None => token_user(state, req).await?,
    };
    let roles = store::users::role_names(&state.db, user_id).await?;
    if roles.iter().any(|r| r == ADMIN_ROLE) {
        Ok(())
    } else {
        Err(ControlError::Forbidden)
    }
}

/// The user a bearer access token speaks for.
async fn token_user(state: &AppState, req: &HttpRequest) -> Result<i64, ControlError> {
    let token = token_from_header(req).ok_or_else(|| unauthorized(AuthFailure::NoCredentials))?;
    let verified = verify_admin_token(state, token)
        .await
        .map_err(|e| unauthorized(e.into()))?;
    let caller = resolve_caller(state, &verified)
        .await
        .map_err(unauthorized)?;
    Ok(caller.user.id)
}

/// The active user an API key (or machine-to-machine app) acts for, from its own credentials in
/// `Authorization: Basic`: a shortcut that no clock move, key rotation or fault can break.
async fn client_user(
    state: &AppState,
    req: &HttpRequest,
    client_id: &str,
) -> Result<i64, ControlError> {
    let invalid = || ControlError::Unauthorized(INVALID_CLIENT_DESCRIPTION.to_owned());
    let realm = store::clients::by_client_id(&state.db, client_id)
        .await?
        .ok_or_else(invalid)?
        .realm;
    let caller = match client_auth::authenticate(state, req, &Params::default(), &realm).await {
        Ok(caller) if caller.confidential => caller,
        Ok(_) => return Err(invalid()),
        Err(OAuthError::Unexpected(e)) => return Err(ControlError::from(e)),
        Err(OAuthError::Unavailable(u)) => return Err(ControlError::Unavailable(u)),
        Err(_) => return Err(invalid()),
    };
    // Only clients whose client-credentials tokens act for their user may act for it here.
    let acts_for_user = caller
        .client
        .app_type
        .parse::<AppType>()
        .is_ok_and(AppType::allows_client_credentials);
    if !acts_for_user {
        return Err(ControlError::Forbidden);
    }
    let user = match caller.client.user_id {
        Some(id) => store::users::by_id(&state.db, id).await?,
        None => None,
    };
    user.filter(|u| u.active)
        .map(|u| u.id)
        .ok_or(ControlError::Forbidden)
}

/// Every check `/graphql` makes, except that the token is expired only once it is past `exp`
/// on both the emulator clock and the real one: moving the clock (either way) must not lock
/// a test suite out of the controls it moves the clock with.
async fn verify_admin_token(state: &AppState, token: &str) -> Result<VerifiedToken, TokenError> {
    let verified = decode_signed(state, token)?;
    let exp = verified.int_claim("exp").ok_or(TokenError::Malformed)?;
    let earliest_now = state
        .clock
        .now()
        .min(state.clock.real_ms().div_euclid(1000));
    if exp <= earliest_now {
        return Err(TokenError::Expired);
    }
    let mut timeless = verified.clone();
    timeless.claims.insert("exp".into(), i64::MAX.into());
    check_claims(state, &timeless, TYP_ACCESS).await?;
    Ok(verified)
}

fn unauthorized(failure: AuthFailure) -> ControlError {
    match failure {
        AuthFailure::Unexpected(e) => ControlError::from(e),
        other => ControlError::Unauthorized(other.to_string()),
    }
}
