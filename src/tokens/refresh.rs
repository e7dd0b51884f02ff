//! Refresh tokens: JWTs signed with the realm key (`typ` = `Refresh`, so `/graphql` refuses
//! them), each backed by a row that makes it usable exactly once.
//!
//! Every code exchange starts one family; each refresh rotates within it. The family id is
//! the grant id, which every token of the family carries in `sid`: revoking the grant revokes
//! the family and the access and ID tokens issued in it, through the one `grant` rule.

use super::claims::TYP_REFRESH;
use super::issue::{new_jti, sign};
use crate::domain::scope::Scopes;
use crate::state::AppState;
use crate::store::{self, realms::Realm, refresh_tokens::RefreshTokenRow, users::User};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshClaims {
    pub iss: String,
    pub sub: String,
    /// The issuer, as Keycloak writes it: a refresh token is for the authorization server only.
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub azp: String,
    pub typ: String,
    pub sid: String,
    pub scope: String,
    /// When the user signed in, carried so refreshed ID tokens keep it (OIDC Core 12.2).
    pub auth_time: i64,
}

pub struct RefreshRequest<'a> {
    pub realm: &'a Realm,
    pub client_id: &'a str,
    pub user: &'a User,
    pub scope: &'a Scopes,
    pub grant_id: &'a str,
    pub auth_time: i64,
}

pub struct IssuedRefresh {
    pub token: String,
    pub jti: String,
    pub lifetime: i64,
}

/// Signs a refresh token and records it as unused.
pub async fn issue(state: &AppState, req: &RefreshRequest<'_>) -> anyhow::Result<IssuedRefresh> {
    let now = state.clock.now();
    let lifetime = req.realm.refresh_token_lifetime;
    let issuer = state.issuer(&req.realm.name);
    let claims = RefreshClaims {
        iss: issuer.clone(),
        sub: req.user.subject.clone(),
        aud: issuer,
        exp: now + lifetime,
        iat: now,
        jti: new_jti(state),
        azp: req.client_id.to_owned(),
        typ: TYP_REFRESH.to_owned(),
        sid: req.grant_id.to_owned(),
        scope: req.scope.to_string(),
        auth_time: req.auth_time,
    };
    let token = sign(state, &req.realm.name, &claims)?;
    store::refresh_tokens::insert(
        &state.db,
        &RefreshTokenRow {
            jti: claims.jti.clone(),
            family_id: req.grant_id.to_owned(),
            grant_id: req.grant_id.to_owned(),
            realm: req.realm.name.clone(),
            client_id: req.client_id.to_owned(),
            user_id: Some(req.user.id),
            scope: claims.scope.clone(),
            issued_at: now,
            expires_at: claims.exp,
            used_at: None,
        },
    )
    .await?;
    Ok(IssuedRefresh {
        token,
        jti: claims.jti,
        lifetime,
    })
}
