//! CORS for the realm endpoints and `/graphql`: a browser `Origin` is allowed only when it is
//! a registered `origin` URI, of the client the request names (`client_id` in the query, or
//! the client the handler authenticated) or else of any app of the realm. Never `*`, and
//! preflights are answered here.

use crate::state::AppState;
use crate::store;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, web};

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "Authorization, Content-Type";
const MAX_AGE_SECONDS: &str = "600";

/// Which origins a path answers: `None` for paths without CORS; `Some(None)` for `/graphql`
/// (any realm); `Some(Some(realm))` for a realm endpoint under either prefix.
fn scope_of(path: &str) -> Option<Option<&str>> {
    if path == "/graphql" {
        return Some(None);
    }
    let rest = path.strip_prefix("/auth").unwrap_or(path);
    let realm = rest.strip_prefix("/realms/")?.split('/').next()?;
    (!realm.is_empty()).then_some(Some(realm))
}

/// The client a request turned out to be from (its body or credentials named it), recorded
/// by the handler so the response's CORS answer is about that client's origins.
#[derive(Debug, Clone)]
pub struct NamedClient(pub String);

/// Records the client a request names, for [`cors`] to read once the handler has run.
pub fn name_client(req: &HttpRequest, client_id: &str) {
    req.extensions_mut()
        .insert(NamedClient(client_id.to_owned()));
}

fn client_id_in(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned())
}

async fn is_allowed(
    state: Option<&web::Data<AppState>>,
    origin: &str,
    realm: Option<&str>,
    client_id: Option<&str>,
) -> bool {
    let Some(state) = state else {
        return false;
    };
    store::origins::is_registered(&state.db, origin, realm, client_id)
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot look up registered origins");
            false
        })
}

pub async fn cors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = req.path().to_owned();
    let (Some(origin), Some(realm)) = (origin, scope_of(&path)) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let queried = client_id_in(req.query_string());
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let (mut res, allowed) = if preflight {
        // A preflight carries no body: only a client named in the query narrows it.
        let allowed = is_allowed(state.as_ref(), &origin, realm, queried.as_deref()).await;
        let status = if allowed {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::FORBIDDEN
        };
        let mut answer = HttpResponse::build(status);
        if allowed {
            answer
                .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS))
                .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS))
                .insert_header((header::ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS));
        }
        (req.into_response(answer.finish()), allowed)
    } else {
        let res = next.call(req).await?.map_into_boxed_body();
        let named = res.request().extensions().get::<NamedClient>().cloned();
        let client_id = named.map(|n| n.0).or(queried);
        let allowed = is_allowed(state.as_ref(), &origin, realm, client_id.as_deref()).await;
        (res, allowed)
    };
    let headers = res.headers_mut();
    // The answer depends on the Origin, allowed or not: caches must keep them apart.
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if allowed && let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_covers_realm_endpoints_under_both_prefixes_and_graphql_only() {
        assert_eq!(
            scope_of("/realms/api-keys/protocol/openid-connect/token"),
            Some(Some("api-keys"))
        );
        assert_eq!(
            scope_of("/auth/realms/x/.well-known/openid-configuration"),
            Some(Some("x"))
        );
        assert_eq!(scope_of("/graphql"), Some(None));
        assert_eq!(scope_of("/health"), None);
        assert_eq!(scope_of("/mock/clock"), None);
        assert_eq!(scope_of("/realms/"), None);
    }
}
