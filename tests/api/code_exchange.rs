//! The authorization code at the token endpoint: single use, short-lived, and bound to its
//! client, redirect URI and PKCE challenge.

use crate::flow::{
    Authorize, DASHBOARD, DASHBOARD_CALLBACK, DASHBOARD_SECRET, SPA, SPA_CALLBACK, VERIFIER,
    browser_like_client, exchange, location, query_param, refresh, register_app, sign_in, spa_code,
    spa_exchange, userinfo,
};
use crate::helpers::{TOKEN_PATH, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub fn assert_oauth_error(status: StatusCode, body: &Value, code: &str, why: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {body}");
    assert_eq!(body["error"], code, "{why}: {body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{why}"
    );
}

pub async fn dashboard_code(app: &TestApp) -> String {
    let res = sign_in(
        &browser_like_client(),
        &Authorize::dashboard().url(app),
        "admin@acme.test",
        "admin",
    )
    .await;
    query_param(&location(&res), "code").unwrap()
}

#[tokio::test]
async fn a_replayed_code_fails_and_revokes_every_token_issued_from_it() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let (status, tokens) = spa_exchange(&app, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        userinfo(&app, access).await.0,
        200,
        "works before the replay"
    );

    let (status, body) = spa_exchange(&app, &code).await;
    assert_oauth_error(status, &body, "invalid_grant", "replay");

    assert_eq!(
        userinfo(&app, access).await.0,
        401,
        "the access token is revoked"
    );
    let (status, _) = app.graphql(access, "{ me { email } }", json!({})).await;
    assert_eq!(status, 401, "and refused at /graphql");
    let (status, body) = refresh(&app, SPA, tokens["refresh_token"].as_str().unwrap()).await;
    assert_oauth_error(
        status,
        &body,
        "invalid_grant",
        "the refresh token is revoked",
    );
}

#[tokio::test]
async fn of_concurrent_exchanges_of_one_code_exactly_one_succeeds() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let attempts = futures_util::future::join_all((0..6).map(|_| spa_exchange(&app, &code))).await;
    let successes = attempts
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .count();
    assert_eq!(successes, 1, "{attempts:?}");
    for (status, body) in attempts.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_oauth_error(*status, body, "invalid_grant", "the losers");
    }
}

#[tokio::test]
async fn a_code_presented_by_another_client_is_invalid_grant() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth(DASHBOARD, Some(DASHBOARD_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", SPA_CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_oauth_error(
        status,
        &res.json().await.unwrap(),
        "invalid_grant",
        "wrong client",
    );
}

#[tokio::test]
async fn a_code_presented_by_another_orgs_client_is_invalid_grant() {
    let app = spawn_app().await;
    let globex = register_app(
        &app,
        &app.globex_admin_token().await,
        "spa",
        &[(SPA_CALLBACK, "callback")],
    )
    .await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", &globex.client_id),
            ("code", &code),
            ("redirect_uri", SPA_CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "invalid_grant", "cross-org exchange");
}

#[tokio::test]
async fn a_code_expires_after_60_seconds_on_the_emulator_clock() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    app.state.clock.advance_seconds(61);
    let (status, body) = spa_exchange(&app, &code).await;
    assert_oauth_error(status, &body, "invalid_grant", "expired code");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn the_redirect_uri_must_be_the_one_of_the_authorization_request() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", SPA),
            ("code", &code),
            ("redirect_uri", "http://localhost:5173/other"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "invalid_grant", "other redirect_uri");

    let code = spa_code(&app, "operator@acme.test", "operator").await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", SPA),
            ("code", &code),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "invalid_request", "missing redirect_uri");
}

#[tokio::test]
async fn an_unknown_code_is_invalid_grant() {
    let app = spawn_app().await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", SPA),
            ("code", "made-up"),
            ("redirect_uri", SPA_CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "invalid_grant", "unknown code");
}

#[tokio::test]
async fn a_confidential_client_authenticates_by_basic_or_post() {
    let app = spawn_app().await;
    let code = dashboard_code(&app).await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth(DASHBOARD, Some(DASHBOARD_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", DASHBOARD_CALLBACK),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "basic");

    let code = dashboard_code(&app).await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", DASHBOARD),
            ("client_secret", DASHBOARD_SECRET),
            ("code", &code),
            ("redirect_uri", DASHBOARD_CALLBACK),
        ],
    )
    .await;
    assert_eq!(status, 200, "post: {body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
}

#[tokio::test]
async fn bad_client_authentication_at_the_code_exchange_is_keycloaks_401() {
    let app = spawn_app().await;
    let code = dashboard_code(&app).await;
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("client_id", DASHBOARD), ("client_secret", "wrong")],
            "wrong secret",
        ),
        (
            &[("client_id", DASHBOARD)],
            "confidential client without a secret",
        ),
        (
            &[("client_id", SPA), ("client_secret", "anything")],
            "public client with a secret",
        ),
    ];
    for (auth, why) in cases {
        let mut form = vec![
            ("code", code.as_str()),
            ("redirect_uri", DASHBOARD_CALLBACK),
        ];
        form.extend_from_slice(auth);
        let (status, body) = exchange(&app, &form).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {body}");
        assert_eq!(body["error"], "unauthorized_client", "{why}");
    }
}

#[tokio::test]
async fn api_keys_may_not_use_the_authorization_code_grant() {
    let app = spawn_app().await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", "acme-admin-key"),
            ("client_secret", "acme-admin-secret"),
            ("code", "x"),
            ("redirect_uri", SPA_CALLBACK),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "unauthorized_client", "API key");
}

#[tokio::test]
async fn code_exchanges_are_recorded_as_events() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;
    spa_exchange(&app, &code).await;
    spa_exchange(&app, &code).await;
    let events = app.state.events.recent(Some(SPA), None, 10);
    let kinds: Vec<String> = events.iter().map(|e| format!("{:?}", e.kind)).collect();
    assert_eq!(kinds[..3], ["Rejected", "Revoked", "Issued"], "{events:?}");
    assert!(
        events[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("already used"))
    );
}
