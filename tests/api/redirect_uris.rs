//! No redirect ever goes to a URI that is not registered, byte for byte, as a callback of the
//! client: near misses get the HTML error page, from the GET and from the form's POST.

use crate::flow::{AUTH_PATH, Authorize, DASHBOARD, assert_error_page};
use crate::helpers::spawn_app;

/// Near misses of acme-dashboard's callback `http://localhost:3000/callback`.
const VARIANTS: [(&str, &str); 24] = [
    ("http://localhost:3000/call", "prefix"),
    ("http://localhost:3000/callbackx", "suffix"),
    ("http://localhost:3001/callback", "other port"),
    ("http://localhost/callback", "default port"),
    ("https://localhost:3000/callback", "other scheme"),
    ("HTTP://localhost:3000/callback", "scheme in upper case"),
    ("http://LOCALHOST:3000/callback", "host in upper case"),
    ("http://localhost:3000/Callback", "path in another case"),
    ("http://localhost:3000/callback/extra", "added path"),
    ("http://localhost:3000/callback?next=/admin", "added query"),
    ("http://localhost:3000/callback#frag", "fragment"),
    (
        "http://localhost:3000@evil.test/callback",
        "userinfo@host to another host",
    ),
    ("http://user@localhost:3000/callback", "added userinfo"),
    (
        "http://localhost:3000/%63allback",
        "percent-encoded character",
    ),
    ("http://localhost%3A3000/callback", "encoded port separator"),
    (
        "http://localhost:3000/callback%20",
        "encoded trailing space",
    ),
    ("http://localhost:3000/callback/", "trailing slash"),
    (
        "http://127.0.0.1:3000/callback",
        "IPv4 loopback instead of localhost",
    ),
    (
        "http://[::1]:3000/callback",
        "IPv6 loopback instead of localhost",
    ),
    ("http://localhost:3000/./callback", "dot segment"),
    ("http://localhost:3000/x/../callback", "parent segment"),
    ("//localhost:3000/callback", "scheme-relative"),
    ("http://localhost:5173/callback", "another app's callback"),
    ("javascript:alert(1)", "script URI"),
];

#[tokio::test]
async fn every_near_miss_of_a_registered_callback_gets_the_error_page() {
    let app = spawn_app().await;
    for (uri, why) in VARIANTS {
        let url = Authorize::dashboard().set("redirect_uri", uri).url(&app);
        let html = assert_error_page(app.client.get(&url).send().await.unwrap(), why).await;
        assert!(html.contains("Invalid redirect URI"), "{why}: {html}");
    }
}

#[tokio::test]
async fn the_login_forms_post_cannot_be_used_to_redirect_to_a_near_miss_either() {
    let app = spawn_app().await;
    for (uri, why) in VARIANTS {
        let url = Authorize::dashboard().set("redirect_uri", uri).url(&app);
        let res = app
            .client
            .post(&url)
            .form(&[("username", "admin@acme.test"), ("password", "admin")])
            .send()
            .await
            .unwrap();
        assert_error_page(res, why).await;
    }
}

#[tokio::test]
async fn a_near_miss_gets_the_error_page_even_with_other_errors_in_the_request() {
    let app = spawn_app().await;
    for (uri, why) in VARIANTS {
        let url = Authorize::dashboard()
            .set("redirect_uri", uri)
            .set("scope", "not-a-scope")
            .set("response_type", "token")
            .url(&app);
        assert_error_page(app.client.get(&url).send().await.unwrap(), why).await;
    }
}

#[tokio::test]
async fn an_unknown_client_or_missing_parameters_get_the_error_page() {
    let app = spawn_app().await;
    let cases = [
        (
            Authorize::dashboard().set("client_id", "no-such-app"),
            "unknown client",
        ),
        (
            Authorize::dashboard().set("client_id", "acme-admin-key"),
            "an API key is no app",
        ),
        (Authorize::dashboard().without("client_id"), "no client_id"),
        (
            Authorize::dashboard().without("redirect_uri"),
            "no redirect_uri",
        ),
        (
            Authorize::dashboard().set("redirect_uri", ""),
            "empty redirect_uri",
        ),
    ];
    for (request, why) in cases {
        let res = app.client.get(request.url(&app)).send().await.unwrap();
        assert_error_page(res, why).await;
    }
    let repeated = format!(
        "{}?client_id={DASHBOARD}&client_id=acme-spa&redirect_uri=x",
        app.url(AUTH_PATH)
    );
    assert_error_page(
        app.client.get(repeated).send().await.unwrap(),
        "repeated client_id",
    )
    .await;
}

#[tokio::test]
async fn a_registered_callback_with_a_query_keeps_it_and_gets_the_code_appended() {
    let app = spawn_app().await;
    let registered = "http://localhost:7000/cb?tenant=acme";
    let spa = crate::flow::register_app(
        &app,
        &app.acme_admin_token().await,
        "spa",
        &[(registered, "callback")],
    )
    .await;
    let url = Authorize::spa()
        .set("client_id", &spa.client_id)
        .set("redirect_uri", registered)
        .url(&app);
    let res = crate::flow::sign_in(
        &crate::flow::browser_like_client(),
        &url,
        "operator@acme.test",
        "operator",
    )
    .await;
    let location = res.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://localhost:7000/cb?tenant=acme&code="),
        "{location}"
    );
}
