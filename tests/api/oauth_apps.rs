use crate::helpers::{TestApp, first_error, spawn_app};
use serde_json::{Value, json};

const REGISTER: &str = "mutation($name: String!, $appType: String!) {
  registerOauthApp(name: $name, appType: $appType) {
    oauthApp { id name appType clientId clientSecret issuer authorizationEndpoint tokenEndpoint
               redirectUris { id uri uriType } }
  }
}";
const ADD_URI: &str = "mutation($id: Int!, $uri: String!, $t: String!) {
  addOauthRedirectUri(oauthAppId: $id, uri: $uri, uriType: $t) { redirectUri { id uri uriType } }
}";
const LIST: &str =
    "{ oauthApps { id name clientId clientSecret redirectUris { id uri uriType } } }";

async fn register(app: &TestApp, token: &str, name: &str, app_type: &str) -> Value {
    let (status, body) = app
        .graphql(token, REGISTER, json!({"name": name, "appType": app_type}))
        .await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["registerOauthApp"]["oauthApp"].clone()
}

#[tokio::test]
async fn an_admin_registers_an_app_adds_lists_removes_and_deletes() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;

    let created = register(&app, &token, "Acme Production Dashboard", "regular_web").await;
    let id = created["id"].as_i64().expect("integer id");
    assert_eq!(created["appType"], "regular_web");
    assert!(
        created["clientSecret"]
            .as_str()
            .is_some_and(|s| s.len() >= 32)
    );
    assert_eq!(created["issuer"], app.issuer());
    assert_eq!(
        created["tokenEndpoint"],
        format!("{}/protocol/openid-connect/token", app.issuer())
    );
    assert_eq!(
        created["authorizationEndpoint"],
        format!("{}/protocol/openid-connect/auth", app.issuer())
    );

    let (_, added) = app
        .graphql(
            &token,
            ADD_URI,
            json!({"id": id, "uri": "https://app.example.com/auth/callback", "t": "callback"}),
        )
        .await;
    let uri = &added["data"]["addOauthRedirectUri"]["redirectUri"];
    assert_eq!(uri["uri"], "https://app.example.com/auth/callback");
    assert_eq!(uri["uriType"], "callback");
    let uri_id = uri["id"].as_i64().unwrap();

    let (_, listed) = app.graphql(&token, LIST, json!({})).await;
    let apps = listed["data"]["oauthApps"].as_array().unwrap();
    let mine = apps.iter().find(|a| a["id"] == id).expect("new app listed");
    assert_eq!(
        mine["clientSecret"],
        Value::Null,
        "secret is shown once only"
    );
    assert_eq!(mine["redirectUris"][0]["id"], uri_id);
    assert!(
        apps.iter().any(|a| a["clientId"] == "acme-dashboard"),
        "fixture apps listed too"
    );

    let (_, one) = app
        .graphql(
            &token,
            "query($id: Int!) { oauthApp(id: $id) { clientId clientSecret } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(one["data"]["oauthApp"]["clientId"], created["clientId"]);
    assert_eq!(one["data"]["oauthApp"]["clientSecret"], Value::Null);

    let (_, removed) = app
        .graphql(
            &token,
            "mutation($id: Int!) { removeOauthRedirectUri(id: $id) { redirectUri { id } } }",
            json!({"id": uri_id}),
        )
        .await;
    assert_eq!(
        removed["data"]["removeOauthRedirectUri"]["redirectUri"]["id"],
        uri_id
    );

    let (_, deleted) = app
        .graphql(
            &token,
            "mutation($id: Int!) { deleteOauthApp(id: $id) { oauthApp { id } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(deleted["data"]["deleteOauthApp"]["oauthApp"]["id"], id);

    let (_, gone) = app
        .graphql(
            &token,
            "query($id: Int!) { oauthApp(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(gone["data"]["oauthApp"], Value::Null);
}

#[tokio::test]
async fn public_apps_get_no_secret_and_machine_apps_do() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    for (t, has_secret) in [
        ("spa", false),
        ("native", false),
        ("non_interactive", true),
        ("regular_web", true),
    ] {
        let created = register(&app, &token, "x", t).await;
        assert_eq!(created["clientSecret"].is_string(), has_secret, "{t}");
    }
}

#[tokio::test]
async fn a_registered_machine_app_gets_a_token_with_its_secret() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let created = register(&app, &token, "ETL", "non_interactive").await;
    let access = app
        .key_token(
            created["clientId"].as_str().unwrap(),
            created["clientSecret"].as_str().unwrap(),
        )
        .await;
    let (_, me) = app.graphql(&access, "{ me { email } }", json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "admin@acme.test");
}

#[tokio::test]
async fn bad_app_and_uri_types_are_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let token = app.acme_admin_token().await;
    let (status, body) = app
        .graphql(&token, REGISTER, json!({"name": "x", "appType": "web"}))
        .await;
    assert_eq!(status, 200);
    assert!(first_error(&body).contains("appType"), "{body}");

    let created = register(&app, &token, "x", "regular_web").await;
    let id = created["id"].as_i64().unwrap();
    let cases = [
        (
            json!({"id": id, "uri": "https://a.example/cb", "t": "redirect"}),
            "uriType",
            "unknown uriType",
        ),
        (
            json!({"id": id, "uri": "not a uri", "t": "callback"}),
            "Invalid uri",
            "not a URI",
        ),
        (
            json!({"id": id, "uri": "https://a.example/cb#x", "t": "callback"}),
            "fragment",
            "fragment",
        ),
        (
            json!({"id": id, "uri": "https://a.example/path", "t": "origin"}),
            "origin",
            "origin with a path",
        ),
        (
            json!({"id": 999_999, "uri": "https://a.example/cb", "t": "callback"}),
            "not found",
            "no such app",
        ),
    ];
    for (vars, fragment, why) in cases {
        let (status, body) = app.graphql(&token, ADD_URI, vars).await;
        assert_eq!(status, 200, "{why}");
        assert!(first_error(&body).contains(fragment), "{why}: {body}");
    }
}

#[tokio::test]
async fn a_user_without_the_permission_is_refused_by_name() {
    let app = spawn_app().await;
    let operator = app.user_token("operator@acme.test").await;
    let (status, body) = app
        .graphql(&operator, REGISTER, json!({"name": "x", "appType": "spa"}))
        .await;
    assert_eq!(status, 200);
    assert!(first_error(&body).contains("CreateOauthApp"), "{body}");

    let (_, body) = app
        .graphql(
            &operator,
            ADD_URI,
            json!({"id": 1, "uri": "https://a.example/cb", "t": "callback"}),
        )
        .await;
    assert!(first_error(&body).contains("UpdateOauthApp"), "{body}");
    let (_, body) = app
        .graphql(
            &operator,
            "mutation { deleteOauthApp(id: 1) { oauthApp { id } } }",
            json!({}),
        )
        .await;
    assert!(first_error(&body).contains("DeleteOauthApp"), "{body}");
    let (_, listed) = app.graphql(&operator, LIST, json!({})).await;
    assert!(
        listed["data"]["oauthApps"].as_array().is_some(),
        "operators may read: {listed}"
    );
}

#[tokio::test]
async fn another_orgs_apps_are_invisible_and_untouchable() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let globex = app.globex_admin_token().await;
    let created = register(&app, &acme, "Acme only", "regular_web").await;
    let id = created["id"].as_i64().unwrap();

    let (_, listed) = app.graphql(&globex, LIST, json!({})).await;
    assert_eq!(
        listed["data"]["oauthApps"],
        json!([]),
        "Globex sees none of Acme's apps"
    );
    let (_, one) = app
        .graphql(
            &globex,
            "query($id: Int!) { oauthApp(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(one["data"]["oauthApp"], Value::Null);

    let missing = 987_654;
    for target in [id, missing] {
        let (_, add) = app
            .graphql(
                &globex,
                ADD_URI,
                json!({"id": target, "uri": "https://evil.example/cb", "t": "callback"}),
            )
            .await;
        let (_, del) = app
            .graphql(
                &globex,
                "mutation($id: Int!) { deleteOauthApp(id: $id) { oauthApp { id } } }",
                json!({"id": target}),
            )
            .await;
        assert_eq!(first_error(&add), format!("OAuth app {target} not found"));
        assert_eq!(first_error(&del), format!("OAuth app {target} not found"));
    }
    let (_, still) = app
        .graphql(
            &acme,
            "query($id: Int!) { oauthApp(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(still["data"]["oauthApp"]["id"], id);
}

#[tokio::test]
async fn deleting_an_app_revokes_its_tokens() {
    let app = spawn_app().await;
    let acme = app.acme_admin_token().await;
    let created = register(&app, &acme, "ETL", "non_interactive").await;
    let access = app
        .key_token(
            created["clientId"].as_str().unwrap(),
            created["clientSecret"].as_str().unwrap(),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    app.graphql(
        &acme,
        "mutation($id: Int!) { deleteOauthApp(id: $id) { oauthApp { id } } }",
        json!({"id": id}),
    )
    .await;
    let (status, body) = app.graphql(&access, "{ me { email } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(first_error(&body), "Token has been revoked.");
}
