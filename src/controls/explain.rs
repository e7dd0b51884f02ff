//! `POST /mock/explain`: what every endpoint would make of a token, and why, from the same
//! rule book the endpoints use (`tokens::verify`), so the answer cannot drift from them.

use super::error::ControlResult;
use super::json::{self, Body};
use crate::fixtures::DEFAULT_REALM;
use crate::graphql::auth::{AuthFailure, resolve_caller};
use crate::oauth::introspect::inspect;
use crate::state::AppState;
use crate::tokens::claims::TYP_REFRESH;
use crate::tokens::jwt::{peek_claims, peek_header};
use crate::tokens::verify::{
    TokenError, VerifiedToken, check_claims, decode_signed, is_revoked, verify_access_token,
};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainRequest {
    token: String,
}

pub async fn explain(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: ExplainRequest = json::parse(&body)?;
    let token = req.token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let claims = peek_claims(token).unwrap_or_default();
    let signed = decode_signed(&state, token);
    let realm = match &signed {
        Ok(verified) => verified.realm.clone(),
        Err(_) => realm_of(&claims),
    };
    let verdict = inspect(&state, token, &realm).await?;
    let valid = verdict.is_ok();
    let mut reasons = Vec::new();
    if let Err(reason) = verdict {
        if let Err(e) = &signed {
            reasons.push(e.to_string());
        }
        // Time and revocation are reported even when something else failed first.
        let as_written = VerifiedToken {
            realm: realm.clone(),
            claims: claims.clone(),
        };
        let exp = as_written.int_claim("exp");
        if exp.is_some_and(|exp| exp <= state.clock.now()) {
            reasons.push(TokenError::Expired.to_string());
        }
        let revoked = is_revoked(&state, &as_written)
            .await
            .map_err(|e| anyhow::anyhow!("revocation lookup: {e}"))?;
        if revoked {
            reasons.push(TokenError::Revoked.to_string());
        }
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    let graphql = graphql_verdict(&state, token).await?;
    let refresh = refresh_verdict(&state, token).await?;
    Ok(HttpResponse::Ok().json(json!({
        "valid": valid,
        "reasons": reasons,
        "claims": claims,
        "header": peek_header(token).unwrap_or_default(),
        "realm": realm,
        "now": state.clock.now(),
        "endpoints": {
            "graphql": accepted(&graphql),
            "userinfo": accepted(&graphql),
            "introspect": {"active": valid},
            "refresh": accepted(&refresh),
        },
    })))
}

/// The realm named by the issuer, for tokens whose key is unknown.
fn realm_of(claims: &Map<String, Value>) -> String {
    claims
        .get("iss")
        .and_then(Value::as_str)
        .and_then(|iss| iss.rsplit_once("/realms/").map(|(_, r)| r.to_owned()))
        .unwrap_or_else(|| DEFAULT_REALM.to_owned())
}

fn accepted(error: &Option<String>) -> Value {
    match error {
        None => json!({"accepted": true}),
        Some(error) => json!({"accepted": false, "error": error}),
    }
}

/// The exact 401 message `/graphql` would answer with (userinfo applies the same checks).
async fn graphql_verdict(state: &AppState, token: &str) -> anyhow::Result<Option<String>> {
    let failure = match verify_access_token(state, token).await {
        Ok(verified) => match resolve_caller(state, &verified).await {
            Ok(_) => return Ok(None),
            Err(failure) => failure,
        },
        Err(e) => AuthFailure::from(e),
    };
    match failure {
        AuthFailure::Unexpected(e) => Err(e),
        other => Ok(Some(other.to_string())),
    }
}

/// Whether the token endpoint's refresh grant would take it as a refresh token.
async fn refresh_verdict(state: &AppState, token: &str) -> anyhow::Result<Option<String>> {
    let checked = match decode_signed(state, token) {
        Ok(verified) => check_claims(state, &verified, TYP_REFRESH)
            .await
            .map(|()| verified),
        Err(e) => Err(e),
    };
    let failure = match checked {
        Ok(verified) => match resolve_caller(state, &verified).await {
            Ok(_) => return Ok(None),
            Err(failure) => failure,
        },
        Err(TokenError::Unexpected(e)) => return Err(e),
        Err(e) => return Ok(Some(e.to_string())),
    };
    match failure {
        AuthFailure::Unexpected(e) => Err(e),
        other => Ok(Some(other.to_string())),
    }
}
