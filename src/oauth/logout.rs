//! RP-initiated logout (OIDC RP-Initiated Logout 1.0): ends the sign-in session, revokes the
//! grants made through it, and goes back only to a registered `logout` URI.

use super::authorize::{SESSION_COOKIE, expired_session_cookie, redirect};
use super::error::OAuthError;
use super::pages::{self, SignedOutPage};
use super::params::Params;
use super::realm;
use super::token::REALM_BODY_LIMIT;
use crate::body::read_limited;
use crate::domain::redirect_uri::{UriType, matches_exactly};
use crate::domain::secret::sha256_hex;
use crate::events::{Event, EventKind};
use crate::state::AppState;
use crate::store::{self, clients::Client, realms::Realm};
use crate::tokens::claims::TYP_ID;
use crate::tokens::verify::decode_signed;
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};

enum LogoutError {
    Page(&'static str, String),
    Realm(OAuthError),
}

impl From<sqlx::Error> for LogoutError {
    fn from(e: sqlx::Error) -> Self {
        LogoutError::Realm(e.into())
    }
}

/// `GET` (query) and `POST` (form) `R/protocol/openid-connect/logout`.
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    match end_session(&state, &req, &path, payload).await {
        Ok(mut response) => {
            if let Err(e) = response.add_cookie(&expired_session_cookie()) {
                tracing::error!(error = %e, "cannot clear the session cookie");
            }
            response
        }
        Err(LogoutError::Page(title, message)) => {
            pages::error_page(StatusCode::BAD_REQUEST, title, &message)
        }
        Err(LogoutError::Realm(e)) => actix_web::ResponseError::error_response(&e),
    }
}

/// The hint's claims when it is an ID token this realm signed; expired hints are fine.
struct Hint {
    client_id: Option<String>,
    grant_id: Option<String>,
}

fn read_hint(state: &AppState, realm: &Realm, raw: &str) -> Result<Hint, LogoutError> {
    let bad = |why: &str| LogoutError::Page("Invalid id_token_hint", why.to_owned());
    let token = decode_signed(state, raw)
        .map_err(|e| bad(&format!("The ID token hint is not valid: {e}.")))?;
    if token.realm != realm.name
        || token.str_claim("iss") != Some(state.issuer(&realm.name).as_str())
    {
        return Err(bad("The ID token hint was issued by another realm."));
    }
    if token.str_claim("typ") != Some(TYP_ID) {
        return Err(bad("The hint is not an ID token."));
    }
    Ok(Hint {
        client_id: token.str_claim("azp").map(str::to_owned),
        grant_id: token.str_claim("sid").map(str::to_owned),
    })
}

async fn named_client(
    state: &AppState,
    realm: &Realm,
    client_id: Option<&str>,
    hint: Option<&Hint>,
) -> Result<Option<Client>, LogoutError> {
    let hinted = hint.and_then(|h| h.client_id.as_deref());
    let client_id = match (client_id, hinted) {
        (Some(a), Some(b)) if a != b => {
            return Err(LogoutError::Page(
                "Invalid logout request",
                "client_id does not match the client of the id_token_hint.".into(),
            ));
        }
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) => return Ok(None),
    };
    let client = store::clients::by_client_id(&state.db, client_id)
        .await?
        .filter(|c| c.realm == realm.name && c.kind == store::clients::KIND_OAUTH_APP)
        .ok_or_else(|| {
            LogoutError::Page(
                "Unknown application",
                format!("No application with client_id '{client_id}' exists in this realm."),
            )
        })?;
    Ok(Some(client))
}

async fn end_session(
    state: &AppState,
    req: &HttpRequest,
    realm_name: &str,
    payload: web::Payload,
) -> Result<HttpResponse, LogoutError> {
    let realm = realm::load(state, realm_name)
        .await
        .map_err(LogoutError::Realm)?;
    let params = if req.method() == Method::POST {
        let body = read_limited(req, payload, REALM_BODY_LIMIT)
            .await
            .map_err(|e| LogoutError::Realm(e.into()))?;
        Params::from_form(&body)
    } else {
        Params::from_form(req.query_string().as_bytes())
    }
    .map_err(|e| LogoutError::Page("Invalid logout request", e.to_string()))?;
    let hint = match params.get("id_token_hint") {
        Some(raw) => Some(read_hint(state, &realm, raw)?),
        None => None,
    };
    let client = named_client(state, &realm, params.get("client_id"), hint.as_ref()).await?;
    let back_to = match (params.get("post_logout_redirect_uri"), &client) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(LogoutError::Page(
                "Invalid logout request",
                "post_logout_redirect_uri needs id_token_hint or client_id to name the application.".into(),
            ));
        }
        (Some(uri), Some(client)) => {
            let registered = store::redirect_uris::of_client_typed(
                &state.db,
                client.id,
                UriType::Logout.as_str(),
            )
            .await?;
            if !matches_exactly(uri, registered.iter().map(String::as_str)) {
                return Err(LogoutError::Page(
                    "Invalid redirect URI",
                    format!(
                        "The post_logout_redirect_uri '{uri}' is not a registered logout URL of {}. \
                         Register it with addOauthRedirectUri (uriType \"logout\").",
                        client.name
                    ),
                ));
            }
            Some(uri)
        }
    };
    let mut sessions = Vec::new();
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        sessions.push(sha256_hex(cookie.value()));
    }
    if let Some(grant) = hint.as_ref().and_then(|h| h.grant_id.as_deref())
        && let Some(session) = store::codes::session_of_grant(&state.db, grant).await?
    {
        sessions.push(session);
    }
    for session in sessions {
        end_one(state, &realm, &session, client.as_ref()).await?;
    }
    Ok(match back_to {
        Some(uri) => {
            let state_param: Vec<(&str, &str)> = params
                .get("state")
                .map(|s| ("state", s))
                .into_iter()
                .collect();
            redirect(uri, &state_param)
        }
        None => pages::html(
            StatusCode::OK,
            &SignedOutPage {
                message: "You have been signed out. You can close this window.",
            },
        ),
    })
}

/// Ends one session of this realm and revokes the grants made through it, so their refresh
/// tokens stop working and introspection calls their access tokens inactive.
async fn end_one(
    state: &AppState,
    realm: &Realm,
    session_hash: &str,
    client: Option<&Client>,
) -> Result<(), LogoutError> {
    let Some(session) =
        store::sessions::live(&state.db, session_hash, &realm.name, i64::MIN).await?
    else {
        return Ok(());
    };
    store::sessions::end(&state.db, session_hash, state.clock.now()).await?;
    let revoke_before = state.clock.real_ms() + 1;
    for grant in store::codes::grants_of_session(&state.db, session_hash).await? {
        store::revocations::revoke_all_of(&state.db, "grant", &grant, revoke_before).await?;
    }
    let user = store::users::by_id(&state.db, session.user_id).await?;
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Revoked,
        realm: Some(realm.name.clone()),
        client_id: client.map(|c| c.client_id.clone()),
        user: user.map(|u| u.email),
        jti: None,
        reason: Some("signed out: the session's grants are revoked".into()),
    });
    Ok(())
}
