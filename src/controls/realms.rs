//! `/mock/realms`: throwaway realms, each with its own keys and issuer, so parallel test
//! suites can isolate themselves on one server; and per-realm settings (lifetimes, audience,
//! allowed scopes) for any realm.

use super::error::{ControlError, ControlResult};
use super::json::{self, Body, nullable};
use crate::domain::scope::Scopes;
use crate::fixtures::{RealmFixture, check_realm_name};
use crate::state::AppState;
use crate::store::{self, realms::Realm, settings::RealmSettings};
use crate::tokens::keys::KeyAlgorithm;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

/// Ten years: longer lifetimes are surely a mistake.
pub const MAX_LIFETIME: i64 = 10 * 366 * 24 * 3600;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    name: String,
    algorithm: Option<String>,
    audience: Option<String>,
    user_token_lifetime: Option<i64>,
    client_token_lifetime: Option<i64>,
    refresh_token_lifetime: Option<i64>,
    allowed_scopes: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    audience: Option<String>,
    user_token_lifetime: Option<i64>,
    client_token_lifetime: Option<i64>,
    refresh_token_lifetime: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    allowed_scopes: Option<Option<String>>,
}

pub async fn list(state: web::Data<AppState>) -> ControlResult<HttpResponse> {
    let mut realms = Vec::new();
    for realm in store::realms::all(&state.db).await? {
        realms.push(describe(&state, &realm).await?);
    }
    Ok(HttpResponse::Ok().json(json!({"realms": realms})))
}

pub async fn create(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: CreateRequest = json::parse(&body)?;
    check_realm_name(&req.name).map_err(|e| ControlError::BadRequest(e.to_string()))?;
    let settings = settings(SettingsRequest {
        audience: req.audience,
        user_token_lifetime: req.user_token_lifetime,
        client_token_lifetime: req.client_token_lifetime,
        refresh_token_lifetime: req.refresh_token_lifetime,
        allowed_scopes: req.allowed_scopes.map(Some),
    })?;
    let mut realm = RealmFixture::named(&req.name).to_realm();
    if let Some(algorithm) = req.algorithm {
        algorithm
            .parse::<KeyAlgorithm>()
            .map_err(ControlError::BadRequest)?;
        realm.algorithm = algorithm;
    }
    realm.throwaway = true;
    let now = state.clock.now();
    if !store::realms::insert_if_missing(&state.db, &realm, now).await? {
        return Err(ControlError::Conflict(format!(
            "Realm '{}' already exists",
            req.name
        )));
    }
    store::settings::update_realm(&state.db, &realm.name, &settings).await?;
    let algorithm = realm.algorithm.parse().map_err(anyhow::Error::msg)?;
    state
        .keys
        .rotate(&state.db, &realm.name, algorithm, false, now)
        .await?;
    let realm = load(&state, &realm.name).await?;
    Ok(HttpResponse::Ok().json(describe(&state, &realm).await?))
}

pub async fn update(
    state: web::Data<AppState>,
    name: web::Path<String>,
    body: Body,
) -> ControlResult<HttpResponse> {
    let settings = settings(json::parse(&body)?)?;
    let realm = load(&state, &name).await?;
    store::settings::update_realm(&state.db, &realm.name, &settings).await?;
    let realm = load(&state, &name).await?;
    Ok(HttpResponse::Ok().json(describe(&state, &realm).await?))
}

/// Only throwaway realms can go: the fixture realms are what `reset` restores.
pub async fn delete(
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> ControlResult<HttpResponse> {
    let realm = load(&state, &name).await?;
    if !realm.throwaway {
        return Err(ControlError::Conflict(format!(
            "Realm '{}' comes from the fixtures; only throwaway realms can be deleted",
            realm.name
        )));
    }
    store::realms::delete(&state.db, &realm.name).await?;
    state.keys.forget_realm(&realm.name);
    Ok(HttpResponse::Ok().json(json!({"deleted": true, "name": realm.name})))
}

async fn load(state: &AppState, name: &str) -> ControlResult<Realm> {
    store::realms::by_name(&state.db, name)
        .await?
        .ok_or_else(|| ControlError::NotFound(format!("No realm '{name}'")))
}

fn settings(req: SettingsRequest) -> ControlResult<RealmSettings> {
    for (field, value) in [
        ("user_token_lifetime", req.user_token_lifetime),
        ("client_token_lifetime", req.client_token_lifetime),
        ("refresh_token_lifetime", req.refresh_token_lifetime),
    ] {
        if value.is_some_and(|v| !(1..=MAX_LIFETIME).contains(&v)) {
            return Err(ControlError::BadRequest(format!(
                "{field} must be 1 to {MAX_LIFETIME} seconds"
            )));
        }
    }
    if req.audience.as_deref().is_some_and(str::is_empty) {
        return Err(ControlError::BadRequest(
            "audience must not be empty".into(),
        ));
    }
    Ok(RealmSettings {
        audience: req.audience,
        user_token_lifetime: req.user_token_lifetime,
        client_token_lifetime: req.client_token_lifetime,
        refresh_token_lifetime: req.refresh_token_lifetime,
        allowed_scopes: scope_setting(req.allowed_scopes)?,
    })
}

/// A scope restriction as given (`null` lifts it), stored in its canonical spelling.
pub fn scope_setting(value: Option<Option<String>>) -> ControlResult<Option<Option<String>>> {
    value
        .map(|scopes| {
            scopes
                .map(|raw| {
                    Scopes::parse(&raw)
                        .map(|s| s.to_string())
                        .map_err(|e| ControlError::BadRequest(e.to_string()))
                })
                .transpose()
        })
        .transpose()
}

async fn describe(state: &AppState, realm: &Realm) -> ControlResult<Value> {
    let (allowed_scopes, _) =
        store::settings::scope_restrictions(&state.db, &realm.name, "").await?;
    Ok(json!({
        "name": realm.name,
        "issuer": state.issuer(&realm.name),
        "discovery": format!("{}/.well-known/openid-configuration", state.issuer(&realm.name)),
        "throwaway": realm.throwaway,
        "algorithm": realm.algorithm,
        "audience": realm.audience,
        "user_token_lifetime": realm.user_token_lifetime,
        "client_token_lifetime": realm.client_token_lifetime,
        "refresh_token_lifetime": realm.refresh_token_lifetime,
        "allowed_scopes": allowed_scopes,
    }))
}
