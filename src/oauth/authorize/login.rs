//! The login form and its submission (`POST R/protocol/openid-connect/auth`).

use super::endpoint::send_back;
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
use actix_web::{HttpRequest, HttpResponse, web};

/// The login form for this request; it posts back to the same URL with the same query, so it
/// works under either path prefix and whatever host the browser used.
pub fn form(
    req: &HttpRequest,
    realm: &Realm,
    request: &AuthorizeRequest,
    username: &str,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let action = format!("auth?{}", req.query_string());
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
    const INVALID: &str = "Invalid username or password.";
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

/// `POST R/protocol/openid-connect/auth`: the login form's submission.
pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AuthorizeError> {
    let (realm, request) = request::parse(&state, &req, &path).await?;
    let body = read_limited(&req, payload, REALM_BODY_LIMIT)
        .await
        .map_err(|e| AuthorizeError::Realm(e.into()))?;
    let form = Params::from_form(&body).unwrap_or_default();
    let username = form.get("username").unwrap_or_default();
    let outcome = match (username, form.get("password")) {
        ("", _) | (_, None) => Err("Enter your email and password.".to_owned()),
        (_, Some(password)) => check_credentials(&state, &request, username, password).await?,
    };
    let user = match outcome {
        Ok(user) => user,
        Err(message) => {
            record_rejection(&state, &realm, &request, username, &message);
            return Ok(form_again(&req, &realm, &request, username, message));
        }
    };
    let (signed_in, cookie) = session::start(&state, &req, &realm, user).await?;
    let mut response = send_back(&state, &realm, &request, &signed_in).await?;
    response
        .add_cookie(&cookie)
        .map_err(|e| anyhow::anyhow!("session cookie: {e}"))?;
    Ok(response)
}

fn form_again(
    req: &HttpRequest,
    realm: &Realm,
    request: &AuthorizeRequest,
    username: &str,
    message: String,
) -> HttpResponse {
    form(req, realm, request, username, Some(message), StatusCode::OK)
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
