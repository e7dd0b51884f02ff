//! Nothing of another org is visible or changeable, and asking about it answers exactly as
//! asking about something that does not exist.

use crate::api_keys::{DELETE, UPDATE, create_key, listed, token_status};
use crate::helpers::{first_error, spawn_app};
use serde_json::json;

const ACME_APPS: &str = "{ oauthApps { id clientId redirectUris { id uri uriType } } }";
const MISSING_KEY: &str = "00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn each_orgs_key_acts_in_its_own_org() {
    let app = spawn_app().await;
    for (token, email, domain) in [
        (app.acme_admin_token().await, "admin@acme.test", "acme"),
        (
            app.globex_admin_token().await,
            "admin@globex.test",
            "globex",
        ),
    ] {
        let (_, body) = app
            .graphql(
                &token,
                "{ me { email organization { domain } } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["me"]["email"], email);
        assert_eq!(body["data"]["me"]["organization"]["domain"], domain);
    }
}

#[tokio::test]
async fn globex_lists_none_of_acmes_keys() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let globex = app.globex_admin_token().await;
    let (acme_key, _, _) = create_key(&app, &acme).await;
    let (_, body) = app
        .graphql(
            &globex,
            "{ apiKeys { totalCount edges { node { clientId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["apiKeys"]["totalCount"], 1, "{body}");
    assert_eq!(
        body["data"]["apiKeys"]["edges"],
        json!([{"node": {"clientId": "globex-admin-key"}}])
    );
    assert!(listed(&app, &globex, &acme_key).await.is_none());
}

#[tokio::test]
async fn globex_gets_the_same_answer_for_acmes_key_as_for_a_missing_one() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let globex = app.globex_admin_token().await;
    let (acme_key, secret, etag) = create_key(&app, &acme).await;

    for (query, extra, why) in [
        (UPDATE, json!({"enabled": false}), "disable"),
        (UPDATE, json!({"regenerateSecret": true}), "regenerate"),
        (DELETE, json!({}), "delete"),
    ] {
        let answer = |client_id: &str| {
            let mut input = extra.clone();
            input["clientId"] = json!(client_id);
            input["_etag"] = json!(etag);
            app.graphql(&globex, query, json!({"input": input}))
        };
        let (foreign_status, foreign) = answer(&acme_key).await;
        let (missing_status, missing) = answer(MISSING_KEY).await;
        assert_eq!(foreign_status, missing_status, "{why}");
        assert_eq!(foreign, missing, "{why}: identical bodies");
        assert_eq!(first_error(&foreign), "API key not found", "{why}");
    }
    let node = listed(&app, &acme, &acme_key).await.expect("still there");
    assert_eq!(node["enabled"], true);
    assert_eq!(node["_etag"], etag.as_str(), "untouched");
    assert_eq!(
        token_status(&app, &acme_key, &secret).await.0,
        200,
        "secret unchanged"
    );
}

#[tokio::test]
async fn globex_gets_the_same_answer_for_acmes_apps_as_for_missing_ones() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let globex = app.globex_admin_token().await;
    let (_, apps) = app.graphql(&acme, ACME_APPS, json!({})).await;
    let dashboard = apps["data"]["oauthApps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["clientId"] == "acme-dashboard")
        .cloned()
        .expect("fixture app");
    let app_id = dashboard["id"].as_i64().unwrap();
    let uri_id = dashboard["redirectUris"][0]["id"].as_i64().unwrap();

    let (_, listed_apps) = app
        .graphql(&globex, "{ oauthApps { id } }", json!({}))
        .await;
    assert_eq!(listed_apps["data"]["oauthApps"], json!([]));

    // Ids are echoed in the message, so compare with the id written out.
    let cases = [
        (
            "query($id: Int!) { oauthApp(id: $id) { id } }",
            app_id,
            None,
        ),
        (
            "mutation($id: Int!) { addOauthRedirectUri(oauthAppId: $id, uri: \"https://evil.example/cb\", uriType: \"callback\") { redirectUri { id } } }",
            app_id,
            Some("OAuth app {id} not found"),
        ),
        (
            "mutation($id: Int!) { removeOauthRedirectUri(id: $id) { redirectUri { id } } }",
            uri_id,
            Some("Redirect URI {id} not found"),
        ),
        (
            "mutation($id: Int!) { deleteOauthApp(id: $id) { oauthApp { id } } }",
            app_id,
            Some("OAuth app {id} not found"),
        ),
    ];
    for (query, foreign_id, message) in cases {
        let missing_id = 987_654;
        let (_, foreign) = app.graphql(&globex, query, json!({"id": foreign_id})).await;
        let (_, missing) = app.graphql(&globex, query, json!({"id": missing_id})).await;
        match message {
            None => {
                assert_eq!(foreign["data"], missing["data"], "{query}");
                assert_eq!(foreign.get("errors"), None);
            }
            Some(template) => {
                let expect = |id: i64| template.replace("{id}", &id.to_string());
                assert_eq!(first_error(&foreign), expect(foreign_id), "{query}");
                assert_eq!(first_error(&missing), expect(missing_id), "{query}");
            }
        }
    }
    let (_, after) = app.graphql(&acme, ACME_APPS, json!({})).await;
    assert_eq!(after, apps, "Acme's apps and URIs are untouched");
}

#[tokio::test]
async fn globex_gets_the_same_answer_for_acmes_users_as_for_missing_ones() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let globex = app.globex_admin_token().await;
    let (_, body) = app
        .graphql(&globex, "{ users { edges { node { email } } } }", json!({}))
        .await;
    assert_eq!(
        body["data"]["users"]["edges"],
        json!([{"node": {"email": "admin@globex.test"}}])
    );
    let (_, me) = app.graphql(&acme, "{ me { id } }", json!({})).await;
    let acme_admin = me["data"]["me"]["id"].as_i64().unwrap();
    let cases = [
        "mutation($id: Int!) { updateUser(input: {id: $id, active: false}) { user { id } } }",
        "mutation($id: Int!) { attachRoleToUser(input: {userId: $id, roleId: 1}) { user { id } } }",
        "mutation($id: Int!) { detachRoleFromUser(input: {userId: $id, roleId: 1}) { user { id } } }",
    ];
    for query in cases {
        let (_, foreign) = app.graphql(&globex, query, json!({"id": acme_admin})).await;
        let (_, missing) = app.graphql(&globex, query, json!({"id": 987_654})).await;
        assert_eq!(foreign, missing, "{query}");
        assert_eq!(first_error(&foreign), "User not found", "{query}");
    }
    assert_eq!(
        token_status(&app, "acme-admin-key", "acme-admin-secret")
            .await
            .0,
        200,
        "Acme's admin is still active"
    );
}
