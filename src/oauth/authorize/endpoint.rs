//! The authorization endpoint's answer: a signed-in user goes straight back with a code (there
//! is no consent page); anyone else gets the login form.

use super::error::{AuthorizeError, RedirectCode, redirect};
use super::login;
use super::request::{self, AuthorizeRequest, Prompt};
use super::session::{self, SignedIn};
use crate::domain::secret::{random_token, sha256_hex};
use crate::state::AppState;
use crate::store::{self, codes::AuthorizationCode, realms::Realm};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

/// Authorization codes live 60 s on the emulator clock.
pub const CODE_LIFETIME: i64 = 60;

/// `GET R/protocol/openid-connect/auth`.
pub async fn authorize(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AuthorizeError> {
    let (realm, request) = request::parse(&state, &path, req.query_string()).await?;
    respond(&state, &req, &realm, &request).await
}

/// A checked request: straight back with a code when signed in, else the form.
pub async fn respond(
    state: &AppState,
    req: &HttpRequest,
    realm: &Realm,
    request: &AuthorizeRequest,
) -> Result<HttpResponse, AuthorizeError> {
    let session = match request.prompt {
        Prompt::Login => None,
        Prompt::Default | Prompt::None => {
            session::usable_session(state, req, realm, request).await?
        }
    };
    match (session, request.prompt) {
        (Some(session), _) => send_back(state, realm, request, &session).await,
        (None, Prompt::None) => Err(AuthorizeError::Redirect {
            target: Box::new(request.target.clone()),
            code: RedirectCode::LoginRequired,
            description: "The user is not signed in".to_owned(),
        }),
        (None, Prompt::Default | Prompt::Login) => {
            Ok(login::form(realm, request, "", None, StatusCode::OK))
        }
    }
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
    Ok(redirect(&target.redirect_uri, &params))
}
