//! Request logs: one line per request with status and latency, JSON on request, never a secret.

use crate::helpers::acme_key_token_response;
use crate::process::Process;
use serde_json::Value;

#[tokio::test]
async fn json_logs_have_one_line_per_request_and_no_secret_or_token() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::start(
        dir.path(),
        &[
            "--log-format",
            "json",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
        ],
    );
    let base = server.base_url.clone();
    let client = reqwest::Client::new();
    let token = acme_key_token_response(&client, &base).await;
    let access_token = token["access_token"].as_str().unwrap();
    client
        .post(format!("{base}/graphql"))
        .header("Authorization", access_token)
        .json(&serde_json::json!({"query": "{ me { email } }"}))
        .send()
        .await
        .unwrap();
    client
        .get(format!(
            "{base}/realms/api-keys/protocol/openid-connect/userinfo?access_token={access_token}"
        ))
        .send()
        .await
        .unwrap();
    assert!(server.terminate().success());

    let logs = server.stderr();
    let requests: Vec<Value> = logs
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("JSON: {line}")))
        .filter(|line| line["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 3, "one line per request: {logs}");
    for line in &requests {
        assert!(
            line["status"].is_u64() && line["latency_ms"].is_number(),
            "{line}"
        );
    }
    assert_eq!(
        requests[0]["path"],
        "/realms/api-keys/protocol/openid-connect/token"
    );
    for secret in [
        "acme-admin-secret",
        access_token,
        &access_token[access_token.len() - 20..],
    ] {
        assert!(
            !logs.contains(secret),
            "the logs leak {secret:.12}...: {logs}"
        );
    }
}
