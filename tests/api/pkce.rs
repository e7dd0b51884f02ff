//! PKCE at the code exchange (RFC 7636 section 4.6).

use crate::code_exchange::{assert_oauth_error, dashboard_code};
use crate::flow::{
    Authorize, DASHBOARD, DASHBOARD_CALLBACK, DASHBOARD_SECRET, SPA, SPA_CALLBACK, VERIFIER,
    browser_like_client, exchange, location, query_param, sign_in, spa_code,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_pkce_verifier_that_does_not_match_is_invalid_grant() {
    let app = spawn_app().await;
    let wrong = "A".repeat(43);
    let cases: [(Option<&str>, &str); 3] = [
        (Some(&wrong), "another verifier"),
        (None, "no verifier"),
        (Some("too-short"), "malformed verifier"),
    ];
    for (verifier, why) in cases {
        let code = spa_code(&app, "operator@acme.test", "operator").await;
        let mut form = vec![
            ("client_id", SPA),
            ("code", &code),
            ("redirect_uri", SPA_CALLBACK),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        let (status, body) = exchange(&app, &form).await;
        assert_oauth_error(status, &body, "invalid_grant", why);
    }
}

#[tokio::test]
async fn plain_pkce_is_accepted() {
    let app = spawn_app().await;
    let verifier = "plain-verifier-".repeat(4);
    let url = Authorize::spa()
        .set("code_challenge", &verifier)
        .set("code_challenge_method", "plain")
        .url(&app);
    let res = sign_in(
        &browser_like_client(),
        &url,
        "operator@acme.test",
        "operator",
    )
    .await;
    let code = query_param(&location(&res), "code").unwrap();
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", SPA),
            ("code", &code),
            ("redirect_uri", SPA_CALLBACK),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_verifier_for_a_code_requested_without_pkce_is_refused() {
    let app = spawn_app().await;
    let code = dashboard_code(&app).await;
    let (status, body) = exchange(
        &app,
        &[
            ("client_id", DASHBOARD),
            ("client_secret", DASHBOARD_SECRET),
            ("code", &code),
            ("redirect_uri", DASHBOARD_CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_oauth_error(status, &body, "invalid_grant", "PKCE downgrade");
}
