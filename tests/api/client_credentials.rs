use crate::helpers::{ACME_KEY_FORM, TOKEN_PATH, spawn_app};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};

#[tokio::test]
async fn a_client_credentials_token_verifies_against_the_jwks() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;

    let jwks: JwkSet = app
        .client
        .get(app.url("/realms/api-keys/protocol/openid-connect/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = decode_header(&token).unwrap().kid.expect("kid in header");
    let jwk = jwks.find(&kid).expect("signing key in JWKS");
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["account"]);
    validation.set_issuer(&[app.issuer()]);
    validation.leeway = 0;
    let data = decode::<Value>(&token, &DecodingKey::from_jwk(jwk).unwrap(), &validation).unwrap();

    let claims = data.claims;
    for name in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "jti",
        "azp",
        "scope",
        "typ",
        "email",
        "name",
        "preferred_username",
        "org_id",
        "org_domain",
        "realm_access",
    ] {
        assert!(
            claims.get(name).is_some(),
            "claim {name} missing from {claims}"
        );
    }
    assert_eq!(claims["typ"], "Bearer");
    assert_eq!(claims["azp"], "acme-admin-key");
    assert_eq!(claims["email"], "admin@acme.test");
    assert_eq!(claims["preferred_username"], "admin@acme.test");
    assert_eq!(claims["org_id"], 1);
    assert_eq!(claims["org_domain"], "acme");
    assert_eq!(claims["realm_access"]["roles"], json!(["admin"]));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
}

#[tokio::test]
async fn the_token_response_is_keycloak_shaped() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "acme-admin-key"),
            ("client_secret", "acme-admin-secret"),
            ("audience", "https://api.buildwithion.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["scope"], "email profile");
    assert!(body.get("refresh_token").is_none());
}

#[tokio::test]
async fn keys_authenticate_by_basic_or_post_with_form_or_json_at_both_prefixes() {
    let app = spawn_app().await;
    for prefix in ["", "/auth"] {
        let url = app.url(&format!("{prefix}{TOKEN_PATH}"));
        let cases = [
            app.client.post(&url).form(&ACME_KEY_FORM),
            app.client
                .post(&url)
                .json(&json!({"grant_type": "client_credentials",
                "client_id": "acme-admin-key", "client_secret": "acme-admin-secret"})),
            app.client
                .post(&url)
                .basic_auth("acme-admin-key", Some("acme-admin-secret"))
                .form(&[("grant_type", "client_credentials")]),
            app.client
                .post(&url)
                .basic_auth("acme-admin-key", Some("acme-admin-secret"))
                .json(&json!({"grant_type": "client_credentials"})),
        ];
        for (i, req) in cases.into_iter().enumerate() {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200, "case {i} at {url}");
            let body: Value = res.json().await.unwrap();
            assert!(body["access_token"].as_str().is_some(), "case {i}");
        }
    }
}

#[tokio::test]
async fn bad_client_credentials_get_keycloaks_401() {
    let app = spawn_app().await;
    let url = app.url(TOKEN_PATH);
    let cases = [
        (
            app.client.post(&url).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "acme-admin-key"),
                ("client_secret", "wrong"),
            ]),
            "wrong secret",
        ),
        (
            app.client.post(&url).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
                ("client_secret", "x"),
            ]),
            "unknown client",
        ),
        (
            app.client.post(&url).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "acme-admin-key"),
            ]),
            "no secret",
        ),
        (
            app.client
                .post(&url)
                .basic_auth("acme-admin-key", Some("nope"))
                .form(&[("grant_type", "client_credentials")]),
            "wrong basic secret",
        ),
    ];
    for (req, why) in cases {
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{why}");
        assert!(res.headers().contains_key("www-authenticate"), "{why}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body,
            json!({"error": "unauthorized_client",
                   "error_description": "Invalid client or Invalid client credentials"}),
            "{why}"
        );
    }
}

#[tokio::test]
async fn interactive_apps_may_not_use_client_credentials() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth("acme-dashboard", Some("acme-dashboard-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized_client");
}

#[tokio::test]
async fn a_key_of_one_realm_is_unknown_in_another() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/realms/master/protocol/openid-connect/token"))
        .form(&ACME_KEY_FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "no such realm");
}
