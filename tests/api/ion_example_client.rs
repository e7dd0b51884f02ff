//! ION's own example client (FirstResonance/ion-examples `utilities/api.py`, ion-api.md 7.1),
//! reproduced step by step; only the host changes (and the scheme, until the emulator has TLS).

use crate::helpers::spawn_app;
use serde_json::{Value, json};
use url::Url;

/// The token path, as the client writes it today and as older manuals wrote it.
const CURRENT_PATH: &str = "/realms/api-keys/protocol/openid-connect/token";
const LEGACY_PATH: &str = "/auth/realms/api-keys/protocol/openid-connect/token";

/// `Api(client_id, client_secret, auth_server, api_uri)`: fetches its token once, at creation.
struct ExampleApi {
    http: reqwest::Client,
    api_url: String,
    access_token: String,
}

impl ExampleApi {
    /// `auth_server` is a bare `host:port` (`ION_AUTH_SERVER`); `api_uri` a full URL.
    async fn new(
        client_id: &str,
        secret: &str,
        auth_server: &str,
        api_uri: &str,
        path: &str,
    ) -> Self {
        let http = reqwest::Client::new();
        // urljoin(f"https://{auth_server}", path): an absolute path replaces any base path.
        let auth_url = Url::parse(&format!("http://{auth_server}"))
            .and_then(|base| base.join(path))
            .expect("token URL");
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", client_id)
            .append_pair("client_secret", secret)
            .append_pair("audience", api_uri)
            .finish();
        let res = http
            .post(auth_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        // The older manual's snippet raises unless the status is 200.
        assert_eq!(res.status(), 200, "token request");
        let json: Value = res.json().await.unwrap();
        Self {
            http,
            api_url: api_uri.to_owned(),
            access_token: json["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
        }
    }

    /// `request(query_info)`: the raw token as the Authorization header, no scheme; raises
    /// when the answer has `errors`.
    async fn request(&self, query_info: Value) -> Value {
        let url = Url::parse(&self.api_url)
            .and_then(|base| base.join("graphql"))
            .expect("graphql URL");
        let res = self
            .http
            .post(url)
            .header("Authorization", self.access_token.as_str())
            .header("Content-Type", "application/json")
            .body(query_info.to_string())
            .send()
            .await
            .unwrap();
        let value: Value = res.json().await.unwrap();
        assert!(
            value.get("errors").is_none(),
            "AN ERROR OCCURRED IN THE API REQUEST: {value}"
        );
        value
    }
}

const ME: &str = "query Me { me { id name email organization { id domain } } }";
const CREATE: &str = "mutation CreateAPIKey { createApiKey { apikey { clientId clientSecret } } }";

#[tokio::test]
async fn ions_example_client_works_unchanged_but_for_the_host() {
    let app = spawn_app().await;
    let auth_server = app.address.trim_start_matches("http://");
    let api = ExampleApi::new(
        "acme-admin-key",
        "acme-admin-secret",
        auth_server,
        &app.address,
        CURRENT_PATH,
    )
    .await;
    let me = api.request(json!({"query": ME, "variables": {}})).await;
    assert_eq!(me["data"]["me"]["email"], "admin@acme.test");
    assert_eq!(me["data"]["me"]["organization"]["domain"], "acme");

    let created = api.request(json!({"query": CREATE, "variables": {}})).await;
    let key = &created["data"]["createApiKey"]["apikey"];
    let second = ExampleApi::new(
        key["clientId"].as_str().unwrap(),
        key["clientSecret"].as_str().unwrap(),
        auth_server,
        &app.address,
        CURRENT_PATH,
    )
    .await;
    let me = second.request(json!({"query": ME, "variables": {}})).await;
    assert_eq!(
        me["data"]["me"]["email"], "admin@acme.test",
        "the new key acts as its creator"
    );
}

#[tokio::test]
async fn the_legacy_auth_prefixed_client_works_too() {
    let app = spawn_app().await;
    let auth_server = app.address.trim_start_matches("http://");
    let api = ExampleApi::new(
        "globex-admin-key",
        "globex-admin-secret",
        auth_server,
        &app.address,
        LEGACY_PATH,
    )
    .await;
    let me = api.request(json!({"query": ME, "variables": {}})).await;
    assert_eq!(me["data"]["me"]["organization"]["domain"], "globex");
}
