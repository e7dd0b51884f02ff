use crate::helpers::{first_error, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_clock_reads_now_and_its_offset() {
    let app = spawn_app().await;
    let answer = app.control(Method::GET, "/mock/clock", None).await;
    assert_eq!(answer["offset_seconds"], 0);
    assert_eq!(answer["now"], app.state.clock.now());
}

#[tokio::test]
async fn advancing_adds_to_the_offset_and_setting_replaces_it() {
    let app = spawn_app().await;
    let first = app
        .control(
            Method::POST,
            "/mock/clock",
            Some(json!({"advance_seconds": 100})),
        )
        .await;
    assert_eq!(first["offset_seconds"], 100);
    let second = app
        .control(
            Method::POST,
            "/mock/clock",
            Some(json!({"advance_seconds": 50})),
        )
        .await;
    assert_eq!(second["offset_seconds"], 150);
    let set = app
        .control(
            Method::POST,
            "/mock/clock",
            Some(json!({"offset_seconds": -20})),
        )
        .await;
    assert_eq!(set["offset_seconds"], -20);
    assert_eq!(set["now"], app.state.clock.now());
}

#[tokio::test]
async fn after_advancing_past_exp_the_same_token_is_refused_everywhere() {
    let app = spawn_app().await;
    let token = app
        .minted_access_token(json!({"user": "operator@acme.test", "lifetime_seconds": 600}))
        .await;
    assert_eq!(app.introspect(&token).await["active"], true);
    assert_eq!(app.graphql_verdict(&token).await.0, StatusCode::OK);

    app.control(
        Method::POST,
        "/mock/clock",
        Some(json!({"advance_seconds": 600})),
    )
    .await;

    assert_eq!(app.introspect(&token).await, json!({"active": false}));
    let (status, body) = app.graphql_verdict(&token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(first_error(&body), "Token is expired.");
}

#[tokio::test]
async fn tokens_issued_on_a_moved_clock_carry_its_time() {
    let app = spawn_app().await;
    app.control(
        Method::POST,
        "/mock/clock",
        Some(json!({"offset_seconds": 86_400})),
    )
    .await;
    let token = app.acme_admin_token().await;
    let claims = app.introspect(&token).await;
    let iat = claims["iat"].as_i64().unwrap();
    assert!(
        (iat - app.state.clock.now()).abs() <= 1,
        "iat {iat} follows the clock"
    );
    assert!(iat > app.state.clock.real_ms() / 1000 + 86_000);
}

#[tokio::test]
async fn an_offset_beyond_ten_years_is_refused() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (status, _) = app
        .control_as(
            Some(&admin),
            Method::POST,
            "/mock/clock",
            Some(json!({"offset_seconds": i64::MAX})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.state.clock.offset_seconds(), 0);
}

#[tokio::test]
async fn the_most_negative_offset_or_advance_is_refused_not_a_crash() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    for body in [
        json!({"offset_seconds": i64::MIN}),
        json!({"advance_seconds": i64::MIN}),
    ] {
        let (status, answer) = app
            .control_as(
                Some(&admin),
                Method::POST,
                "/mock/clock",
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    assert_eq!(app.state.clock.offset_seconds(), 0);
}
