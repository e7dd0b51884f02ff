//! RFC 6749 section 4.1.3: a code from the login page, exchanged once, by the client it was
//! issued to, with the redirect URI and PKCE verifier it was bound to.

use super::TokenResponse;
use super::audit::Audit;
use super::user_tokens::{self, UserGrant};
use crate::domain::app_type::AppType;
use crate::domain::pkce::{CodeChallenge, CodeVerifier, Method};
use crate::domain::scope::Scopes;
use crate::domain::secret::sha256_hex;
use crate::events::EventKind;
use crate::oauth::client_auth::CallingClient;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::state::AppState;
use crate::store::{self, codes::AuthorizationCode, realms::Realm};
use crate::tokens::revoke::revoke_grant_for_good;

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
    audit.rejected(exchange(state, realm, caller, params, &audit).await)
}

async fn exchange(
    state: &AppState,
    realm: &Realm,
    caller: &CallingClient,
    params: &Params,
    audit: &Audit<'_>,
) -> Result<TokenResponse, OAuthError> {
    let client = &caller.client;
    let interactive = client.kind == store::clients::KIND_OAUTH_APP
        && client
            .app_type
            .parse::<AppType>()
            .is_ok_and(|t| !t.allows_client_credentials());
    if !interactive {
        return Err(OAuthError::UnauthorizedClient(
            "Client not allowed to use the authorization_code grant".into(),
        ));
    }
    let code = params.require("code")?;
    let redirect_uri = params.require("redirect_uri")?;
    let code_hash = sha256_hex(code);
    let row = store::codes::by_hash(&state.db, &code_hash)
        .await?
        .filter(|c| c.realm == realm.name)
        .ok_or_else(|| OAuthError::InvalidGrant("Code not valid".into()))?;
    // Claimed before any other check, atomically: of concurrent exchanges exactly one goes on.
    if !store::codes::claim(&state.db, &code_hash, state.clock.now()).await? {
        return Err(replayed(state, &row, audit).await?);
    }
    if row.expires_at <= state.clock.now() {
        return Err(OAuthError::InvalidGrant("Code expired".into()));
    }
    if row.client_id != client.client_id {
        return Err(OAuthError::InvalidGrant(
            "Code was issued to another client".into(),
        ));
    }
    if row.redirect_uri != redirect_uri {
        return Err(OAuthError::InvalidGrant(
            "Incorrect redirect_uri: it must equal the one of the authorization request".into(),
        ));
    }
    check_pkce(&row, params.get("code_verifier"))?;
    let user = store::users::by_id(&state.db, row.user_id)
        .await?
        .filter(|u| u.active && u.org_id == client.org_id)
        .ok_or_else(|| OAuthError::InvalidGrant("User is disabled".into()))?;
    let scope = Scopes::parse(&row.scope).map_err(anyhow::Error::from)?;
    let email = user.email.clone();
    let issued = user_tokens::issue(
        state,
        UserGrant {
            realm,
            client,
            user,
            scope: scope.clone(),
            grant_scope: &scope,
            grant_id: &row.grant_id,
            auth_time: row.auth_time,
            nonce: row.nonce.as_deref(),
        },
    )
    .await?;
    audit.record(
        EventKind::Issued,
        Some(&email),
        Some(&issued.access_jti),
        None,
    );
    Ok(issued.response)
}

/// RFC 6749 section 4.1.2: a code used twice revokes every token issued from it, also the
/// ones the winner of a concurrent exchange gets after this.
async fn replayed(
    state: &AppState,
    row: &AuthorizationCode,
    audit: &Audit<'_>,
) -> Result<OAuthError, OAuthError> {
    revoke_grant_for_good(state, &row.grant_id).await?;
    audit.record(
        EventKind::Revoked,
        None,
        None,
        Some("authorization code replayed: every token issued from it is revoked".into()),
    );
    Ok(OAuthError::InvalidGrant(
        "Code already used: every token issued from it has been revoked".into(),
    ))
}

/// RFC 7636 section 4.6; a verifier for a code requested without PKCE is refused too, so a
/// downgrade cannot pass unnoticed (OAuth 2.1 section 4.1.3).
fn check_pkce(row: &AuthorizationCode, verifier: Option<&str>) -> Result<(), OAuthError> {
    let challenge = match (&row.code_challenge, &row.code_challenge_method) {
        (Some(value), Some(method)) => Some(CodeChallenge {
            method: Method::parse(method).unwrap_or(Method::S256),
            value: value.clone(),
        }),
        _ => None,
    };
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(OAuthError::InvalidGrant(
            "code_verifier given, but the authorization request had no code_challenge".into(),
        )),
        (Some(_), None) => Err(OAuthError::InvalidGrant(
            "Missing code_verifier: the authorization request had a code_challenge".into(),
        )),
        (Some(challenge), Some(verifier)) => {
            let verifier = CodeVerifier::parse(verifier).ok_or_else(|| {
                OAuthError::InvalidGrant(
                    "Invalid code_verifier: 43 to 128 characters of A-Z a-z 0-9 - . _ ~".into(),
                )
            })?;
            if challenge.verify(&verifier) {
                Ok(())
            } else {
                Err(OAuthError::InvalidGrant(
                    "PKCE verification failed: code_verifier does not match code_challenge".into(),
                ))
            }
        }
    }
}
