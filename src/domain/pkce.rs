//! Proof Key for Code Exchange (RFC 7636).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    S256,
    Plain,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::S256 => "S256",
            Method::Plain => "plain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "S256" => Some(Method::S256),
            "plain" => Some(Method::Plain),
            _ => None,
        }
    }
}

/// A `code_challenge` with its method, as sent to the authorization endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge {
    pub method: Method,
    pub value: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PkceError {
    #[error("code_challenge_method is given without a code_challenge")]
    MethodWithoutChallenge,
    #[error("Unsupported code_challenge_method '{0}': use S256 or plain")]
    UnknownMethod(String),
    #[error("Invalid code_challenge: 43 to 128 characters of A-Z a-z 0-9 - . _ ~")]
    BadChallenge,
}

/// RFC 7636 section 4.1: `code-verifier = 43*128unreserved`; challenges share the syntax.
fn is_well_formed(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

impl CodeChallenge {
    /// RFC 7636 section 4.3: the method defaults to `plain` when absent.
    pub fn parse(challenge: Option<&str>, method: Option<&str>) -> Result<Option<Self>, PkceError> {
        let Some(value) = challenge else {
            return match method {
                Some(_) => Err(PkceError::MethodWithoutChallenge),
                None => Ok(None),
            };
        };
        let method = match method {
            None => Method::Plain,
            Some(m) => Method::parse(m).ok_or_else(|| PkceError::UnknownMethod(m.to_owned()))?,
        };
        if !is_well_formed(value) {
            return Err(PkceError::BadChallenge);
        }
        Ok(Some(Self {
            method,
            value: value.to_owned(),
        }))
    }

    /// RFC 7636 section 4.6, compared in constant time.
    pub fn verify(&self, verifier: &CodeVerifier) -> bool {
        let derived = match self.method {
            Method::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.0.as_bytes())),
            Method::Plain => verifier.0.clone(),
        };
        derived.as_bytes().ct_eq(self.value.as_bytes()).into()
    }
}

/// The client's secret half of PKCE: not `Clone`, and never printed.
pub struct CodeVerifier(String);

impl CodeVerifier {
    pub fn parse(s: &str) -> Option<Self> {
        is_well_formed(s).then(|| Self(s.to_owned()))
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifies_with_s256() {
        // RFC 7636 appendix B.
        let challenge = CodeChallenge::parse(
            Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            Some("S256"),
        )
        .unwrap()
        .unwrap();
        let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert!(challenge.verify(&verifier));
        let other = CodeVerifier::parse(&"a".repeat(43)).unwrap();
        assert!(!challenge.verify(&other));
    }

    #[test]
    fn plain_is_the_default_method_and_compares_as_is() {
        let value = "x".repeat(50);
        let challenge = CodeChallenge::parse(Some(&value), None).unwrap().unwrap();
        assert_eq!(challenge.method, Method::Plain);
        assert!(challenge.verify(&CodeVerifier::parse(&value).unwrap()));
    }

    #[test]
    fn malformed_pkce_parameters_are_refused() {
        let cases = [
            (None, Some("S256"), "method without challenge"),
            (
                Some("x".repeat(43)),
                Some("s256"),
                "method in the wrong case",
            ),
            (
                Some("short".to_owned()),
                Some("S256"),
                "challenge too short",
            ),
            (Some("x".repeat(129)), Some("plain"), "challenge too long"),
            (
                Some(format!("{}+", "x".repeat(43))),
                Some("plain"),
                "not unreserved",
            ),
        ];
        for (challenge, method, why) in cases {
            assert!(
                CodeChallenge::parse(challenge.as_deref(), method).is_err(),
                "{why}"
            );
        }
        assert!(CodeVerifier::parse("too-short").is_none());
    }
}
