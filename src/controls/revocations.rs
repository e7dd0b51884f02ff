//! `POST /mock/revocations`: revoke one token, or every token of a user, client or realm, or
//! all of them, issued up to now. Later tokens are unaffected.

use super::error::{ControlError, ControlResult};
use super::json::{self, Body};
use crate::events::{Event, EventKind};
use crate::state::AppState;
use crate::store;
use crate::tokens::jwt::peek_claims;
use crate::tokens::revoke::revoke_issued_until_now;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationRequest {
    jti: Option<String>,
    /// A whole token, for callers who have the token rather than its `jti`.
    token: Option<String>,
    user: Option<String>,
    client_id: Option<String>,
    realm: Option<String>,
    all: Option<bool>,
}

const ONE_OF: &str = "Give exactly one of jti, token, user, client_id, realm or \"all\": true";

pub async fn revoke(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: RevocationRequest = json::parse(&body)?;
    let given = [
        req.jti.is_some(),
        req.token.is_some(),
        req.user.is_some(),
        req.client_id.is_some(),
        req.realm.is_some(),
        req.all.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 || req.all == Some(false) {
        return Err(ControlError::BadRequest(ONE_OF.into()));
    }
    let mut event = Event {
        at: state.clock.now(),
        kind: EventKind::Revoked,
        realm: req.realm.clone(),
        client_id: req.client_id.clone(),
        user: req.user.clone(),
        jti: None,
        reason: None,
    };
    let by = if let Some(jti) = req.jti {
        store::revocations::revoke_jti(&state.db, &jti, state.clock.now()).await?;
        event.jti = Some(jti);
        "jti"
    } else if let Some(token) = req.token {
        let jti = peek_claims(&token)
            .and_then(|c| c.get("jti").and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| ControlError::BadRequest("The token has no readable jti".into()))?;
        store::revocations::revoke_jti(&state.db, &jti, state.clock.now()).await?;
        event = Event::about_token(event.at, EventKind::Revoked, Some(&token), None);
        "token"
    } else if let Some(email) = &req.user {
        let user = store::users::by_email(&state.db, email)
            .await?
            .ok_or_else(|| ControlError::NotFound(format!("No user '{email}'")))?;
        revoke_issued_until_now(&state, "user", &user.subject).await?;
        "user"
    } else if let Some(client_id) = &req.client_id {
        store::clients::by_client_id(&state.db, client_id)
            .await?
            .ok_or_else(|| ControlError::NotFound(format!("No client '{client_id}'")))?;
        revoke_issued_until_now(&state, "client", client_id).await?;
        "client_id"
    } else if let Some(realm) = &req.realm {
        store::realms::by_name(&state.db, realm)
            .await?
            .ok_or_else(|| ControlError::NotFound(format!("No realm '{realm}'")))?;
        revoke_issued_until_now(&state, "realm", realm).await?;
        "realm"
    } else {
        revoke_issued_until_now(&state, "all", "*").await?;
        "all"
    };
    event.reason = Some(format!("revoked by /mock/revocations ({by})"));
    state.events.record(event);
    Ok(HttpResponse::Ok().json(json!({"revoked": true, "by": by})))
}
