use crate::helpers::{first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn assert_revoked(app: &crate::helpers::TestApp, token: &str, why: &str) {
    let (status, body) = app.graphql_verdict(token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {body}");
    assert_eq!(first_error(&body), "Token has been revoked.", "{why}");
    assert_eq!(
        app.introspect(token).await,
        json!({"active": false}),
        "{why}"
    );
}

async fn assert_accepted(app: &crate::helpers::TestApp, token: &str, why: &str) {
    let (status, body) = app.graphql_verdict(token).await;
    assert_eq!(status, StatusCode::OK, "{why}: {body}");
    assert_eq!(app.introspect(token).await["active"], true, "{why}");
}

#[tokio::test]
async fn each_kind_of_revocation_revokes_its_tokens_and_spares_the_others() {
    let app = spawn_app().await;
    // (revocation, the token it hits, a token it spares)
    let cases: Vec<(Value, Value, Value, &str)> = vec![
        (
            json!({"user": "operator@acme.test"}),
            json!({"user": "operator@acme.test"}),
            json!({"user": "admin@globex.test"}),
            "by user",
        ),
        (
            json!({"client_id": "acme-spa"}),
            json!({"user": "operator@acme.test", "client_id": "acme-spa"}),
            json!({"user": "operator@acme.test", "client_id": "acme-dashboard"}),
            "by client",
        ),
    ];
    for (revocation, hit, spared, why) in cases {
        let hit = app.minted_access_token(hit).await;
        let spared = app.minted_access_token(spared).await;
        let answer = app
            .control(Method::POST, "/mock/revocations", Some(revocation))
            .await;
        assert_eq!(answer["revoked"], true);
        assert_revoked(&app, &hit, why).await;
        assert_accepted(&app, &spared, why).await;
    }
}

#[tokio::test]
async fn revoking_by_jti_or_token_revokes_exactly_that_token() {
    let app = spawn_app().await;
    let one = app.mint(json!({"user": "operator@acme.test"})).await;
    let two = app
        .minted_access_token(json!({"user": "operator@acme.test"}))
        .await;
    let three = app
        .minted_access_token(json!({"user": "operator@acme.test"}))
        .await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"jti": one["jti"]})),
    )
    .await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"token": two})),
    )
    .await;
    assert_revoked(&app, one["access_token"].as_str().unwrap(), "by jti").await;
    assert_revoked(&app, &two, "by token").await;
    assert_accepted(&app, &three, "another token of the same user").await;
}

#[tokio::test]
async fn revoking_a_realm_or_everything_spares_only_later_tokens() {
    let app = spawn_app().await;
    for revocation in [json!({"realm": "api-keys"}), json!({"all": true})] {
        let before = app
            .minted_access_token(json!({"user": "admin@globex.test"}))
            .await;
        let admin = app.acme_admin_token().await;
        let (status, _) = app
            .control_as(
                Some(&admin),
                Method::POST,
                "/mock/revocations",
                Some(revocation.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_revoked(&app, &before, &revocation.to_string()).await;
        let after = app
            .minted_access_token(json!({"user": "admin@globex.test"}))
            .await;
        assert_accepted(&app, &after, "issued after the revocation").await;
    }
}

#[tokio::test]
async fn a_revoked_refresh_token_is_inactive_at_introspection() {
    let app = spawn_app().await;
    let answer = app
        .mint(json!({"user": "operator@acme.test", "client_id": "acme-dashboard", "include": ["refresh_token"]}))
        .await;
    let refresh = answer["refresh_token"].as_str().unwrap();
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"token": refresh})),
    )
    .await;
    assert_eq!(app.introspect(refresh).await, json!({"active": false}));
}

#[tokio::test]
async fn a_revocation_must_name_exactly_one_known_thing() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let cases = [
        (json!({}), 400, "nothing"),
        (
            json!({"user": "admin@acme.test", "realm": "api-keys"}),
            400,
            "two things",
        ),
        (json!({"all": false}), 400, "all false"),
        (json!({"token": "garbage"}), 400, "unreadable token"),
        (json!({"user": "ghost@acme.test"}), 404, "unknown user"),
        (json!({"client_id": "ghost"}), 404, "unknown client"),
        (json!({"realm": "ghost"}), 404, "unknown realm"),
    ];
    for (body, status, why) in cases {
        let (got, answer) = app
            .control_as(Some(&admin), Method::POST, "/mock/revocations", Some(body))
            .await;
        assert_eq!(got.as_u16(), status, "{why}: {answer}");
    }
    let (status, _) = app.graphql_verdict(&admin).await;
    assert_eq!(status, StatusCode::OK, "nothing was revoked");
}
