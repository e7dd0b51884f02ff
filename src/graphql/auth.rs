//! ION's auth layer in front of `/graphql`: the header forms it accepts, the exact 401
//! messages it answers with, and the caller it resolves once per request.

use crate::domain::permission::Permissions;
use crate::graphql::error::ApiError;
use crate::state::AppState;
use crate::store::{self, users::User};
use crate::tokens::verify::{TokenError, VerifiedToken, verify_access_token};
use actix_web::HttpRequest;
use actix_web::http::header;

/// The authenticated caller of a GraphQL request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub permissions: Permissions,
    /// The realm that issued the caller's token; apps the caller registers live there.
    pub realm: String,
    pub client_id: Option<String>,
}

impl Caller {
    pub fn require(&self, permission: &'static str) -> Result<(), ApiError> {
        if self.permissions.contains(permission) {
            Ok(())
        } else {
            Err(ApiError::PermissionDenied(permission))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthFailure {
    #[error("Please provide proper credentials")]
    NoCredentials,
    #[error("{0}")]
    Token(&'static str),
    #[error(
        "Token signing algorithm '{0}' is not accepted: tokens must be signed with the realm's key."
    )]
    Algorithm(String),
    #[error("Internal server error")]
    Unexpected(anyhow::Error),
}

impl From<TokenError> for AuthFailure {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Malformed => AuthFailure::Token("Unable to parse authentication token"),
            TokenError::RefusedAlgorithm(alg) => AuthFailure::Algorithm(alg),
            TokenError::UnknownKey => AuthFailure::Token("Unable to find appropriate RSA key"),
            TokenError::BadSignature => AuthFailure::Token(
                "Token signature is invalid: it does not verify against the signing key.",
            ),
            TokenError::Expired => AuthFailure::Token("Token is expired."),
            TokenError::WrongIssuer => AuthFailure::Token(
                "Incorrect claims: the token issuer is not accepted, please check the issuer.",
            ),
            TokenError::WrongAudience => AuthFailure::Token(
                "Incorrect claims: the token audience is not accepted, please check the audience.",
            ),
            TokenError::WrongType(_) => AuthFailure::Token("Token is not an access token."),
            TokenError::Revoked => AuthFailure::Token("Token has been revoked."),
            TokenError::Unexpected(e) => AuthFailure::Unexpected(e),
        }
    }
}

impl From<sqlx::Error> for AuthFailure {
    fn from(e: sqlx::Error) -> Self {
        AuthFailure::Unexpected(e.into())
    }
}

/// `Bearer X`, `Token X` or a bare `X`, as ION accepts all three.
pub fn token_from_header(req: &HttpRequest) -> Option<&str> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") =>
        {
            rest.trim()
        }
        None if value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("token") => "",
        _ => value,
    };
    (!token.is_empty()).then_some(token)
}

pub async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<Caller, AuthFailure> {
    let token = token_from_header(req).ok_or(AuthFailure::NoCredentials)?;
    let verified = verify_access_token(state, token).await?;
    resolve_caller(state, &verified).await
}

/// Who the token speaks for now: a deactivated user or a disabled API key is refused even
/// while the token has time left.
pub async fn resolve_caller(
    state: &AppState,
    token: &VerifiedToken,
) -> Result<Caller, AuthFailure> {
    let user = match token.sub() {
        Some(sub) => state.reads().user_by_subject(sub).await?,
        None => None,
    }
    .ok_or(AuthFailure::Token("Token subject is not a known user."))?;
    if !user.active {
        return Err(AuthFailure::Token("User account is deactivated."));
    }
    let client = match token.client_id() {
        Some(id) => state.reads().client(id).await?,
        None => None,
    };
    let permissions = match &client {
        Some(c) if c.kind == store::clients::KIND_API_KEY => {
            if !c.enabled {
                return Err(AuthFailure::Token("API key is disabled."));
            }
            Permissions::from_names(state.reads().frozen_permissions(c.id).await?)
        }
        _ => Permissions::from_names(state.reads().permission_names(user.id).await?),
    };
    Ok(Caller {
        user,
        permissions,
        realm: token.realm.clone(),
        client_id: token.client_id().map(str::to_owned),
    })
}
