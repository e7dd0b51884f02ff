use crate::controls_support::REVOKE_PATH;
use crate::helpers::{first_error, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_revoked_access_token_is_refused_everywhere() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let spared = app.acme_admin_token().await;
    let res = app
        .client
        .post(app.url(REVOKE_PATH))
        .basic_auth("acme-dashboard", Some("acme-dashboard-secret"))
        .form(&[
            ("token", token.as_str()),
            ("token_type_hint", "access_token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.introspect(&token).await, json!({"active": false}));
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(first_error(&body), "Token has been revoked.");
    assert_eq!(app.graphql_verdict(&spared).await.0, StatusCode::OK);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_its_grant() {
    let app = spawn_app().await;
    let minted = app
        .mint(json!({"user": "operator@acme.test", "client_id": "acme-spa", "include": ["refresh_token"]}))
        .await;
    let res = app
        .client
        .post(app.url(REVOKE_PATH))
        .form(&[
            ("token", minted["refresh_token"].as_str().unwrap()),
            ("client_id", "acme-spa"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a public client names itself");
    for name in ["refresh_token", "access_token"] {
        let token = minted[name].as_str().unwrap();
        assert_eq!(
            app.introspect(token).await,
            json!({"active": false}),
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_tokens_get_200_and_bad_clients_get_401() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url(REVOKE_PATH))
        .basic_auth("acme-dashboard", Some("acme-dashboard-secret"))
        .form(&[("token", "no-such-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .client
        .post(app.url(REVOKE_PATH))
        .basic_auth("acme-dashboard", Some("wrong"))
        .form(&[("token", "no-such-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
