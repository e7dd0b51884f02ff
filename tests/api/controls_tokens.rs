use crate::helpers::{first_error, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn a_token_minted_for_a_user_is_accepted_as_that_user() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"user": "operator@acme.test"}))
        .await;
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["me"]["email"], "operator@acme.test");
    let claims = claims_of(&token);
    assert_eq!(claims["realm_access"]["roles"], json!(["User"]));
    assert_eq!(claims["org_domain"], "acme");
    assert_eq!(claims["scope"], "email openid profile");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
}

#[tokio::test]
async fn scope_audience_lifetime_and_claims_are_the_callers_to_choose() {
    let app = spawn_app().await;
    let answer = app
        .mint(json!({
            "user": "admin@globex.test",
            "scope": "openid email",
            "audience": "my-api",
            "lifetime_seconds": 42,
            "claims": {"org_id": 99, "custom": {"a": 1}, "email": null},
        }))
        .await;
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 42);
    let claims = claims_of(answer["access_token"].as_str().unwrap());
    assert_eq!(claims["scope"], "email openid");
    assert_eq!(claims["aud"], "my-api");
    assert_eq!(claims["org_id"], 99);
    assert_eq!(claims["custom"], json!({"a": 1}));
    assert!(claims.get("email").is_none(), "null removes a claim");
    assert_eq!(claims["jti"], answer["jti"]);
}

#[tokio::test]
async fn a_token_minted_for_an_api_key_acts_as_its_user_for_the_client_lifetime() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"client_id": "globex-admin-key"}))
        .await;
    let claims = claims_of(&token);
    assert_eq!(claims["azp"], "globex-admin-key");
    assert_eq!(claims["email"], "admin@globex.test");
    assert_eq!(claims["scope"], "email profile");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_negative_lifetime_mints_an_already_expired_token() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"user": "admin@acme.test", "lifetime_seconds": -5}))
        .await;
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(first_error(&body), "Token is expired.");
}

#[tokio::test]
async fn the_most_negative_lifetime_is_refused_not_a_crash() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (status, answer) = app
        .control_as(
            Some(&admin),
            Method::POST,
            "/mock/tokens",
            Some(json!({"user": "admin@acme.test", "lifetime_seconds": i64::MIN})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
}

#[tokio::test]
async fn id_and_refresh_tokens_come_with_the_access_token_of_the_same_grant() {
    let app = spawn_app().await;
    let answer = app
        .mint(json!({
            "user": "operator@acme.test",
            "client_id": "acme-dashboard",
            "include": ["id_token", "refresh_token"],
        }))
        .await;
    let access = claims_of(answer["access_token"].as_str().unwrap());
    let id = claims_of(answer["id_token"].as_str().unwrap());
    let refresh = claims_of(answer["refresh_token"].as_str().unwrap());
    assert_eq!(access["scope"], "email offline_access openid profile");
    assert_eq!(id["typ"], "ID");
    assert_eq!(id["aud"], "acme-dashboard");
    assert_eq!(id["email"], "operator@acme.test");
    assert!(id["at_hash"].is_string());
    assert_eq!(refresh["typ"], "Refresh");
    assert_eq!(refresh["aud"], access["iss"]);
    assert_eq!(
        refresh["exp"].as_i64().unwrap() - refresh["iat"].as_i64().unwrap(),
        86_400
    );
    for claims in [&id, &refresh] {
        assert_eq!(claims["sid"], access["sid"]);
        assert_eq!(claims["sub"], access["sub"]);
        assert_eq!(claims["azp"], "acme-dashboard");
    }
    let kid = |t: &str| jsonwebtoken::decode_header(t).unwrap().kid;
    assert_eq!(
        kid(answer["id_token"].as_str().unwrap()),
        kid(answer["access_token"].as_str().unwrap())
    );
    for name in ["access_token", "id_token", "refresh_token"] {
        let introspected = app.introspect(answer[name].as_str().unwrap()).await;
        assert_eq!(introspected["active"], true, "{name}: {introspected}");
    }
}

#[tokio::test]
async fn every_bad_variant_is_refused_at_graphql_and_inactive_at_introspection() {
    let app = spawn_app().await;
    let cases = [
        ("expired", "Token is expired."),
        (
            "wrong_issuer",
            "Incorrect claims: the token issuer is not accepted, please check the issuer.",
        ),
        (
            "wrong_audience",
            "Incorrect claims: the token audience is not accepted, please check the audience.",
        ),
        (
            "bad_signature",
            "Token signature is invalid: it does not verify against the signing key.",
        ),
        ("unknown_kid", "Unable to find appropriate RSA key"),
        (
            "alg_none",
            "Token signing algorithm 'none' is not accepted: tokens must be signed with the realm's key.",
        ),
    ];
    for (variant, message) in cases {
        let token = app
            .minted_access_token(json!({"user": "admin@acme.test", "variant": variant}))
            .await;
        let (status, body) = app.graphql_verdict(&token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{variant}: {body}");
        assert_eq!(body, json!({"errors": [{"message": message}]}), "{variant}");
        assert_eq!(
            app.introspect(&token).await,
            json!({"active": false}),
            "{variant}"
        );
    }
}

#[tokio::test]
async fn the_unknown_kid_is_in_no_jwks_and_alg_none_has_no_signature() {
    let app = spawn_app().await;
    let unknown = app
        .minted_access_token(json!({"user": "admin@acme.test", "variant": "unknown_kid"}))
        .await;
    let kid = jsonwebtoken::decode_header(&unknown).unwrap().kid.unwrap();
    let jwks: Value = app
        .client
        .get(app.url("/realms/api-keys/protocol/openid-connect/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!jwks.to_string().contains(&kid));
    let none = app
        .minted_access_token(json!({"user": "admin@acme.test", "variant": "alg_none"}))
        .await;
    assert!(none.ends_with('.'), "empty signature");
}

#[tokio::test]
async fn bad_mint_requests_say_what_is_wrong() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let cases = [
        (
            json!({"user": "admin@acme.test", "variant": "broken"}),
            400,
            "wrong_issuer",
            "unknown variant",
        ),
        (
            json!({"user": "admin@acme.test", "include": ["access_token"]}),
            400,
            "refresh_token",
            "unknown include",
        ),
        (json!({"scope": "openid"}), 400, "\"user\"", "nobody named"),
        (
            json!({"user": "nobody@acme.test"}),
            404,
            "nobody@acme.test",
            "unknown user",
        ),
        (json!({"client_id": "nope"}), 404, "nope", "unknown client"),
        (
            json!({"user": "admin@acme.test", "scope": "admin"}),
            400,
            "admin",
            "unknown scope",
        ),
        (
            json!({"user": "admin@acme.test", "realm": "nope"}),
            404,
            "nope",
            "unknown realm",
        ),
        (
            json!({"client_id": "acme-spa", "realm": "other"}),
            400,
            "belongs to realm 'api-keys'",
            "client of another realm",
        ),
    ];
    for (body, status, fragment, why) in cases {
        let (got, answer) = app
            .control_as(Some(&admin), Method::POST, "/mock/tokens", Some(body))
            .await;
        assert_eq!(got.as_u16(), status, "{why}: {answer}");
        let description = answer["error_description"].as_str().unwrap_or_default();
        assert!(description.contains(fragment), "{why}: {description}");
    }
}
