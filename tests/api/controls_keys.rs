use crate::helpers::{first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn jwks_kids(app: &crate::helpers::TestApp) -> Vec<String> {
    let jwks: Value = app
        .client
        .get(app.url("/realms/api-keys/protocol/openid-connect/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

#[tokio::test]
async fn a_rotated_key_signs_while_the_old_one_stays_until_retired() {
    let app = spawn_app().await;
    let old_token = app.acme_admin_token().await;
    let old_kid = kid(&old_token);

    let rotated = app.control(Method::POST, "/mock/keys/rotate", None).await;
    let new_kid = rotated["kid"].as_str().unwrap().to_owned();
    assert_ne!(new_kid, old_kid);
    assert_eq!(
        jwks_kids(&app).await,
        vec![new_kid.clone(), old_kid.clone()]
    );
    let new_token = app.acme_admin_token().await;
    assert_eq!(kid(&new_token), new_kid);
    assert_eq!(app.graphql_verdict(&old_token).await.0, StatusCode::OK);

    let retired = app
        .control(
            Method::POST,
            "/mock/keys/retire",
            Some(json!({"realm": "api-keys"})),
        )
        .await;
    assert_eq!(retired["retired"], json!([old_kid]));
    assert_eq!(jwks_kids(&app).await, vec![new_kid]);
    let (status, body) = app.graphql_verdict(&old_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(first_error(&body), "Unable to find appropriate RSA key");
    assert_eq!(app.introspect(&old_token).await, json!({"active": false}));
    assert_eq!(app.graphql_verdict(&new_token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn rotating_with_retire_previous_drops_the_old_keys_at_once() {
    let app = spawn_app().await;
    let old_token = app.acme_admin_token().await;
    let answer = app
        .control(
            Method::POST,
            "/mock/keys/rotate",
            Some(json!({"retire_previous": true})),
        )
        .await;
    assert_eq!(answer["retired"], json!([kid(&old_token)]));
    assert_eq!(
        jwks_kids(&app).await,
        vec![answer["kid"].as_str().unwrap().to_owned()]
    );
    let (_, body) = app.graphql_verdict(&old_token).await;
    assert_eq!(first_error(&body), "Unable to find appropriate RSA key");
}

#[tokio::test]
async fn rotating_an_unknown_realm_is_a_404() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (status, _) = app
        .control_as(
            Some(&admin),
            Method::POST,
            "/mock/keys/rotate",
            Some(json!({"realm": "nope"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
