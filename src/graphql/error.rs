//! Operation failures of the ION API: HTTP 200 with `errors[].message`.

use crate::store::Unavailable;
use async_graphql::{Error, ErrorExtensions};

/// The `extensions.code` of a storage failure; `/graphql` answers HTTP 503 when it is present.
pub const STORAGE_UNAVAILABLE: &str = "STORAGE_UNAVAILABLE";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(
        "User does not have permission to perform this action: the {0} permission is required."
    )]
    PermissionDenied(&'static str),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// The database cannot take the request now (full, read-only, I/O error, busy).
    #[error("{0}")]
    Unavailable(Unavailable),
    #[error("Internal server error")]
    Unexpected(anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        match Unavailable::in_chain(&e) {
            Some(u) => ApiError::Unavailable(u),
            None => ApiError::Unexpected(e),
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> Error {
        let code = match self {
            ApiError::PermissionDenied(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Invalid(_) => "BAD_USER_INPUT",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::Unavailable(u) => {
                tracing::error!(cause = ?u, "storage unavailable in a GraphQL operation");
                STORAGE_UNAVAILABLE
            }
            ApiError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error in a GraphQL operation");
                "INTERNAL_SERVER_ERROR"
            }
        };
        Error::new(self.to_string()).extend_with(|_, ext| ext.set("code", code))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Runs an operation and turns its failure into a GraphQL error with a `code` extension.
pub fn graphql<T>(result: ApiResult<T>) -> async_graphql::Result<T> {
    result.map_err(|e| e.extend())
}
