//! OIDC userinfo: who the access token's user is, per the token's scopes.

use crate::flow::{
    Authorize, USERINFO_PATH, browser_like_client, location, operator_tokens, query_param, sign_in,
    spa_exchange, userinfo,
};
use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn userinfo_answers_get_and_post_with_the_claims_of_the_scopes() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    let access = tokens["access_token"].as_str().unwrap();
    let (status, body) = userinfo(&app, access).await;
    assert_eq!(status, 200, "{body}");
    let sub = body["sub"].as_str().unwrap().to_owned();
    assert_eq!(
        body,
        json!({"sub": sub, "name": "Acme Operator", "preferred_username": "operator@acme.test",
               "email": "operator@acme.test", "email_verified": true})
    );
    let posted = app
        .client
        .post(app.url(USERINFO_PATH))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    let form = app
        .client
        .post(app.url(USERINFO_PATH))
        .form(&[("access_token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200, "RFC 6750 form parameter");
    let legacy = app
        .client
        .get(app.url(&format!("/auth{USERINFO_PATH}")))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200, "under /auth too");
}

#[tokio::test]
async fn userinfo_leaves_out_claims_of_scopes_not_granted() {
    let app = spawn_app().await;
    let url = Authorize::spa().set("scope", "openid email").url(&app);
    let res = sign_in(
        &browser_like_client(),
        &url,
        "operator@acme.test",
        "operator",
    )
    .await;
    let (_, tokens) = spa_exchange(&app, &query_param(&location(&res), "code").unwrap()).await;
    let (_, body) = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(body["email"], "operator@acme.test");
    assert!(body.get("name").is_none(), "no profile scope: {body}");
}

#[tokio::test]
async fn userinfo_refuses_missing_bad_and_non_openid_tokens_with_rfc_6750_errors() {
    let app = spawn_app().await;
    let res = app.client.get(app.url(USERINFO_PATH)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let res = app
        .client
        .get(app.url(USERINFO_PATH))
        .bearer_auth("not-a-jwt")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");

    // An API key's client-credentials token has no openid scope.
    let key_token = app.acme_admin_token().await;
    let res = app
        .client
        .get(app.url(USERINFO_PATH))
        .bearer_auth(&key_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "insufficient_scope");
}

#[tokio::test]
async fn userinfo_refuses_an_expired_access_token() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    app.state.clock.advance_seconds(3600);
    let (status, body) = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 401, "{body}");
}
