//! The tokens a signed-in user's app gets, from a code exchange or a refresh: an access token,
//! an ID token with `openid`, and a refresh token with `offline_access`.

use super::TokenResponse;
use crate::domain::scope::{OFFLINE_ACCESS, OPENID, Scopes};
use crate::oauth::error::OAuthError;
use crate::state::AppState;
use crate::store::{self, clients::Client, realms::Realm, users::User};
use crate::tokens::id_token::{self, IdTokenRequest};
use crate::tokens::issue::{self, AccessTokenRequest, TokenSubject};
use crate::tokens::refresh::{self, RefreshRequest};

pub struct UserGrant<'a> {
    pub realm: &'a Realm,
    pub client: &'a Client,
    pub user: User,
    /// What the access token (and ID token) carry.
    pub scope: Scopes,
    /// What the refresh token carries: the scope of the original grant, unchanged by
    /// narrower refreshes (RFC 6749 section 6).
    pub grant_scope: &'a Scopes,
    pub grant_id: &'a str,
    pub auth_time: i64,
    pub nonce: Option<&'a str>,
}

pub struct Issued {
    pub response: TokenResponse,
    pub access_jti: String,
}

pub async fn issue(state: &AppState, g: UserGrant<'_>) -> Result<Issued, OAuthError> {
    let roles = store::users::role_names(&state.db, g.user.id).await?;
    let subject = TokenSubject {
        user: g.user,
        roles,
    };
    let lifetime = g
        .client
        .access_token_lifetime
        .unwrap_or(g.realm.user_token_lifetime);
    let access = issue::access_token(
        state,
        &AccessTokenRequest {
            realm: g.realm,
            client_id: &g.client.client_id,
            subject: &subject,
            scope: &g.scope,
            lifetime,
            sid: Some(g.grant_id.to_owned()),
        },
    )?;
    let id_token = if g.scope.contains(OPENID) {
        Some(id_token::id_token(
            state,
            &IdTokenRequest {
                realm: g.realm,
                client_id: &g.client.client_id,
                user: &subject.user,
                scope: &g.scope,
                auth_time: g.auth_time,
                nonce: g.nonce,
                grant_id: g.grant_id,
                lifetime,
                access_token: &access.token,
            },
        )?)
    } else {
        None
    };
    let refresh = if g.grant_scope.contains(OFFLINE_ACCESS) {
        Some(
            refresh::issue(
                state,
                &RefreshRequest {
                    realm: g.realm,
                    client_id: &g.client.client_id,
                    user: &subject.user,
                    scope: g.grant_scope,
                    grant_id: g.grant_id,
                    auth_time: g.auth_time,
                },
            )
            .await?,
        )
    } else {
        None
    };
    Ok(Issued {
        access_jti: access.claims.jti,
        response: TokenResponse {
            access_token: access.token,
            expires_in: lifetime,
            refresh_expires_in: refresh.as_ref().map_or(0, |r| r.lifetime),
            refresh_token: refresh.map(|r| r.token),
            token_type: "Bearer",
            id_token,
            not_before_policy: 0,
            scope: g.scope.to_string(),
        },
    })
}
