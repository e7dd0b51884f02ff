use crate::helpers::{TOKEN_PATH, TestApp, first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn token_request(app: &TestApp, client_id: &str, secret: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn acme_token_request(app: &TestApp) -> (StatusCode, Value) {
    token_request(app, "acme-admin-key", "acme-admin-secret").await
}

#[tokio::test]
async fn an_armed_fault_fires_exactly_count_times_then_disarms() {
    let app = spawn_app().await;
    let armed = app
        .control(
            Method::POST,
            "/mock/faults",
            Some(json!({"endpoint": "token", "count": 2, "status": 503})),
        )
        .await;
    let id = armed["id"].as_str().unwrap().to_owned();
    let listed = app.control(Method::GET, "/mock/faults", None).await;
    assert_eq!(listed["faults"][0]["remaining"], 2);

    for shot in 0..2 {
        let (status, body) = acme_token_request(&app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "shot {shot}");
        assert_eq!(
            body,
            json!({"error": "temporarily_unavailable", "error_description": format!("Injected fault {id}")})
        );
    }
    let (status, body) = acme_token_request(&app).await;
    assert_eq!(status, StatusCode::OK, "disarmed after two shots: {body}");
    let listed = app.control(Method::GET, "/mock/faults", None).await;
    assert_eq!(listed["faults"], json!([]));
}

#[tokio::test]
async fn a_fault_for_one_client_spares_the_others() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/faults",
        Some(json!({"endpoint": "token", "client_id": "globex-admin-key", "status": 429, "error": "slow_down"})),
    )
    .await;
    let (status, _) = acme_token_request(&app).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another client, named in the form body"
    );
    let (status, body) = token_request(&app, "globex-admin-key", "globex-admin-secret").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "slow_down");
    let (status, _) = token_request(&app, "globex-admin-key", "globex-admin-secret").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the body read to match was handed on intact"
    );
}

#[tokio::test]
async fn a_client_fault_matches_basic_credentials_too() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/faults",
        Some(json!({"endpoint": "token", "client_id": "acme-admin-key", "status": 500})),
    )
    .await;
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth("acme-admin-key", Some("acme-admin-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_graphql_fault_answers_in_the_graphql_error_format() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let armed = app
        .control(
            Method::POST,
            "/mock/faults",
            Some(json!({"endpoint": "graphql", "status": 502, "error": "bad_gateway"})),
        )
        .await;
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let id = armed["id"].as_str().unwrap();
    assert_eq!(
        first_error(&body),
        format!("Injected fault {id} (bad_gateway)")
    );
    assert_eq!(app.graphql_verdict(&token).await.0, StatusCode::OK);
    let events = app
        .control(
            Method::GET,
            "/mock/events?client_id=acme-admin-key&limit=1",
            None,
        )
        .await;
    assert_eq!(
        events["events"][0]["kind"], "fault",
        "labelled with the token's client"
    );
    assert!(
        events["events"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with(id)
    );
}

#[tokio::test]
async fn a_timed_fault_keeps_firing_until_cleared() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/faults",
        Some(json!({"endpoint": "certs", "seconds": 600, "status": 503})),
    )
    .await;
    let certs = app.url("/realms/api-keys/protocol/openid-connect/certs");
    for _ in 0..3 {
        let status = app.client.get(&certs).send().await.unwrap().status();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let listed = app.control(Method::GET, "/mock/faults", None).await;
    assert_eq!(listed["faults"][0]["remaining"], Value::Null);
    assert!(listed["faults"][0]["seconds_left"].as_i64().unwrap() > 0);
    app.control(Method::DELETE, "/mock/faults", None).await;
    let status = app.client.get(&certs).send().await.unwrap().status();
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_delay_only_fault_lets_the_request_through_and_is_logged() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/faults",
        Some(json!({"endpoint": "discovery", "delay_ms": 50})),
    )
    .await;
    let res = app
        .client
        .get(app.url("/auth/realms/api-keys/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let events = app.control(Method::GET, "/mock/events", None).await;
    let fault = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "fault")
        .expect("a fault event");
    assert_eq!(fault["realm"], "api-keys");
    assert!(fault["reason"].as_str().unwrap().contains("delayed 50 ms"));
}

#[tokio::test]
async fn a_single_fault_can_be_disarmed_by_id() {
    let app = spawn_app().await;
    let armed = app
        .control(
            Method::POST,
            "/mock/faults",
            Some(json!({"endpoint": "token", "status": 503})),
        )
        .await;
    let path = format!("/mock/faults/{}", armed["id"].as_str().unwrap());
    app.control(Method::DELETE, &path, None).await;
    assert_eq!(acme_token_request(&app).await.0, StatusCode::OK);
    let admin = app.acme_admin_token().await;
    let (status, _) = app
        .control_as(Some(&admin), Method::DELETE, &path, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_fault_requests_say_what_is_wrong() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let cases = [
        (
            json!({"endpoint": "logout", "status": 503}),
            "userinfo",
            "unknown endpoint",
        ),
        (json!({"status": 503}), "endpoint", "no endpoint"),
        (
            json!({"endpoint": "token"}),
            "delay_ms",
            "neither status nor delay",
        ),
        (
            json!({"endpoint": "token", "status": 200}),
            "400 to 599",
            "not an error status",
        ),
        (
            json!({"endpoint": "token", "status": 503, "count": 0}),
            "at least 1",
            "zero count",
        ),
    ];
    for (body, fragment, why) in cases {
        let (status, answer) = app
            .control_as(Some(&admin), Method::POST, "/mock/faults", Some(body))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {answer}");
        let description = answer["error_description"].as_str().unwrap();
        assert!(description.contains(fragment), "{why}: {description}");
    }
}
