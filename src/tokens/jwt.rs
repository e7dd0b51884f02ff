//! JWS compact serialization (RFC 7515 section 7.1) with a key that is already parsed.

use super::keys::SigningKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::json;

pub fn encode(key: &SigningKey, claims: &impl Serialize) -> anyhow::Result<String> {
    let header = json!({"alg": key.algorithm.as_str(), "typ": "JWT", "kid": key.kid});
    encode_with_header(key, &header, claims)
}

/// Signs with `key` whatever header is given (the emulator's bad-token variants use this).
pub fn encode_with_header(
    key: &SigningKey,
    header: &serde_json::Value,
    claims: &impl Serialize,
) -> anyhow::Result<String> {
    let mut token = unsigned(header, claims)?;
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(token)
}

/// `base64url(header).base64url(claims)`, the signing input.
pub fn unsigned(header: &serde_json::Value, claims: &impl Serialize) -> anyhow::Result<String> {
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header)?);
    let claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?);
    Ok(format!("{header}.{claims}"))
}

/// A compact JWS's claims, read WITHOUT verifying anything: for attributing events and
/// explaining refusals, never for trusting.
pub fn peek_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    peek(token, 1)
}

/// A compact JWS's header, unverified.
pub fn peek_header(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    peek(token, 0)
}

fn peek(token: &str, index: usize) -> Option<serde_json::Map<String, serde_json::Value>> {
    let part = token.split('.').nth(index)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}
