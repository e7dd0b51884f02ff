//! Bad input gets the documented error, never a 500 or a panic.

use crate::helpers::{TOKEN_PATH, spawn_app};
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

#[tokio::test]
async fn malformed_token_requests_get_rfc_6749_errors() {
    let app = spawn_app().await;
    let url = app.url(TOKEN_PATH);
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    let big = format!(
        "grant_type=client_credentials&pad={}",
        "a".repeat(70 * 1024)
    );
    // (content type, body, status, error, why)
    let cases: Vec<(&str, String, u16, &str, &str)> = vec![
        (form, "".into(), 400, "invalid_request", "empty body"),
        (form, "client_id=acme-admin-key".into(), 400, "invalid_request", "no grant_type"),
        (form, "grant_type=password&client_id=x".into(), 400, "unsupported_grant_type", "unknown grant"),
        (form, "grant_type=urn:x&client_id=x".into(), 400, "unsupported_grant_type", "made-up grant"),
        (form, "grant_type=client_credentials".into(), 400, "invalid_request", "no client at all"),
        (form, "grant_type=client_credentials&grant_type=client_credentials".into(), 400, "invalid_request", "repeated parameter"),
        (form, "grant_type=client_credentials&client_id=acme-admin-key&client_secret=nope".into(), 401, "unauthorized_client", "wrong secret"),
        (form, "grant_type=client_credentials&client_id=acme-admin-key&client_secret=acme-admin-secret&scope=admin".into(), 400, "invalid_scope", "unknown scope"),
        (form, "grant_type=client_credentials&client_id=acme-admin-key&client_secret=acme-admin-secret&scope=%22".into(), 400, "invalid_scope", "bad scope characters"),
        (form, "grant_type=%ZZ".into(), 400, "unsupported_grant_type", "a broken percent-escape is taken literally"),
        (form, "grant_type=%FF%FE".into(), 400, "unsupported_grant_type", "percent-encoded bytes that are not UTF-8"),
        (form, big, 413, "invalid_request", "body over 64 KiB"),
        (json, "{".into(), 400, "invalid_request", "broken JSON"),
        (json, "[]".into(), 400, "invalid_request", "JSON not an object"),
        (json, "{\"grant_type\": {\"a\": 1}}".into(), 400, "invalid_request", "grant_type an object"),
        (json, "{\"grant_type\": [\"client_credentials\"]}".into(), 400, "invalid_request", "grant_type a list"),
        (json, "{\"grant_type\": 7}".into(), 400, "unsupported_grant_type", "grant_type a number"),
        (json, "{\"grant_type\": \"client_credentials\", \"client_id\": 5, \"client_secret\": \"x\"}".into(), 401, "unauthorized_client", "client_id a number"),
        (json, "null".into(), 400, "invalid_request", "JSON null"),
        ("text/plain", "\u{0}\u{1}binary".into(), 400, "invalid_request", "binary junk"),
    ];
    for (content_type, body, status, error, why) in cases {
        let res = app
            .client
            .post(&url)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{why}");
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(body["error"], error, "{why}: {body}");
        assert!(body["error_description"].is_string(), "{why}: {body}");
    }

    let res = app
        .client
        .post(&url)
        .header("Authorization", "Basic !!!not-base64")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "broken basic header");
    let res = app
        .client
        .post(&url)
        .basic_auth("acme-admin-key", Some("acme-admin-secret"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_secret", "acme-admin-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "two authentication methods at once");
}

#[tokio::test]
async fn malformed_graphql_requests_get_errors_in_the_documented_status() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let auth = format!("Bearer {token}");
    let deep = "{ me { id { nested } } }";
    let mut inner = String::from("name");
    for _ in 0..16 {
        inner = format!("ofType {{ {inner} }}");
    }
    let nested = format!("{{ __schema {{ types {{ fields {{ type {{ {inner} }} }} }} }} }}");
    let huge = format!(
        "{{\"query\": \"{{ me {{ id }} }}\", \"pad\": \"{}\"}}",
        "a".repeat(300 * 1024)
    );
    // (body, status, fragment of errors[0].message, why)
    let cases: Vec<(String, u16, &str, &str)> = vec![
        ("not json".into(), 400, "JSON", "not JSON"),
        ("{}".into(), 400, "query", "no query"),
        ("{\"query\": 5}".into(), 400, "query", "query not a string"),
        ("{\"query\": \"{ me { id }\"}".into(), 200, "", "unbalanced braces"),
        ("{\"query\": \"{ nosuchfield }\"}".into(), 200, "nosuchfield", "unknown field"),
        ("{\"query\": \"query($id: Int!) { oauthApp(id: $id) { id } }\", \"variables\": {\"id\": \"x\"}}".into(), 200, "", "wrong variable type"),
        ("{\"query\": \"query($id: Int!) { oauthApp(id: $id) { id } }\"}".into(), 200, "", "missing variable"),
        ("{\"query\": \"mutation { registerOauthApp(name: \\\"x\\\") { oauthApp { id } } }\"}".into(), 200, "appType", "missing argument"),
        (format!("{{\"query\": {}}}", serde_json::to_string(&nested).unwrap()), 200, "nested too deep", "depth over 16"),
        (format!("{{\"query\": {}}}", serde_json::to_string(deep).unwrap()), 200, "", "a selection on a scalar"),
        (huge, 413, "larger than", "body over 256 KiB"),
    ];
    for (body, status, fragment, why) in cases {
        let res = app
            .client
            .post(app.url("/graphql"))
            .header("Authorization", &auth)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{why}");
        let body: Value = res.json().await.unwrap();
        let message = body["errors"][0]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{why}: {body}"));
        assert!(message.contains(fragment), "{why}: {message}");
    }
}

#[tokio::test]
async fn an_overly_complex_query_is_refused() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let fields: String = (0..1100).map(|i| format!("a{i}: me {{ id }} ")).collect();
    let (status, body) = app
        .graphql(&token, &format!("{{ {fields} }}"), serde_json::json!({}))
        .await;
    assert_eq!(status, 200);
    assert!(
        crate::helpers::first_error(&body).contains("complex"),
        "{body}"
    );
}
