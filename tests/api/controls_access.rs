use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn every_control() -> Vec<(Method, &'static str)> {
    vec![
        (Method::GET, "/mock/clock"),
        (Method::POST, "/mock/clock"),
        (Method::POST, "/mock/tokens"),
        (Method::POST, "/mock/revocations"),
        (Method::POST, "/mock/keys/rotate"),
        (Method::POST, "/mock/keys/retire"),
        (Method::POST, "/mock/faults"),
        (Method::GET, "/mock/faults"),
        (Method::DELETE, "/mock/faults"),
        (Method::POST, "/mock/reset"),
        (Method::GET, "/mock/events"),
        (Method::DELETE, "/mock/events"),
        (Method::POST, "/mock/explain"),
        (Method::GET, "/mock/realms"),
        (Method::POST, "/mock/realms"),
        (Method::PATCH, "/mock/realms/api-keys"),
        (Method::DELETE, "/mock/realms/api-keys"),
        (Method::PATCH, "/mock/apps/acme-spa"),
    ]
}

#[tokio::test]
async fn every_control_refuses_a_request_without_a_token_with_401() {
    let app = spawn_app().await;
    for (method, path) in every_control() {
        let (status, body) = app
            .control_as(None, method.clone(), path, Some(json!({})))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(body["error"], "unauthorized", "{method} {path}");
        assert_eq!(
            body["error_description"], "Please provide proper credentials",
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn every_control_refuses_a_user_without_the_admin_role_with_403() {
    let app = spawn_app().await;
    let operator = app.user_token("operator@acme.test").await;
    for (method, path) in every_control() {
        let (status, body) = app
            .control_as(Some(&operator), method.clone(), path, Some(json!({})))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(body["error"], "forbidden", "{method} {path}");
    }
}

#[tokio::test]
async fn controls_refuse_invalid_tokens_with_the_graphql_message() {
    let app = spawn_app().await;
    let expired = app
        .minted_access_token(json!({"user": "admin@acme.test", "lifetime_seconds": -1}))
        .await;
    let revoked = app.mint(json!({"user": "admin@acme.test"})).await;
    app.control(
        Method::POST,
        "/mock/revocations",
        Some(json!({"jti": revoked["jti"]})),
    )
    .await;
    let cases = [
        ("not-a-jwt", "Unable to parse authentication token"),
        (expired.as_str(), "Token is expired."),
        (
            revoked["access_token"].as_str().unwrap(),
            "Token has been revoked.",
        ),
    ];
    for (token, message) in cases {
        let (status, body) = app
            .control_as(Some(token), Method::GET, "/mock/clock", None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{message}");
        assert_eq!(body["error_description"], message);
    }
}

#[tokio::test]
async fn moving_the_clock_either_way_never_locks_the_admin_out_of_the_controls() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    for change in [
        json!({"advance_seconds": 86_400}),
        json!({"offset_seconds": -86_400}),
    ] {
        let (status, body) = app
            .control_as(Some(&admin), Method::POST, "/mock/clock", Some(change))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.graphql_verdict(&admin).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "not expired on the emulator clock: {body}"
    );
    app.state.clock.set_offset_seconds(300);
    let (_, body) = app.graphql_verdict(&admin).await;
    assert_eq!(
        body["errors"][0]["message"], "Token is expired.",
        "while /graphql says expired"
    );
    let (status, _) = app
        .control_as(Some(&admin), Method::GET, "/mock/clock", None)
        .await;
    assert_eq!(status, StatusCode::OK, "the controls still take it");
}

#[tokio::test]
async fn an_admin_api_key_may_use_its_own_credentials_instead_of_a_token() {
    let app = spawn_app().await;
    let cases = [
        (
            "acme-admin-key",
            "acme-admin-secret",
            StatusCode::OK,
            "admin key",
        ),
        (
            "acme-admin-key",
            "wrong",
            StatusCode::UNAUTHORIZED,
            "wrong secret",
        ),
        ("ghost", "x", StatusCode::UNAUTHORIZED, "unknown client"),
        (
            "acme-dashboard",
            "acme-dashboard-secret",
            StatusCode::FORBIDDEN,
            "a web app does not act for its creator",
        ),
    ];
    for (id, secret, status, why) in cases {
        let res = app
            .client
            .get(app.url("/mock/clock"))
            .basic_auth(id, Some(secret))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{why}");
    }
}

#[tokio::test]
async fn an_admin_of_any_org_may_use_the_controls() {
    let app = spawn_app().await;
    for token in [app.acme_admin_token().await, app.globex_admin_token().await] {
        let (status, body) = app
            .control_as(Some(&token), Method::GET, "/mock/clock", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["now"].is_i64());
    }
}

#[tokio::test]
async fn a_malformed_control_body_is_a_400_naming_the_problem() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let cases = [
        (
            json!({"advance_second": 10}),
            "unknown field `advance_second`",
            "typo",
        ),
        (
            json!({"advance_seconds": "ten"}),
            "invalid type",
            "wrong type",
        ),
        (json!({}), "exactly one of", "nothing to do"),
        (
            json!({"advance_seconds": 1, "offset_seconds": 1}),
            "exactly one of",
            "two things to do",
        ),
    ];
    for (body, fragment, why) in cases {
        let (status, answer) = app
            .control_as(Some(&admin), Method::POST, "/mock/clock", Some(body))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {answer}");
        assert_eq!(answer["error"], "invalid_request", "{why}");
        let description = answer["error_description"].as_str().unwrap();
        assert!(description.contains(fragment), "{why}: {description}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_an_object_or_is_too_large_is_refused_in_json() {
    let app = spawn_app().await;
    let cases = [
        (
            "[1, 2]".to_owned(),
            StatusCode::BAD_REQUEST,
            "not an object",
        ),
        ("not json".to_owned(), StatusCode::BAD_REQUEST, "not JSON"),
        (
            "a".repeat(70 * 1024),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too large",
        ),
    ];
    for (body, status, why) in cases {
        let res = app
            .client
            .post(app.url("/mock/tokens"))
            .basic_auth("acme-admin-key", Some("acme-admin-secret"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{why}");
        let answer: serde_json::Value = res.json().await.unwrap();
        assert_eq!(answer["error"], "invalid_request", "{why}");
    }
}

#[tokio::test]
async fn an_unknown_control_is_a_json_404_for_an_admin() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (status, body) = app
        .control_as(Some(&admin), Method::GET, "/mock/nothing-here", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}
