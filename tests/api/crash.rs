//! The real binary killed with SIGKILL in the middle of a burst of writes: what it answered
//! 200 to is kept, the file is sound, and tokens from before the crash still work.

use crate::helpers::{acme_key_token_response, file_database_url};
use crate::process::Process;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

const BURST: usize = 300;
/// The kill comes after this many registrations were answered 200, with the rest in flight.
const KILL_AFTER: usize = 40;

fn start_on(dir: &std::path::Path) -> (Process, String) {
    let url = file_database_url(dir);
    let server = Process::start(
        dir,
        &[
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            &url,
            "--public-url",
            "http://ion-mock.test",
        ],
    );
    let base = server.base_url.clone();
    (server, base)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn key_token(client: &reqwest::Client, base: &str) -> String {
    let body = acme_key_token_response(client, base).await;
    body["access_token"].as_str().unwrap().to_owned()
}

async fn graphql(client: &reqwest::Client, base: &str, token: &str, body: Value) -> Option<Value> {
    let res = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        return None;
    }
    res.json().await.ok()
}

/// The clientId of a registration answered 200 with an app; `None` for anything else,
/// including a connection the kill cut.
async fn register(client: &reqwest::Client, base: &str, token: &str, i: usize) -> Option<String> {
    let query = "mutation($n: String!) { registerOauthApp(name: $n, appType: \"non_interactive\") \
                 { oauthApp { clientId } } }";
    let body = graphql(
        client,
        base,
        token,
        json!({"query": query, "variables": {"n": format!("Crash {i}")}}),
    )
    .await?;
    body["data"]["registerOauthApp"]["oauthApp"]["clientId"]
        .as_str()
        .map(str::to_owned)
}

async fn integrity_check(dir: &std::path::Path) -> String {
    let options = SqliteConnectOptions::from_str(&file_database_url(dir)).unwrap();
    let mut conn = options.connect().await.unwrap();
    let answer: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    answer
}

#[tokio::test]
async fn a_kill_during_a_burst_of_registrations_loses_nothing_answered_and_keeps_the_file_sound() {
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let (mut child, base) = start_on(dir.path());
    let token = key_token(&client, &base).await;

    let mut burst: FuturesUnordered<_> = (0..BURST)
        .map(|i| register(&client, &base, &token, i))
        .collect();
    let mut answered = BTreeSet::new();
    let mut killed = false;
    while let Some(outcome) = burst.next().await {
        answered.extend(outcome);
        if !killed && answered.len() >= KILL_AFTER {
            child.child.kill().expect("SIGKILL");
            child.child.wait().unwrap();
            killed = true;
        }
    }
    assert!(
        killed,
        "the kill came during the burst: {} answered",
        answered.len()
    );
    assert!(
        answered.len() < BURST,
        "some registrations were still in flight at the kill"
    );

    let (mut child, base) = start_on(dir.path());
    let me = graphql(&client, &base, &token, json!({"query": "{ me { email } }"})).await;
    assert_eq!(
        me.as_ref().map(|b| b["data"]["me"]["email"].clone()),
        Some(json!("admin@acme.test")),
        "a token issued before the crash verifies after it: {me:?}"
    );
    let listed = graphql(
        &client,
        &base,
        &token,
        json!({"query": "{ oauthApps { clientId } }"}),
    )
    .await
    .expect("oauthApps answers");
    let listed: BTreeSet<String> = listed["data"]["oauthApps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["clientId"].as_str().unwrap().to_owned())
        .collect();
    let lost: Vec<_> = answered.difference(&listed).collect();
    assert!(
        lost.is_empty(),
        "answered 200, then lost in the crash: {lost:?}"
    );
    assert_eq!(integrity_check(dir.path()).await, "ok");
    assert!(child.terminate().success());
}
