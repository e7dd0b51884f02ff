//! One signing key: generated or loaded from PKCS#8, kept parsed so signing never re-parses it.

use anyhow::{Context, anyhow};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Value, json};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rs256,
    Es256,
    EdDsa,
}

impl KeyAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Rs256 => "RS256",
            KeyAlgorithm::Es256 => "ES256",
            KeyAlgorithm::EdDsa => "EdDSA",
        }
    }

    pub fn jwt_algorithm(self) -> Algorithm {
        match self {
            KeyAlgorithm::Rs256 => Algorithm::RS256,
            KeyAlgorithm::Es256 => Algorithm::ES256,
            KeyAlgorithm::EdDsa => Algorithm::EdDSA,
        }
    }
}

impl FromStr for KeyAlgorithm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "RS256" => Ok(KeyAlgorithm::Rs256),
            "ES256" => Ok(KeyAlgorithm::Es256),
            "EdDSA" => Ok(KeyAlgorithm::EdDsa),
            other => Err(format!(
                "unsupported algorithm {other:?}: expected RS256, ES256 or EdDSA"
            )),
        }
    }
}

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

pub struct SigningKey {
    pub kid: String,
    pub realm: String,
    pub algorithm: KeyAlgorithm,
    pair: Pair,
    decoding: DecodingKey,
    jwk: Value,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("realm", &self.realm)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl SigningKey {
    /// A fresh key pair and its PKCS#8 DER, for storage.
    pub fn generate(
        kid: String,
        realm: String,
        algorithm: KeyAlgorithm,
    ) -> anyhow::Result<(Self, Vec<u8>)> {
        let der = match algorithm {
            KeyAlgorithm::Rs256 => RsaKeyPair::generate(KeySize::Rsa2048)
                .map_err(|_| anyhow!("RSA key generation failed"))?
                .as_der()
                .map_err(|_| anyhow!("RSA key encoding failed"))?
                .as_ref()
                .to_vec(),
            KeyAlgorithm::Es256 => EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                .map_err(|_| anyhow!("EC key generation failed"))?
                .to_pkcs8v1()
                .map_err(|_| anyhow!("EC key encoding failed"))?
                .as_ref()
                .to_vec(),
            KeyAlgorithm::EdDsa => Ed25519KeyPair::generate()
                .map_err(|_| anyhow!("Ed25519 key generation failed"))?
                .to_pkcs8()
                .map_err(|_| anyhow!("Ed25519 key encoding failed"))?
                .as_ref()
                .to_vec(),
        };
        let key = Self::from_der(kid, realm, algorithm, &der)?;
        Ok((key, der))
    }

    pub fn from_der(
        kid: String,
        realm: String,
        algorithm: KeyAlgorithm,
        der: &[u8],
    ) -> anyhow::Result<Self> {
        let (pair, decoding, mut jwk) = match algorithm {
            KeyAlgorithm::Rs256 => {
                let pair = RsaKeyPair::from_pkcs8(der).map_err(|e| anyhow!("bad RSA key: {e}"))?;
                let public = pair.public_key();
                let n = public.modulus().big_endian_without_leading_zero().to_vec();
                let e = public.exponent().big_endian_without_leading_zero().to_vec();
                let decoding = DecodingKey::from_rsa_raw_components(&n, &e);
                let jwk = json!({"kty": "RSA", "n": b64(&n), "e": b64(&e)});
                (Pair::Rsa(pair), decoding, jwk)
            }
            KeyAlgorithm::Es256 => {
                let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                    .map_err(|e| anyhow!("bad EC key: {e}"))?;
                let point = pair.public_key().as_ref();
                // Uncompressed SEC1 point: 0x04 || x || y.
                let (x, y) = (b64(&point[1..33]), b64(&point[33..65]));
                let decoding = DecodingKey::from_ec_components(&x, &y).context("EC public key")?;
                let jwk = json!({"kty": "EC", "crv": "P-256", "x": x, "y": y});
                (Pair::Ec(pair), decoding, jwk)
            }
            KeyAlgorithm::EdDsa => {
                let pair =
                    Ed25519KeyPair::from_pkcs8(der).map_err(|e| anyhow!("bad Ed25519 key: {e}"))?;
                let x = b64(pair.public_key().as_ref());
                let decoding = DecodingKey::from_ed_components(&x).context("Ed25519 public key")?;
                let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": x});
                (Pair::Ed(pair), decoding, jwk)
            }
        };
        jwk["kid"] = json!(kid);
        jwk["use"] = json!("sig");
        jwk["alg"] = json!(algorithm.as_str());
        Ok(Self {
            kid,
            realm,
            algorithm,
            pair,
            decoding,
            jwk,
        })
    }

    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        match &self.pair {
            Pair::Rsa(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    message,
                    &mut signature,
                )
                .map_err(|_| anyhow!("RSA signing failed"))?;
                Ok(signature)
            }
            Pair::Ec(pair) => Ok(pair
                .sign(&SystemRandom::new(), message)
                .map_err(|_| anyhow!("EC signing failed"))?
                .as_ref()
                .to_vec()),
            Pair::Ed(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }

    pub fn decoding_key(&self) -> &DecodingKey {
        &self.decoding
    }

    /// The public half as a JWK (RFC 7517), with `kid`, `use` and `alg`.
    pub fn jwk(&self) -> &Value {
        &self.jwk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_a_round_trip_through_its_der() {
        for alg in [
            KeyAlgorithm::Rs256,
            KeyAlgorithm::Es256,
            KeyAlgorithm::EdDsa,
        ] {
            let (key, der) = SigningKey::generate("k1".into(), "r".into(), alg).unwrap();
            let again = SigningKey::from_der("k1".into(), "r".into(), alg, &der).unwrap();
            assert_eq!(key.jwk(), again.jwk(), "{alg:?}");
            assert!(!key.sign(b"msg").unwrap().is_empty());
        }
    }
}
