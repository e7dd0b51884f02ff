//! `POST/GET/DELETE /mock/faults`: arm, list and clear injected failures (see
//! [`crate::faults`] for how they fire).

use super::error::{ControlError, ControlResult};
use super::json::{self, Body};
use crate::faults::{Endpoint, Fault};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

/// A day: longer faults are surely a mistake, and a delay beyond a minute outlives clients.
const MAX_SECONDS: u64 = 24 * 3600;
const MAX_DELAY_MS: u64 = 60_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmRequest {
    endpoint: Endpoint,
    realm: Option<String>,
    client_id: Option<String>,
    count: Option<u64>,
    seconds: Option<u64>,
    status: Option<u16>,
    error: Option<String>,
    delay_ms: Option<u64>,
}

pub async fn arm(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: ArmRequest = json::parse(&body)?;
    if let Some(status) = req.status.filter(|s| !(400..=599).contains(s)) {
        return Err(bad(format!("status must be 400 to 599, not {status}")));
    }
    if req.status.is_none() && req.delay_ms.is_none() {
        return Err(bad("Give a status to fail with, a delay_ms, or both".into()));
    }
    if req.count == Some(0) || req.seconds == Some(0) {
        return Err(bad("count and seconds must be at least 1".into()));
    }
    if req.seconds.is_some_and(|s| s > MAX_SECONDS) {
        return Err(bad(format!("seconds must be at most {MAX_SECONDS}")));
    }
    let delay_ms = req.delay_ms.unwrap_or(0);
    if delay_ms > MAX_DELAY_MS {
        return Err(bad(format!("delay_ms must be at most {MAX_DELAY_MS}")));
    }
    // Without a count, a timed fault fires for every request until it runs out.
    let remaining = match (req.count, req.seconds) {
        (Some(n), _) => Some(n),
        (None, Some(_)) => None,
        (None, None) => Some(1),
    };
    let id = state.faults.arm(Fault {
        id: String::new(),
        endpoint: req.endpoint,
        realm: req.realm,
        client_id: req.client_id,
        remaining,
        until_ms: req
            .seconds
            .map(|s| state.clock.real_ms() + (s as i64) * 1000),
        status: req.status,
        error: req.error,
        delay_ms,
    });
    Ok(HttpResponse::Ok().json(json!({"id": id})))
}

pub async fn list(state: web::Data<AppState>) -> HttpResponse {
    let now_ms = state.clock.real_ms();
    let faults: Vec<_> = state
        .faults
        .list(now_ms)
        .into_iter()
        .map(|f| {
            json!({
                "id": f.id, "endpoint": f.endpoint, "realm": f.realm, "client_id": f.client_id,
                "remaining": f.remaining,
                "seconds_left": f.until_ms.map(|until| (until - now_ms + 999).max(0) / 1000),
                "status": f.status, "error": f.error, "delay_ms": f.delay_ms,
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({"faults": faults}))
}

pub async fn clear(state: web::Data<AppState>) -> HttpResponse {
    state.faults.clear();
    HttpResponse::Ok().json(json!({"cleared": true}))
}

pub async fn disarm(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ControlResult<HttpResponse> {
    if !state.faults.disarm(&id) {
        return Err(ControlError::NotFound(format!("No armed fault '{id}'")));
    }
    Ok(HttpResponse::Ok().json(json!({"cleared": true, "id": id.into_inner()})))
}

fn bad(message: String) -> ControlError {
    ControlError::BadRequest(message)
}
