//! The login form and its submission (`POST R/protocol/openid-connect/auth`).

use super::endpoint::{respond, send_back};
use super::error::AuthorizeError;
use super::request::{self, AuthorizeRequest};
use super::session;
use crate::body::read_limited;
use crate::domain::secret::verify_password;
use crate::events::{Event, EventKind};
use crate::oauth::pages::{self, LoginPage};
use crate::oauth::params::Params;
use crate::oauth::token::REALM_BODY_LIMIT;
use crate::state::AppState;
use crate::store::{self, realms::Realm, users::User};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// What a wrong email or password is told; only these refusals count towards the limits.
const INVALID: &str = "Invalid username or password.";

/// The login form for this request; it posts back to the same URL with the same query, so it
/// works under either path prefix and whatever host the browser used.
pub fn form(
    realm: &Realm,
    request: &AuthorizeRequest,
    username: &str,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let action = format!("auth?{}", request.query);
    pages::html(
        status,
        &LoginPage {
            app_name: &request.target.client.name,
            realm: &realm.name,
            action: &action,
            username,
            error,
        },
    )
}

/// Why a sign-in failed, as the form shows it.
async fn check_credentials(
    state: &AppState,
    request: &AuthorizeRequest,
    username: &str,
    password: &str,
) -> Result<Result<User, String>, AuthorizeError> {
    let Some(user) = store::users::by_email(&state.db, username.trim()).await? else {
        return Ok(Err(INVALID.to_owned()));
    };
    let hash = store::users::password_hash(&state.db, user.id)
        .await?
        .unwrap_or_default();
    let password = password.to_owned();
    // Argon2 takes tens of milliseconds: keep it off the server's event loop.
    let verified = web::block(move || verify_password(&password, &hash))
        .await
        .map_err(|e| anyhow::anyhow!("password check task: {e}"))?;
    if !verified {
        return Ok(Err(INVALID.to_owned()));
    }
    if !user.active {
        return Ok(Err(
            "Account is disabled, contact your administrator.".to_owned()
        ));
    }
    if user.org_id != request.target.client.org_id {
        return Ok(Err(format!(
            "{} belongs to another organization and cannot sign in to {}.",
            user.email, request.target.client.name
        )));
    }
    Ok(Ok(user))
}

/// The authorization parameters of a POSTed request: the body without the credentials.
fn authorization_query(body: &[u8]) -> String {
    let pairs =
        url::form_urlencoded::parse(body).filter(|(k, _)| k != "username" && k != "password");
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `POST R/protocol/openid-connect/auth`: the login form's submission (the request in the
/// query, the credentials in the body), or an authorization request sent as a form, which
/// OIDC Core section 3.1.2.1 requires servers to accept.
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AuthorizeError> {
    let body = read_limited(&req, payload, REALM_BODY_LIMIT)
        .await
        .map_err(|e| AuthorizeError::Realm(e.into()))?;
    let fields = Params::from_form(&body).unwrap_or_default();
    let posted_request = req.query_string().is_empty();
    let query = if posted_request {
        authorization_query(&body)
    } else {
        req.query_string().to_owned()
    };
    let (realm, request) = request::parse(&state, &path, &query).await?;
    if posted_request && fields.get("username").is_none() && fields.get("password").is_none() {
        return respond(&state, &req, &realm, &request).await;
    }
    let username = fields.get("username").unwrap_or_default();
    let outcome = match (username, fields.get("password")) {
        ("", _) | (_, None) => Err("Enter your email and password.".to_owned()),
        (_, Some(password)) => {
            let ip = req.peer_addr().map(|a| a.ip());
            let attempt = match state
                .login_throttle
                .admit(username, ip, state.clock.now_ms())
            {
                Ok(attempt) => attempt,
                Err(wait) => return Ok(locked_out(&state, &realm, &request, username, wait)),
            };
            let outcome = check_credentials(&state, &request, username, password).await;
            match &outcome {
                Ok(Err(message)) if message == INVALID => {}
                Ok(result) => state.login_throttle.forgive(attempt, result.is_ok()),
                Err(_) => state.login_throttle.forgive(attempt, false),
            }
            outcome?
        }
    };
    let user = match outcome {
        Ok(user) => user,
        Err(message) => {
            record_rejection(&state, &realm, &request, username, &message);
            return Ok(form(
                &realm,
                &request,
                username,
                Some(message),
                StatusCode::OK,
            ));
        }
    };
    let (signed_in, cookie) = session::start(&state, &req, &realm, user).await?;
    let mut response = send_back(&state, &realm, &request, &signed_in).await?;
    response
        .add_cookie(&cookie)
        .map_err(|e| anyhow::anyhow!("session cookie: {e}"))?;
    Ok(response)
}

/// Too many failed sign-ins of this user or from this address: the form again, with 429 and
/// `Retry-After`, and the password left unchecked.
fn locked_out(
    state: &AppState,
    realm: &Realm,
    request: &AuthorizeRequest,
    username: &str,
    wait_seconds: i64,
) -> HttpResponse {
    let message = format!("Too many failed sign-in attempts; try again in {wait_seconds} seconds.");
    record_rejection(state, realm, request, username, &message);
    let mut response = form(
        realm,
        request,
        username,
        Some(message),
        StatusCode::TOO_MANY_REQUESTS,
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait_seconds));
    response
}

fn record_rejection(
    state: &AppState,
    realm: &Realm,
    request: &AuthorizeRequest,
    username: &str,
    message: &str,
) {
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Rejected,
        realm: Some(realm.name.clone()),
        client_id: Some(request.target.client.client_id.clone()),
        user: (!username.is_empty()).then(|| username.to_owned()),
        jti: None,
        reason: Some(format!("sign-in failed: {message}")),
    });
}
