//! Which faultable endpoint a request is for, from its method and path.

use actix_web::http::Method;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Token,
    Authorize,
    Userinfo,
    Introspect,
    Revoke,
    Certs,
    Discovery,
    Graphql,
}

/// The endpoint and realm a request is for; `None` for everything that is never faulted:
/// `/mock/*`, `/health`, the GraphQL console (`GET /graphql`), logout and CORS preflights.
pub fn classify(method: &Method, path: &str) -> Option<(Endpoint, Option<String>)> {
    if method == Method::OPTIONS {
        return None;
    }
    if path == "/graphql" {
        return (method == Method::POST).then_some((Endpoint::Graphql, None));
    }
    let rest = path.strip_prefix("/auth").unwrap_or(path);
    let (realm, rest) = rest.strip_prefix("/realms/")?.split_once('/')?;
    let endpoint = match rest {
        ".well-known/openid-configuration" | ".well-known/oauth-authorization-server" => {
            Endpoint::Discovery
        }
        "protocol/openid-connect/token" => Endpoint::Token,
        "protocol/openid-connect/token/introspect" => Endpoint::Introspect,
        "protocol/openid-connect/auth" => Endpoint::Authorize,
        "protocol/openid-connect/userinfo" => Endpoint::Userinfo,
        "protocol/openid-connect/revoke" => Endpoint::Revoke,
        "protocol/openid-connect/certs" => Endpoint::Certs,
        _ => return None,
    };
    Some((endpoint, Some(realm.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_classify_under_both_prefixes() {
        let cases = [
            (
                "/realms/r/protocol/openid-connect/token",
                Some(Endpoint::Token),
            ),
            (
                "/auth/realms/r/protocol/openid-connect/token",
                Some(Endpoint::Token),
            ),
            (
                "/realms/r/protocol/openid-connect/token/introspect",
                Some(Endpoint::Introspect),
            ),
            (
                "/realms/r/.well-known/openid-configuration",
                Some(Endpoint::Discovery),
            ),
            ("/realms/r/protocol/openid-connect/logout", None),
            ("/mock/faults", None),
            ("/health", None),
        ];
        for (path, expected) in cases {
            let got = classify(&Method::POST, path);
            assert_eq!(got.as_ref().map(|(e, _)| *e), expected, "{path}");
            if let Some((_, realm)) = got.filter(|(e, _)| *e != Endpoint::Graphql) {
                assert_eq!(realm.as_deref(), Some("r"), "{path}");
            }
        }
    }

    #[test]
    fn only_graphql_posts_are_faultable_and_preflights_never_are() {
        assert_eq!(classify(&Method::GET, "/graphql"), None);
        assert_eq!(
            classify(&Method::POST, "/graphql"),
            Some((Endpoint::Graphql, None))
        );
        assert_eq!(
            classify(&Method::OPTIONS, "/realms/r/protocol/openid-connect/token"),
            None
        );
    }
}
