//! How the authorization endpoint says no: an error page when there is no trustworthy
//! redirect URI, else a redirect to the registered callback (RFC 6749 section 4.1.2.1).

use super::request::Target;
use crate::oauth::error::OAuthError;
use crate::oauth::pages;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use std::fmt;

/// Error codes sent back to the client (RFC 6749 section 4.1.2.1, OIDC Core 3.1.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectCode {
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedResponseType,
    InvalidScope,
    LoginRequired,
    RequestNotSupported,
    RequestUriNotSupported,
}

impl RedirectCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectCode::InvalidRequest => "invalid_request",
            RedirectCode::UnauthorizedClient => "unauthorized_client",
            RedirectCode::UnsupportedResponseType => "unsupported_response_type",
            RedirectCode::InvalidScope => "invalid_scope",
            RedirectCode::LoginRequired => "login_required",
            RedirectCode::RequestNotSupported => "request_not_supported",
            RedirectCode::RequestUriNotSupported => "request_uri_not_supported",
        }
    }
}

#[derive(Debug)]
pub enum AuthorizeError {
    /// No trustworthy redirect URI: an error page, never a redirect.
    Page {
        title: &'static str,
        message: String,
    },
    /// Sent back to the client's registered callback.
    Redirect {
        target: Box<Target>,
        code: RedirectCode,
        description: String,
    },
    Realm(OAuthError),
}

impl From<sqlx::Error> for AuthorizeError {
    fn from(e: sqlx::Error) -> Self {
        AuthorizeError::Realm(e.into())
    }
}

impl From<anyhow::Error> for AuthorizeError {
    fn from(e: anyhow::Error) -> Self {
        AuthorizeError::Realm(e.into())
    }
}

impl fmt::Display for AuthorizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthorizeError::Page { title, message } => write!(f, "{title}: {message}"),
            AuthorizeError::Redirect {
                code, description, ..
            } => write!(f, "{}: {description}", code.as_str()),
            AuthorizeError::Realm(e) => e.fmt(f),
        }
    }
}

impl ResponseError for AuthorizeError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthorizeError::Page { .. } => StatusCode::BAD_REQUEST,
            AuthorizeError::Redirect { .. } => StatusCode::FOUND,
            AuthorizeError::Realm(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AuthorizeError::Page { title, message } => {
                pages::error_page(self.status_code(), title, message)
            }
            AuthorizeError::Redirect {
                target,
                code,
                description,
            } => {
                let mut params = vec![("error", code.as_str()), ("error_description", description)];
                if let Some(state) = &target.state {
                    params.push(("state", state));
                }
                redirect(&target.redirect_uri, &params)
            }
            AuthorizeError::Realm(e) => e.error_response(),
        }
    }
}

/// A 302 to a registered URI with parameters added to its query, leaving the registered
/// part exactly as it was registered.
pub fn redirect(uri: &str, params: &[(&str, &str)]) -> HttpResponse {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let separator = if uri.contains('?') { '&' } else { '?' };
    HttpResponse::Found()
        .insert_header((header::LOCATION, format!("{uri}{separator}{query}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

pub fn page(title: &'static str, message: impl Into<String>) -> AuthorizeError {
    AuthorizeError::Page {
        title,
        message: message.into(),
    }
}
