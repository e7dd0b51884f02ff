//! The sign-in session: a second authorization skips the form; `prompt` overrides that.

use crate::flow::{
    Authorize, DASHBOARD_CALLBACK, SPA_CALLBACK, browser_like_client, location, query_param,
    register_app, sign_in,
};
use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn a_session_lets_a_second_authorize_skip_the_form() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    let first = sign_in(
        &browser,
        &Authorize::spa().url(&app),
        "operator@acme.test",
        "operator",
    )
    .await;
    location(&first);

    let again = browser
        .get(Authorize::dashboard().set("state", "second").url(&app))
        .send()
        .await
        .unwrap();
    let back = location(&again);
    assert!(back.as_str().starts_with(DASHBOARD_CALLBACK), "{back}");
    assert_eq!(query_param(&back, "state").as_deref(), Some("second"));
    assert!(query_param(&back, "code").is_some());
}

#[tokio::test]
async fn prompt_login_shows_the_form_even_with_a_session() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    location(
        &sign_in(
            &browser,
            &Authorize::spa().url(&app),
            "operator@acme.test",
            "operator",
        )
        .await,
    );
    let res = browser
        .get(Authorize::spa().set("prompt", "login").url(&app))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(r#"name="password""#));
}

#[tokio::test]
async fn prompt_none_without_a_session_answers_login_required_at_the_callback() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(Authorize::spa().set("prompt", "none").url(&app))
        .send()
        .await
        .unwrap();
    let back = location(&res);
    assert!(back.as_str().starts_with(SPA_CALLBACK));
    assert_eq!(
        query_param(&back, "error").as_deref(),
        Some("login_required")
    );
    assert_eq!(query_param(&back, "state").as_deref(), Some("st-123"));
    assert!(query_param(&back, "code").is_none());
}

#[tokio::test]
async fn prompt_none_with_a_session_returns_a_code_silently() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    location(
        &sign_in(
            &browser,
            &Authorize::spa().url(&app),
            "operator@acme.test",
            "operator",
        )
        .await,
    );
    let res = browser
        .get(Authorize::spa().set("prompt", "none").url(&app))
        .send()
        .await
        .unwrap();
    assert!(query_param(&location(&res), "code").is_some());
}

#[tokio::test]
async fn a_session_of_one_org_does_not_sign_in_to_another_orgs_app() {
    let app = spawn_app().await;
    let globex = register_app(
        &app,
        &app.globex_admin_token().await,
        "spa",
        &[("http://localhost:4000/callback", "callback")],
    )
    .await;
    let browser = browser_like_client();
    let globex_login = Authorize::spa()
        .set("client_id", &globex.client_id)
        .set("redirect_uri", "http://localhost:4000/callback")
        .url(&app);
    let signed_in = sign_in(&browser, &globex_login, "admin@globex.test", "admin").await;
    assert!(
        query_param(&location(&signed_in), "code").is_some(),
        "signed in to Globex's app"
    );

    let acme = browser
        .get(Authorize::spa().url(&app))
        .send()
        .await
        .unwrap();
    assert_eq!(
        acme.status(),
        StatusCode::OK,
        "the form, not a code for Acme's app"
    );
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
