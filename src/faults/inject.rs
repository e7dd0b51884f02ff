//! The one middleware that fires armed faults: classify the request, find the client it
//! names, take a shot of a matching fault, then delay and/or answer with the fault's error.
//!
//! The client is read from, in order: a `client_id` query parameter, `Authorization: Basic`,
//! the `azp` of a bearer token (unverified: only to pick the fault and label the event), and
//! a `client_id` in a form or JSON body. The body is read only while a client-filtered fault
//! is armed for the endpoint, and is handed on to the endpoint unchanged.

use super::{Endpoint, Fault, endpoint::classify};
use crate::events::{Event, EventKind};
use crate::graphql::auth::token_from_header;
use crate::oauth::client_auth::basic_client_id;
use crate::oauth::params::Params;
use crate::oauth::token::REALM_BODY_LIMIT;
use crate::state::AppState;
use crate::tokens::jwt::peek_claims;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::{self, BytesMut};
use actix_web::{Error, HttpResponse};
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;

pub async fn inject(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let Some(fault) = take_shot(&mut req).await else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    let Some(status) = fault.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let error = fault.error.as_deref().unwrap_or("temporarily_unavailable");
    let body = match fault.endpoint {
        Endpoint::Graphql => {
            json!({"errors": [{"message": format!("Injected fault {} ({error})", fault.id)}]})
        }
        _ => json!({"error": error, "error_description": format!("Injected fault {}", fault.id)}),
    };
    let response = HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body);
    Ok(req.into_response(response).map_into_right_body())
}

/// The fault this request sets off, if any, recorded in the event log.
async fn take_shot(req: &mut ServiceRequest) -> Option<Fault> {
    let (endpoint, realm) = classify(req.method(), req.path())?;
    let state = req.app_data::<web::Data<AppState>>()?.clone();
    let now_ms = state.clock.real_ms();
    let (any, needs_client_id) = state.faults.interest(endpoint, realm.as_deref(), now_ms);
    if !any {
        return None;
    }
    let mut client_id = client_id_in_head(req);
    if client_id.is_none() && needs_client_id {
        client_id = client_id_in_body(req).await;
    }
    let fault = state
        .faults
        .fire(endpoint, realm.as_deref(), client_id.as_deref(), now_ms)?;
    let effect = match fault.status {
        Some(status) => format!("answered {status}"),
        None => "let through".to_owned(),
    };
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Fault,
        realm,
        client_id,
        user: None,
        jti: None,
        reason: Some(format!(
            "{} fired at {}: delayed {} ms, {effect}",
            fault.id,
            req.path(),
            fault.delay_ms
        )),
    });
    Some(fault)
}

/// The client a request names without reading its body.
fn client_id_in_head(req: &ServiceRequest) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned())
        .or_else(|| basic_client_id(req.request()))
        .or_else(|| {
            let claims = token_from_header(req.request()).and_then(peek_claims)?;
            claims.get("azp")?.as_str().map(str::to_owned)
        })
}

/// Reads up to the realm body limit, then puts back what was read ahead of the rest, so the
/// endpoint sees the same bytes (and applies its own limit).
async fn client_id_in_body(req: &mut ServiceRequest) -> Option<String> {
    let mut payload = std::mem::replace(req.parts_mut().1, Payload::None);
    let mut read = BytesMut::new();
    let mut failure = None;
    while read.len() <= REALM_BODY_LIMIT {
        match payload.next().await {
            Some(Ok(chunk)) => read.extend_from_slice(&chunk),
            Some(Err(e)) => {
                failure = Some(e);
                break;
            }
            None => break,
        }
    }
    let read = read.freeze();
    let client_id = (read.len() <= REALM_BODY_LIMIT && failure.is_none())
        .then(|| Params::parse(req.request(), &read).ok())
        .flatten()
        .and_then(|p| p.get("client_id").map(str::to_owned));
    let replay = futures_util::stream::iter([Ok(read)].into_iter().chain(failure.map(Err)));
    req.set_payload(Payload::Stream {
        payload: Box::pin(replay.chain(payload)),
    });
    client_id
}
