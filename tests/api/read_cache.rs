//! The in-memory server answers hot reads from a cache until the next committed write: each
//! case here reads the same thing until it is cached, changes it, and expects the change.

use crate::helpers::{first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_token_accepted_many_times_is_refused_right_after_its_user_is_revoked() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"user": "operator@acme.test"}))
        .await;
    for _ in 0..3 {
        assert_eq!(app.graphql_verdict(&token).await.0, StatusCode::OK);
    }
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"user": "operator@acme.test"})),
    )
    .await;
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(first_error(&body), "Token has been revoked.");
}

#[tokio::test]
async fn a_user_seen_active_many_times_is_refused_right_after_deactivation() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let token = app
        .minted_access_token(json!({"user": "operator@acme.test"}))
        .await;
    for _ in 0..3 {
        assert_eq!(app.graphql_verdict(&token).await.0, StatusCode::OK);
    }
    let (_, users) = app
        .graphql(
            &admin,
            "{ users(filters: {email: {eq: \"operator@acme.test\"}}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let id = &users["data"]["users"]["edges"][0]["node"]["id"];
    let (_, updated) = app
        .graphql(
            &admin,
            "mutation($id: Int!) { updateUser(input: {id: $id, active: false}) { user { active } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        updated["data"]["updateUser"]["user"]["active"], false,
        "{updated}"
    );
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(first_error(&body), "User account is deactivated.");
}

#[tokio::test]
async fn any_committed_write_to_the_database_ends_what_was_cached_before_it() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.globex_admin_token().await;
    }
    // Straight to the database, past every API: the commit hook still sees it.
    sqlx::query("UPDATE users SET active = 0 WHERE email = 'admin@globex.test'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let res = app
        .client
        .post(app.url(crate::helpers::TOKEN_PATH))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "globex-admin-key"),
            ("client_secret", "globex-admin-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
