//! A database that cannot take writes: a read-only file at start, a database that turns
//! read-only, and a full one. The answers are 503s that say so (never a 500 or a panic),
//! and nothing already stored is lost.
//!
//! Tests run as root, for whom `chmod 0444` blocks nothing, so read-only comes from SQLite
//! itself: `?mode=ro` in the database URL at start, and `PRAGMA query_only` on a running
//! server. A full disk is SQLite's `max_page_count` set to the current size. Both pragmas
//! are per connection: the in-memory database of `spawn_app` has exactly one.

use crate::code_exchange::dashboard_code;
use crate::flow::{Authorize, browser_like_client, sign_in, spa_code, spa_exchange};
use crate::helpers::{
    REGISTER_APP, TestApp, file_database_url, file_settings, first_error, spawn_app,
    spawn_app_with, stop,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

async fn register(app: &TestApp, token: &str, name: &str) -> (StatusCode, Value) {
    app.graphql(token, REGISTER_APP, json!({"n": name})).await
}

async fn pragma(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_optional(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn app_names(app: &TestApp, token: &str) -> Vec<String> {
    let (status, body) = app
        .graphql(token, "{ oauthApps { name } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "reads still work: {body}");
    body["data"]["oauthApps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

/// `/graphql`'s answer to a write the database refused.
fn assert_graphql_unavailable(status: StatusCode, body: &Value, cause: &str, why: &str) {
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{why}: {body}");
    assert!(first_error(body).contains(cause), "{why}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "STORAGE_UNAVAILABLE",
        "{why}"
    );
}

/// An RFC 6749-shaped 503 from a realm endpoint or a control.
async fn assert_json_unavailable(res: reqwest::Response, cause: &str, why: &str) {
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{why}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable", "{why}: {body}");
    let description = body["error_description"].as_str().unwrap_or_default();
    assert!(description.contains(cause), "{why}: {body}");
}

#[tokio::test]
async fn a_read_only_database_file_stops_the_start_with_a_clear_message_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = spawn_app_with(file_settings(dir.path())).await;
    let token = first.acme_admin_token().await;
    let (status, body) = register(&first, &token, "Stored before").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    stop(first).await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_ion-mock"))
        .args(["--bind", "127.0.0.1:0", "--database-url"])
        .arg(format!("{}?mode=ro", file_database_url(dir.path())))
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The readiness line, or end of file when the process exits without one.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    if !line.is_empty() {
        child.kill().unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(line, "", "no readiness line on a read-only database");
    assert!(!out.status.success(), "non-zero exit: {stderr}");
    assert!(
        stderr.contains("x.db?mode=ro") && stderr.contains("read-only (SQLITE_READONLY)"),
        "names the database and the problem: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let again = spawn_app_with(file_settings(dir.path())).await;
    let names = app_names(&again, &token).await;
    assert!(names.contains(&"Stored before".to_owned()), "{names:?}");
}

#[tokio::test]
async fn a_database_that_turns_read_only_answers_writes_with_503_everywhere_and_keeps_its_data() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let (status, body) = register(&app, &token, "Stored before").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = spa_code(&app, "operator@acme.test", "operator").await;

    pragma(&app, "PRAGMA query_only = ON").await;

    let (status, body) = register(&app, &token, "Refused").await;
    assert_graphql_unavailable(status, &body, "read-only", "registerOauthApp");
    let (status, body) = app
        .graphql(
            &token,
            "mutation { createApiKey { apikey { clientId } } }",
            json!({}),
        )
        .await;
    assert_graphql_unavailable(status, &body, "read-only", "createApiKey");

    let res = app
        .client
        .post(app.url(crate::helpers::TOKEN_PATH))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "acme-spa"),
            ("code", code.as_str()),
            ("redirect_uri", crate::flow::SPA_CALLBACK),
            ("code_verifier", crate::flow::VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_json_unavailable(res, "read-only", "the code exchange").await;

    let res = sign_in(
        &browser_like_client(),
        &Authorize::dashboard().url(&app),
        "admin@acme.test",
        "admin",
    )
    .await;
    assert_json_unavailable(res, "read-only", "the login form").await;

    let admin = app.user_token("admin@acme.test").await;
    let res = app
        .client
        .request(Method::POST, app.url("/mock/revocations"))
        .bearer_auth(&admin)
        .json(&json!({"all": true}))
        .send()
        .await
        .unwrap();
    assert_json_unavailable(res, "read-only", "a control that writes").await;

    let (status, body) = app.graphql(&token, "{ me { email } }", json!({})).await;
    assert_eq!(status, StatusCode::OK, "authentication only reads: {body}");
    assert!(
        app_names(&app, &token)
            .await
            .contains(&"Stored before".to_owned())
    );

    pragma(&app, "PRAGMA query_only = OFF").await;
    let (status, body) = spa_exchange(&app, &code).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the refused exchange did not burn the code: {body}"
    );
    let (status, body) = register(&app, &token, "After").await;
    assert_eq!(status, StatusCode::OK, "writable again: {body}");
    dashboard_code(&app).await;
}

#[tokio::test]
async fn a_full_database_answers_writes_with_503_and_keeps_every_write_it_accepted() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let pages = pragma(&app, "PRAGMA page_count").await;
    let limit = pragma(&app, &format!("PRAGMA max_page_count = {pages}")).await;
    assert_eq!(limit, pages, "the database may not grow");

    // Free space in the pages already there takes a few rows; a bounded number fills them.
    let mut accepted = Vec::new();
    let mut refusal = None;
    for i in 0..2000 {
        let name = format!("Filler {i} {}", "x".repeat(150));
        let (status, body) = register(&app, &token, &name).await;
        if status == StatusCode::OK && body["errors"].is_null() {
            accepted.push(name);
        } else {
            refusal = Some((status, body));
            break;
        }
    }
    let (status, body) = refusal.expect("the database filled up within 2000 registrations");
    assert_graphql_unavailable(
        status,
        &body,
        "full (SQLITE_FULL)",
        "registration when full",
    );

    let names = app_names(&app, &token).await;
    let lost: Vec<_> = accepted.iter().filter(|n| !names.contains(n)).collect();
    assert!(lost.is_empty(), "accepted, then lost: {lost:?}");
    assert!(
        names.contains(&"Acme Dashboard".to_owned()),
        "fixtures kept"
    );
}
