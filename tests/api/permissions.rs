//! ION's permission model: roles as data, permissions frozen into keys, deactivation.

use crate::api_keys::{CREATE, DELETE, UPDATE, create_key, listed, token_status};
use crate::helpers::{TestApp, first_error, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const ATTACH: &str = "mutation($u: Int!, $r: Int!) {
  attachRoleToUser(input: {userId: $u, roleId: $r}) { user { id roles { name } } }
}";
const DETACH: &str = "mutation($u: Int!, $r: Int!) {
  detachRoleFromUser(input: {userId: $u, roleId: $r}) { user { id roles { name } } }
}";
const SET_ACTIVE: &str = "mutation($id: Int!, $active: Boolean!) {
  updateUser(input: {id: $id, active: $active}) { user { id active } }
}";

async fn role_id(app: &TestApp, token: &str, name: &str) -> i64 {
    let (_, body) = app
        .graphql(
            token,
            "query($n: String) { roles(filters: {name: {eq: $n}}) { edges { node { id } } } }",
            json!({"n": name}),
        )
        .await;
    body["data"]["roles"]["edges"][0]["node"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("role {name} in {body}"))
}

async fn user_id(app: &TestApp, token: &str, email: &str) -> i64 {
    let (_, body) = app
        .graphql(
            token,
            "query($e: String) { users(filters: {email: {eq: $e}}) { edges { node { id } } } }",
            json!({"e": email}),
        )
        .await;
    body["data"]["users"]["edges"][0]["node"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("user {email} in {body}"))
}

/// Runs a mutation that must succeed.
async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let (status, body) = app.graphql(token, query, vars).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

#[tokio::test]
async fn the_fixture_roles_are_data_with_their_permissions() {
    let app = spawn_app().await;
    let operator = app.user_token("operator@acme.test").await;
    let (_, body) = app
        .graphql(
            &operator,
            "{ roles { totalCount edges { node { name permissions } } } }",
            json!({}),
        )
        .await;
    let roles = body["data"]["roles"]["edges"]
        .as_array()
        .expect("operators may read roles");
    let admin = roles.iter().find(|r| r["node"]["name"] == "admin").unwrap();
    let perms = admin["node"]["permissions"].as_array().unwrap();
    for name in [
        "CreateAPIKey",
        "UpdateAPIKey",
        "DeleteAPIKey",
        "CreateOauthApp",
        "UpdateUser",
    ] {
        assert!(perms.iter().any(|p| p == name), "admin holds {name}");
    }
    let user = roles.iter().find(|r| r["node"]["name"] == "User").unwrap();
    assert_eq!(
        user["node"]["permissions"],
        json!([]),
        "User may only sign in and read"
    );
}

#[tokio::test]
async fn every_administrative_mutation_names_the_permission_it_needs() {
    let app = spawn_app().await;
    let operator = app.user_token("operator@acme.test").await;
    let key_input =
        json!({"input": {"clientId": "acme-admin-key", "enabled": false, "_etag": "x"}});
    let cases = [
        (CREATE, json!({}), "CreateAPIKey"),
        (UPDATE, key_input.clone(), "UpdateAPIKey"),
        (DELETE, key_input, "DeleteAPIKey"),
        (SET_ACTIVE, json!({"id": 1, "active": false}), "UpdateUser"),
        (ATTACH, json!({"u": 2, "r": 1}), "AttachRoleToUser"),
        (DETACH, json!({"u": 1, "r": 1}), "DetachRoleFromUser"),
    ];
    for (query, vars, permission) in cases {
        let (status, body) = app.graphql(&operator, query, vars).await;
        assert_eq!(status, 200, "{permission}");
        assert!(
            first_error(&body).contains(permission),
            "{permission}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
    let node = listed(&app, &operator, "acme-admin-key")
        .await
        .expect("operators may read keys");
    assert_eq!(node["enabled"], true, "the refused update changed nothing");
}

#[tokio::test]
async fn a_key_keeps_the_admin_permissions_its_user_had_when_it_was_created() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let (frozen_id, frozen_secret, _) = create_key(&app, &admin).await;
    let me = user_id(&app, &admin, "admin@acme.test").await;
    let admin_role = role_id(&app, &admin, "admin").await;
    let data = ok(&app, &admin, DETACH, json!({"u": me, "r": admin_role})).await;
    assert_eq!(
        data["detachRoleFromUser"]["user"]["roles"],
        json!([]),
        "admin role gone"
    );

    let user_token = app.user_token("admin@acme.test").await;
    let (_, refused) = app.graphql(&user_token, CREATE, json!({})).await;
    assert!(
        first_error(&refused).contains("CreateAPIKey"),
        "the user lost it: {refused}"
    );

    let key_token = app.key_token(&frozen_id, &frozen_secret).await;
    let data = ok(&app, &key_token, CREATE, json!({})).await;
    let (newer_id, newer_secret) = (
        data["createApiKey"]["apikey"]["clientId"]
            .as_str()
            .unwrap()
            .to_owned(),
        data["createApiKey"]["apikey"]["clientSecret"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    ok(
        &app,
        &key_token,
        ATTACH,
        json!({"u": me, "r": role_id(&app, &admin, "User").await}),
    )
    .await;

    // A key made now freezes what the user holds now: nothing administrative.
    let newer = app.key_token(&newer_id, &newer_secret).await;
    let (_, refused) = app.graphql(&newer, CREATE, json!({})).await;
    assert!(first_error(&refused).contains("CreateAPIKey"), "{refused}");

    // Giving the role back does not reach into keys made without it.
    ok(&app, &key_token, ATTACH, json!({"u": me, "r": admin_role})).await;
    let newer = app.key_token(&newer_id, &newer_secret).await;
    let (_, still) = app.graphql(&newer, CREATE, json!({})).await;
    assert!(first_error(&still).contains("CreateAPIKey"), "{still}");
}

/// Acme with an operator who may create keys and nothing else, and a key of theirs.
const KEY_MAKER_FIXTURES: &str = r#"
[[roles]]
name = "admin"
permissions = ["*"]

[[roles]]
name = "KeyMaker"
permissions = ["CreateAPIKey"]

[[orgs]]
id = 1
name = "Acme Manufacturing"
domain = "acme"

[[users]]
email = "admin@acme.test"
name = "Acme Admin"
password = "admin"
org = "acme"
roles = ["admin"]

[[users]]
email = "operator@acme.test"
name = "Acme Operator"
password = "operator"
org = "acme"
roles = ["KeyMaker"]

[[api_keys]]
user = "admin@acme.test"
client_id = "acme-admin-key"
client_secret = "acme-admin-secret"

[[api_keys]]
user = "operator@acme.test"
client_id = "op-key"
client_secret = "op-secret"
"#;

#[tokio::test]
async fn a_key_never_gets_more_than_the_token_that_created_it() {
    let fixtures = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(fixtures.path(), KEY_MAKER_FIXTURES).unwrap();
    let mut settings = ion_mock::Settings::for_tests();
    settings.store.fixtures = Some(fixtures.path().to_owned());
    let app = spawn_app_with(settings).await;
    let admin = app.acme_admin_token().await;
    let operator = user_id(&app, &admin, "operator@acme.test").await;
    // The operator becomes an admin after their key was made...
    ok(
        &app,
        &admin,
        ATTACH,
        json!({"u": operator, "r": role_id(&app, &admin, "admin").await}),
    )
    .await;

    // ...so their old key still may only create keys, and so may any key it creates.
    let op_key = app.key_token("op-key", "op-secret").await;
    let (child_id, child_secret, _) = create_key(&app, &op_key).await;
    for (id, secret) in [
        ("op-key", "op-secret"),
        (child_id.as_str(), child_secret.as_str()),
    ] {
        let token = app.key_token(id, secret).await;
        let (_, body) = app
            .graphql(&token, SET_ACTIVE, json!({"id": 1, "active": true}))
            .await;
        assert!(
            first_error(&body).contains("UpdateUser"),
            "{id} gained nothing: {body}"
        );
        create_key(&app, &token).await;
    }
    // The operator's own token follows their roles now.
    let operator_now = app.user_token("operator@acme.test").await;
    ok(
        &app,
        &operator_now,
        SET_ACTIVE,
        json!({"id": 1, "active": true}),
    )
    .await;
}

#[tokio::test]
async fn deactivating_a_user_stops_their_keys_and_tokens_until_reactivated() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let operator = user_id(&app, &admin, "operator@acme.test").await;
    ok(
        &app,
        &admin,
        ATTACH,
        json!({"u": operator, "r": role_id(&app, &admin, "admin").await}),
    )
    .await;
    let (id, secret, _) = create_key(&app, &app.user_token("operator@acme.test").await).await;
    let issued = app.key_token(&id, &secret).await;

    let data = ok(
        &app,
        &admin,
        SET_ACTIVE,
        json!({"id": operator, "active": false}),
    )
    .await;
    assert_eq!(data["updateUser"]["user"]["active"], false);
    let (status, err) = token_status(&app, &id, &secret).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (401, Some("unauthorized_client"))
    );
    let (status, body) = app.graphql(&issued, "{ me { email } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(first_error(&body), "User account is deactivated.");
    assert_eq!(listed(&app, &admin, &id).await.unwrap()["enabled"], false);

    ok(
        &app,
        &admin,
        SET_ACTIVE,
        json!({"id": operator, "active": true}),
    )
    .await;
    assert_eq!(token_status(&app, &id, &secret).await.0, 200);
    let (status, _) = app.graphql(&issued, "{ me { email } }", json!({})).await;
    assert_eq!(status, 200, "the unexpired token works again");
    assert_eq!(listed(&app, &admin, &id).await.unwrap()["enabled"], true);
}

#[tokio::test]
async fn nobody_can_deactivate_themselves() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let me = user_id(&app, &admin, "admin@acme.test").await;
    let (_, body) = app
        .graphql(&admin, SET_ACTIVE, json!({"id": me, "active": false}))
        .await;
    assert_eq!(first_error(&body), "You cannot deactivate your own account");
    assert_eq!(
        token_status(&app, "acme-admin-key", "acme-admin-secret")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn user_tokens_follow_role_changes_at_once() {
    let app = spawn_app().await;
    let admin = app.acme_admin_token().await;
    let operator_token = app.user_token("operator@acme.test").await;
    let (_, refused) = app.graphql(&operator_token, CREATE, json!({})).await;
    assert!(first_error(&refused).contains("CreateAPIKey"));
    let operator = user_id(&app, &admin, "operator@acme.test").await;
    ok(
        &app,
        &admin,
        ATTACH,
        json!({"u": operator, "r": role_id(&app, &admin, "admin").await}),
    )
    .await;
    create_key(&app, &operator_token).await;
}

#[tokio::test]
async fn users_lists_the_orgs_users_with_roles_and_status() {
    let app = spawn_app().await;
    let operator = app.user_token("operator@acme.test").await;
    let (_, body) = app
        .graphql(
            &operator,
            "{ users { totalCount edges { node { email active organizationId roles { name } } } } }",
            json!({}),
        )
        .await;
    let users = &body["data"]["users"];
    assert_eq!(users["totalCount"], 3, "Acme's three users only: {body}");
    let by_email = |email: &str| {
        users["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .find(|n| n["email"] == email)
            .cloned()
            .unwrap_or_else(|| panic!("{email} listed"))
    };
    assert_eq!(
        by_email("admin@acme.test")["roles"],
        json!([{"name": "admin"}])
    );
    assert_eq!(by_email("disabled@acme.test")["active"], false);
    assert_eq!(by_email("operator@acme.test")["organizationId"], 1);
}
