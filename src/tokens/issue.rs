//! Building and signing the tokens the emulator hands out.

use super::claims::{AccessClaims, RealmAccess, TYP_ACCESS};
use super::jwt;
use crate::domain::scope::Scopes;
use crate::state::AppState;
use crate::store::realms::Realm;
use crate::store::users::User;
use anyhow::Context;
use serde_json::Map;
use uuid::{NoContext, Timestamp, Uuid};

/// Whom a token speaks for: a user, with the roles they hold now.
#[derive(Debug, Clone)]
pub struct TokenSubject {
    pub user: User,
    pub roles: Vec<String>,
}

pub struct AccessTokenRequest<'a> {
    pub realm: &'a Realm,
    pub client_id: &'a str,
    pub subject: &'a TokenSubject,
    pub scope: &'a Scopes,
    pub lifetime: i64,
    pub sid: Option<String>,
}

pub struct SignedToken {
    pub token: String,
    pub claims: AccessClaims,
}

/// A token id that also records, to the millisecond, when it was made (UUIDv7 over real
/// time), so "revoke everything issued before now" needs no per-token storage.
pub fn new_jti(state: &AppState) -> String {
    let ms = state.clock.real_ms().max(0) as u64;
    let ts = Timestamp::from_unix(NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
    Uuid::new_v7(ts).to_string()
}

/// When a token id made by [`new_jti`] was made; `None` for foreign ids.
pub fn jti_issued_ms(jti: &str) -> Option<i64> {
    let uuid = Uuid::parse_str(jti).ok()?;
    let (secs, nanos) = uuid.get_timestamp()?.to_unix();
    Some(secs as i64 * 1000 + i64::from(nanos / 1_000_000))
}

pub fn access_claims(state: &AppState, req: &AccessTokenRequest<'_>) -> AccessClaims {
    let now = state.clock.now();
    let user = &req.subject.user;
    AccessClaims {
        iss: state.issuer(&req.realm.name),
        sub: user.subject.clone(),
        aud: req.realm.audience.clone(),
        exp: now + req.lifetime,
        iat: now,
        jti: new_jti(state),
        azp: req.client_id.to_owned(),
        scope: req.scope.to_string(),
        typ: TYP_ACCESS.to_owned(),
        sid: req.sid.clone(),
        client_id: req.client_id.to_owned(),
        email: user.email.clone(),
        name: user.name.clone(),
        preferred_username: user.email.clone(),
        org_id: user.org_id,
        org_domain: user.org_domain.clone(),
        realm_access: RealmAccess {
            roles: req.subject.roles.clone(),
        },
        extra: Map::new(),
    }
}

/// Signs claims with the realm's current key.
pub fn sign(
    state: &AppState,
    realm: &str,
    claims: &impl serde::Serialize,
) -> anyhow::Result<String> {
    let key = state
        .keys
        .signer(realm)
        .with_context(|| format!("realm {realm} has no signing key"))?;
    jwt::encode(&key, claims)
}

pub fn access_token(state: &AppState, req: &AccessTokenRequest<'_>) -> anyhow::Result<SignedToken> {
    let claims = access_claims(state, req);
    let token = sign(state, &req.realm.name, &claims)?;
    Ok(SignedToken { token, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v7_token_id_tells_when_it_was_made() {
        let ts = Timestamp::from_unix(NoContext, 1_700_000_000, 123_000_000);
        let jti = Uuid::new_v7(ts).to_string();
        assert_eq!(jti_issued_ms(&jti), Some(1_700_000_000_123));
        assert_eq!(jti_issued_ms("not-a-uuid"), None);
    }
}
