//! The login page and the sign-in session.

use crate::flow::{
    AUTH_PATH, Authorize, DASHBOARD_CALLBACK, SPA_CALLBACK, browser_like_client, form_action,
    location, query_param, sign_in, spa_exchange,
};
use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn the_login_page_is_a_plain_html_form_naming_the_app() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(Authorize::spa().url(&app))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("Acme SPA"), "names the app");
    assert!(html.contains(r#"method="post""#), "a POST form");
    assert!(html.contains(r#"name="username""#) && html.contains(r#"name="password""#));
    assert!(!html.contains("<script"), "needs no JavaScript");
}

#[tokio::test]
async fn a_correct_password_redirects_to_the_callback_with_a_code_and_the_state() {
    let app = spawn_app().await;
    let res = sign_in(
        &browser_like_client(),
        &Authorize::spa().url(&app),
        "operator@acme.test",
        "operator",
    )
    .await;
    let back = location(&res);
    assert_eq!(
        format!(
            "{}://{}:{}{}",
            back.scheme(),
            back.host_str().unwrap(),
            back.port().unwrap(),
            back.path()
        ),
        SPA_CALLBACK
    );
    assert_eq!(query_param(&back, "state").as_deref(), Some("st-123"));
    assert!(query_param(&back, "code").is_some_and(|c| c.len() >= 32));
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_with_an_error_and_no_redirect() {
    let app = spawn_app().await;
    let res = sign_in(
        &browser_like_client(),
        &Authorize::spa().url(&app),
        "operator@acme.test",
        "nope",
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("location").is_none());
    assert!(res.headers().get("set-cookie").is_none(), "no session");
    let html = res.text().await.unwrap();
    assert!(html.contains("Invalid username or password."), "{html}");
    assert!(
        html.contains(r#"value="operator@acme.test""#),
        "the email is kept"
    );
    assert!(html.contains(r#"name="password""#), "the form again");
}

#[tokio::test]
async fn users_who_may_not_sign_in_see_the_form_again_with_the_reason() {
    let app = spawn_app().await;
    let cases = [
        (
            "nobody@acme.test",
            "x",
            "Invalid username or password.",
            "unknown user",
        ),
        (
            "disabled@acme.test",
            "disabled",
            "Account is disabled",
            "deactivated user",
        ),
        (
            "admin@globex.test",
            "admin",
            "belongs to another organization",
            "user of another org",
        ),
        (
            "",
            "operator",
            "Enter your email and password.",
            "no username",
        ),
    ];
    for (username, password, message, why) in cases {
        let res = sign_in(
            &browser_like_client(),
            &Authorize::spa().url(&app),
            username,
            password,
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{why}");
        assert!(
            res.headers().get("location").is_none(),
            "{why}: no redirect"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{why}: {html}");
    }
}

#[tokio::test]
async fn the_login_form_works_under_the_legacy_auth_prefix() {
    let app = spawn_app().await;
    let url = Authorize::spa().url_at(&app, &format!("/auth{AUTH_PATH}"));
    let page = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = form_action(&page, &url);
    assert!(action.contains("/auth/realms/api-keys/"), "{action}");
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
}

#[tokio::test]
async fn without_a_scope_parameter_the_default_is_openid_profile_email() {
    let app = spawn_app().await;
    let url = Authorize::spa().without("scope").url(&app);
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
    assert_eq!(body["scope"], "email openid profile");
    assert!(body["id_token"].is_string());
    assert!(
        body.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    assert_eq!(body["refresh_expires_in"], 0);
}

#[tokio::test]
async fn request_errors_go_back_to_the_registered_callback_with_the_state() {
    let app = spawn_app().await;
    let cases = [
        (
            Authorize::spa().set("scope", "openid admin"),
            "invalid_scope",
            "unknown scope",
        ),
        (
            Authorize::spa().set("response_type", "token"),
            "unsupported_response_type",
            "implicit flow",
        ),
        (
            Authorize::spa().without("response_type"),
            "invalid_request",
            "no response_type",
        ),
        (
            Authorize::spa()
                .without("code_challenge")
                .without("code_challenge_method"),
            "invalid_request",
            "public client without PKCE",
        ),
        (
            Authorize::spa().set("code_challenge_method", "S512"),
            "invalid_request",
            "unknown PKCE method",
        ),
        (
            Authorize::spa().set("code_challenge", "short"),
            "invalid_request",
            "malformed challenge",
        ),
        (
            Authorize::spa().set("prompt", "sometimes"),
            "invalid_request",
            "unknown prompt",
        ),
        (
            Authorize::spa().set("request", "eyJ.x.y"),
            "request_not_supported",
            "request object",
        ),
    ];
    for (request, error, why) in cases {
        let res = app.client.get(request.url(&app)).send().await.unwrap();
        let back = location(&res);
        assert!(
            back.as_str().starts_with(&format!("{SPA_CALLBACK}?")),
            "{why}: {back}"
        );
        assert_eq!(query_param(&back, "error").as_deref(), Some(error), "{why}");
        assert!(query_param(&back, "error_description").is_some(), "{why}");
        assert_eq!(
            query_param(&back, "state").as_deref(),
            Some("st-123"),
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_confidential_client_may_sign_users_in_without_pkce() {
    let app = spawn_app().await;
    let res = sign_in(
        &browser_like_client(),
        &Authorize::dashboard().url(&app),
        "admin@acme.test",
        "admin",
    )
    .await;
    let back = location(&res);
    assert!(back.as_str().starts_with(DASHBOARD_CALLBACK), "{back}");
}

#[tokio::test]
async fn behind_a_public_url_the_form_posts_back_to_the_host_the_browser_used() {
    let mut settings = ion_mock::config::Settings::for_tests();
    settings.store.public_url = Some("https://auth.example.test".parse().unwrap());
    let app = crate::helpers::spawn_app_with(settings).await;
    let url = Authorize::spa().url(&app);
    let page = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form_action(&page, &url).starts_with(&app.address),
        "the form stays on the browser's host"
    );
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
    let id = crate::flow::claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["iss"], "https://auth.example.test/realms/api-keys");
}

#[tokio::test]
async fn an_authorization_request_may_be_posted_as_a_form_as_oidc_requires() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    let auth_url = app.url(AUTH_PATH);
    let page = browser
        .post(&auth_url)
        .form(&Authorize::spa().params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let action = form_action(&html, &auth_url);
    assert!(
        action.contains("client_id=acme-spa"),
        "the form carries the request: {action}"
    );
    let res = browser
        .post(&action)
        .form(&[("username", "operator@acme.test"), ("password", "operator")])
        .send()
        .await
        .unwrap();
    let code = query_param(&location(&res), "code").unwrap();
    let (status, body) = spa_exchange(&app, &code).await;
    assert_eq!(status, 200, "{body}");
}
