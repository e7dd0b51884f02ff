use crate::helpers::{TestApp, first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let res = app.client.get(app.url(path)).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn client_credentials(app: &TestApp, realm: &str, id: &str, secret: &str) -> Value {
    let res = app
        .client
        .post(app.url(&format!("/realms/{realm}/protocol/openid-connect/token")))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_throwaway_realm_has_its_own_issuer_and_keys() {
    let app = spawn_app().await;
    let created = app
        .control(
            Method::POST,
            "/mock/realms",
            Some(json!({"name": "suite-a"})),
        )
        .await;
    let issuer = format!("{}/realms/suite-a", app.address);
    assert_eq!(created["issuer"], issuer);
    assert_eq!(created["throwaway"], true);
    let (status, discovery) = get(&app, "/realms/suite-a/.well-known/openid-configuration").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(discovery["issuer"], issuer);
    let (_, own) = get(&app, "/realms/suite-a/protocol/openid-connect/certs").await;
    let (_, default) = get(&app, "/realms/api-keys/protocol/openid-connect/certs").await;
    assert_eq!(own["keys"].as_array().unwrap().len(), 1);
    assert_ne!(own["keys"][0]["kid"], default["keys"][0]["kid"]);
}

#[tokio::test]
async fn a_token_minted_in_a_throwaway_realm_works_there_and_registers_apps_there() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/realms",
        Some(json!({"name": "suite-b"})),
    )
    .await;
    let token = app
        .minted_access_token(json!({"realm": "suite-b", "user": "admin@acme.test"}))
        .await;
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, registered) = app
        .graphql(
            &token,
            r#"mutation { registerOauthApp(name: "Suite B", appType: "non_interactive") {
                oauthApp { clientId clientSecret issuer tokenEndpoint } } }"#,
            json!({}),
        )
        .await;
    let oauth_app = &registered["data"]["registerOauthApp"]["oauthApp"];
    assert_eq!(
        oauth_app["issuer"],
        format!("{}/realms/suite-b", app.address)
    );
    let issued = client_credentials(
        &app,
        "suite-b",
        oauth_app["clientId"].as_str().unwrap(),
        oauth_app["clientSecret"].as_str().unwrap(),
    )
    .await;
    let access = issued["access_token"].as_str().unwrap();
    let claims = app
        .control(
            Method::POST,
            "/mock/explain",
            Some(json!({"token": access})),
        )
        .await;
    assert_eq!(claims["realm"], "suite-b");
    assert_eq!(
        claims["claims"]["iss"],
        format!("{}/realms/suite-b", app.address)
    );
    assert_eq!(
        app.introspect(access).await,
        json!({"active": false}),
        "another realm's token is foreign to api-keys"
    );
}

#[tokio::test]
async fn deleting_a_throwaway_realm_takes_its_keys_and_tokens_with_it() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/realms",
        Some(json!({"name": "suite-c"})),
    )
    .await;
    let token = app
        .minted_access_token(json!({"realm": "suite-c", "user": "admin@acme.test"}))
        .await;
    let answer = app
        .control(Method::DELETE, "/mock/realms/suite-c", None)
        .await;
    assert_eq!(answer["deleted"], true);
    let (status, body) = get(&app, "/realms/suite-c/.well-known/openid-configuration").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "Realm does not exist"}));
    let (_, body) = app.graphql_verdict(&token).await;
    assert_eq!(first_error(&body), "Unable to find appropriate RSA key");
}

#[tokio::test]
async fn realm_requests_that_cannot_be_done_say_why() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    app.control(Method::POST, "/mock/realms", Some(json!({"name": "taken"})))
        .await;
    let cases = [
        (
            Method::POST,
            "/mock/realms",
            Some(json!({"name": "taken"})),
            409,
            "duplicate",
        ),
        (
            Method::POST,
            "/mock/realms",
            Some(json!({"name": "a b"})),
            400,
            "bad name",
        ),
        (
            Method::POST,
            "/mock/realms",
            Some(json!({"name": "x", "algorithm": "HS256"})),
            400,
            "bad algorithm",
        ),
        (
            Method::DELETE,
            "/mock/realms/api-keys",
            None,
            409,
            "a fixture realm",
        ),
        (
            Method::DELETE,
            "/mock/realms/ghost",
            None,
            404,
            "unknown realm",
        ),
        (
            Method::PATCH,
            "/mock/realms/api-keys",
            Some(json!({"user_token_lifetime": 0})),
            400,
            "zero lifetime",
        ),
        (
            Method::PATCH,
            "/mock/realms/api-keys",
            Some(json!({"allowed_scopes": "openid admin"})),
            400,
            "unknown scope",
        ),
        (
            Method::PATCH,
            "/mock/apps/ghost",
            Some(json!({"access_token_lifetime": 5})),
            404,
            "unknown app",
        ),
    ];
    for (method, path, body, status, why) in cases {
        let (got, answer) = app.control_as(Some(&admin), method, path, body).await;
        assert_eq!(got.as_u16(), status, "{why}: {answer}");
    }
}

#[tokio::test]
async fn realm_lifetimes_and_audience_apply_to_the_tokens_issued_next() {
    let app = spawn_app().await;
    let before = app.acme_admin_token().await;
    let patched = app
        .control(
            Method::PATCH,
            "/mock/realms/api-keys",
            Some(json!({"client_token_lifetime": 120, "audience": "ion-api"})),
        )
        .await;
    assert_eq!(patched["client_token_lifetime"], 120);
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["expires_in"], 120);
    let after = issued["access_token"].as_str().unwrap();
    assert_eq!(app.graphql_verdict(after).await.0, StatusCode::OK);
    let (_, body) = app.graphql_verdict(&before).await;
    assert_eq!(
        first_error(&body),
        "Incorrect claims: the token audience is not accepted, please check the audience."
    );
}

#[tokio::test]
async fn an_app_lifetime_overrides_the_realm_until_set_back_to_null() {
    let app = spawn_app().await;
    let patched = app
        .control(
            Method::PATCH,
            "/mock/apps/acme-admin-key",
            Some(json!({"access_token_lifetime": 30})),
        )
        .await;
    assert_eq!(patched["access_token_lifetime"], 30);
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["expires_in"], 30);
    let other =
        client_credentials(&app, "api-keys", "globex-admin-key", "globex-admin-secret").await;
    assert_eq!(
        other["expires_in"], 300,
        "other apps keep the realm's lifetime"
    );
    app.control(
        Method::PATCH,
        "/mock/apps/acme-admin-key",
        Some(json!({"access_token_lifetime": null})),
    )
    .await;
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["expires_in"], 300);
}

#[tokio::test]
async fn allowed_scopes_of_the_realm_and_the_app_both_narrow_what_is_granted() {
    let app = spawn_app().await;
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["scope"], "email profile");
    app.control(
        Method::PATCH,
        "/mock/apps/acme-admin-key",
        Some(json!({"allowed_scopes": "openid email"})),
    )
    .await;
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["scope"], "email");
    app.control(
        Method::PATCH,
        "/mock/realms/api-keys",
        Some(json!({"allowed_scopes": "profile"})),
    )
    .await;
    let issued = client_credentials(&app, "api-keys", "acme-admin-key", "acme-admin-secret").await;
    assert_eq!(issued["scope"], "");
    let other =
        client_credentials(&app, "api-keys", "globex-admin-key", "globex-admin-secret").await;
    assert_eq!(other["scope"], "profile");
    let minted = app.mint(json!({"client_id": "globex-admin-key"})).await;
    assert_eq!(
        minted["scope"], "profile",
        "minting defaults follow the restrictions too"
    );
}
