//! Checking a presented token: the one rule book behind `/graphql`, userinfo, introspection
//! and explain, so a token is accepted or refused the same way everywhere.

use super::claims::TYP_ACCESS;
use super::issue::jti_issued_ms;
use crate::state::AppState;
use crate::store::revocations::TokenSubjects;
use jsonwebtoken::{Validation, decode, decode_header};
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token is not a JWT")]
    Malformed,
    #[error("token uses a refused signing algorithm: {0}")]
    RefusedAlgorithm(String),
    #[error("token was signed by an unknown or retired key")]
    UnknownKey,
    #[error("token signature does not verify")]
    BadSignature,
    #[error("token is expired")]
    Expired,
    #[error("token issuer is not this realm's issuer")]
    WrongIssuer,
    #[error("token audience is not this realm's audience")]
    WrongAudience,
    #[error("token is a {0} token, not an access token")]
    WrongType(String),
    #[error("token has been revoked")]
    Revoked,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A token that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    pub realm: String,
    pub claims: Map<String, Value>,
}

impl VerifiedToken {
    pub fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn int_claim(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }

    pub fn sub(&self) -> Option<&str> {
        self.str_claim("sub")
    }

    pub fn client_id(&self) -> Option<&str> {
        self.str_claim("azp")
            .or_else(|| self.str_claim("client_id"))
    }
}

/// Signature, algorithm and key: what a token is, before any question of time.
pub fn decode_signed(state: &AppState, token: &str) -> Result<VerifiedToken, TokenError> {
    let alg = header_alg(token).ok_or(TokenError::Malformed)?;
    if alg.eq_ignore_ascii_case("none") || alg.starts_with("HS") {
        return Err(TokenError::RefusedAlgorithm(alg));
    }
    let header = decode_header(token).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidAlgorithmName => {
            TokenError::RefusedAlgorithm(alg.clone())
        }
        _ => TokenError::Malformed,
    })?;
    let kid = header.kid.ok_or(TokenError::UnknownKey)?;
    let key = state.keys.find(&kid).ok_or(TokenError::UnknownKey)?;
    if header.alg != key.algorithm.jwt_algorithm() {
        return Err(TokenError::RefusedAlgorithm(alg));
    }
    let mut validation = Validation::new(header.alg);
    // Time, issuer and audience are checked below against the emulator clock and realm.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = decode::<Map<String, Value>>(token, key.decoding_key(), &validation).map_err(
        |e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenError::BadSignature,
            _ => TokenError::Malformed,
        },
    )?;
    Ok(VerifiedToken {
        realm: key.realm.clone(),
        claims: data.claims,
    })
}

/// The `alg` of a token's header, read before jsonwebtoken (which refuses `none` outright).
fn header_alg(token: &str) -> Option<String> {
    super::jwt::peek_header(token)?
        .get("alg")?
        .as_str()
        .map(str::to_owned)
}

/// Every check, in the order ION's auth layer reports them.
pub async fn verify_access_token(
    state: &AppState,
    token: &str,
) -> Result<VerifiedToken, TokenError> {
    let verified = decode_signed(state, token)?;
    check_claims(state, &verified, TYP_ACCESS).await?;
    Ok(verified)
}

/// Time, issuer, audience, type and revocation of a token whose signature verified.
pub async fn check_claims(
    state: &AppState,
    t: &VerifiedToken,
    typ: &str,
) -> Result<(), TokenError> {
    let exp = t.int_claim("exp").ok_or(TokenError::Malformed)?;
    // No leeway: a token is expired when exp <= now on the emulator clock.
    if exp <= state.clock.now() {
        return Err(TokenError::Expired);
    }
    if t.str_claim("iss") != Some(state.issuer(&t.realm).as_str()) {
        return Err(TokenError::WrongIssuer);
    }
    let realm = state
        .reads()
        .realm(&t.realm)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(TokenError::UnknownKey)?;
    // The type before the audience: an ID or refresh token is "not an access token", which
    // says more than "wrong audience".
    match t.str_claim("typ") {
        Some(found) if found == typ => {}
        Some(other) => return Err(TokenError::WrongType(other.to_owned())),
        None => return Err(TokenError::WrongType("untyped".to_owned())),
    }
    if !audience_contains(t.claims.get("aud"), &realm.audience) && typ == TYP_ACCESS {
        return Err(TokenError::WrongAudience);
    }
    if is_revoked(state, t).await? {
        return Err(TokenError::Revoked);
    }
    Ok(())
}

fn audience_contains(aud: Option<&Value>, expected: &str) -> bool {
    match aud {
        Some(Value::String(s)) => s == expected,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(expected)),
        _ => false,
    }
}

pub async fn is_revoked(state: &AppState, t: &VerifiedToken) -> Result<bool, TokenError> {
    let jti = t.str_claim("jti").unwrap_or_default();
    // Saturating: `iat` is whatever the token says (a minted token may carry any claims).
    let issued_ms = jti_issued_ms(jti)
        .or_else(|| t.int_claim("iat").map(|s| s.saturating_mul(1000)))
        .unwrap_or(0);
    let subjects = TokenSubjects {
        jti,
        issued_ms,
        user: t.sub(),
        client_id: t.client_id(),
        realm: &t.realm,
        grant: t.str_claim("sid"),
    };
    Ok(state
        .reads()
        .is_revoked(&subjects)
        .await
        .map_err(anyhow::Error::from)?)
}
