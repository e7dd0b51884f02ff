//! CORS: only registered origins, preflights included, never `*`.

use crate::flow::USERINFO_PATH;
use crate::helpers::{TOKEN_PATH, spawn_app};
use reqwest::{Method, Response};

const SPA_ORIGIN: &str = "http://localhost:5173";
const DASHBOARD_ORIGIN: &str = "http://localhost:3000";
const DISCOVERY: &str = "/realms/api-keys/.well-known/openid-configuration";

fn allowed_origin(res: &Response) -> Option<String> {
    let value = res.headers().get("access-control-allow-origin")?;
    let value = value.to_str().unwrap().to_owned();
    assert_ne!(value, "*", "never a wildcard");
    Some(value)
}

fn varies_by_origin(res: &Response) -> bool {
    res.headers()
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("origin"))
}

#[tokio::test]
async fn a_preflight_from_a_registered_origin_is_answered_for_realm_endpoints_and_graphql() {
    let app = spawn_app().await;
    for path in [
        TOKEN_PATH,
        "/auth/realms/api-keys/protocol/openid-connect/token",
        USERINFO_PATH,
        "/graphql",
    ] {
        let res = app
            .client
            .request(Method::OPTIONS, app.url(path))
            .header("Origin", SPA_ORIGIN)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        assert_eq!(allowed_origin(&res).as_deref(), Some(SPA_ORIGIN), "{path}");
        let methods = res.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap();
        assert!(
            methods.contains("POST") && methods.contains("GET"),
            "{path}: {methods}"
        );
        let headers = res.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            headers.contains("authorization") && headers.contains("content-type"),
            "{path}"
        );
        assert!(varies_by_origin(&res), "{path}");
    }
}

#[tokio::test]
async fn a_preflight_from_an_unregistered_origin_is_refused() {
    let app = spawn_app().await;
    for origin in [
        "https://evil.test",
        "http://localhost:5174",
        "http://localhost:5173/",
        "null",
        "HTTP://localhost:5173",
    ] {
        let res = app
            .client
            .request(Method::OPTIONS, app.url(TOKEN_PATH))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .unwrap();
        assert!(!res.status().is_success(), "{origin}: {}", res.status());
        assert_eq!(allowed_origin(&res), None, "{origin}");
    }
}

#[tokio::test]
async fn responses_carry_the_origin_only_when_it_is_registered() {
    let app = spawn_app().await;
    let allowed = app
        .client
        .get(app.url(DISCOVERY))
        .header("Origin", DASHBOARD_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed_origin(&allowed).as_deref(), Some(DASHBOARD_ORIGIN));
    assert!(varies_by_origin(&allowed));

    let refused = app
        .client
        .get(app.url(DISCOVERY))
        .header("Origin", "https://evil.test")
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        200,
        "the browser, not the server, withholds the answer"
    );
    assert_eq!(allowed_origin(&refused), None);
    assert!(varies_by_origin(&refused));

    let no_origin = app.client.get(app.url(DISCOVERY)).send().await.unwrap();
    assert_eq!(allowed_origin(&no_origin), None);
    let health = app
        .client
        .get(app.url("/health"))
        .header("Origin", SPA_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed_origin(&health),
        None,
        "only the realm endpoints and /graphql"
    );
}

#[tokio::test]
async fn a_request_naming_a_client_allows_only_that_clients_origins() {
    let app = spawn_app().await;
    let url = format!("{}?client_id=acme-spa", app.url(USERINFO_PATH));
    let own = app
        .client
        .get(&url)
        .header("Origin", SPA_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_origin(&own).as_deref(), Some(SPA_ORIGIN));
    let other = app
        .client
        .get(&url)
        .header("Origin", DASHBOARD_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed_origin(&other),
        None,
        "the dashboard's origin is not the SPA's"
    );
}

#[tokio::test]
async fn an_origin_of_another_realm_is_not_allowed() {
    let app = spawn_app().await;
    let res = app
        .client
        .request(
            Method::OPTIONS,
            app.url("/realms/other/protocol/openid-connect/token"),
        )
        .header("Origin", SPA_ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_origin(&res), None);
}

#[tokio::test]
async fn a_token_request_is_answered_for_the_origins_of_the_client_in_its_body() {
    let app = spawn_app().await;
    let post = |origin: &'static str| {
        app.client
            .post(app.url(TOKEN_PATH))
            .header("Origin", origin)
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", "acme-spa"),
                ("refresh_token", "x"),
            ])
            .send()
    };
    let own = post(SPA_ORIGIN).await.unwrap();
    assert_eq!(
        own.status(),
        400,
        "a bad refresh token, but a readable answer"
    );
    assert_eq!(allowed_origin(&own).as_deref(), Some(SPA_ORIGIN));
    let other = post(DASHBOARD_ORIGIN).await.unwrap();
    assert_eq!(
        allowed_origin(&other),
        None,
        "the dashboard's origin may not read the SPA's tokens"
    );
}
