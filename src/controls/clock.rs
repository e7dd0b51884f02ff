//! `GET/POST /mock/clock`: read or move the emulator clock, which every expiry follows.

use super::error::{ControlError, ControlResult};
use super::json::{self, Body};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    advance_seconds: Option<i64>,
    offset_seconds: Option<i64>,
}

/// Ten years either way: far enough for any expiry, near enough to stay clear of overflow.
const MAX_OFFSET: i64 = 10 * 366 * 24 * 3600;

pub async fn read(state: web::Data<AppState>) -> HttpResponse {
    answer(&state)
}

pub async fn set(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let change: ClockChange = json::parse(&body)?;
    let target = match (change.advance_seconds, change.offset_seconds) {
        (Some(n), None) => state.clock.offset_seconds().saturating_add(n),
        (None, Some(n)) => n,
        _ => {
            return Err(ControlError::BadRequest(
                "Give exactly one of advance_seconds or offset_seconds".into(),
            ));
        }
    };
    // unsigned_abs: i64::MIN has no positive twin, and `abs` would overflow on it.
    if target.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
        return Err(ControlError::BadRequest(format!(
            "The clock offset must stay within {MAX_OFFSET} seconds of real time"
        )));
    }
    match change.advance_seconds {
        Some(n) => state.clock.advance_seconds(n),
        None => state.clock.set_offset_seconds(target),
    }
    Ok(answer(&state))
}

fn answer(state: &AppState) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "now": state.clock.now(),
        "offset_seconds": state.clock.offset_seconds(),
    }))
}
