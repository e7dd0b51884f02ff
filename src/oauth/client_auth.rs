//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 section 2.3): `client_secret_basic`, `client_secret_post`, or `none` for
//! public clients.

use super::error::OAuthError;
use super::params::Params;
use crate::domain::app_type::AppType;
use crate::domain::secret::verify_secret;
use crate::state::AppState;
use crate::store::{self, clients::Client};
use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A client that proved who it is, or a public client that named itself.
#[derive(Debug)]
pub struct CallingClient {
    pub client: Client,
    /// False for public clients, which have no secret to prove anything with.
    pub confidential: bool,
}

struct Presented {
    client_id: String,
    secret: Option<String>,
}

/// `Authorization: Basic` with form-encoded id and secret (RFC 6749 section 2.3.1).
fn basic_credentials(req: &HttpRequest) -> Result<Option<Presented>, OAuthError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| OAuthError::InvalidClient)?;
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| OAuthError::InvalidClient)?;
    let decoded = String::from_utf8(decoded).map_err(|_| OAuthError::InvalidClient)?;
    let (id, secret) = decoded.split_once(':').ok_or(OAuthError::InvalidClient)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some(Presented {
        client_id: unescape(id),
        secret: Some(unescape(secret)),
    }))
}

/// The client id of well-formed `Authorization: Basic` credentials, without checking them.
pub fn basic_client_id(req: &HttpRequest) -> Option<String> {
    basic_credentials(req).ok().flatten().map(|p| p.client_id)
}

fn presented(req: &HttpRequest, params: &Params) -> Result<Presented, OAuthError> {
    let basic = basic_credentials(req)?;
    let post_id = params.get("client_id");
    let post_secret = params.get("client_secret");
    match basic {
        Some(basic) => {
            if post_secret.is_some() {
                return Err(OAuthError::InvalidRequest(
                    "Use one client authentication method, not both basic and post".into(),
                ));
            }
            if post_id.is_some_and(|id| id != basic.client_id) {
                return Err(OAuthError::InvalidClient);
            }
            Ok(basic)
        }
        None => {
            let client_id = post_id
                .ok_or_else(|| OAuthError::InvalidRequest("Missing parameter: client_id".into()))?;
            Ok(Presented {
                client_id: client_id.to_owned(),
                secret: post_secret.map(str::to_owned),
            })
        }
    }
}

/// Identifies and authenticates the calling client of `realm`.
pub async fn authenticate(
    state: &AppState,
    req: &HttpRequest,
    params: &Params,
    realm: &str,
) -> Result<CallingClient, OAuthError> {
    let presented = presented(req, params)?;
    super::cors::name_client(req, &presented.client_id);
    let client = state
        .reads()
        .client(&presented.client_id)
        .await?
        .filter(|c| c.realm == realm && c.enabled)
        .ok_or(OAuthError::InvalidClient)?;
    let app_type: AppType = client
        .app_type
        .parse()
        .map_err(|_| OAuthError::InvalidClient)?;
    if !app_type.is_confidential() {
        return match presented.secret {
            None => Ok(CallingClient {
                client,
                confidential: false,
            }),
            Some(_) => Err(OAuthError::InvalidClient),
        };
    }
    let (Some(secret), Some(hash)) = (presented.secret.as_deref(), client.secret_hash.as_deref())
    else {
        return Err(OAuthError::InvalidClient);
    };
    if !verify_secret(secret, hash) {
        return Err(OAuthError::InvalidClient);
    }
    if client.kind == store::clients::KIND_API_KEY && !owner_is_active(state, &client).await? {
        return Err(OAuthError::InvalidClient);
    }
    Ok(CallingClient {
        client,
        confidential: true,
    })
}

/// An API key is disabled while the user it acts for is deactivated.
async fn owner_is_active(state: &AppState, client: &Client) -> Result<bool, OAuthError> {
    let Some(user_id) = client.user_id else {
        return Ok(false);
    };
    Ok(state.reads().user(user_id).await?.is_some_and(|u| u.active))
}
