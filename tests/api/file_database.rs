//! Bursts of writes on a SQLite file: none is lost, none collides, all survive a restart.

use crate::helpers::{REGISTER_APP, TestApp, file_settings, spawn_app_with, stop};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const BURST: usize = 200;

const CREATE_KEY: &str = "mutation { createApiKey { apikey { id clientId } } }";

/// `(id, clientId)` of a mutation's payload object, asserting the call succeeded.
fn created(status: StatusCode, body: &Value, field: &str, object: &str) -> (i64, String) {
    assert_eq!(status, StatusCode::OK, "{body}");
    let node = &body["data"][field][object];
    let id = node["id"].as_i64().unwrap_or_else(|| panic!("{body}"));
    (id, node["clientId"].as_str().unwrap().to_owned())
}

async fn listed_app_client_ids(app: &TestApp, token: &str) -> BTreeSet<String> {
    let (status, body) = app
        .graphql(token, "{ oauthApps { clientId } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["oauthApps"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|a| a["clientId"].as_str().unwrap().to_owned())
        .collect()
}

async fn listed_key_client_ids(app: &TestApp, token: &str) -> BTreeSet<String> {
    let (status, body) = app
        .graphql(
            token,
            "{ apiKeys { edges { node { clientId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["apiKeys"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["clientId"].as_str().unwrap().to_owned())
        .collect()
}

fn distinct<T: Ord + Clone>(items: &[T]) -> BTreeSet<T> {
    items.iter().cloned().collect()
}

#[tokio::test]
async fn two_hundred_concurrent_registrations_and_key_creations_on_a_file_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = file_settings(dir.path());
    settings.workers = Some(2);
    let first = spawn_app_with(settings.clone()).await;
    let token = first.acme_admin_token().await;

    let registrations = join_all((0..BURST).map(|i| {
        let (first, token) = (&first, &token);
        async move {
            let (status, body) = first
                .graphql(token, REGISTER_APP, json!({"n": format!("Burst app {i}")}))
                .await;
            created(status, &body, "registerOauthApp", "oauthApp")
        }
    }));
    let key_creations = join_all((0..BURST).map(|_| {
        let (first, token) = (&first, &token);
        async move {
            let (status, body) = first.graphql(token, CREATE_KEY, json!({})).await;
            created(status, &body, "createApiKey", "apikey")
        }
    }));
    let (apps, keys) = futures_util::join!(registrations, key_creations);

    let app_ids: Vec<i64> = apps.iter().map(|(id, _)| *id).collect();
    let app_client_ids: Vec<String> = apps.iter().map(|(_, c)| c.clone()).collect();
    let key_ids: Vec<i64> = keys.iter().map(|(id, _)| *id).collect();
    let key_client_ids: Vec<String> = keys.iter().map(|(_, c)| c.clone()).collect();
    assert_eq!(distinct(&app_ids).len(), BURST, "app ids are distinct");
    assert_eq!(
        distinct(&app_client_ids).len(),
        BURST,
        "app clientIds are distinct"
    );
    assert_eq!(distinct(&key_ids).len(), BURST, "key ids are distinct");
    assert_eq!(
        distinct(&key_client_ids).len(),
        BURST,
        "key clientIds are distinct"
    );
    stop(first).await;

    let second = spawn_app_with(settings).await;
    let listed_apps = listed_app_client_ids(&second, &token).await;
    let missing: Vec<_> = distinct(&app_client_ids)
        .difference(&listed_apps)
        .cloned()
        .collect();
    assert!(missing.is_empty(), "apps lost in the restart: {missing:?}");
    let listed_keys = listed_key_client_ids(&second, &token).await;
    let missing: Vec<_> = distinct(&key_client_ids)
        .difference(&listed_keys)
        .cloned()
        .collect();
    assert!(missing.is_empty(), "keys lost in the restart: {missing:?}");
}
