//! Deliberately broken tokens, for testing that relying parties refuse them. Each variant
//! breaks one thing and keeps the rest valid, so a refusal can only be for that reason.

use super::jwt;
use super::keys::{KeyAlgorithm, SigningKey};
use crate::domain::secret::random_token;
use crate::state::AppState;
use anyhow::{Context, anyhow};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// `exp` a minute in the past.
    Expired,
    /// `iss` of no realm of this server.
    WrongIssuer,
    /// `aud` that no realm expects.
    WrongAudience,
    /// Signed by the realm key, then one bit of the signature flipped.
    BadSignature,
    /// Signed by a fresh key whose `kid` is in no JWKS.
    UnknownKid,
    /// `alg: none` and an empty signature (RFC 7519 section 6, unsecured JWT).
    AlgNone,
}

pub const WRONG_ISSUER_HOST: &str = "https://wrong-issuer.invalid";
pub const WRONG_AUDIENCE: &str = "wrong-audience";

impl Variant {
    /// Claim-level breakage, applied before signing.
    pub fn apply_to_claims(self, claims: &mut Map<String, Value>, now: i64) {
        match self {
            Variant::Expired => {
                let lifetime = lifetime_of(claims);
                claims.insert("exp".into(), json!(now - 60));
                claims.insert("iat".into(), json!(now - 60 - lifetime));
            }
            Variant::WrongIssuer => {
                let path = claims
                    .get("iss")
                    .and_then(Value::as_str)
                    .and_then(|iss| iss.find("/realms/").map(|at| iss[at..].to_owned()))
                    .unwrap_or_default();
                claims.insert("iss".into(), json!(format!("{WRONG_ISSUER_HOST}{path}")));
            }
            Variant::WrongAudience => {
                claims.insert("aud".into(), json!(WRONG_AUDIENCE));
            }
            Variant::BadSignature | Variant::UnknownKid | Variant::AlgNone => {}
        }
    }
}

fn lifetime_of(claims: &Map<String, Value>) -> i64 {
    let get = |name: &str| claims.get(name).and_then(Value::as_i64).unwrap_or(0);
    (get("exp") - get("iat")).max(0)
}

/// Signs the tokens of one mint request, with the realm key or the way a variant asks.
pub struct VariantSigner {
    key: Arc<SigningKey>,
    variant: Option<Variant>,
}

impl VariantSigner {
    pub async fn new(
        state: &AppState,
        realm: &str,
        variant: Option<Variant>,
    ) -> anyhow::Result<Self> {
        let key = state
            .keys
            .signer(realm)
            .with_context(|| format!("realm {realm} has no signing key"))?;
        let key = match variant {
            Some(Variant::UnknownKid) => Arc::new(throwaway_key(realm, key.algorithm).await?),
            _ => key,
        };
        Ok(Self { key, variant })
    }

    pub fn sign(&self, claims: &Map<String, Value>) -> anyhow::Result<String> {
        match self.variant {
            Some(Variant::AlgNone) => {
                let header = json!({"alg": "none", "typ": "JWT", "kid": self.key.kid});
                Ok(format!("{}.", jwt::unsigned(&header, claims)?))
            }
            Some(Variant::BadSignature) => corrupt_signature(&jwt::encode(&self.key, claims)?),
            Some(
                Variant::Expired
                | Variant::WrongIssuer
                | Variant::WrongAudience
                | Variant::UnknownKid,
            )
            | None => jwt::encode(&self.key, claims),
        }
    }

    pub fn algorithm(&self) -> KeyAlgorithm {
        self.key.algorithm
    }
}

/// A key that is stored nowhere, so no JWKS will ever list its `kid`.
async fn throwaway_key(realm: &str, algorithm: KeyAlgorithm) -> anyhow::Result<SigningKey> {
    let (kid, realm) = (format!("unknown-{}", random_token(12)), realm.to_owned());
    let (key, _der) =
        tokio::task::spawn_blocking(move || SigningKey::generate(kid, realm, algorithm))
            .await
            .context("key generation task")??;
    Ok(key)
}

/// Flips one bit in the middle of the signature: still well-formed, no longer valid.
fn corrupt_signature(token: &str) -> anyhow::Result<String> {
    let (signed, signature) = token
        .rsplit_once('.')
        .ok_or_else(|| anyhow!("a JWS has three parts"))?;
    let mut bytes = URL_SAFE_NO_PAD.decode(signature)?;
    let middle = bytes.len() / 2;
    let byte = bytes
        .get_mut(middle)
        .ok_or_else(|| anyhow!("empty signature"))?;
    *byte ^= 0x01;
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrong_issuer_keeps_the_realm_path() {
        let mut claims = Map::new();
        claims.insert("iss".into(), json!("http://127.0.0.1:1/realms/api-keys"));
        Variant::WrongIssuer.apply_to_claims(&mut claims, 0);
        assert_eq!(
            claims["iss"],
            "https://wrong-issuer.invalid/realms/api-keys"
        );
    }

    #[test]
    fn an_expired_token_keeps_its_lifetime_and_ends_in_the_past() {
        let mut claims = Map::new();
        claims.insert("iat".into(), json!(1000));
        claims.insert("exp".into(), json!(1300));
        Variant::Expired.apply_to_claims(&mut claims, 2000);
        assert_eq!(claims["exp"], 1940);
        assert_eq!(claims["iat"], 1640);
    }

    #[test]
    fn a_corrupted_signature_differs_in_exactly_one_bit() {
        let token = format!("a.b.{}", URL_SAFE_NO_PAD.encode([0u8; 8]));
        let bad = corrupt_signature(&token).unwrap();
        let sig = URL_SAFE_NO_PAD
            .decode(bad.rsplit('.').next().unwrap())
            .unwrap();
        assert_eq!(sig, [0, 0, 0, 0, 1, 0, 0, 0]);
    }
}
