//! Operation failures of the ION API: HTTP 200 with `errors[].message`.

use async_graphql::{Error, ErrorExtensions};

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
    #[error("Internal server error")]
    Unexpected(anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Unexpected(e.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Unexpected(e)
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> Error {
        let code = match self {
            ApiError::PermissionDenied(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Invalid(_) => "BAD_USER_INPUT",
            ApiError::Conflict(_) => "CONFLICT",
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
