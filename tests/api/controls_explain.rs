use crate::helpers::{first_error, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn explain(app: &crate::helpers::TestApp, token: &str) -> Value {
    app.control(Method::POST, "/mock/explain", Some(json!({"token": token})))
        .await
}

#[tokio::test]
async fn a_good_access_token_is_valid_everywhere_but_refresh() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let answer = explain(&app, &token).await;
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["reasons"], json!([]));
    assert_eq!(answer["claims"]["azp"], "acme-admin-key");
    assert_eq!(answer["endpoints"]["graphql"], json!({"accepted": true}));
    assert_eq!(answer["endpoints"]["introspect"], json!({"active": true}));
    assert_eq!(answer["endpoints"]["refresh"]["accepted"], false);
}

#[tokio::test]
async fn an_expired_and_revoked_token_gets_both_reasons_and_the_exact_graphql_message() {
    let app = spawn_app().await;
    let minted = app.mint(json!({"user": "operator@acme.test"})).await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"jti": minted["jti"]})),
    )
    .await;
    app.control(
        Method::POST,
        "/mock/clock",
        Some(json!({"advance_seconds": 3600})),
    )
    .await;
    let answer = explain(&app, minted["access_token"].as_str().unwrap()).await;
    assert_eq!(answer["valid"], false);
    assert_eq!(
        answer["reasons"],
        json!(["token is expired", "token has been revoked"])
    );
    assert_eq!(
        answer["endpoints"]["graphql"],
        json!({"accepted": false, "error": "Token is expired."})
    );
    assert_eq!(answer["endpoints"]["introspect"], json!({"active": false}));
}

#[tokio::test]
async fn a_refresh_token_is_valid_for_refresh_only() {
    let app = spawn_app().await;
    let minted = app
        .mint(json!({"user": "operator@acme.test", "client_id": "acme-dashboard", "include": ["refresh_token"]}))
        .await;
    let answer = explain(&app, minted["refresh_token"].as_str().unwrap()).await;
    assert_eq!(answer["valid"], true, "{answer}");
    assert_eq!(answer["endpoints"]["refresh"], json!({"accepted": true}));
    let (_, body) = app
        .graphql_verdict(minted["refresh_token"].as_str().unwrap())
        .await;
    assert_eq!(
        answer["endpoints"]["graphql"],
        json!({"accepted": false, "error": first_error(&body)}),
        "explain says what /graphql says"
    );
}

#[tokio::test]
async fn a_forged_or_garbled_token_is_explained_not_refused() {
    let app = spawn_app().await;
    let forged = app
        .minted_access_token(json!({"user": "admin@acme.test", "variant": "bad_signature"}))
        .await;
    let answer = explain(&app, &forged).await;
    assert_eq!(answer["valid"], false);
    assert_eq!(
        answer["reasons"],
        json!(["token signature does not verify"])
    );
    assert_eq!(
        answer["claims"]["email"], "admin@acme.test",
        "claims as written"
    );

    let garbage = explain(&app, "not a token").await;
    assert_eq!(garbage["valid"], false);
    assert_eq!(garbage["reasons"], json!(["token is not a JWT"]));
    assert_eq!(garbage["claims"], json!({}));
    assert_eq!(
        garbage["endpoints"]["graphql"]["error"],
        "Unable to parse authentication token"
    );
}
