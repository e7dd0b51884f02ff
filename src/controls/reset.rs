//! `POST /mock/reset`: back to the fixture state without a restart. Data, revocations,
//! sessions, sign-in failure counts, throwaway realms, realm and app settings, clock offset,
//! faults and events all go; the fixtures are applied again. Kept: the fixture realms'
//! signing keys (so cached JWKS stay valid) and the subjects of fixture users (so tokens
//! minted for them before the reset still name them).

use super::error::ControlResult;
use crate::fixtures::{DEFAULT_REALM, RealmFixture};
use crate::state::AppState;
use crate::store::{self, settings::RealmSettings};
use actix_web::{HttpResponse, web};
use serde_json::json;

pub async fn reset(state: web::Data<AppState>) -> ControlResult<HttpResponse> {
    state.faults.clear();
    state.login_throttle.clear();
    state.clock.set_offset_seconds(0);
    let subjects = store::reset::subjects(&state.db).await?;
    let deleted = store::reset::clear(&state.db).await?;
    for realm in &deleted {
        state.keys.forget_realm(realm);
    }
    restore_realm_settings(&state).await?;
    state
        .fixtures
        .apply(&state.db, &state.keys, state.clock.now())
        .await?;
    for (email, subject) in &subjects {
        store::reset::restore_subject(&state.db, email, subject).await?;
    }
    state.events.clear();
    Ok(HttpResponse::Ok().json(json!({"reset": true, "realms_deleted": deleted})))
}

/// The fixture realms stay (with their keys), so their settings are put back one by one.
async fn restore_realm_settings(state: &AppState) -> anyhow::Result<()> {
    let mut realms = state.fixtures.realms.clone();
    if !realms.iter().any(|r| r.name == DEFAULT_REALM) {
        realms.push(RealmFixture::named(DEFAULT_REALM));
    }
    for realm in realms {
        let settings = RealmSettings {
            audience: Some(realm.audience.clone()),
            user_token_lifetime: Some(realm.user_token_lifetime),
            client_token_lifetime: Some(realm.client_token_lifetime),
            refresh_token_lifetime: Some(realm.refresh_token_lifetime),
            allowed_scopes: Some(None),
        };
        store::settings::update_realm(&state.db, &realm.name, &settings).await?;
    }
    Ok(())
}
