use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::json;

const APPS: &str = "{ oauthApps { clientId } }";

#[tokio::test]
async fn reset_restores_the_fixtures_without_a_restart() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    // Change everything reset is meant to undo.
    let (_, registered) = app
        .graphql(
            &admin,
            r#"mutation { registerOauthApp(name: "Temp", appType: "spa") { oauthApp { clientId } } }"#,
            json!({}),
        )
        .await;
    assert!(
        registered["data"]["registerOauthApp"].is_object(),
        "{registered}"
    );
    app.control(
        Method::POST,
        "/mock/realms",
        Some(json!({"name": "scratch"})),
    )
    .await;
    app.control(
        Method::PATCH,
        "/mock/realms/api-keys",
        Some(json!({"client_token_lifetime": 60})),
    )
    .await;
    app.control(
        Method::POST,
        "/mock/faults",
        Some(json!({"endpoint": "certs", "status": 503})),
    )
    .await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"user": "admin@acme.test"})),
    )
    .await;
    app.control(
        Method::POST,
        "/mock/clock",
        Some(json!({"advance_seconds": 30})),
    )
    .await;

    let answer = app.control(Method::POST, "/mock/reset", None).await;
    assert_eq!(answer["realms_deleted"], json!(["scratch"]));

    let clock = app.control(Method::GET, "/mock/clock", None).await;
    assert_eq!(clock["offset_seconds"], 0);
    assert_eq!(
        app.control(Method::GET, "/mock/faults", None).await["faults"],
        json!([])
    );
    let discovery = app
        .client
        .get(app.url("/realms/scratch/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        discovery.status(),
        StatusCode::NOT_FOUND,
        "throwaway realm gone"
    );
    let fresh = app.acme_admin_token().await;
    let claims = app.introspect(&fresh).await;
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
    let (status, apps) = app.graphql(&fresh, APPS, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{apps}");
    assert_eq!(
        apps["data"]["oauthApps"],
        json!([{"clientId": "acme-dashboard"}, {"clientId": "acme-spa"}])
    );
}

#[tokio::test]
async fn tokens_of_fixture_users_outlive_a_reset_unless_they_were_revoked_after_it() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"all": true})),
    )
    .await;
    assert_eq!(
        app.graphql_verdict(&admin).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.control(Method::POST, "/mock/reset", None).await;
    let (status, body) = app.graphql_verdict(&admin).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "revocations are gone, the subject kept: {body}"
    );
    assert_eq!(body["data"]["me"]["email"], "admin@acme.test");
}

#[tokio::test]
async fn reset_empties_the_event_log() {
    let app = spawn_app().await;
    app.acme_admin_token().await;
    app.control(Method::POST, "/mock/reset", None).await;
    let events = app.control(Method::GET, "/mock/events", None).await;
    assert_eq!(events["events"], json!([]));
}
