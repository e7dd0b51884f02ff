//! RFC 6749 section 4.4: API keys and machine-to-machine apps get a token for the user they
//! act for.

use super::TokenResponse;
use crate::domain::app_type::AppType;
use crate::domain::scope::{EMAIL, PROFILE, Scopes};
use crate::events::{Event, EventKind};
use crate::oauth::client_auth::CallingClient;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::state::AppState;
use crate::store::realms::Realm;
use crate::tokens::issue::{self, AccessTokenRequest, TokenSubject};

pub async fn grant(
    state: &AppState,
    realm: &Realm,
    caller: &CallingClient,
    params: &Params,
) -> Result<TokenResponse, OAuthError> {
    let client = &caller.client;
    let app_type: AppType = client
        .app_type
        .parse()
        .map_err(|_| OAuthError::InvalidClient)?;
    if !caller.confidential || !app_type.allows_client_credentials() {
        return Err(OAuthError::UnauthorizedClient(
            "Client not allowed to use the client_credentials grant".into(),
        ));
    }
    let allowed = Scopes::from_static(&[PROFILE, EMAIL]).intersect(
        &state
            .reads()
            .allowed_scopes(&realm.name, &client.client_id)
            .await?,
    );
    let scope = match params.get("scope") {
        Some(raw) => Scopes::parse(raw)
            .map_err(|e| OAuthError::InvalidScope(e.to_string()))?
            .intersect(&allowed),
        None => allowed,
    };
    let user = match client.user_id {
        Some(id) => state.reads().user(id).await?,
        None => None,
    }
    .filter(|u| u.active)
    .ok_or(OAuthError::InvalidClient)?;
    let roles = state.reads().role_names(user.id).await?;
    let subject = TokenSubject { user, roles };
    let lifetime = client
        .access_token_lifetime
        .unwrap_or(realm.client_token_lifetime);
    let signed = issue::access_token(
        state,
        &AccessTokenRequest {
            realm,
            client_id: &client.client_id,
            subject: &subject,
            scope: &scope,
            lifetime,
            sid: None,
        },
    )?;
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Issued,
        realm: Some(realm.name.clone()),
        client_id: Some(client.client_id.clone()),
        user: Some(subject.user.email.clone()),
        jti: Some(signed.claims.jti.clone()),
        reason: None,
    });
    Ok(TokenResponse {
        access_token: signed.token,
        expires_in: lifetime,
        refresh_expires_in: 0,
        refresh_token: None,
        token_type: "Bearer",
        id_token: None,
        not_before_policy: 0,
        scope: scope.to_string(),
    })
}
