//! Logout: ends the session, and goes back only to a registered logout URI.

use crate::flow::{
    Authorize, DASHBOARD, LOGOUT_PATH, SPA, assert_error_page, browser_like_client, location,
    operator_tokens, query_param, refresh, sign_in, spa_exchange,
};
use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn logout_with_a_registered_uri_redirects_there_with_the_state_and_ends_the_session() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    location(
        &sign_in(
            &browser,
            &Authorize::dashboard().url(&app),
            "admin@acme.test",
            "admin",
        )
        .await,
    );

    let res = browser
        .get(app.url(LOGOUT_PATH))
        .query(&[
            ("client_id", DASHBOARD),
            ("post_logout_redirect_uri", "http://localhost:3000/"),
            ("state", "bye"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res).as_str(), "http://localhost:3000/?state=bye");
    let cleared = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("ION_MOCK_SESSION=;"), "{cleared}");

    let again = browser
        .get(Authorize::dashboard().set("prompt", "none").url(&app))
        .send()
        .await
        .unwrap();
    assert_eq!(
        query_param(&location(&again), "error").as_deref(),
        Some("login_required")
    );
}

#[tokio::test]
async fn logout_with_an_id_token_hint_ends_that_sign_in_and_revokes_its_tokens() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    let res = sign_in(
        &browser,
        &Authorize::spa().url(&app),
        "operator@acme.test",
        "operator",
    )
    .await;
    let (_, tokens) = spa_exchange(&app, &query_param(&location(&res), "code").unwrap()).await;

    // No cookie here: the hint alone names the sign-in (a back-end may log users out).
    let res = app
        .client
        .get(app.url(LOGOUT_PATH))
        .query(&[("id_token_hint", tokens["id_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("signed out"));

    let (status, body) = refresh(&app, SPA, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    let silent = browser
        .get(Authorize::spa().set("prompt", "none").url(&app))
        .send()
        .await
        .unwrap();
    assert_eq!(
        query_param(&location(&silent), "error").as_deref(),
        Some("login_required")
    );
}

#[tokio::test]
async fn logout_never_redirects_to_an_unregistered_uri() {
    let app = spawn_app().await;
    let tokens = operator_tokens(&app).await;
    let hint = tokens["id_token"].as_str().unwrap();
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[
                ("client_id", DASHBOARD),
                ("post_logout_redirect_uri", "http://localhost:3000"),
            ],
            "no trailing slash",
        ),
        (
            &[
                ("client_id", DASHBOARD),
                ("post_logout_redirect_uri", "http://localhost:3000/callback"),
            ],
            "a callback, not a logout URI",
        ),
        (
            &[
                ("client_id", DASHBOARD),
                ("post_logout_redirect_uri", "https://evil.test/"),
            ],
            "another site",
        ),
        (
            &[("post_logout_redirect_uri", "http://localhost:3000/")],
            "no client named",
        ),
        (
            &[
                ("id_token_hint", hint),
                ("post_logout_redirect_uri", "http://localhost:3000/"),
            ],
            "the SPA has no logout URI",
        ),
        (
            &[("id_token_hint", hint), ("client_id", DASHBOARD)],
            "hint and client_id disagree",
        ),
        (
            &[
                ("id_token_hint", "not.a.token"),
                ("post_logout_redirect_uri", "http://localhost:3000/"),
            ],
            "bad hint",
        ),
    ];
    for (query, why) in cases {
        let res = app
            .client
            .get(app.url(LOGOUT_PATH))
            .query(query)
            .send()
            .await
            .unwrap();
        assert_error_page(res, why).await;
    }
}

#[tokio::test]
async fn logout_without_a_redirect_uri_shows_the_signed_out_page() {
    let app = spawn_app().await;
    let res = app.client.get(app.url(LOGOUT_PATH)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("You are signed out"));
}
