//! The API key lifecycle: create, use, list, disable, re-enable, regenerate, etag, delete.

use crate::helpers::{TOKEN_PATH, TestApp, first_error, spawn_app};
use serde_json::{Value, json};

pub const CREATE: &str =
    "mutation { createApiKey { apikey { id clientId clientSecret enabled _etag } } }";
pub const LIST: &str = "{ apiKeys { edges { node { id clientId clientSecret enabled _etag } } } }";
pub const UPDATE: &str = "mutation($input: APIKeyInput!) {
  updateApiKey(input: $input) { apikey { clientId clientSecret enabled _etag } }
}";
pub const DELETE: &str =
    "mutation($input: APIKeyInput!) { deleteApiKey(input: $input) { apikey { clientId } } }";

/// Creates a key with `token`; returns (clientId, clientSecret, _etag).
pub async fn create_key(app: &TestApp, token: &str) -> (String, String, String) {
    let (status, body) = app.graphql(token, CREATE, json!({})).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    let key = &body["data"]["createApiKey"]["apikey"];
    (
        key["clientId"].as_str().unwrap().to_owned(),
        key["clientSecret"].as_str().unwrap().to_owned(),
        key["_etag"].as_str().unwrap().to_owned(),
    )
}

/// The node of `client_id` in `apiKeys` as `token` sees it.
pub async fn listed(app: &TestApp, token: &str, client_id: &str) -> Option<Value> {
    let (_, body) = app.graphql(token, LIST, json!({})).await;
    body["data"]["apiKeys"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("apiKeys edges in {body}"))
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["clientId"] == client_id)
}

pub async fn token_status(app: &TestApp, client_id: &str, secret: &str) -> (u16, Value) {
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
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

fn is_uuid_v4(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4)
}

#[tokio::test]
async fn a_created_key_shows_its_secret_once_and_lists_without_it() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (client_id, secret, etag) = create_key(&app, &admin).await;
    assert!(is_uuid_v4(&client_id), "clientId {client_id} is a UUIDv4");
    assert!(is_uuid_v4(&secret), "clientSecret is a UUIDv4");

    let node = listed(&app, &admin, &client_id)
        .await
        .expect("new key listed");
    assert_eq!(
        node["clientSecret"],
        Value::Null,
        "the secret is never listed"
    );
    assert_eq!(node["enabled"], true);
    assert_eq!(node["_etag"], etag.as_str());
    assert!(node["id"].is_i64(), "{node}");
    assert!(
        listed(&app, &admin, "acme-admin-key").await.is_some(),
        "the fixture key is listed too"
    );
}

#[tokio::test]
async fn secrets_are_stored_hashed() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (client_id, secret, _) = create_key(&app, &admin).await;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT secret_hash FROM clients WHERE client_id = ?1")
            .bind(&client_id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let stored = stored.expect("a hash is stored");
    assert_ne!(stored, secret);
    assert_eq!(stored, ion_mock::domain::secret::sha256_hex(&secret));
}

#[tokio::test]
async fn a_created_key_gets_tokens_at_both_paths_by_form_or_json_and_basic_or_post() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, secret, _) = create_key(&app, &admin).await;
    let audience = "https://api.buildwithion.com";
    for prefix in ["", "/auth"] {
        let url = app.url(&format!("{prefix}{TOKEN_PATH}"));
        let post_form = [
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("audience", audience),
        ];
        let post_json = json!({"grant_type": "client_credentials", "client_id": id,
                               "client_secret": secret, "audience": audience});
        let basic_form = [("grant_type", "client_credentials"), ("audience", audience)];
        let basic_json = json!({"grant_type": "client_credentials", "audience": audience});
        let cases = [
            ("form + post", app.client.post(&url).form(&post_form)),
            ("json + post", app.client.post(&url).json(&post_json)),
            (
                "form + basic",
                app.client
                    .post(&url)
                    .basic_auth(&id, Some(&secret))
                    .form(&basic_form),
            ),
            (
                "json + basic",
                app.client
                    .post(&url)
                    .basic_auth(&id, Some(&secret))
                    .json(&basic_json),
            ),
        ];
        for (why, req) in cases {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200, "{why} at {url}");
            let body: Value = res.json().await.unwrap();
            let token = body["access_token"].as_str().expect("access_token");
            let (status, me) = app
                .graphql_raw(
                    Some(token),
                    json!({"query": "{ me { email organization { id domain } } currentUser { email } }"}),
                )
                .await;
            assert_eq!(status, 200, "{why}: {me}");
            assert_eq!(me["data"]["me"]["email"], "admin@acme.test", "{why}");
            assert_eq!(
                me["data"]["me"]["organization"],
                json!({"id": 1, "domain": "acme"}),
                "{why}"
            );
            assert_eq!(me["data"]["currentUser"]["email"], "admin@acme.test");
        }
    }
}

#[tokio::test]
async fn a_disabled_key_gets_no_tokens_and_its_tokens_fail_until_re_enabled() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, secret, etag) = create_key(&app, &admin).await;
    let issued = app.key_token(&id, &secret).await;

    let (_, body) = app
        .graphql(
            &admin,
            UPDATE,
            json!({"input": {"clientId": id, "enabled": false, "_etag": etag}}),
        )
        .await;
    let key = &body["data"]["updateApiKey"]["apikey"];
    assert_eq!(key["enabled"], false, "{body}");
    assert_eq!(
        key["clientSecret"],
        Value::Null,
        "no secret unless regenerated"
    );
    let etag2 = key["_etag"].as_str().unwrap().to_owned();
    assert_ne!(etag2, etag, "every update changes the etag");

    let (status, err) = token_status(&app, &id, &secret).await;
    assert_eq!(status, 401);
    assert_eq!(err["error"], "unauthorized_client");
    let (status, body) = app.graphql(&issued, "{ me { email } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(first_error(&body), "API key is disabled.");
    assert_eq!(listed(&app, &admin, &id).await.unwrap()["enabled"], false);

    let (_, body) = app
        .graphql(
            &admin,
            UPDATE,
            json!({"input": {"clientId": id, "enabled": true, "_etag": etag2}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateApiKey"]["apikey"]["enabled"], true,
        "{body}"
    );
    assert_eq!(token_status(&app, &id, &secret).await.0, 200);
    let (status, _) = app.graphql(&issued, "{ me { email } }", json!({})).await;
    assert_eq!(
        status, 200,
        "an unexpired token works again once re-enabled"
    );
}

#[tokio::test]
async fn regenerating_shows_a_new_secret_once_and_the_old_one_fails() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, old, etag) = create_key(&app, &admin).await;
    let (_, body) = app
        .graphql(
            &admin,
            UPDATE,
            json!({"input": {"clientId": id, "regenerateSecret": true, "_etag": etag}}),
        )
        .await;
    let key = &body["data"]["updateApiKey"]["apikey"];
    let new = key["clientSecret"]
        .as_str()
        .expect("the new secret")
        .to_owned();
    assert_ne!(new, old);
    assert_eq!(key["clientId"], id.as_str(), "the client id stays");
    assert_eq!(key["enabled"], true);

    let (status, err) = token_status(&app, &id, &old).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (401, Some("unauthorized_client"))
    );
    assert_eq!(token_status(&app, &id, &new).await.0, 200);
    assert_eq!(
        listed(&app, &admin, &id).await.unwrap()["clientSecret"],
        Value::Null
    );
}

#[tokio::test]
async fn a_stale_etag_is_a_conflict_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, secret, stale) = create_key(&app, &admin).await;
    let (_, body) = app
        .graphql(
            &admin,
            UPDATE,
            json!({"input": {"clientId": id, "enabled": true, "_etag": stale}}),
        )
        .await;
    let current = body["data"]["updateApiKey"]["apikey"]["_etag"]
        .as_str()
        .unwrap()
        .to_owned();

    let attempts = [
        (
            UPDATE,
            json!({"clientId": id, "enabled": false, "_etag": stale}),
            "disable",
        ),
        (
            UPDATE,
            json!({"clientId": id, "regenerateSecret": true, "_etag": stale}),
            "regenerate",
        ),
        (DELETE, json!({"clientId": id, "_etag": stale}), "delete"),
    ];
    for (query, input, why) in attempts {
        let (status, body) = app.graphql(&admin, query, json!({"input": input})).await;
        assert_eq!(status, 200, "{why}");
        let message = first_error(&body);
        assert!(message.contains("_etag does not match"), "{why}: {message}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "CONFLICT", "{why}");
    }
    let node = listed(&app, &admin, &id).await.expect("not deleted");
    assert_eq!(node["enabled"], true, "not disabled");
    assert_eq!(node["_etag"], current.as_str(), "etag unchanged");
    assert_eq!(
        token_status(&app, &id, &secret).await.0,
        200,
        "secret unchanged"
    );
}

#[tokio::test]
async fn update_and_delete_require_an_etag() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, _, _) = create_key(&app, &admin).await;
    for (query, why) in [(UPDATE, "update"), (DELETE, "delete")] {
        let (status, body) = app
            .graphql(
                &admin,
                query,
                json!({"input": {"clientId": id, "enabled": false}}),
            )
            .await;
        assert_eq!(status, 200, "{why}");
        assert!(first_error(&body).contains("_etag"), "{why}: {body}");
    }
    assert_eq!(listed(&app, &admin, &id).await.unwrap()["enabled"], true);
}

#[tokio::test]
async fn deleting_a_key_ends_its_token_requests_and_revokes_its_tokens() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (id, secret, etag) = create_key(&app, &admin).await;
    let issued = app.key_token(&id, &secret).await;

    let (_, body) = app
        .graphql(
            &admin,
            DELETE,
            json!({"input": {"clientId": id, "_etag": etag}}),
        )
        .await;
    assert_eq!(
        body["data"]["deleteApiKey"]["apikey"]["clientId"],
        id.as_str(),
        "{body}"
    );

    let (status, err) = token_status(&app, &id, &secret).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (401, Some("unauthorized_client"))
    );
    let (status, body) = app.graphql(&issued, "{ me { email } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(first_error(&body), "Token has been revoked.");
    assert!(
        listed(&app, &admin, &id).await.is_none(),
        "no longer listed"
    );

    let (_, again) = app
        .graphql(
            &admin,
            DELETE,
            json!({"input": {"clientId": id, "_etag": etag}}),
        )
        .await;
    assert_eq!(first_error(&again), "API key not found");
}

#[tokio::test]
async fn keys_page_through_with_first_and_after() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    create_key(&app, &admin).await;
    let query = "query($after: String) { apiKeys(first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { clientId } } } }";
    let (_, first) = app.graphql(&admin, query, json!({})).await;
    let page = &first["data"]["apiKeys"];
    assert_eq!(page["totalCount"], 2, "{first}");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["edges"][0]["node"]["clientId"], "acme-admin-key");
    let cursor = page["pageInfo"]["endCursor"].clone();

    let (_, second) = app.graphql(&admin, query, json!({"after": cursor})).await;
    let page = &second["data"]["apiKeys"];
    assert_eq!(page["pageInfo"]["hasNextPage"], false, "{second}");
    assert_eq!(page["edges"].as_array().unwrap().len(), 1);
    assert_ne!(page["edges"][0]["node"]["clientId"], "acme-admin-key");
}
