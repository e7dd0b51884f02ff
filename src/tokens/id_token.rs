//! OIDC ID tokens (OpenID Connect Core 1.0 section 2) and the identity claims that ID tokens
//! and userinfo share.

use super::claims::TYP_ID;
use super::issue::new_jti;
use super::jwt;
use super::keys::KeyAlgorithm;
use crate::domain::scope::{EMAIL, PROFILE, Scopes};
use crate::state::AppState;
use crate::store::realms::Realm;
use crate::store::users::User;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256, Sha512};

#[derive(Debug, Clone, Serialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    /// The client the user signed in to (section 2: `aud` contains its `client_id`).
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub azp: String,
    pub typ: &'static str,
    pub jti: String,
    /// The grant, as in the access and refresh tokens, so revoking it reaches this token too.
    pub sid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    #[serde(flatten)]
    pub identity: Map<String, Value>,
}

pub struct IdTokenRequest<'a> {
    pub realm: &'a Realm,
    pub client_id: &'a str,
    pub user: &'a User,
    pub scope: &'a Scopes,
    pub auth_time: i64,
    pub nonce: Option<&'a str>,
    pub grant_id: &'a str,
    pub lifetime: i64,
    /// The access token issued beside it, for `at_hash`.
    pub access_token: &'a str,
}

/// Claims per scope (OIDC Core section 5.4): `profile` adds `name` and `preferred_username`,
/// `email` adds `email` and `email_verified`. Organisation and roles are in the access token.
pub fn identity_claims(user: &User, scope: &Scopes) -> Map<String, Value> {
    let mut claims = Map::new();
    if scope.contains(PROFILE) {
        claims.insert("name".into(), json!(user.name));
        claims.insert("preferred_username".into(), json!(user.email));
    }
    if scope.contains(EMAIL) {
        claims.insert("email".into(), json!(user.email));
        // The emulator's users are provisioned by an admin, so their addresses count as verified.
        claims.insert("email_verified".into(), json!(true));
    }
    claims
}

/// OIDC Core section 3.1.3.6: the left half of the hash of the access token, with the hash of
/// the signing algorithm (SHA-512 for Ed25519, as the OIDF registry assigns it).
pub fn at_hash(access_token: &str, algorithm: KeyAlgorithm) -> String {
    let digest = match algorithm {
        KeyAlgorithm::Rs256 | KeyAlgorithm::Es256 => {
            Sha256::digest(access_token.as_bytes()).to_vec()
        }
        KeyAlgorithm::EdDsa => Sha512::digest(access_token.as_bytes()).to_vec(),
    };
    URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2])
}

pub fn id_token(state: &AppState, req: &IdTokenRequest<'_>) -> anyhow::Result<String> {
    let now = state.clock.now();
    let key = state
        .keys
        .signer(&req.realm.name)
        .with_context(|| format!("realm {} has no signing key", req.realm.name))?;
    let claims = IdClaims {
        iss: state.issuer(&req.realm.name),
        sub: req.user.subject.clone(),
        aud: req.client_id.to_owned(),
        exp: now + req.lifetime,
        iat: now,
        auth_time: req.auth_time,
        nonce: req.nonce.map(str::to_owned),
        azp: req.client_id.to_owned(),
        typ: TYP_ID,
        jti: new_jti(state),
        sid: req.grant_id.to_owned(),
        at_hash: Some(at_hash(req.access_token, key.algorithm)),
        identity: identity_claims(req.user, req.scope),
    };
    jwt::encode(&key, &claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_the_sha256_of_the_token() {
        // OIDC Core appendix A.3's example token and at_hash.
        let token = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
        assert_eq!(
            at_hash(token, KeyAlgorithm::Rs256),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }
}
