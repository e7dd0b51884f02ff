use crate::helpers::{file_settings, spawn_app_with, stop};
use serde_json::json;

#[tokio::test]
async fn a_restart_on_a_file_database_keeps_apps_keys_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let settings = file_settings(dir.path());

    let first = spawn_app_with(settings.clone()).await;
    let token = first.acme_admin_token().await;
    let (_, created) = first
        .graphql(&token, "mutation { registerOauthApp(name: \"Kept\", appType: \"non_interactive\") { oauthApp { id clientId clientSecret } } }", json!({}))
        .await;
    let app = created["data"]["registerOauthApp"]["oauthApp"].clone();
    let jwks_before: serde_json::Value = first
        .client
        .get(first.url("/realms/api-keys/protocol/openid-connect/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stop(first).await;

    let second = spawn_app_with(settings).await;
    let jwks_after: serde_json::Value = second
        .client
        .get(second.url("/realms/api-keys/protocol/openid-connect/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        jwks_before["keys"][0]["kid"], jwks_after["keys"][0]["kid"],
        "signing key persisted"
    );

    let (status, listed) = second
        .graphql(&token, "{ oauthApps { id name } }", json!({}))
        .await;
    assert_eq!(
        status, 200,
        "a token from before the restart still verifies: {listed}"
    );
    let names: Vec<&str> = listed["data"]["oauthApps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(
        names.iter().filter(|n| **n == "Kept").count(),
        1,
        "kept once: {names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| **n == "Acme Dashboard").count(),
        1,
        "fixtures not duplicated"
    );
    second
        .key_token(
            app["clientId"].as_str().unwrap(),
            app["clientSecret"].as_str().unwrap(),
        )
        .await;
}
