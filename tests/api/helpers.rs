//! Starts the real application on port 0 with an in-memory database, and talks to it.

use ion_mock::MockServer;
use ion_mock::config::Settings;
use ion_mock::domain::scope::Scopes;
use ion_mock::state::AppState;
use ion_mock::store;
use ion_mock::tokens::issue::{self, AccessTokenRequest, TokenSubject};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// The in-process server every test uses, with a client that never follows redirects.
pub struct TestApp {
    pub address: String,
    pub state: Arc<AppState>,
    pub client: reqwest::Client,
    /// Keeps the server running while the test holds the `TestApp`.
    _server: MockServer,
}

pub fn init_logs() {
    if std::env::var("TEST_LOG").is_ok() {
        ion_mock::config::init_tracing(ion_mock::config::LogFormat::Text, "info");
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Settings::for_tests()).await
}

pub async fn spawn_app_with(settings: Settings) -> TestApp {
    init_logs();
    let server = MockServer::builder().settings(settings).start().await;
    TestApp {
        address: server.url().to_owned(),
        state: server.state().clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _server: server,
    }
}

/// Test settings on a SQLite file in `dir`. The public URL is fixed, so a restart on another
/// port keeps the issuer and tokens from before it still verify.
pub fn file_settings(dir: &std::path::Path) -> Settings {
    let mut settings = Settings::for_tests();
    settings.store.database_url = file_database_url(dir);
    settings.store.public_url = Some("http://ion-mock.test".parse().unwrap());
    settings
}

pub fn file_database_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("x.db").display())
}

/// Stops a server on a file database and closes the file, so another can open it.
pub async fn stop(app: TestApp) {
    app.state.db.close().await;
    drop(app);
}

/// `registerOauthApp` of a `regular_web` app named `$n`, answering its `id` and `clientId`.
pub const REGISTER_APP: &str = "mutation($n: String!) { registerOauthApp(name: $n, \
    appType: \"regular_web\") { oauthApp { id clientId } } }";

pub const TOKEN_PATH: &str = "/realms/api-keys/protocol/openid-connect/token";

/// The client-credentials form of Acme's fixture API key.
pub const ACME_KEY_FORM: [(&str, &str); 3] = [
    ("grant_type", "client_credentials"),
    ("client_id", "acme-admin-key"),
    ("client_secret", "acme-admin-secret"),
];

/// The token endpoint's answer for Acme's fixture API key, from a server at `base` (one the
/// test started as a process, or over HTTPS).
pub async fn acme_key_token_response(client: &reqwest::Client, base: &str) -> Value {
    client
        .post(format!("{base}{TOKEN_PATH}"))
        .form(&ACME_KEY_FORM)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn issuer(&self) -> String {
        format!("{}/realms/api-keys", self.address)
    }

    /// A client-credentials token for an API key, posted as ION's own example client does.
    pub async fn key_token(&self, client_id: &str, secret: &str) -> String {
        let res = self
            .client
            .post(self.url(TOKEN_PATH))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "token request for {client_id}"
        );
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn acme_admin_token(&self) -> String {
        self.key_token("acme-admin-key", "acme-admin-secret").await
    }

    pub async fn globex_admin_token(&self) -> String {
        self.key_token("globex-admin-key", "globex-admin-secret")
            .await
    }

    /// A user token made by the library directly, for users with no API key (until sign-in
    /// exists, this is how tests act as the operator).
    pub async fn user_token(&self, email: &str) -> String {
        let state = &self.state;
        let user = store::users::by_email(&state.db, email)
            .await
            .unwrap()
            .unwrap();
        let roles = store::users::role_names(&state.db, user.id).await.unwrap();
        let realm = store::realms::by_name(&state.db, "api-keys")
            .await
            .unwrap()
            .unwrap();
        let subject = TokenSubject { user, roles };
        issue::access_token(
            state,
            &AccessTokenRequest {
                realm: &realm,
                client_id: "acme-dashboard",
                subject: &subject,
                scope: &Scopes::parse("openid profile email").unwrap(),
                lifetime: 3600,
                sid: None,
            },
        )
        .unwrap()
        .token
    }

    /// POST /graphql with a raw Authorization header value.
    pub async fn graphql_raw(
        &self,
        authorization: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut req = self.client.post(self.url("/graphql")).json(&body);
        if let Some(auth) = authorization {
            req = req.header("Authorization", auth);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn graphql(&self, token: &str, query: &str, variables: Value) -> (StatusCode, Value) {
        self.graphql_raw(
            Some(&format!("Bearer {token}")),
            json!({"query": query, "variables": variables}),
        )
        .await
    }
}

/// The message of the first GraphQL error, or a panic naming the whole body.
pub fn first_error(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("expected errors[] in {body}"))
        .to_owned()
}
