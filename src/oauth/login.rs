//! The login form, the sign-in session cookie, and the code a signed-in user is sent back with.

use super::authorize::{self, AuthorizeError, AuthorizeRequest};
use super::pages::{self, LoginPage};
use super::params::Params;
use crate::body::read_limited;
use crate::domain::secret::{random_token, sha256_hex, verify_password};
use crate::events::{Event, EventKind};
use crate::oauth::token::REALM_BODY_LIMIT;
use crate::state::AppState;
use crate::store::{self, codes::AuthorizationCode, realms::Realm, sessions::Session, users::User};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub const SESSION_COOKIE: &str = "ION_MOCK_SESSION";
/// Keycloak's default "SSO Session Max": a sign-in lasts ten hours on the emulator clock.
pub const SESSION_MAX_AGE: i64 = 10 * 3600;
/// Authorization codes live 60 s on the emulator clock.
pub const CODE_LIFETIME: i64 = 60;

/// A user signed in through a session.
#[derive(Debug)]
pub struct SignedIn {
    pub session_hash: String,
    pub user: User,
    pub auth_time: i64,
}

/// The session named by the cookie, if it may sign this user in to this app: live, of this
/// realm, younger than `max_age`, of an active user of the app's org.
pub async fn usable_session(
    state: &AppState,
    req: &HttpRequest,
    realm: &Realm,
    request: &AuthorizeRequest,
) -> Result<Option<SignedIn>, AuthorizeError> {
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let now = state.clock.now();
    let max_age = request
        .max_age
        .unwrap_or(SESSION_MAX_AGE)
        .min(SESSION_MAX_AGE);
    let hash = sha256_hex(cookie.value());
    let Some(session) =
        store::sessions::live(&state.db, &hash, &realm.name, now - max_age - 1).await?
    else {
        return Ok(None);
    };
    let user = store::users::by_id(&state.db, session.user_id)
        .await?
        .filter(|u| u.active && u.org_id == request.target.client.org_id);
    Ok(user.map(|user| SignedIn {
        session_hash: hash,
        user,
        auth_time: session.auth_time,
    }))
}

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

/// Issues a code bound to the request and the user, and redirects to the callback with it.
pub async fn send_back(
    state: &AppState,
    realm: &Realm,
    request: &AuthorizeRequest,
    signed_in: &SignedIn,
) -> Result<HttpResponse, AuthorizeError> {
    let code = random_token(32);
    let target = &request.target;
    store::codes::insert(
        &state.db,
        &AuthorizationCode {
            code_hash: sha256_hex(&code),
            client_id: target.client.client_id.clone(),
            realm: realm.name.clone(),
            user_id: signed_in.user.id,
            redirect_uri: target.redirect_uri.clone(),
            scope: request.scope.to_string(),
            nonce: request.nonce.clone(),
            code_challenge: request.challenge.as_ref().map(|c| c.value.clone()),
            code_challenge_method: request
                .challenge
                .as_ref()
                .map(|c| c.method.as_str().to_owned()),
            session_id: Some(signed_in.session_hash.clone()),
            auth_time: signed_in.auth_time,
            grant_id: uuid::Uuid::new_v4().to_string(),
            expires_at: state.clock.now() + CODE_LIFETIME,
            used_at: None,
        },
    )
    .await?;
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = &target.state {
        params.push(("state", s));
    }
    Ok(authorize::redirect(&target.redirect_uri, &params))
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
    let (realm, request) = authorize::parse(&state, &req, &path).await?;
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
    if let Some(old) = req.cookie(SESSION_COOKIE) {
        store::sessions::end(&state.db, &sha256_hex(old.value()), state.clock.now()).await?;
    }
    let session_id = random_token(32);
    let session = Session {
        id_hash: sha256_hex(&session_id),
        user_id: user.id,
        realm: realm.name.clone(),
        auth_time: state.clock.now(),
    };
    store::sessions::insert(&state.db, &session).await?;
    let signed_in = SignedIn {
        session_hash: session.id_hash,
        user,
        auth_time: session.auth_time,
    };
    let mut response = send_back(&state, &realm, &request, &signed_in).await?;
    response
        .add_cookie(&session_cookie(&req, session_id))
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

/// HttpOnly and SameSite=Lax always; Secure when the browser reached us over HTTPS.
fn session_cookie<'a>(req: &HttpRequest, value: String) -> Cookie<'a> {
    let secure = req.connection_info().scheme() == "https";
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn expired_session_cookie<'a>() -> Cookie<'a> {
    let mut cookie = Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    cookie.make_removal();
    cookie
}
