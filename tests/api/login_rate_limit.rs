//! The login form limits failed sign-ins per user and per client address, on the emulator
//! clock, with a 429 form that says how long to wait.

use crate::flow::{Authorize, browser_like_client, sign_in};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use ion_mock::Settings;
use reqwest::{Method, StatusCode};

const LOCKED: &str = "Too many failed sign-in attempts; try again in ";

/// A sign-in to the dashboard from a fresh browser: the status and the page (or location).
async fn attempt(
    app: &TestApp,
    username: &str,
    password: &str,
) -> (StatusCode, String, Option<u64>) {
    let res = sign_in(
        &browser_like_client(),
        &Authorize::dashboard().url(app),
        username,
        password,
    )
    .await;
    let status = res.status();
    let retry_after = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (status, res.text().await.unwrap(), retry_after)
}

async fn fail(app: &TestApp, username: &str, times: usize) {
    for i in 0..times {
        let (status, page, _) = attempt(app, username, "wrong").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "failure {i} of {username} shows the form"
        );
        assert!(
            page.contains("Invalid username or password."),
            "failure {i}: {page}"
        );
    }
}

fn assert_locked_out(answer: &(StatusCode, String, Option<u64>), window: u64, why: &str) {
    let (status, page, retry_after) = answer;
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{why}: {page}");
    assert!(page.contains(LOCKED), "{why}: {page}");
    assert!(
        page.contains("name=\"password\""),
        "{why}: the form is shown again"
    );
    let wait = retry_after.unwrap_or_else(|| panic!("{why}: Retry-After"));
    assert!((1..=window).contains(&wait), "{why}: waits {wait} s");
    assert!(
        page.contains(&format!("{LOCKED}{wait} seconds")),
        "{why}: {page}"
    );
}

#[tokio::test]
async fn ten_failed_sign_ins_lock_the_user_out_even_with_the_right_password() {
    let app = spawn_app().await;
    fail(&app, "operator@acme.test", 10).await;
    let answer = attempt(&app, "operator@acme.test", "operator").await;
    assert_locked_out(&answer, 300, "the 11th attempt");
    let answer = attempt(&app, "OPERATOR@acme.test", "operator").await;
    assert_locked_out(&answer, 300, "the email in other case");

    let (status, _, _) = attempt(&app, "admin@acme.test", "admin").await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "another user from the same address signs in"
    );
}

#[tokio::test]
async fn a_lockout_lifts_when_the_window_has_passed_on_the_emulator_clock() {
    let app = spawn_app().await;
    fail(&app, "operator@acme.test", 10).await;
    app.state.clock.advance_seconds(290);
    let answer = attempt(&app, "operator@acme.test", "operator").await;
    assert_locked_out(&answer, 10, "ten seconds before the end");
    app.state.clock.advance_seconds(10);
    let (status, page, _) = attempt(&app, "operator@acme.test", "operator").await;
    assert_eq!(status, StatusCode::FOUND, "{page}");
}

#[tokio::test]
async fn a_successful_sign_in_forgives_the_users_earlier_failures() {
    let app = spawn_app().await;
    fail(&app, "operator@acme.test", 9).await;
    let (status, _, _) = attempt(&app, "operator@acme.test", "operator").await;
    assert_eq!(status, StatusCode::FOUND);
    fail(&app, "operator@acme.test", 9).await;
    let (status, _, _) = attempt(&app, "operator@acme.test", "operator").await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "9 + 9 failures with a success between"
    );
}

#[tokio::test]
async fn fifty_failures_from_one_address_lock_out_every_user_from_it() {
    let app = spawn_app().await;
    for i in 0..5 {
        fail(&app, &format!("nobody{i}@acme.test"), 10).await;
    }
    let answer = attempt(&app, "admin@acme.test", "admin").await;
    assert_locked_out(&answer, 300, "a user with no failure of their own");
}

#[tokio::test]
async fn mock_reset_clears_every_lockout() {
    let app = spawn_app().await;
    fail(&app, "operator@acme.test", 10).await;
    app.control(Method::POST, "/mock/reset", None).await;
    let (status, page, _) = attempt(&app, "operator@acme.test", "operator").await;
    assert_eq!(status, StatusCode::FOUND, "{page}");
}

#[tokio::test]
async fn the_limits_and_window_are_settings_of_the_server() {
    let app = spawn_app_with(Settings {
        login_failures_per_user: 2,
        login_failure_window: 60,
        ..Settings::for_tests()
    })
    .await;
    fail(&app, "operator@acme.test", 2).await;
    let answer = attempt(&app, "operator@acme.test", "operator").await;
    assert_locked_out(&answer, 60, "the third attempt with a limit of 2");

    let unlimited = spawn_app_with(Settings {
        login_failures_per_user: 0,
        login_failures_per_ip: 0,
        ..Settings::for_tests()
    })
    .await;
    fail(&unlimited, "operator@acme.test", 15).await;
    let (status, _, _) = attempt(&unlimited, "operator@acme.test", "operator").await;
    assert_eq!(status, StatusCode::FOUND, "0 means no limit");
}

#[tokio::test]
async fn of_thirty_concurrent_wrong_guesses_for_one_user_only_ten_are_checked() {
    let app = spawn_app().await;
    let guesses = futures_util::future::join_all(
        (0..30).map(|_| attempt(&app, "operator@acme.test", "wrong")),
    )
    .await;
    let checked = guesses
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::OK)
        .count();
    let refused = guesses
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (checked, refused),
        (10, 20),
        "the limit holds under concurrency"
    );
}
