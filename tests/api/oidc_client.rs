//! The whole flow driven by a real relying-party library, the `openidconnect` crate.

use crate::flow::{SPA, SPA_CALLBACK, form_action};
use crate::helpers::spawn_app;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, RequestTokenError, Scope, TokenResponse,
};
use url::Url;

#[tokio::test]
async fn a_relying_party_library_signs_a_user_in_verifies_the_id_token_and_refreshes() {
    let app = spawn_app().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();

    // Discovery, including the JWKS.
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(app.issuer()).unwrap(), &http)
            .await
            .expect("discovery document and JWKS");
    let client = CoreClient::from_provider_metadata(metadata, ClientId::new(SPA.into()), None)
        .set_redirect_uri(RedirectUrl::new(SPA_CALLBACK.into()).unwrap());

    // Authorize with PKCE and a nonce.
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

    // Sign in through the HTML form.
    let page = http.get(authorize_url.as_str()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Acme SPA"), "the login page names the app");
    let back = http
        .post(form_action(&html, authorize_url.as_str()))
        .form(&[("username", "operator@acme.test"), ("password", "operator")])
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

    // Code exchange, then the ID token verified against the JWKS.
    let tokens = client
        .exchange_code(AuthorizationCode::new(param("code")))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token for openid");
    let id_verifier = client.id_token_verifier();
    let id_claims = id_token
        .claims(&id_verifier, &nonce)
        .expect("a valid ID token");
    assert_eq!(
        id_claims.email().map(|e| e.as_str()),
        Some("operator@acme.test")
    );
    assert_eq!(id_claims.email_verified(), Some(true));
    assert!(id_claims.auth_time().is_some(), "auth_time");
    let expected_hash = id_claims.access_token_hash().expect("at_hash");
    let actual_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&id_verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(*expected_hash, actual_hash);
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
        .request_async(&http)
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
        .request_async(&http)
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
        .request_async(&http)
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
        .request_async(&http)
        .await;
    assert!(
        matches!(after, Err(RequestTokenError::ServerResponse(ref e)) if e.error().as_ref() == "invalid_grant"),
        "the newest refresh token of the family is revoked too: {after:?}"
    );
}
