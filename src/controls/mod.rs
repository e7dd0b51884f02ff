//! The emulator's own controls under `/mock` (INTERFACE section 6): every route below, each
//! behind the admin guard. JSON in and out; failures are [`error::ControlError`].

pub mod apps;
pub mod clock;
pub mod error;
pub mod events;
pub mod explain;
pub mod faults;
mod json;
pub mod keys;
pub mod mint;
pub mod realms;
pub mod reset;
pub mod revocations;
pub mod tokens;

use crate::graphql::auth::{AuthFailure, resolve_caller, token_from_header};
use crate::state::AppState;
use crate::store;
use crate::tokens::claims::TYP_ACCESS;
use crate::tokens::verify::{TokenError, VerifiedToken, check_claims, decode_signed};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpRequest, web};
use error::ControlError;

/// The role whose holders (of any org) may use the controls.
pub const ADMIN_ROLE: &str = "admin";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/mock")
            .wrap(from_fn(admin_guard))
            .route("/clock", web::get().to(clock::read))
            .route("/clock", web::post().to(clock::set))
            .route("/tokens", web::post().to(tokens::mint))
            .route("/revocations", web::post().to(revocations::revoke))
            .route("/keys/rotate", web::post().to(keys::rotate))
            .route("/keys/retire", web::post().to(keys::retire))
            .route("/faults", web::post().to(faults::arm))
            .route("/faults", web::get().to(faults::list))
            .route("/faults", web::delete().to(faults::clear))
            .route("/faults/{id}", web::delete().to(faults::disarm))
            .route("/reset", web::post().to(reset::reset))
            .route("/events", web::get().to(events::list))
            .route("/events", web::delete().to(events::clear))
            .route("/explain", web::post().to(explain::explain))
            .route("/realms", web::get().to(realms::list))
            .route("/realms", web::post().to(realms::create))
            .route("/realms/{name}", web::patch().to(realms::update))
            .route("/realms/{name}", web::delete().to(realms::delete))
            .route("/apps/{client_id}", web::patch().to(apps::update)),
    );
}

/// 401 without a valid access token, 403 unless its user holds the admin role.
async fn admin_guard(
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
    let token = token_from_header(req).ok_or_else(|| unauthorized(AuthFailure::NoCredentials))?;
    let verified = verify_admin_token(state, token)
        .await
        .map_err(|e| unauthorized(e.into()))?;
    let caller = resolve_caller(state, &verified)
        .await
        .map_err(unauthorized)?;
    let roles = store::users::role_names(&state.db, caller.user.id).await?;
    if roles.iter().any(|r| r == ADMIN_ROLE) {
        Ok(())
    } else {
        Err(ControlError::Forbidden)
    }
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
        AuthFailure::Unexpected(e) => ControlError::Unexpected(e),
        other => ControlError::Unauthorized(other.to_string()),
    }
}
