//! Reading control request bodies: JSON objects whose unknown fields are refused, so a typo
//! in a test is an error rather than a silently ignored setting.

use super::error::ControlError;
use crate::body::{BodyError, read_limited};
use actix_web::dev::Payload;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::ops::Deref;

/// Control bodies are small; this is far above any real one.
pub const CONTROL_BODY_LIMIT: usize = 64 * 1024;

/// A control's raw request body, read with a cap so that even a refusal is JSON.
pub struct Body(Bytes);

impl Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl FromRequest for Body {
    type Error = ControlError;
    type Future = LocalBoxFuture<'static, Result<Self, ControlError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), web::Payload::from_request(req, payload));
        Box::pin(async move {
            let payload = payload
                .await
                .map_err(|_| ControlError::BadRequest("Request body could not be read".into()))?;
            match read_limited(&req, payload, CONTROL_BODY_LIMIT).await {
                Ok(bytes) => Ok(Body(bytes)),
                Err(BodyError::TooLarge(limit)) => Err(ControlError::PayloadTooLarge(limit)),
                Err(BodyError::Unreadable) => Err(ControlError::BadRequest(
                    "Request body could not be read".into(),
                )),
            }
        })
    }
}

/// A required JSON body.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ControlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ControlError::BadRequest(
            "A JSON object body is required".into(),
        ));
    }
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(ControlError::BadRequest(
            "The request body must be a JSON object".into(),
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ControlError::BadRequest(format!("Invalid request body: {e}")))
}

/// A JSON body whose fields are all optional: an empty body means the defaults.
pub fn parse_or_default<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ControlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse(body)
}

/// For settings that `null` resets: a missing field is `None`, `null` is `Some(None)`.
/// Use with `#[serde(default, deserialize_with = "json::nullable")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
