//! Property tests of the hostile-input surfaces, a few cases each so `cargo test` stays fast
//! (the fuzz targets in `fuzz/` explore the same surfaces for longer): the token endpoint,
//! the Authorization header at `/graphql`, redirect-URI matching and GraphQL requests.

use crate::helpers::{TOKEN_PATH, TestApp, spawn_app};
use ion_mock::domain::redirect_uri::{UriType, matches_exactly, validate};
use ion_mock::tokens::jwt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION};
use serde_json::{Map, Value, json};

const CASES: u32 = 48;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// An app on a runtime of its own: proptest's runner is synchronous. The app drops first.
struct Served {
    app: TestApp,
    rt: tokio::runtime::Runtime,
}

fn serve() -> Served {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let app = rt.block_on(spawn_app());
    Served { app, rt }
}

/// Parameter names the token endpoint reads, and some it does not.
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "grant_type",
            "client_id",
            "client_secret",
            "code",
            "redirect_uri",
            "code_verifier",
            "refresh_token",
            "scope",
            "audience",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{0,12}",
    ]
}

/// Values that reach past the first checks (real grant types and clients) and junk.
fn param_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "client_credentials",
            "authorization_code",
            "refresh_token",
            "acme-admin-key",
            "acme-spa",
            "acme-dashboard",
            "openid offline_access",
            "http://localhost:5173/callback",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,40}",
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        param_value().prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        prop::collection::vec(param_value(), 0..3).prop_map(|v| json!(v)),
    ]
}

/// A token request body with its content type.
fn token_body() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    let form = prop::collection::vec((param_name(), param_value()), 0..6).prop_map(|pairs| {
        let body = serde_urlencoded::to_string(&pairs).expect("encodes");
        ("application/x-www-form-urlencoded", body.into_bytes())
    });
    let object = prop::collection::vec((param_name(), json_value()), 0..6).prop_map(|pairs| {
        let object: Map<String, Value> = pairs.into_iter().collect();
        (
            "application/json",
            Value::Object(object).to_string().into_bytes(),
        )
    });
    let raw = (
        prop::sample::select(vec![
            "application/x-www-form-urlencoded",
            "application/json",
            "text/plain",
        ]),
        prop::collection::vec(any::<u8>(), 0..200),
    );
    prop_oneof![form, object, raw]
}

#[test]
fn the_token_endpoint_answers_arbitrary_bodies_with_an_rfc_6749_error() {
    let served = serve();
    let app = &served.app;
    let authorization = proptest::option::of("(Basic |Bearer )?[ -~]{0,40}");
    runner()
        .run(
            &(token_body(), authorization),
            |((content_type, body), authorization)| {
                let (status, answer) = served.rt.block_on(async {
                    let mut req = app
                        .client
                        .post(app.url(TOKEN_PATH))
                        .header(CONTENT_TYPE, content_type)
                        .body(body.clone());
                    if let Some(value) = &authorization {
                        req = req.header(AUTHORIZATION, value.trim());
                    }
                    let res = req.send().await.expect("the server answers");
                    let status = res.status().as_u16();
                    (status, res.json::<Value>().await.unwrap_or(Value::Null))
                });
                let why = String::from_utf8_lossy(&body);
                prop_assert!((400..500).contains(&status), "{status} for {why}: {answer}");
                prop_assert!(answer["error"].is_string(), "{why}: {answer}");
                prop_assert!(answer["error_description"].is_string(), "{why}: {answer}");
                Ok(())
            },
        )
        .unwrap();
}

/// The 401 messages the README documents for `/graphql`.
fn is_documented_auth_message(message: &str) -> bool {
    const EXACT: [&str; 12] = [
        "Please provide proper credentials",
        "Unable to parse authentication token",
        "Unable to find appropriate RSA key",
        "Token is expired.",
        "Token signature is invalid: it does not verify against the signing key.",
        "Incorrect claims: the token issuer is not accepted, please check the issuer.",
        "Incorrect claims: the token audience is not accepted, please check the audience.",
        "Token has been revoked.",
        "Token is not an access token.",
        "User account is deactivated.",
        "API key is disabled.",
        "Token subject is not a known user.",
    ];
    EXACT.contains(&message) || message.starts_with("Token signing algorithm '")
}

/// Claims to replace in a well-formed access token, with hostile values.
fn claim_edits() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
    let name = prop::sample::select(vec![
        "iss", "sub", "aud", "exp", "iat", "jti", "azp", "typ", "sid", "nbf",
    ]);
    let value = prop_oneof![
        json_value(),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
    ];
    prop::collection::vec((name, value), 0..4)
}

/// An Authorization header value: junk, a JWT-shaped string, or a token really signed by the
/// realm's key whose claims were then made hostile.
fn authorization_value(app: &TestApp) -> impl Strategy<Value = String> + use<> {
    let signer = app.state.keys.signer("api-keys").expect("realm key");
    let issuer = app.issuer();
    let now = app.state.clock.now();
    let segment = prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    });
    let scheme = prop::sample::select(vec!["Bearer ", "Token ", "", "bearer "]);
    let shaped =
        (segment.clone(), segment.clone(), segment).prop_map(|(a, b, c)| format!("{a}.{b}.{c}"));
    let signed = claim_edits().prop_map(move |edits| {
        let mut claims = json!({
            "iss": issuer, "sub": "nobody", "aud": "account", "exp": now + 300, "iat": now,
            "jti": "not-a-uuid", "azp": "acme-admin-key", "typ": "Bearer",
        });
        for (name, value) in edits {
            claims[name] = value;
        }
        jwt::encode(&signer, &claims).expect("signs")
    });
    (scheme, prop_oneof!["[!-~][ -~]{0,60}", shaped, signed])
        .prop_map(|(scheme, token)| format!("{scheme}{token}"))
}

#[test]
fn graphql_refuses_arbitrary_authorization_headers_with_a_documented_401() {
    let served = serve();
    let app = &served.app;
    let body = json!({"query": "{ me { id } }"});
    runner()
        .run(&authorization_value(app), |value| {
            let (status, answer) = served
                .rt
                .block_on(app.graphql_raw(Some(value.trim()), body.clone()));
            prop_assert_eq!(status.as_u16(), 401, "{}: {}", value, answer);
            let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
            prop_assert!(is_documented_auth_message(message), "{}: {}", value, answer);
            Ok(())
        })
        .unwrap();
}

#[test]
fn signed_tokens_with_any_numeric_times_get_a_documented_401() {
    let served = serve();
    let app = &served.app;
    let signer = app.state.keys.signer("api-keys").expect("realm key");
    let now = app.state.clock.now();
    let exp = prop_oneof![Just(now + 300), any::<i64>()];
    let jti = prop_oneof![Just("not-a-uuid".to_owned()), "[0-9a-f-]{36}"];
    let body = json!({"query": "{ me { id } }"});
    runner()
        .run(&(any::<i64>(), exp, jti), |(iat, exp, jti)| {
            let claims = json!({
                "iss": app.issuer(), "sub": "nobody", "aud": "account", "exp": exp, "iat": iat,
                "jti": jti, "azp": "acme-admin-key", "typ": "Bearer",
            });
            let token = jwt::encode(&signer, &claims).expect("signs");
            let (status, answer) = served
                .rt
                .block_on(app.graphql_raw(Some(&format!("Bearer {token}")), body.clone()));
            prop_assert_eq!(status.as_u16(), 401, "{}: {}", claims, answer);
            let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
            prop_assert!(
                is_documented_auth_message(message),
                "{}: {}",
                claims,
                answer
            );
            Ok(())
        })
        .unwrap();
}

/// Query text made of GraphQL punctuation, the schema's names and junk.
fn query_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "(",
            ")",
            ":",
            "$id",
            "Int!",
            "...",
            "query",
            "mutation",
            "fragment",
            "on",
            "me",
            "id",
            "email",
            "organization",
            "oauthApps",
            "oauthApp(id: 1)",
            "apiKeys",
            "edges",
            "node",
            "redirectUris",
            "__schema",
            "__typename",
            "@include(if: true)",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_]{1,8}",
        "\"[ -~]{0,6}\"",
        "-?[0-9]{1,25}",
    ];
    prop::collection::vec(word, 0..30).prop_map(|words| words.join(" "))
}

fn graphql_body() -> impl Strategy<Value = Vec<u8>> {
    let variables = prop_oneof![Just(Value::Null), json_value(), Just(json!({"id": "x"}))];
    let request = (query_text(), variables)
        .prop_map(|(query, variables)| json!({"query": query, "variables": variables}));
    prop_oneof![
        request.prop_map(|r| r.to_string().into_bytes()),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..100),
    ]
}

#[test]
fn graphql_answers_arbitrary_requests_with_errors_never_a_crash() {
    let served = serve();
    let app = &served.app;
    let token = served.rt.block_on(app.acme_admin_token());
    runner()
        .run(&graphql_body(), |body| {
            let (status, answer) = served.rt.block_on(async {
                let res = app
                    .client
                    .post(app.url("/graphql"))
                    .bearer_auth(&token)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("the server answers");
                let status = res.status().as_u16();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            });
            let why = String::from_utf8_lossy(&body);
            prop_assert!(
                status == 200 || status == 400,
                "{status} for {why}: {answer}"
            );
            let errors = answer["errors"].as_array().cloned().unwrap_or_default();
            if status == 400 || answer["data"].is_null() {
                prop_assert!(!errors.is_empty(), "{why}: {answer}");
            }
            for error in errors {
                prop_assert!(error["message"].is_string(), "{why}: {answer}");
            }
            Ok(())
        })
        .unwrap();
}

/// URI-like strings, and near misses of a base URI that normalising matchers would accept.
fn uri_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "(https?|com\\.example\\.app)://[a-zA-Z0-9.:%/_-]{0,30}",
        "[ -~]{0,30}",
        any::<String>(),
    ]
}

fn near_miss(base: &str, kind: u8) -> String {
    match kind % 6 {
        0 => base.to_uppercase(),
        1 => format!("{base}/"),
        2 => base.replacen("localhost", "localhost:80", 1),
        3 => base.replacen('c', "%63", 1),
        4 => base.replacen("/callback", "/./callback", 1),
        _ => base.to_owned(),
    }
}

#[test]
fn redirect_uri_matching_is_byte_equality() {
    let registered = prop::collection::vec(uri_like(), 0..4);
    let requested = prop_oneof![
        uri_like(),
        (any::<u8>()).prop_map(|k| near_miss("http://localhost:3000/callback", k)),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(registered, requested, any::<Option<prop::sample::Index>>()),
            |(mut registered, requested, pick)| {
                registered.push("http://localhost:3000/callback".to_owned());
                let requested = match pick {
                    Some(i) => registered[i.index(registered.len())].clone(),
                    None => requested,
                };
                let matched = matches_exactly(&requested, registered.iter().map(String::as_str));
                let equal = registered
                    .iter()
                    .any(|r| r.as_bytes() == requested.as_bytes());
                prop_assert_eq!(matched, equal, "{:?} against {:?}", requested, registered);
                for uri_type in [UriType::Callback, UriType::Origin, UriType::Logout] {
                    if validate(&requested, uri_type).is_ok() {
                        prop_assert!(url::Url::parse(&requested).is_ok(), "{:?}", requested);
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn the_authorization_endpoint_shows_the_login_form_only_for_a_byte_equal_callback() {
    let served = serve();
    let app = &served.app;
    let registered = "http://localhost:3000/callback";
    let candidate = prop_oneof![
        uri_like(),
        any::<u8>().prop_map(move |k| near_miss(registered, k)),
    ];
    runner()
        .run(&candidate, |redirect_uri| {
            let (status, location, page) = served.rt.block_on(async {
                let res = app
                    .client
                    .get(app.url("/realms/api-keys/protocol/openid-connect/auth"))
                    .query(&[
                        ("client_id", "acme-dashboard"),
                        ("response_type", "code"),
                        ("scope", "openid"),
                        ("state", "s"),
                        ("redirect_uri", redirect_uri.as_str()),
                    ])
                    .send()
                    .await
                    .expect("the server answers");
                let location = res.headers().get(LOCATION).cloned();
                (
                    res.status().as_u16(),
                    location,
                    res.text().await.unwrap_or_default(),
                )
            });
            prop_assert!(location.is_none(), "redirected for {:?}", redirect_uri);
            if redirect_uri == registered {
                prop_assert_eq!(status, 200);
                prop_assert!(page.contains("name=\"password\""), "{}", page);
            } else {
                prop_assert_eq!(status, 400, "{:?}", redirect_uri);
                prop_assert!(!page.contains("name=\"password\""), "{:?}", redirect_uri);
            }
            Ok(())
        })
        .unwrap();
}
