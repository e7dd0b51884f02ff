//! The sign-in session: a random id in an HttpOnly, SameSite=Lax cookie; the database keeps
//! only its hash. A session lets a second authorization skip the form.

use super::error::AuthorizeError;
use super::request::AuthorizeRequest;
use crate::domain::secret::{random_token, sha256_hex};
use crate::state::AppState;
use crate::store::{self, realms::Realm, sessions::Session, users::User};
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "ION_MOCK_SESSION";
/// Keycloak's default "SSO Session Max": a sign-in lasts ten hours on the emulator clock.
pub const SESSION_MAX_AGE: i64 = 10 * 3600;

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

/// Starts a session for a user who just signed in, ending the one the browser had; returns
/// the session and the cookie that names it.
pub async fn start<'a>(
    state: &AppState,
    req: &HttpRequest,
    realm: &Realm,
    user: User,
) -> Result<(SignedIn, Cookie<'a>), AuthorizeError> {
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
    Ok((signed_in, session_cookie(req, session_id)))
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
