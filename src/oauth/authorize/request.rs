//! The authorization request (RFC 6749 section 4.1.1, OIDC Core section 3.1.2.1), checked in
//! the order that decides how errors are reported: first the client and its redirect URI
//! (error page), then everything else (redirect to the callback).

use super::error::{AuthorizeError, RedirectCode, page};
use crate::domain::app_type::AppType;
use crate::domain::pkce::CodeChallenge;
use crate::domain::redirect_uri::{UriType, matches_exactly};
use crate::domain::scope::{EMAIL, OPENID, PROFILE, Scopes};
use crate::oauth::params::Params;
use crate::oauth::realm;
use crate::state::AppState;
use crate::store::{self, clients::Client, realms::Realm};

/// Where a response may go: a client and one of its registered callbacks, byte for byte.
#[derive(Debug, Clone)]
pub struct Target {
    pub client: Client,
    pub redirect_uri: String,
    pub state: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Sign in only when there is no usable session.
    Default,
    /// Show the form even with a session.
    Login,
    /// Never show the form: without a session, answer `login_required`.
    None,
}

/// A request that passed every check: what a code will be bound to.
#[derive(Debug)]
pub struct AuthorizeRequest {
    pub target: Target,
    pub scope: Scopes,
    pub nonce: Option<String>,
    pub challenge: Option<CodeChallenge>,
    pub prompt: Prompt,
    /// OIDC `max_age`: a session older than this many seconds does not count.
    pub max_age: Option<i64>,
    /// The request as a query string, for the login form to post back to.
    pub query: String,
}

/// The client and redirect URI, checked before anything could be redirected (RFC 6749
/// section 4.1.2.1): an unknown client or an unregistered URI gets the error page.
async fn resolve_target(
    state: &AppState,
    realm: &Realm,
    params: &Params,
) -> Result<Target, AuthorizeError> {
    let client_id = params.get("client_id").ok_or_else(|| {
        page(
            "Missing client_id",
            "The request does not name an application (client_id).",
        )
    })?;
    let client = store::clients::by_client_id(&state.db, client_id)
        .await?
        .filter(|c| c.realm == realm.name && c.kind == store::clients::KIND_OAUTH_APP && c.enabled)
        .ok_or_else(|| {
            page(
                "Unknown application",
                format!("No application with client_id '{client_id}' exists in this realm."),
            )
        })?;
    let redirect_uri = params.get("redirect_uri").ok_or_else(|| {
        page(
            "Missing redirect_uri",
            "The request does not say where to return (redirect_uri).",
        )
    })?;
    let callbacks =
        store::redirect_uris::of_client_typed(&state.db, client.id, UriType::Callback.as_str())
            .await?;
    if !matches_exactly(redirect_uri, callbacks.iter().map(String::as_str)) {
        return Err(page(
            "Invalid redirect URI",
            format!(
                "The redirect_uri '{redirect_uri}' is not a registered callback URL of {}. \
                 Register it with addOauthRedirectUri (uriType \"callback\"); it must match \
                 byte for byte.",
                client.name
            ),
        ));
    }
    Ok(Target {
        client,
        redirect_uri: redirect_uri.to_owned(),
        state: params.get("state").map(str::to_owned),
    })
}

/// Keycloak's default when `scope` is absent: `openid profile email`.
fn default_scope() -> Scopes {
    Scopes::from_static(&[OPENID, PROFILE, EMAIL])
}

/// Everything else, each failure redirected to the now trusted callback.
fn check_request(
    target: Target,
    params: &Params,
    query: &str,
) -> Result<AuthorizeRequest, AuthorizeError> {
    let fail = |target, code, description: &str| AuthorizeError::Redirect {
        target: Box::new(target),
        code,
        description: description.to_owned(),
    };
    if params.get("request").is_some() {
        return Err(fail(
            target,
            RedirectCode::RequestNotSupported,
            "Request objects are not supported",
        ));
    }
    if params.get("request_uri").is_some() {
        return Err(fail(
            target,
            RedirectCode::RequestUriNotSupported,
            "request_uri is not supported",
        ));
    }
    let app_type = target.client.app_type.parse::<AppType>().ok();
    if app_type.is_none_or(AppType::allows_client_credentials) {
        return Err(fail(
            target,
            RedirectCode::UnauthorizedClient,
            "This application may not use the authorization code flow",
        ));
    }
    match params.get("response_type") {
        None => {
            return Err(fail(
                target,
                RedirectCode::InvalidRequest,
                "Missing parameter: response_type",
            ));
        }
        Some("code") => {}
        Some(_) => {
            return Err(fail(
                target,
                RedirectCode::UnsupportedResponseType,
                "Only response_type=code is supported",
            ));
        }
    }
    if params.get("response_mode").is_some_and(|m| m != "query") {
        return Err(fail(
            target,
            RedirectCode::InvalidRequest,
            "Only response_mode=query is supported",
        ));
    }
    let scope = match params.get("scope") {
        None => default_scope(),
        Some(raw) => match Scopes::parse(raw) {
            Ok(scope) => scope,
            Err(e) => return Err(fail(target, RedirectCode::InvalidScope, &e.to_string())),
        },
    };
    let challenge = match CodeChallenge::parse(
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        Ok(challenge) => challenge,
        Err(e) => return Err(fail(target, RedirectCode::InvalidRequest, &e.to_string())),
    };
    let public = app_type.is_some_and(|t| !t.is_confidential());
    if public && challenge.is_none() {
        return Err(fail(
            target,
            RedirectCode::InvalidRequest,
            "PKCE is required for public clients: send code_challenge and code_challenge_method=S256",
        ));
    }
    let prompt = match params.get("prompt") {
        None | Some("consent") | Some("select_account") => Prompt::Default,
        Some("login") => Prompt::Login,
        Some("none") => Prompt::None,
        Some(other) => {
            return Err(fail(
                target,
                RedirectCode::InvalidRequest,
                &format!(
                    "Unsupported prompt '{other}': use none, login, consent or select_account"
                ),
            ));
        }
    };
    let max_age = match params.get("max_age").map(str::parse::<i64>) {
        None => None,
        Some(Ok(age)) if age >= 0 => Some(age),
        Some(_) => {
            return Err(fail(
                target,
                RedirectCode::InvalidRequest,
                "max_age must be a non-negative integer",
            ));
        }
    };
    Ok(AuthorizeRequest {
        target,
        scope,
        nonce: params.get("nonce").map(str::to_owned),
        challenge,
        prompt,
        max_age,
        query: query.to_owned(),
    })
}

/// Parses and checks an authorization request given as a query string: the URL's for a
/// GET and for the login form's POST, the form-encoded body for a POSTed request.
pub async fn parse(
    state: &AppState,
    realm_name: &str,
    query: &str,
) -> Result<(Realm, AuthorizeRequest), AuthorizeError> {
    let realm = realm::load(state, realm_name)
        .await
        .map_err(AuthorizeError::Realm)?;
    let params =
        Params::from_form(query.as_bytes()).map_err(|e| page("Invalid request", e.to_string()))?;
    let target = resolve_target(state, &realm, &params).await?;
    Ok((realm, check_request(target, &params, query)?))
}
