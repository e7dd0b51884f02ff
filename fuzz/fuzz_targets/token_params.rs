//! Arbitrary bytes as a token-endpoint body, form-encoded and as JSON: parsing never panics,
//! scope and PKCE values parse or are refused, and the real token route answers every body
//! with an RFC 6749 error (4xx, `{"error", "error_description"}`) or, for a real grant, a
//! token response; never a 500.
#![no_main]

use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use actix_web::{App, ResponseError, test, web};
use arbitrary::Arbitrary;
use ion_mock::domain::pkce::{CodeChallenge, CodeVerifier};
use ion_mock::domain::scope::Scopes;
use ion_mock::oauth::params::Params;
use ion_mock_fuzz::{assert_oauth_error, harness, json_of};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    json: bool,
    /// The value of an `Authorization` header, sent as is (often `Basic ...`).
    authorization: Option<&'a [u8]>,
    body: &'a [u8],
}

const NAMES: [&str; 10] = [
    "grant_type",
    "client_id",
    "client_secret",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
    "code_challenge",
    "code_challenge_method",
];

fn parse_both(body: &[u8]) {
    for content_type in ["application/x-www-form-urlencoded", "application/json"] {
        let req = test::TestRequest::default()
            .insert_header((CONTENT_TYPE, content_type))
            .to_http_request();
        match Params::parse(&req, body) {
            Ok(params) => {
                for name in NAMES {
                    if let Some(value) = params.get(name) {
                        assert!(!value.is_empty(), "get() returned an empty {name}");
                    }
                    assert_eq!(params.get(name).is_some(), params.require(name).is_ok());
                }
                let _ = Scopes::parse(params.get("scope").unwrap_or(""));
                let _ = CodeChallenge::parse(
                    params.get("code_challenge"),
                    params.get("code_challenge_method"),
                );
                let _ = CodeVerifier::parse(params.get("code_verifier").unwrap_or(""));
            }
            Err(e) => {
                let (status, body) = json_of(e.error_response());
                assert_oauth_error(status, &body);
            }
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    parse_both(input.body);
    let h = harness();
    let content_type = if input.json {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut req = test::TestRequest::post()
        .uri("/realms/api-keys/protocol/openid-connect/token")
        .insert_header((CONTENT_TYPE, content_type))
        .set_payload(input.body.to_vec());
    if let Some(value) = input
        .authorization
        .and_then(|v| HeaderValue::from_bytes(v).ok())
    {
        req = req.insert_header((AUTHORIZATION, value));
    }
    let (status, body) = h.rt.block_on(async {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::from(h.state.clone()))
                .configure(ion_mock::oauth::configure),
        )
        .await;
        let res = test::call_service(&app, req.to_request()).await;
        let status = res.status().as_u16();
        let bytes = test::read_body(res).await;
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        (status, body)
    });
    // The dictionary holds a fixture key and its secret, so a real grant can be assembled.
    if status == 200 {
        assert!(body["access_token"].is_string(), "{body}");
        assert_eq!(body["token_type"], "Bearer", "{body}");
    } else {
        assert_oauth_error(status, &body);
    }
});
