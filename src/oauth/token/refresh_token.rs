//! RFC 6749 section 6: a refresh token is used once and replaced (rotation); presenting a used
//! one again revokes its whole family (OAuth 2.0 Security BCP section 4.14.2).

use super::TokenResponse;
use super::audit::Audit;
use super::user_tokens::{self, UserGrant};
use crate::domain::scope::Scopes;
use crate::events::EventKind;
use crate::oauth::client_auth::CallingClient;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::state::AppState;
use crate::store::{self, realms::Realm, refresh_tokens::RefreshTokenRow};
use crate::tokens::claims::TYP_REFRESH;
use crate::tokens::revoke::revoke_grant_for_good;
use crate::tokens::verify::{TokenError, check_claims, decode_signed};

pub async fn grant(
    state: &AppState,
    realm: &Realm,
    caller: &CallingClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let audit = Audit {
        state,
        realm: &realm.name,
        client_id: &caller.client.client_id,
    };
    audit.rejected(refresh(state, realm, caller, params, &audit).await)
}

fn invalid(reason: &str) -> OAuthError {
    OAuthError::InvalidGrant(format!("Invalid refresh token: {reason}"))
}

async fn refresh(
    state: &AppState,
    realm: &Realm,
    caller: &CallingClient,
    params: &Params,
    audit: &Audit<'_>,
) -> Result<TokenResponse, OAuthError> {
    let client = &caller.client;
    let presented = params.require("refresh_token")?;
    let token = decode_signed(state, presented).map_err(|e| invalid(&e.to_string()))?;
    if token.realm != realm.name {
        return Err(invalid("it was issued by another realm"));
    }
    // Expiry, issuer, type, and every revocation rule (jti, user, client, realm, grant, all).
    check_claims(state, &token, TYP_REFRESH)
        .await
        .map_err(|e| match e {
            TokenError::Unexpected(e) => OAuthError::from(e),
            other => invalid(&other.to_string()),
        })?;
    let jti = token.str_claim("jti").unwrap_or_default();
    let row = store::refresh_tokens::by_jti(&state.db, jti)
        .await?
        .ok_or_else(|| invalid("unknown token"))?;
    if row.client_id != client.client_id {
        return Err(invalid("it was issued to another client"));
    }
    let user = match row.user_id {
        Some(id) => store::users::by_id(&state.db, id).await?,
        None => None,
    }
    .filter(|u| u.active && u.org_id == client.org_id)
    .ok_or_else(|| invalid("the user is disabled"))?;
    let grant_scope = Scopes::parse(&row.scope).map_err(anyhow::Error::from)?;
    let scope = match params.get("scope") {
        None => grant_scope.clone(),
        Some(raw) => narrowed(&grant_scope, raw)?,
    };
    if !store::refresh_tokens::claim(&state.db, jti, state.clock.now()).await? {
        return Err(reused(state, &row, audit).await?);
    }
    let auth_time = token.int_claim("auth_time").unwrap_or(row.issued_at);
    let email = user.email.clone();
    let issued = user_tokens::issue(
        state,
        UserGrant {
            realm,
            client,
            user,
            scope,
            grant_scope: &grant_scope,
            grant_id: &row.grant_id,
            auth_time,
            // OIDC Core 12.2: a refreshed ID token is about the same sign-in, with no new nonce.
            nonce: None,
        },
    )
    .await?;
    audit.record(
        EventKind::Refreshed,
        Some(&email),
        Some(&issued.access_jti),
        None,
    );
    Ok(issued.response)
}

/// RFC 6749 section 6: a refresh may ask for less than was granted, never more.
fn narrowed(granted: &Scopes, raw: &str) -> Result<Scopes, OAuthError> {
    let requested = Scopes::parse(raw).map_err(|e| OAuthError::InvalidScope(e.to_string()))?;
    if requested.intersect(granted) != requested {
        return Err(OAuthError::InvalidScope(format!(
            "Scope '{requested}' exceeds the scope granted: '{granted}'"
        )));
    }
    Ok(requested)
}

/// A rotated token came back: someone holds a copy. The family (the grant) is revoked, with
/// the access and ID tokens issued in it, now and later (a racing refresh may finish after).
async fn reused(
    state: &AppState,
    row: &RefreshTokenRow,
    audit: &Audit<'_>,
) -> Result<OAuthError, OAuthError> {
    revoke_grant_for_good(state, &row.family_id).await?;
    audit.record(
        EventKind::Revoked,
        None,
        Some(&row.jti),
        Some("refresh token reused: its family is revoked".into()),
    );
    Ok(OAuthError::InvalidGrant(
        "Refresh token already used: its family has been revoked".into(),
    ))
}
