//! `PATCH /mock/apps/{client_id}`: per-app settings of an OAuth app or API key: its access
//! token lifetime and the scopes it may be granted (`null` goes back to the realm's).

use super::error::{ControlError, ControlResult};
use super::json::{self, Body, nullable};
use super::realms::{MAX_LIFETIME, scope_setting};
use crate::state::AppState;
use crate::store::{self, settings::AppSettings};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSettingsRequest {
    #[serde(default, deserialize_with = "nullable")]
    access_token_lifetime: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    allowed_scopes: Option<Option<String>>,
}

pub async fn update(
    state: web::Data<AppState>,
    client_id: web::Path<String>,
    body: Body,
) -> ControlResult<HttpResponse> {
    let req: AppSettingsRequest = json::parse(&body)?;
    if req
        .access_token_lifetime
        .flatten()
        .is_some_and(|v| !(1..=MAX_LIFETIME).contains(&v))
    {
        return Err(ControlError::BadRequest(format!(
            "access_token_lifetime must be 1 to {MAX_LIFETIME} seconds, or null"
        )));
    }
    let settings = AppSettings {
        access_token_lifetime: req.access_token_lifetime,
        allowed_scopes: scope_setting(req.allowed_scopes)?,
    };
    if !store::settings::update_app(&state.db, &client_id, &settings).await? {
        return Err(ControlError::NotFound(format!("No client '{client_id}'")));
    }
    let client = store::clients::by_client_id(&state.db, &client_id)
        .await?
        .ok_or_else(|| ControlError::NotFound(format!("No client '{client_id}'")))?;
    let (_, allowed_scopes) =
        store::settings::scope_restrictions(&state.db, &client.realm, &client.client_id).await?;
    Ok(HttpResponse::Ok().json(json!({
        "client_id": client.client_id,
        "realm": client.realm,
        "access_token_lifetime": client.access_token_lifetime,
        "allowed_scopes": allowed_scopes,
    })))
}
