//! Calling the `/mock/*` controls and the endpoints their effects show at.

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const INTROSPECT_PATH: &str = "/realms/api-keys/protocol/openid-connect/token/introspect";
pub const REVOKE_PATH: &str = "/realms/api-keys/protocol/openid-connect/revoke";
pub const ME: &str = "{ me { email } }";

impl TestApp {
    /// A control call with the given bearer token (`None`: no Authorization header).
    pub async fn control_as(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A control call as the Acme admin, which must succeed. The admin token is minted by
    /// the library, so that faults armed at the token endpoint do not hit it.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let admin = self.user_token("admin@acme.test").await;
        let (status, answer) = self.control_as(Some(&admin), method, path, body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
        answer
    }

    pub async fn mint(&self, request: Value) -> Value {
        self.control(Method::POST, "/mock/tokens", Some(request))
            .await
    }

    pub async fn minted_access_token(&self, request: Value) -> String {
        self.mint(request).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// RFC 7662 introspection as the confidential fixture app.
    pub async fn introspect(&self, token: &str) -> Value {
        let res = self
            .client
            .post(self.url(INTROSPECT_PATH))
            .basic_auth("acme-dashboard", Some("acme-dashboard-secret"))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    /// The status and first error message `/graphql` answers a token with.
    pub async fn graphql_verdict(&self, token: &str) -> (StatusCode, Value) {
        self.graphql(token, ME, json!({})).await
    }
}
