//! Helpers for the sign-in flow: authorize URLs, the login form, code exchange.

use crate::helpers::{TOKEN_PATH, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use url::Url;

pub const AUTH_PATH: &str = "/realms/api-keys/protocol/openid-connect/auth";
pub const USERINFO_PATH: &str = "/realms/api-keys/protocol/openid-connect/userinfo";
pub const LOGOUT_PATH: &str = "/realms/api-keys/protocol/openid-connect/logout";
pub const SPA: &str = "acme-spa";
pub const SPA_CALLBACK: &str = "http://localhost:5173/callback";
pub const DASHBOARD: &str = "acme-dashboard";
pub const DASHBOARD_SECRET: &str = "acme-dashboard-secret";
pub const DASHBOARD_CALLBACK: &str = "http://localhost:3000/callback";
/// RFC 7636 appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The query of an authorization request; `None` leaves a parameter out.
#[derive(Clone)]
pub struct Authorize {
    pub params: Vec<(&'static str, String)>,
}

impl Authorize {
    /// The SPA with S256 PKCE, `openid profile email offline_access`, a state and a nonce.
    pub fn spa() -> Self {
        Self {
            params: vec![
                ("client_id", SPA.into()),
                ("redirect_uri", SPA_CALLBACK.into()),
                ("response_type", "code".into()),
                ("scope", "openid profile email offline_access".into()),
                ("state", "st-123".into()),
                ("nonce", "n-456".into()),
                ("code_challenge", CHALLENGE.into()),
                ("code_challenge_method", "S256".into()),
            ],
        }
    }

    /// The confidential dashboard app, without PKCE.
    pub fn dashboard() -> Self {
        Self::spa()
            .set("client_id", DASHBOARD)
            .set("redirect_uri", DASHBOARD_CALLBACK)
            .without("code_challenge")
            .without("code_challenge_method")
    }

    pub fn set(mut self, name: &'static str, value: &str) -> Self {
        self.params.retain(|(k, _)| *k != name);
        self.params.push((name, value.to_owned()));
        self
    }

    pub fn without(mut self, name: &str) -> Self {
        self.params.retain(|(k, _)| *k != name);
        self
    }

    pub fn query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.params.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    }

    pub fn url(&self, app: &TestApp) -> String {
        self.url_at(app, AUTH_PATH)
    }

    pub fn url_at(&self, app: &TestApp, path: &str) -> String {
        format!("{}?{}", app.url(path), self.query())
    }
}

/// A client that keeps cookies (the sign-in session) and never follows redirects.
pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Submits the login form as a browser would: to the form's own action.
pub async fn sign_in(
    client: &reqwest::Client,
    authorize_url: &str,
    username: &str,
    password: &str,
) -> Response {
    let page = client.get(authorize_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the login page shows");
    let html = page.text().await.unwrap();
    let action = form_action(&html, authorize_url);
    client
        .post(action)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// The `action` of the page's form, resolved against the page's URL.
pub fn form_action(html: &str, page_url: &str) -> String {
    let start = html.find("action=\"").expect("a form with an action") + "action=\"".len();
    let end = start + html[start..].find('"').unwrap();
    let action = unescape_html(&html[start..end]);
    Url::parse(page_url)
        .unwrap()
        .join(&action)
        .unwrap()
        .to_string()
}

/// Undoes HTML escaping: named `amp lt gt quot` and numeric references.
pub fn unescape_html(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').expect("entity ends with ;");
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            _ if entity.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap()
            }
            _ if entity.starts_with('#') => char::from_u32(entity[1..].parse().unwrap()).unwrap(),
            other => panic!("unknown entity &{other};"),
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The redirect's target, asserting it is one.
pub fn location(res: &Response) -> Url {
    assert_eq!(res.status(), StatusCode::FOUND, "expected a redirect");
    let location = res.headers()["location"].to_str().unwrap();
    Url::parse(location).unwrap()
}

pub fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Signs a user in to the SPA and returns the code.
pub async fn spa_code(app: &TestApp, username: &str, password: &str) -> String {
    let res = sign_in(
        &browser_like_client(),
        &Authorize::spa().url(app),
        username,
        password,
    )
    .await;
    let back = location(&res);
    assert!(back.as_str().starts_with(SPA_CALLBACK), "{back}");
    query_param(&back, "code").expect("a code")
}

pub async fn exchange(app: &TestApp, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut body = vec![("grant_type", "authorization_code")];
    body.extend_from_slice(form);
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .form(&body)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

/// The SPA's code exchange with the right verifier.
pub async fn spa_exchange(app: &TestApp, code: &str) -> (StatusCode, Value) {
    exchange(
        app,
        &[
            ("client_id", SPA),
            ("code", code),
            ("redirect_uri", SPA_CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// Signs the operator in to the SPA and exchanges the code: access, ID and refresh tokens.
pub async fn operator_tokens(app: &TestApp) -> Value {
    let code = spa_code(app, "operator@acme.test", "operator").await;
    let (status, body) = spa_exchange(app, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub async fn refresh(app: &TestApp, client_id: &str, refresh_token: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

pub async fn userinfo(app: &TestApp, access_token: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .get(app.url(USERINFO_PATH))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

/// The claims of a JWT, unverified (tests verify signatures where that is the point).
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Asserts an HTML error page that redirects nowhere.
pub async fn assert_error_page(res: Response, why: &str) -> String {
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{why}");
    assert!(
        res.headers().get("location").is_none(),
        "{why}: must not redirect"
    );
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("text/html"),
        "{why}: {content_type}"
    );
    res.text().await.unwrap()
}

/// An app registered through the GraphQL API, with its URIs.
pub struct RegisteredApp {
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// Registers an app as an org admin and adds `(uri, uriType)` pairs to it.
pub async fn register_app(
    app: &TestApp,
    admin_token: &str,
    app_type: &str,
    uris: &[(&str, &str)],
) -> RegisteredApp {
    let (status, body) = app
        .graphql(
            admin_token,
            "mutation($t: String!) { registerOauthApp(name: \"Test App\", appType: $t) \
             { oauthApp { id clientId clientSecret } } }",
            serde_json::json!({"t": app_type}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let registered = &body["data"]["registerOauthApp"]["oauthApp"];
    let id = registered["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"));
    for (uri, uri_type) in uris {
        let (_, added) = app
            .graphql(
                admin_token,
                "mutation($id: Int!, $uri: String!, $t: String!) { addOauthRedirectUri(\
                 oauthAppId: $id, uri: $uri, uriType: $t) { redirectUri { id } } }",
                serde_json::json!({"id": id, "uri": uri, "t": uri_type}),
            )
            .await;
        assert!(added["errors"].is_null(), "{added}");
    }
    RegisteredApp {
        client_id: registered["clientId"].as_str().unwrap().to_owned(),
        client_secret: registered["clientSecret"].as_str().map(str::to_owned),
    }
}
