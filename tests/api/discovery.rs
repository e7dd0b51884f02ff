use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn discovery_names_the_unprefixed_issuer_under_both_prefixes() {
    let app = spawn_app().await;
    for prefix in ["", "/auth"] {
        for doc in ["openid-configuration", "oauth-authorization-server"] {
            let url = app.url(&format!("{prefix}/realms/api-keys/.well-known/{doc}"));
            let res = app.client.get(&url).send().await.unwrap();
            assert_eq!(res.status(), 200, "{url}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["issuer"], app.issuer(), "{url}");
            assert_eq!(
                body["token_endpoint"],
                format!("{}/protocol/openid-connect/token", app.issuer()),
                "{url}"
            );
            assert_eq!(
                body["jwks_uri"],
                format!("{}/protocol/openid-connect/certs", app.issuer())
            );
            let methods = body["token_endpoint_auth_methods_supported"]
                .as_array()
                .unwrap();
            assert!(methods.iter().any(|m| m == "client_secret_post"));
        }
    }
}

#[tokio::test]
async fn jwks_lists_the_realm_key_with_a_kid_under_both_prefixes() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for prefix in ["", "/auth"] {
        let url = app.url(&format!(
            "{prefix}/realms/api-keys/protocol/openid-connect/certs"
        ));
        let body: Value = app
            .client
            .get(&url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let keys = body["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1, "{body}");
        assert_eq!(keys[0]["kty"], "RSA");
        assert_eq!(keys[0]["alg"], "RS256");
        assert!(keys[0]["kid"].as_str().is_some_and(|k| !k.is_empty()));
        assert!(
            keys[0].get("d").is_none(),
            "private part must never be published"
        );
        seen.push(keys[0]["kid"].clone());
    }
    assert_eq!(seen[0], seen[1]);
}

#[tokio::test]
async fn an_unknown_realm_is_a_keycloak_404() {
    let app = spawn_app().await;
    for path in [
        "/realms/nope/.well-known/openid-configuration",
        "/auth/realms/nope/protocol/openid-connect/certs",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"error": "Realm does not exist"}));
    }
    let res = app
        .client
        .post(app.url("/realms/nope/protocol/openid-connect/token"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_public_url_sets_the_issuer() {
    let mut settings = ion_mock::Settings::for_tests();
    settings.store.public_url = Some(
        "https://auth-production-pub.buildwithion.com/"
            .parse()
            .unwrap(),
    );
    let app = crate::helpers::spawn_app_with(settings).await;
    let body: Value = app
        .client
        .get(app.url("/auth/realms/api-keys/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["issuer"],
        "https://auth-production-pub.buildwithion.com/realms/api-keys"
    );
}
