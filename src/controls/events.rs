//! `GET /mock/events`: the recent token events, newest first, so tests can assert on what
//! happened; `DELETE /mock/events` empties the log.

use super::error::{ControlError, ControlResult};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

const DEFAULT_LIMIT: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    client_id: Option<String>,
    user: Option<String>,
    limit: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    query: Result<web::Query<EventQuery>, actix_web::Error>,
) -> ControlResult<HttpResponse> {
    let query = query
        .map_err(|e| ControlError::BadRequest(format!("Invalid query: {e}")))?
        .into_inner();
    // Empty parameters (`?client_id=&user=&limit=`) mean no filter and the default limit.
    let client_id = query.client_id.as_deref().filter(|c| !c.is_empty());
    let user = query.user.as_deref().filter(|u| !u.is_empty());
    let limit = match query.limit.as_deref().filter(|l| !l.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(raw) => raw.parse().map_err(|_| {
            ControlError::BadRequest(format!("limit must be a whole number, not '{raw}'"))
        })?,
    };
    let events = state.events.recent(client_id, user, limit);
    Ok(HttpResponse::Ok().json(json!({"events": events})))
}

pub async fn clear(state: web::Data<AppState>) -> HttpResponse {
    state.events.clear();
    HttpResponse::Ok().json(json!({"cleared": true}))
}
