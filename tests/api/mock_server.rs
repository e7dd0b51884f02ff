//! The in-process `MockServer`, used as an integrator's Rust test would use it.

use crate::flow::{browser_like_client, location, query_param, sign_in};
use ion_mock::MockServer;
use ion_mock::controls::tokens::MintRequest;
use serde_json::{Value, json};

/// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn me(server: &MockServer, token: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/graphql", server.url()))
        .header("Authorization", token)
        .json(&json!({"query": "{ me { email organization { domain } } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_mock_server_runs_client_credentials_and_a_sign_in_in_a_few_lines() {
    let server = MockServer::start().await;
    let http = reqwest::Client::new();

    // Client credentials with a key made for this test.
    let key = server.create_api_key("admin@acme.test").await.unwrap();
    let token: Value = http
        .post(server.token_endpoint())
        .basic_auth(&key.client_id, key.client_secret.as_deref())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access_token = token["access_token"].as_str().expect("an access token");
    assert_eq!(
        me(&server, access_token).await["data"]["me"]["email"],
        "admin@acme.test"
    );

    // Authorization code with PKCE for an app registered for this test.
    let callback = "http://localhost:7777/callback";
    let app = server
        .register_app(
            "admin@acme.test",
            "Test SPA",
            "spa",
            &[(callback, "callback")],
        )
        .await
        .unwrap();
    let authorize = format!(
        "{}/protocol/openid-connect/auth?client_id={}&redirect_uri={callback}&response_type=code\
         &scope=openid&state=s1&code_challenge={CHALLENGE}&code_challenge_method=S256",
        server.issuer(),
        app.client_id
    );
    let res = sign_in(
        &browser_like_client(),
        &authorize,
        "operator@acme.test",
        "operator",
    )
    .await;
    let code = query_param(&location(&res), "code").expect("a code at the callback");
    let tokens: Value = http
        .post(server.token_endpoint())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &app.client_id),
            ("code", &code),
            ("redirect_uri", callback),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(tokens["id_token"].is_string(), "{tokens}");
    let access_token = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        me(&server, access_token).await["data"]["me"]["email"],
        "operator@acme.test"
    );
}

#[tokio::test]
async fn minted_tokens_expire_when_the_mock_servers_clock_moves() {
    let server = MockServer::start().await;
    let token = server.user_token("operator@acme.test").await;
    assert_eq!(
        me(&server, &token).await["data"]["me"]["email"],
        "operator@acme.test"
    );
    server.advance_clock(3600);
    assert_eq!(
        me(&server, &token).await["errors"][0]["message"],
        "Token is expired."
    );
}

#[tokio::test]
async fn the_builder_sets_realms_clock_offset_lifetimes_and_fixtures() {
    let server = MockServer::builder()
        .realm("suite-a")
        .clock_offset(-86_400)
        .client_token_lifetime(42)
        .start()
        .await;
    assert!(
        (server.now() - (chrono::Utc::now().timestamp() - 86_400)).abs() <= 2,
        "the clock starts a day back"
    );
    let minted = server
        .mint(MintRequest {
            client_id: Some("acme-admin-key".into()),
            ..MintRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(minted.expires_in, 42, "the client token lifetime applies");
    let discovery: Value = reqwest::get(format!(
        "{}/.well-known/openid-configuration",
        server.realm_issuer("suite-a")
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(discovery["issuer"], server.realm_issuer("suite-a"));

    let bad = MockServer::builder()
        .fixtures_toml("[[users]]\nemail = 1\n")
        .try_start()
        .await;
    let error = format!("{:#}", bad.err().expect("bad fixtures refuse to start"));
    assert!(error.contains("bad fixtures"), "{error}");
}

#[tokio::test]
async fn dropping_the_mock_server_stops_it() {
    let server = MockServer::start().await;
    let health = format!("{}/health", server.url());
    assert_eq!(reqwest::get(&health).await.unwrap().status(), 200);
    drop(server);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while reqwest::get(&health).await.is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "still serving 10 s after drop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
