//! The whole flow driven by a real relying-party library, the `openidconnect` crate.

use crate::flow::{SPA, SPA_CALLBACK, form_action};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use ion_mock::config::Settings;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreTokenResponse, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl,
    RequestTokenError, Scope, TokenResponse,
};
use url::Url;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the library holds after a sign-in: its client, the token response and the nonce.
struct SignedIn {
    http: reqwest::Client,
    client: Client,
    tokens: CoreTokenResponse,
    nonce: Nonce,
}

/// Discovery (with the JWKS), authorize with PKCE and a nonce, sign-in through the HTML
/// form, and the code exchange, as a relying party does them.
async fn library_sign_in(
    app: &TestApp,
    realm: &str,
    client_id: &str,
    email: &str,
    password: &str,
) -> SignedIn {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let issuer = IssuerUrl::new(app.url(&format!("/realms/{realm}"))).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .expect("discovery document and JWKS");
    let client =
        CoreClient::from_provider_metadata(metadata, ClientId::new(client_id.into()), None)
            .set_redirect_uri(RedirectUrl::new(SPA_CALLBACK.into()).unwrap());

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();

    let page = http.get(authorize_url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let back = http
        .post(form_action(&html, authorize_url.as_str()))
        .form(&[("username", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    let callback = Url::parse(back.headers()["location"].to_str().unwrap()).unwrap();
    let param = |name: &str| {
        callback
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("{name} in {callback}"))
    };
    assert_eq!(param("state"), *csrf.secret(), "state comes back unchanged");

    let tokens = client
        .exchange_code(AuthorizationCode::new(param("code")))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    SignedIn {
        http,
        client,
        tokens,
        nonce,
    }
}

/// Verifies the ID token against the JWKS and its `at_hash` against the access token.
fn verified_id_claims(
    signed_in: &SignedIn,
    algs: Vec<CoreJwsSigningAlgorithm>,
) -> CoreIdTokenClaims {
    let id_token = signed_in.tokens.id_token().expect("an ID token for openid");
    let verifier = signed_in.client.id_token_verifier().set_allowed_algs(algs);
    let claims = id_token
        .claims(&verifier, &signed_in.nonce)
        .expect("a valid ID token")
        .clone();
    let expected_hash = claims.access_token_hash().expect("at_hash");
    let actual_hash = AccessTokenHash::from_token(
        signed_in.tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(*expected_hash, actual_hash);
    claims
}

#[tokio::test]
async fn a_relying_party_library_signs_a_user_in_verifies_the_id_token_and_refreshes() {
    let app = spawn_app().await;
    let signed_in = library_sign_in(&app, "api-keys", SPA, "operator@acme.test", "operator").await;
    let SignedIn {
        http,
        client,
        tokens,
        ..
    } = &signed_in;
    let id_claims = verified_id_claims(
        &signed_in,
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    );
    let id_verifier = client.id_token_verifier();
    assert_eq!(
        id_claims.email().map(|e| e.as_str()),
        Some("operator@acme.test")
    );
    assert_eq!(id_claims.email_verified(), Some(true));
    assert!(id_claims.auth_time().is_some(), "auth_time");
    let scopes: Vec<String> = tokens
        .scopes()
        .expect("granted scope")
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(scopes, ["email", "offline_access", "openid", "profile"]);

    // Userinfo.
    let info: CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(id_claims.subject().clone()),
        )
        .unwrap()
        .request_async(http)
        .await
        .expect("userinfo");
    assert_eq!(info.email().map(|e| e.as_str()), Some("operator@acme.test"));
    assert_eq!(
        info.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
        Some("Acme Operator")
    );

    // Refresh: a new refresh token each time.
    let first_refresh = tokens
        .refresh_token()
        .expect("a refresh token for offline_access");
    let refreshed = client
        .exchange_refresh_token(first_refresh)
        .unwrap()
        .request_async(http)
        .await
        .expect("refresh");
    let second_refresh = refreshed.refresh_token().expect("a rotated refresh token");
    assert_ne!(second_refresh.secret(), first_refresh.secret());
    let refreshed_id = refreshed.id_token().expect("a refreshed ID token");
    let refreshed_claims = refreshed_id
        .claims(&id_verifier, |_: Option<&Nonce>| Ok(()))
        .expect("a valid refreshed ID token");
    assert_eq!(refreshed_claims.subject(), id_claims.subject());
    assert_eq!(refreshed_claims.auth_time(), id_claims.auth_time());

    // Reuse of the rotated token is detected: refused, and the family is gone.
    let reuse = client
        .exchange_refresh_token(first_refresh)
        .unwrap()
        .request_async(http)
        .await;
    match reuse {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(e.error().as_ref(), "invalid_grant")
        }
        other => panic!("reuse must fail with invalid_grant, got {other:?}"),
    }
    let after = client
        .exchange_refresh_token(second_refresh)
        .unwrap()
        .request_async(http)
        .await;
    assert!(
        matches!(after, Err(RequestTokenError::ServerResponse(ref e)) if e.error().as_ref() == "invalid_grant"),
        "the newest refresh token of the family is revoked too: {after:?}"
    );
}

const OTHER_ALGORITHMS: &str = r#"
[[realms]]
name = "ec"
algorithm = "ES256"

[[realms]]
name = "ed"
algorithm = "EdDSA"

[[roles]]
name = "User"

[[orgs]]
id = 1
name = "Acme Manufacturing"
domain = "acme"

[[users]]
email = "operator@acme.test"
name = "Acme Operator"
password = "operator"
org = "acme"
roles = ["User"]

[[oauth_apps]]
org = "acme"
name = "EC App"
client_id = "ec-spa"
app_type = "spa"
realm = "ec"
callback = ["http://localhost:5173/callback"]

[[oauth_apps]]
org = "acme"
name = "Ed App"
client_id = "ed-spa"
app_type = "spa"
realm = "ed"
callback = ["http://localhost:5173/callback"]
"#;

#[tokio::test]
async fn id_tokens_of_es256_and_eddsa_realms_verify_with_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures.toml");
    std::fs::write(&fixtures, OTHER_ALGORITHMS).unwrap();
    let mut settings = Settings::for_tests();
    settings.store.fixtures = Some(fixtures);
    let app = spawn_app_with(settings).await;
    let cases = [
        ("ec", "ec-spa", CoreJwsSigningAlgorithm::EcdsaP256Sha256),
        ("ed", "ed-spa", CoreJwsSigningAlgorithm::EdDsa),
    ];
    for (realm, client_id, alg) in cases {
        let signed_in =
            library_sign_in(&app, realm, client_id, "operator@acme.test", "operator").await;
        let claims = verified_id_claims(&signed_in, vec![alg.clone()]);
        assert_eq!(
            claims.issuer().as_str(),
            app.url(&format!("/realms/{realm}")),
            "{alg:?}"
        );
    }
}
