//! `POST /mock/keys/rotate` and `POST /mock/keys/retire`: a new signing key for a realm, and
//! retiring the ones before it (their tokens then fail with "Unable to find appropriate RSA
//! key", and they leave the JWKS).

use super::error::{ControlError, ControlResult};
use super::json::{self, Body};
use crate::fixtures::DEFAULT_REALM;
use crate::state::AppState;
use crate::store::{self, realms::Realm};
use crate::tokens::keys::KeyAlgorithm;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    realm: Option<String>,
    #[serde(default)]
    retire_previous: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetireRequest {
    realm: Option<String>,
}

/// The new key signs from now on; older keys stay in the JWKS unless `retire_previous`.
pub async fn rotate(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: RotateRequest = json::parse_or_default(&body)?;
    let realm = realm(&state, req.realm.as_deref()).await?;
    let algorithm: KeyAlgorithm = realm.algorithm.parse().map_err(anyhow::Error::msg)?;
    let now = state.clock.now();
    let kid = state
        .keys
        .rotate(&state.db, &realm.name, algorithm, false, now)
        .await?;
    let retired = match req.retire_previous {
        true => {
            state
                .keys
                .retire_previous(&state.db, &realm.name, now)
                .await?
        }
        false => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(json!({"kid": kid, "realm": realm.name, "retired": retired})))
}

/// Retires every key of the realm except the one that signs now.
pub async fn retire(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: RetireRequest = json::parse_or_default(&body)?;
    let realm = realm(&state, req.realm.as_deref()).await?;
    let retired = state
        .keys
        .retire_previous(&state.db, &realm.name, state.clock.now())
        .await?;
    let kid = state.keys.signer(&realm.name).map(|k| k.kid.clone());
    Ok(HttpResponse::Ok().json(json!({"kid": kid, "realm": realm.name, "retired": retired})))
}

async fn realm(state: &AppState, name: Option<&str>) -> ControlResult<Realm> {
    let name = name.unwrap_or(DEFAULT_REALM);
    store::realms::by_name(&state.db, name)
        .await?
        .ok_or_else(|| ControlError::NotFound(format!("No realm '{name}'")))
}
