//! RFC 6749 section 5.2 errors, the one way the realm endpoints say no.

use crate::body::BodyError;
use crate::store::Unavailable;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use std::fmt;

#[derive(Debug)]
pub enum OAuthError {
    InvalidRequest(String),
    /// Client authentication failed: Keycloak's 401 `unauthorized_client`.
    InvalidClient,
    InvalidGrant(String),
    /// The client is known but may not use this grant (RFC 6749: 400).
    UnauthorizedClient(String),
    UnsupportedGrantType(String),
    InvalidScope(String),
    /// A bearer token that is missing, expired, revoked or not ours (RFC 6750 section 3.1).
    InvalidToken(String),
    /// A bearer token without the scope the resource needs (RFC 6750 section 3.1).
    InsufficientScope(String),
    PayloadTooLarge(usize),
    RealmNotFound,
    /// The database cannot take the request now (full, read-only, I/O error, busy): 503.
    Unavailable(Unavailable),
    Unexpected(anyhow::Error),
}

pub const INVALID_CLIENT_DESCRIPTION: &str = "Invalid client or Invalid client credentials";

impl OAuthError {
    fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidRequest(_) | OAuthError::PayloadTooLarge(_) => "invalid_request",
            OAuthError::InvalidClient | OAuthError::UnauthorizedClient(_) => "unauthorized_client",
            OAuthError::InvalidGrant(_) => "invalid_grant",
            OAuthError::UnsupportedGrantType(_) => "unsupported_grant_type",
            OAuthError::InvalidScope(_) => "invalid_scope",
            OAuthError::InvalidToken(_) => "invalid_token",
            OAuthError::InsufficientScope(_) => "insufficient_scope",
            OAuthError::RealmNotFound => "Realm does not exist",
            OAuthError::Unavailable(_) => "temporarily_unavailable",
            OAuthError::Unexpected(_) => "server_error",
        }
    }

    fn description(&self) -> String {
        match self {
            OAuthError::InvalidRequest(d)
            | OAuthError::InvalidGrant(d)
            | OAuthError::UnauthorizedClient(d)
            | OAuthError::UnsupportedGrantType(d)
            | OAuthError::InvalidScope(d)
            | OAuthError::InvalidToken(d)
            | OAuthError::InsufficientScope(d) => d.clone(),
            OAuthError::InvalidClient => INVALID_CLIENT_DESCRIPTION.to_owned(),
            OAuthError::PayloadTooLarge(limit) => {
                format!("Request body is larger than {limit} bytes")
            }
            OAuthError::RealmNotFound => String::new(),
            OAuthError::Unavailable(u) => u.message(),
            OAuthError::Unexpected(_) => "Unexpected server error".to_owned(),
        }
    }
}

impl OAuthError {
    /// RFC 6750 section 3: `Bearer error="...", error_description="..."`, with the description
    /// kept to the characters the RFC allows there.
    fn bearer_challenge(&self) -> String {
        let description: String = self
            .description()
            .chars()
            .filter(|c| matches!(c, ' ' | '!' | '#'..='[' | ']'..='~'))
            .collect();
        format!(
            "Bearer realm=\"ion-mock\", error=\"{}\", error_description=\"{description}\"",
            self.code()
        )
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.description())
    }
}

impl From<anyhow::Error> for OAuthError {
    fn from(e: anyhow::Error) -> Self {
        match Unavailable::in_chain(&e) {
            Some(u) => OAuthError::Unavailable(u),
            None => OAuthError::Unexpected(e),
        }
    }
}

impl From<sqlx::Error> for OAuthError {
    fn from(e: sqlx::Error) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<BodyError> for OAuthError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge(limit) => OAuthError::PayloadTooLarge(limit),
            BodyError::Unreadable => {
                OAuthError::InvalidRequest("Request body could not be read".into())
            }
        }
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            OAuthError::InvalidRequest(_)
            | OAuthError::InvalidGrant(_)
            | OAuthError::UnauthorizedClient(_)
            | OAuthError::UnsupportedGrantType(_)
            | OAuthError::InvalidScope(_) => StatusCode::BAD_REQUEST,
            OAuthError::InvalidClient | OAuthError::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            OAuthError::InsufficientScope(_) => StatusCode::FORBIDDEN,
            OAuthError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            OAuthError::RealmNotFound => StatusCode::NOT_FOUND,
            OAuthError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            OAuthError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            OAuthError::RealmNotFound => return res.json(json!({"error": "Realm does not exist"})),
            OAuthError::InvalidClient => {
                res.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"ion-mock\""),
                ));
            }
            OAuthError::InvalidToken(_) | OAuthError::InsufficientScope(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, self.bearer_challenge()));
            }
            OAuthError::Unavailable(u) => {
                tracing::error!(cause = ?u, "storage unavailable at a realm endpoint")
            }
            OAuthError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error at a realm endpoint")
            }
            _ => {}
        }
        res.json(json!({"error": self.code(), "error_description": self.description()}))
    }
}
