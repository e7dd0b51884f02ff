//! Arbitrary `Authorization` header values through ION's header parsing and the full token
//! check at `/graphql` (signature, algorithm, key, time, issuer, audience, type, revocation,
//! the caller's user and key), against the real key ring. Half the inputs are tokens really
//! signed by the realm's key with fuzzed header and claims, so the checks after the signature
//! see hostile claims too. Every refusal must be one of the documented 401s, never a 500.
#![no_main]

use actix_web::http::header::{AUTHORIZATION, HeaderValue};
use actix_web::test;
use arbitrary::Arbitrary;
use ion_mock::graphql::auth::{AuthFailure, authenticate, token_from_header};
use ion_mock::tokens::jwt;
use ion_mock_fuzz::{REALM, harness};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

#[derive(Arbitrary, Debug)]
enum Fuzzed {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Fuzzed>),
}

impl Fuzzed {
    fn json(&self) -> Value {
        match self {
            Fuzzed::Null => Value::Null,
            Fuzzed::Bool(b) => json!(b),
            Fuzzed::Int(i) => json!(i),
            Fuzzed::Float(f) => json!(f),
            Fuzzed::Str(s) => json!(s),
            Fuzzed::List(items) => Value::Array(items.iter().map(Fuzzed::json).collect()),
        }
    }
}

const CLAIMS: [&str; 12] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "jti",
    "azp",
    "client_id",
    "typ",
    "sid",
    "scope",
    "nbf",
];
const HEADER: [&str; 4] = ["alg", "kid", "typ", "crit"];

#[derive(Arbitrary, Debug)]
enum Input {
    /// Sent as the header value, byte for byte.
    Raw(Vec<u8>),
    /// A token signed by the realm key: valid claims with some replaced.
    Signed {
        scheme: u8,
        header: Vec<(u8, Fuzzed)>,
        claims: Vec<(u8, Fuzzed)>,
        extra: Vec<(String, Fuzzed)>,
    },
}

fn signed(
    header_edits: &[(u8, Fuzzed)],
    claim_edits: &[(u8, Fuzzed)],
    extra: &[(String, Fuzzed)],
) -> String {
    let h = harness();
    let now = h.state.clock.now();
    let mut header = json!({"alg": h.signer.algorithm.as_str(), "typ": "JWT", "kid": h.signer.kid});
    for (i, v) in header_edits {
        header[HEADER[usize::from(*i) % HEADER.len()]] = v.json();
    }
    let mut claims = Map::new();
    for (k, v) in [
        ("iss", json!(h.state.issuer(REALM))),
        ("sub", json!(h.admin.user.subject)),
        ("aud", json!("account")),
        ("exp", json!(now + 300)),
        ("iat", json!(now)),
        ("jti", json!("fuzz")),
        ("azp", json!("acme-admin-key")),
        ("typ", json!("Bearer")),
    ] {
        claims.insert(k.to_owned(), v);
    }
    for (i, v) in claim_edits {
        claims.insert(CLAIMS[usize::from(*i) % CLAIMS.len()].to_owned(), v.json());
    }
    for (k, v) in extra {
        claims.insert(k.clone(), v.json());
    }
    jwt::encode_with_header(&h.signer, &header, &claims).expect("signing")
}

fuzz_target!(|input: Input| {
    let value = match &input {
        Input::Raw(bytes) => bytes.clone(),
        Input::Signed {
            scheme,
            header,
            claims,
            extra,
        } => {
            let token = signed(header, claims, extra);
            let scheme = ["Bearer ", "Token ", "", "bearer  "][usize::from(*scheme) % 4];
            format!("{scheme}{token}").into_bytes()
        }
    };
    let Ok(value) = HeaderValue::from_bytes(&value) else {
        return;
    };
    let req = test::TestRequest::default()
        .insert_header((AUTHORIZATION, value))
        .to_http_request();
    if let Some(token) = token_from_header(&req) {
        assert!(!token.is_empty());
        let _ = jwt::peek_claims(token);
        let _ = jwt::peek_header(token);
    }
    let h = harness();
    match h.rt.block_on(authenticate(&h.state, &req)) {
        Ok(caller) => assert_eq!(caller.user.email, "admin@acme.test"),
        Err(AuthFailure::Unexpected(e)) => panic!("a 500 for a hostile token: {e:?}"),
        Err(failure) => assert!(!failure.to_string().is_empty()),
    }
});
