//! The offline subcommands of the real binary: each one's happy path and one bad input.

use crate::flow::claims;
use crate::helpers::{TestApp, first_error, spawn_app_with};
use ion_mock::Settings;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `ion-mock ARGS` with no ion-mock variables from the environment.
fn ion_mock(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ion-mock"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("ION_MOCK_FIXTURES")
        .env_remove("ION_MOCK_PUBLIC_URL")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json_out(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).expect("JSON on stdout")
}

/// Asserts a refusal: non-zero exit, nothing on stdout, the reason on stderr.
fn assert_refused(out: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail; stderr: {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert!(
        stderr.contains(reason),
        "stderr {stderr:?} names {reason:?}"
    );
}

fn db_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// A server on a file database, its first signing key stored, so offline commands find it.
async fn server_on(url: &str, public_url: Option<&str>) -> TestApp {
    let mut settings = Settings::for_tests();
    settings.store.database_url = url.to_owned();
    settings.store.public_url = public_url.map(|u| u.parse().unwrap());
    let app = spawn_app_with(settings).await;
    app.state.keys.flush(&app.state.db).await.unwrap();
    app
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.graphql(token, "{ me { email } }", json!({})).await.1
}

#[tokio::test]
async fn token_mints_offline_what_the_server_on_that_database_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let app = server_on(&url, None).await;

    let token = stdout(&ion_mock(&[
        "token",
        "--database-url",
        &url,
        "--user",
        "operator@acme.test",
    ]));
    let token = token.trim();
    assert_eq!(claims(token)["iss"], app.issuer(), "the server's issuer");
    assert_eq!(
        me(&app, token).await["data"]["me"]["email"],
        "operator@acme.test"
    );

    let expired = stdout(&ion_mock(&[
        "token",
        "--database-url",
        &url,
        "--user",
        "operator@acme.test",
        "--lifetime",
        "-60",
    ]));
    assert_eq!(
        first_error(&me(&app, expired.trim()).await),
        "Token is expired."
    );

    let answer = json_out(&ion_mock(&[
        "token",
        "--database-url",
        &url,
        "--client-id",
        "acme-admin-key",
        "--claim",
        "team=\"qa\"",
        "--id-token",
        "--json",
    ]));
    assert_eq!(answer["token_type"], "Bearer");
    assert!(answer["id_token"].is_string(), "{answer}");
    assert_eq!(
        claims(answer["access_token"].as_str().unwrap())["team"],
        "qa"
    );
}

#[test]
fn token_refuses_an_unknown_user_on_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let out = ion_mock(&[
        "token",
        "--database-url",
        &url,
        "--user",
        "nobody@acme.test",
    ]);
    assert_refused(&out, "No user 'nobody@acme.test'");
    let out = ion_mock(&[
        "token",
        "--database-url",
        &url,
        "--user",
        "a@b",
        "--claim",
        "x",
    ]);
    assert_refused(&out, "expected NAME=VALUE");
}

#[tokio::test]
async fn app_register_shows_the_secret_once_and_app_list_never_again() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let app = server_on(&url, None).await;

    let registered = json_out(&ion_mock(&[
        "app",
        "register",
        "--database-url",
        &url,
        "--user",
        "admin@acme.test",
        "--name",
        "Nightly ETL",
        "--type",
        "non_interactive",
    ]));
    let client_id = registered["clientId"].as_str().unwrap();
    let secret = registered["clientSecret"].as_str().expect("a secret, once");
    let token = app.key_token(client_id, secret).await;
    assert_eq!(
        me(&app, &token).await["data"]["me"]["email"],
        "admin@acme.test"
    );

    let web = json_out(&ion_mock(&[
        "app",
        "register",
        "--database-url",
        &url,
        "--user",
        "admin@acme.test",
        "--name",
        "Web",
        "--type",
        "spa",
        "--callback",
        "http://localhost:4444/cb",
        "--origin",
        "http://localhost:4444",
    ]));
    assert_eq!(
        web["clientSecret"],
        Value::Null,
        "public apps have no secret"
    );
    assert_eq!(web["redirectUris"].as_array().unwrap().len(), 2);

    let listed = json_out(&ion_mock(&[
        "app",
        "list",
        "--database-url",
        &url,
        "--org",
        "acme",
    ]));
    let listed = listed.as_array().unwrap();
    let etl = listed
        .iter()
        .find(|a| a["clientId"] == client_id)
        .expect("the registered app is listed");
    assert_eq!(etl["clientSecret"], Value::Null, "never shown again");
    assert!(listed.iter().any(|a| a["clientId"] == "acme-dashboard"));
    let (_, graphql) = app
        .graphql(&token, "{ oauthApps { clientId } }", json!({}))
        .await;
    assert!(
        graphql["data"]["oauthApps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["clientId"] == web["clientId"]),
        "the running server sees apps the CLI registered: {graphql}"
    );
}

#[test]
fn app_register_and_list_refuse_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let out = ion_mock(&[
        "app",
        "register",
        "--database-url",
        &url,
        "--user",
        "admin@acme.test",
        "--name",
        "X",
        "--type",
        "desktop",
    ]);
    assert_refused(&out, "Invalid appType 'desktop'");
    let out = ion_mock(&[
        "app",
        "register",
        "--database-url",
        &url,
        "--user",
        "admin@acme.test",
        "--name",
        "X",
        "--type",
        "spa",
        "--callback",
        "not a url",
    ]);
    assert_refused(&out, "not a url");
    let out = ion_mock(&["app", "list", "--database-url", &url, "--org", "initech"]);
    assert_refused(&out, "no organization with domain \"initech\"");
}

#[tokio::test]
async fn apikey_create_makes_a_key_the_server_gives_tokens_to() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let app = server_on(&url, None).await;
    let key = json_out(&ion_mock(&[
        "apikey",
        "create",
        "--database-url",
        &url,
        "--user",
        "operator@acme.test",
    ]));
    let token = app
        .key_token(
            key["clientId"].as_str().unwrap(),
            key["clientSecret"].as_str().unwrap(),
        )
        .await;
    assert_eq!(
        me(&app, &token).await["data"]["me"]["email"],
        "operator@acme.test"
    );
    assert_eq!(key["tokenEndpoint"], app.url(crate::helpers::TOKEN_PATH));
}

#[test]
fn apikey_create_refuses_a_deactivated_user() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let out = ion_mock(&[
        "apikey",
        "create",
        "--database-url",
        &url,
        "--user",
        "disabled@acme.test",
    ]);
    assert_refused(&out, "is deactivated");
}

#[tokio::test]
async fn export_then_import_into_a_fresh_database_keeps_apps_keys_users_and_revocations() {
    let dir = tempfile::tempdir().unwrap();
    let (first_url, second_url) = (db_url(dir.path(), "a.db"), db_url(dir.path(), "b.db"));
    let public_url = Some("http://ion-mock.test");

    let first = server_on(&first_url, public_url).await;
    let admin = first.acme_admin_token().await;
    let (_, created) = first
        .graphql(
            &admin,
            "mutation { registerOauthApp(name: \"Saved\", appType: \"non_interactive\") { oauthApp { clientId clientSecret } } }",
            json!({}),
        )
        .await;
    let saved = created["data"]["registerOauthApp"]["oauthApp"].clone();
    let (_, deactivated) = first
        .graphql(
            &admin,
            "mutation { updateUser(input: {id: 2, active: false}) { user { id active } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        deactivated["data"]["updateUser"]["user"]["active"], false,
        "{deactivated}"
    );
    let revoked = first.acme_admin_token().await;
    let res = first
        .client
        .post(first.url("/mock/revocations"))
        .bearer_auth(&admin)
        .json(&json!({"jti": claims(&revoked)["jti"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    first.state.db.close().await;
    drop(first);

    let snapshot = dir.path().join("scenario.json");
    let snapshot = snapshot.to_str().unwrap();
    stdout(&ion_mock(&[
        "export",
        "--database-url",
        &first_url,
        "--output",
        snapshot,
    ]));
    stdout(&ion_mock(&[
        "import",
        "--database-url",
        &second_url,
        snapshot,
    ]));

    let second = server_on(&second_url, public_url).await;
    assert_eq!(
        me(&second, &admin).await["data"]["me"]["email"],
        "admin@acme.test",
        "a token from before the export verifies"
    );
    assert_eq!(
        first_error(&me(&second, &revoked).await),
        "Token has been revoked.",
        "and a revoked one stays revoked"
    );
    second
        .key_token(
            saved["clientId"].as_str().unwrap(),
            saved["clientSecret"].as_str().unwrap(),
        )
        .await;
    let (_, users) = second
        .graphql(
            &admin,
            "{ users(filters: {email: {eq: \"operator@acme.test\"}}) { edges { node { active } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        users["data"]["users"]["edges"][0]["node"]["active"], false,
        "user changes come along: {users}"
    );
}

#[test]
fn import_refuses_what_is_not_a_snapshot_of_this_schema_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path(), "ion.db");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{\"hello\": 1}").unwrap();
    let out = ion_mock(&["import", "--database-url", &url, garbage.to_str().unwrap()]);
    assert_refused(&out, "is not an ion-mock snapshot");

    let snapshot = dir.path().join("snap.json");
    stdout(&ion_mock(&[
        "app",
        "register",
        "--database-url",
        &url,
        "--user",
        "admin@acme.test",
        "--name",
        "Before",
        "--type",
        "spa",
    ]));
    // The file may also be named without --output.
    stdout(&ion_mock(&[
        "export",
        "--database-url",
        &url,
        snapshot.to_str().unwrap(),
    ]));
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    old["schema_version"] = json!(1);
    let old_path = dir.path().join("old.json");
    std::fs::write(&old_path, old.to_string()).unwrap();
    let out = ion_mock(&["import", "--database-url", &url, old_path.to_str().unwrap()]);
    assert_refused(&out, "is of schema version 1");

    let listed = json_out(&ion_mock(&["app", "list", "--database-url", &url]));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Before"),
        "nothing was lost"
    );
}

#[test]
fn every_subcommand_documents_its_flags_in_help() {
    let cases: [(&[&str], &str); 8] = [
        (&["--help"], "--tls"),
        (&["serve", "--help"], "--public-url"),
        (&["token", "--help"], "--variant"),
        (&["app", "register", "--help"], "--callback"),
        (&["app", "list", "--help"], "--org"),
        (&["apikey", "create", "--help"], "--user"),
        (&["export", "--help"], "--output"),
        (&["import", "--help"], "--database-url"),
    ];
    for (args, flag) in cases {
        let help = stdout(&ion_mock(args));
        assert!(help.contains(flag), "{args:?} documents {flag}: {help}");
    }
}
