//! Refresh tokens: only with offline_access, rotated on every use, a reused one revokes its
//! family, and they die with the user.

use crate::flow::{
    Authorize, SPA, browser_like_client, claims, location, operator_tokens, query_param, refresh,
    sign_in, spa_exchange, userinfo,
};
use crate::helpers::{TOKEN_PATH, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn refresh_token(body: &Value) -> String {
    body["refresh_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no refresh_token in {body}"))
        .to_owned()
}

fn assert_invalid_grant(status: StatusCode, body: &Value, why: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {body}");
    assert_eq!(body["error"], "invalid_grant", "{why}: {body}");
}

#[tokio::test]
async fn a_refresh_rotates_the_refresh_token_and_issues_fresh_tokens() {
    let app = spawn_app().await;
    let first = operator_tokens(&app).await;
    assert_eq!(first["refresh_expires_in"], 86400);
    let (status, second) = refresh(&app, SPA, &refresh_token(&first)).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(refresh_token(&second), refresh_token(&first));
    assert_ne!(second["access_token"], first["access_token"]);
    assert!(second["id_token"].is_string(), "openid was granted");
    assert_eq!(second["scope"], first["scope"]);
    let rt = claims(&refresh_token(&second));
    assert_eq!(rt["typ"], "Refresh");
    assert_eq!(
        rt["sid"],
        claims(first["access_token"].as_str().unwrap())["sid"],
        "same family"
    );
    assert_eq!(
        userinfo(&app, second["access_token"].as_str().unwrap())
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_fails_and_revokes_its_family() {
    let app = spawn_app().await;
    let first = operator_tokens(&app).await;
    let (_, second) = refresh(&app, SPA, &refresh_token(&first)).await;

    let (status, body) = refresh(&app, SPA, &refresh_token(&first)).await;
    assert_invalid_grant(status, &body, "reuse");

    let (status, body) = refresh(&app, SPA, &refresh_token(&second)).await;
    assert_invalid_grant(status, &body, "the newest token of the family");
    let newest_access = second["access_token"].as_str().unwrap();
    assert_eq!(
        userinfo(&app, newest_access).await.0,
        401,
        "the family's access tokens too"
    );
}

#[tokio::test]
async fn another_sign_in_of_the_same_user_is_another_family_and_survives_a_reuse() {
    let app = spawn_app().await;
    let victim = operator_tokens(&app).await;
    let other = operator_tokens(&app).await;
    refresh(&app, SPA, &refresh_token(&victim)).await;
    refresh(&app, SPA, &refresh_token(&victim)).await;
    let (status, body) = refresh(&app, SPA, &refresh_token(&other)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn refresh_tokens_come_only_with_offline_access() {
    let app = spawn_app().await;
    let url = Authorize::spa().set("scope", "openid email").url(&app);
    let res = sign_in(
        &browser_like_client(),
        &url,
        "operator@acme.test",
        "operator",
    )
    .await;
    let code = query_param(&location(&res), "code").unwrap();
    let (status, body) = spa_exchange(&app, &code).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["scope"], "email openid");
}

#[tokio::test]
async fn refresh_tokens_of_a_deactivated_user_stop_working() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    sqlx::query("UPDATE users SET active = 0 WHERE email = 'operator@acme.test'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let (status, body) = refresh(&app, SPA, &refresh_token(&tokens)).await;
    assert_invalid_grant(status, &body, "deactivated user");
}

#[tokio::test]
async fn a_refresh_token_presented_by_another_client_is_refused() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth("acme-dashboard", Some("acme-dashboard-secret"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh_token(&tokens)),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_invalid_grant(status, &res.json().await.unwrap(), "another client");
    let (status, body) = refresh(&app, SPA, &refresh_token(&tokens)).await;
    assert_eq!(
        status, 200,
        "the rightful client's token was not burnt: {body}"
    );
}

#[tokio::test]
async fn a_refresh_token_expires_on_the_emulator_clock() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    app.state.clock.advance_seconds(86_400 + 1);
    let (status, body) = refresh(&app, SPA, &refresh_token(&tokens)).await;
    assert_invalid_grant(status, &body, "expired refresh token");
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scope_but_never_widen_it() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    let form = |scope: &'static str, token: String| {
        app.client.post(app.url(TOKEN_PATH)).form(&[
            ("grant_type", "refresh_token".to_owned()),
            ("client_id", SPA.to_owned()),
            ("refresh_token", token),
            ("scope", scope.to_owned()),
        ])
    };
    let narrowed: Value = form("openid", refresh_token(&tokens))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(narrowed["scope"], "openid", "{narrowed}");
    assert!(
        narrowed["refresh_token"].is_string(),
        "the grant keeps offline_access"
    );

    let url = Authorize::spa()
        .set("scope", "openid offline_access")
        .url(&app);
    let res = sign_in(
        &browser_like_client(),
        &url,
        "operator@acme.test",
        "operator",
    )
    .await;
    let code = query_param(&location(&res), "code").unwrap();
    let (_, small) = spa_exchange(&app, &code).await;
    let res = form("openid email", refresh_token(&small))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid_scope", "{body}");
}

#[tokio::test]
async fn refresh_and_id_tokens_are_not_access_tokens_at_graphql_or_userinfo() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    for name in ["refresh_token", "id_token"] {
        let token = tokens[name].as_str().unwrap();
        let (status, body) = app.graphql(token, "{ me { email } }", json!({})).await;
        assert_eq!(status, 401, "{name}");
        assert_eq!(
            body["errors"][0]["message"], "Token is not an access token.",
            "{name}"
        );
        assert_eq!(userinfo(&app, token).await.0, 401, "{name} at userinfo");
    }
    let (status, _) = app
        .graphql(
            tokens["access_token"].as_str().unwrap(),
            "{ me { email } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "the access token works at /graphql");
}

#[tokio::test]
async fn revoking_a_users_tokens_reaches_their_refresh_tokens() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    let sub = claims(tokens["access_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    ion_mock::store::revocations::revoke_all_of(
        &app.state.db,
        "user",
        &sub,
        app.state.clock.real_ms() + 1,
    )
    .await
    .unwrap();
    let (status, body) = refresh(&app, SPA, &refresh_token(&tokens)).await;
    assert_invalid_grant(status, &body, "revoked user");
}
