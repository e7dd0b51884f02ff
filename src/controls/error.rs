//! The one way the `/mock/*` controls say no: `{"error": ..., "error_description": ...}`.

use crate::store::Unavailable;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use std::fmt;

#[derive(Debug)]
pub enum ControlError {
    /// The request body or a parameter is wrong; the message says how to fix it.
    BadRequest(String),
    /// No access token, or one that does not verify (the message is the `/graphql` one).
    Unauthorized(String),
    /// A valid token of a user without the `admin` role.
    Forbidden,
    NotFound(String),
    Conflict(String),
    PayloadTooLarge(usize),
    /// The database cannot take the request now (full, read-only, I/O error, busy): 503.
    Unavailable(Unavailable),
    Unexpected(anyhow::Error),
}

impl ControlError {
    fn code(&self) -> &'static str {
        match self {
            ControlError::BadRequest(_) | ControlError::PayloadTooLarge(_) => "invalid_request",
            ControlError::Unauthorized(_) => "unauthorized",
            ControlError::Forbidden => "forbidden",
            ControlError::NotFound(_) => "not_found",
            ControlError::Conflict(_) => "conflict",
            ControlError::Unavailable(_) => "temporarily_unavailable",
            ControlError::Unexpected(_) => "server_error",
        }
    }

    pub fn description(&self) -> String {
        match self {
            ControlError::BadRequest(d)
            | ControlError::Unauthorized(d)
            | ControlError::NotFound(d)
            | ControlError::Conflict(d) => d.clone(),
            ControlError::PayloadTooLarge(limit) => {
                format!("Request body is larger than {limit} bytes")
            }
            ControlError::Forbidden => {
                "Emulator controls need an access token of a user with the admin role".to_owned()
            }
            ControlError::Unavailable(u) => u.message(),
            ControlError::Unexpected(_) => "Unexpected server error".to_owned(),
        }
    }
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.description())
    }
}

impl From<anyhow::Error> for ControlError {
    fn from(e: anyhow::Error) -> Self {
        match Unavailable::in_chain(&e) {
            Some(u) => ControlError::Unavailable(u),
            None => ControlError::Unexpected(e),
        }
    }
}

impl From<sqlx::Error> for ControlError {
    fn from(e: sqlx::Error) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl ResponseError for ControlError {
    fn status_code(&self) -> StatusCode {
        match self {
            ControlError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ControlError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ControlError::Forbidden => StatusCode::FORBIDDEN,
            ControlError::NotFound(_) => StatusCode::NOT_FOUND,
            ControlError::Conflict(_) => StatusCode::CONFLICT,
            ControlError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ControlError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ControlError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ControlError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error in an emulator control")
            }
            ControlError::Unavailable(u) => {
                tracing::error!(cause = ?u, "storage unavailable in an emulator control")
            }
            _ => {}
        }
        HttpResponse::build(self.status_code())
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .json(json!({"error": self.code(), "error_description": self.description()}))
    }
}

pub type ControlResult<T> = Result<T, ControlError>;
