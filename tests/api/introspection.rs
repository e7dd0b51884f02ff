use crate::controls_support::INTROSPECT_PATH;
use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn an_active_token_is_described_with_its_claims() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let answer = app.introspect(&token).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["client_id"], "acme-admin-key");
    assert_eq!(answer["username"], "admin@acme.test");
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["iss"], app.issuer());
    assert!(answer["exp"].is_i64() && answer["jti"].is_string());
}

#[tokio::test]
async fn unknown_garbled_and_foreign_tokens_are_just_inactive() {
    let app = spawn_app().await;
    let other = spawn_app().await;
    let foreign = other.acme_admin_token().await;
    for (token, why) in [
        ("nothing-like-a-jwt", "garbage"),
        (foreign.as_str(), "another server"),
    ] {
        assert_eq!(
            app.introspect(token).await,
            json!({"active": false}),
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_deactivated_users_token_is_inactive() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"user": "disabled@acme.test"}))
        .await;
    assert_eq!(app.introspect(&token).await, json!({"active": false}));
}

#[tokio::test]
async fn introspection_needs_an_authenticated_confidential_client() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    type Form<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (
            vec![("token", &token)],
            StatusCode::BAD_REQUEST,
            "no client",
        ),
        (
            vec![
                ("token", &token),
                ("client_id", "acme-dashboard"),
                ("client_secret", "wrong"),
            ],
            StatusCode::UNAUTHORIZED,
            "wrong secret",
        ),
        (
            vec![("token", &token), ("client_id", "acme-spa")],
            StatusCode::UNAUTHORIZED,
            "public client",
        ),
        (
            vec![
                ("client_id", "acme-dashboard"),
                ("client_secret", "acme-dashboard-secret"),
            ],
            StatusCode::BAD_REQUEST,
            "no token",
        ),
    ];
    for (form, status, why) in cases {
        let res = app
            .client
            .post(app.url(INTROSPECT_PATH))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{why}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"].is_string(), "{why}: {body}");
    }
}

#[tokio::test]
async fn an_api_key_may_introspect_with_post_credentials() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let res = app
        .client
        .post(app.url(INTROSPECT_PATH))
        .form(&[
            ("token", token.as_str()),
            ("client_id", "globex-admin-key"),
            ("client_secret", "globex-admin-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["active"], true);
}
