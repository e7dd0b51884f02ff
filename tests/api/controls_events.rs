use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn kinds(events: &Value) -> Vec<&str> {
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn events_tell_issued_revoked_and_rejected_newest_first() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"client_id": "acme-admin-key"})),
    )
    .await;
    app.graphql_verdict(&token).await;

    let events = app
        .control(Method::GET, "/mock/events?client_id=acme-admin-key", None)
        .await;
    assert_eq!(kinds(&events), ["rejected", "revoked", "issued"]);
    let rejected = &events["events"][0];
    assert_eq!(rejected["reason"], "Token has been revoked.");
    assert_eq!(rejected["user"], "admin@acme.test");
    assert_eq!(rejected["realm"], "api-keys");
    assert!(rejected["jti"].is_string());
    assert!(rejected["at"].is_i64());
    let issued = &events["events"][2];
    assert_eq!(issued["jti"], rejected["jti"]);
}

#[tokio::test]
async fn events_filter_by_user_and_limit() {
    let app = spawn_app().await;
    app.acme_admin_token().await;
    app.globex_admin_token().await;
    app.globex_admin_token().await;
    let globex = app
        .control(Method::GET, "/mock/events?user=admin@globex.test", None)
        .await;
    assert_eq!(kinds(&globex), ["issued", "issued"]);
    let limited = app
        .control(Method::GET, "/mock/events?client_id=&user=&limit=1", None)
        .await;
    assert_eq!(limited["events"].as_array().unwrap().len(), 1);
    assert_eq!(limited["events"][0]["client_id"], "globex-admin-key");
}

#[tokio::test]
async fn minted_tokens_and_introspection_refusals_are_logged() {
    let app = spawn_app().await;
    let minted = app
        .mint(json!({"user": "operator@acme.test", "variant": "expired"}))
        .await;
    app.introspect(minted["access_token"].as_str().unwrap())
        .await;
    let events = app
        .control(Method::GET, "/mock/events?user=operator@acme.test", None)
        .await;
    assert_eq!(kinds(&events), ["rejected", "issued"]);
    assert_eq!(events["events"][0]["reason"], "token is expired");
    assert_eq!(
        events["events"][1]["reason"],
        "minted by /mock/tokens (expired)"
    );
    assert_eq!(events["events"][1]["jti"], minted["jti"]);
}

#[tokio::test]
async fn a_bad_limit_is_a_400_and_delete_empties_the_log() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (status, _) = app
        .control_as(Some(&admin), Method::GET, "/mock/events?limit=many", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.control(Method::DELETE, "/mock/events", None).await;
    assert_eq!(
        app.control(Method::GET, "/mock/events", None).await["events"],
        json!([])
    );
}
