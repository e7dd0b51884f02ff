use crate::helpers::{first_error, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

const ME: &str = "{ me { id name email organization { id domain } } currentUser { email } }";

#[tokio::test]
async fn bearer_token_and_bare_headers_are_all_accepted() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    for header in [
        format!("Bearer {token}"),
        format!("Token {token}"),
        token.clone(),
    ] {
        let (status, body) = app.graphql_raw(Some(&header), json!({"query": ME})).await;
        assert_eq!(status, 200, "{header:.10}: {body}");
        assert_eq!(body["data"]["me"]["email"], "admin@acme.test");
        assert_eq!(
            body["data"]["me"]["organization"],
            json!({"id": 1, "domain": "acme"})
        );
        assert_eq!(body["data"]["currentUser"]["email"], "admin@acme.test");
    }
}

fn tamper_payload(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["email"] = json!("mallory@acme.test");
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    format!("{}.{}.{}", parts[0], payload, parts[2])
}

fn with_header(token: &str, header: Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap());
    format!("{}.{}.", header, parts[1])
}

#[tokio::test]
async fn each_authentication_failure_has_its_exact_401_message() {
    let app = spawn_app().await;
    let other = spawn_app().await;
    let token = app.acme_admin_token().await;
    let foreign = other.acme_admin_token().await;
    let kid = jsonwebtoken::decode_header(&token).unwrap().kid.unwrap();

    let cases: Vec<(Option<String>, &str, &str)> = vec![
        (None, "Please provide proper credentials", "no header"),
        (
            Some("Bearer ".into()),
            "Please provide proper credentials",
            "empty bearer",
        ),
        (
            Some("Bearer not-a-jwt".into()),
            "Unable to parse authentication token",
            "garbage",
        ),
        (
            Some(token[..token.len() / 2].to_owned()),
            "Unable to parse authentication token",
            "truncated",
        ),
        (
            Some(format!("Bearer {foreign}")),
            "Unable to find appropriate RSA key",
            "another server's key",
        ),
    ];
    for (header, expected, why) in cases {
        let (status, body) = app
            .graphql_raw(header.as_deref(), json!({"query": ME}))
            .await;
        assert_eq!(status, 401, "{why}: {body}");
        assert_eq!(body, json!({"errors": [{"message": expected}]}), "{why}");
    }

    let contains: Vec<(String, &str, &str)> = vec![
        (
            tamper_payload(&token),
            "signature",
            "payload changed after signing",
        ),
        (
            with_header(&token, json!({"alg": "none", "typ": "JWT", "kid": kid})),
            "none",
            "alg none",
        ),
        (
            with_header(&token, json!({"alg": "HS256", "typ": "JWT", "kid": kid})),
            "HS256",
            "HMAC",
        ),
    ];
    for (header, fragment, why) in contains {
        let (status, body) = app.graphql_raw(Some(&header), json!({"query": ME})).await;
        assert_eq!(status, 401, "{why}: {body}");
        assert!(first_error(&body).contains(fragment), "{why}: {body}");
    }
}

#[tokio::test]
async fn a_token_is_expired_exactly_at_exp_on_the_emulator_clock() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    app.state.clock.advance_seconds(299);
    let (status, _) = app.graphql(&token, ME, json!({})).await;
    assert_eq!(status, 200, "one second left");
    app.state.clock.advance_seconds(1);
    let (status, body) = app.graphql(&token, ME, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"errors": [{"message": "Token is expired."}]}));
}

#[tokio::test]
async fn a_token_with_an_extreme_iat_and_a_foreign_jti_is_checked_not_a_crash() {
    // Found by the authorization_header_and_jwt fuzz target: the revocation check turned
    // `iat` into milliseconds with an overflowing multiplication.
    let app = spawn_app().await;
    for iat in [i64::MAX, i64::MIN] {
        let token = app
            .minted_access_token(json!({
                "user": "admin@acme.test",
                "claims": {"iat": iat, "jti": "not-a-uuid"},
            }))
            .await;
        let (status, body) = app
            .graphql_raw(Some(&format!("Bearer {token}")), json!({"query": ME}))
            .await;
        assert_eq!(status, 200, "iat {iat}: {body}");
        assert_eq!(body["data"]["me"]["email"], "admin@acme.test", "iat {iat}");
    }
}
