//! Reading control request bodies: JSON objects whose unknown fields are refused, so a typo
//! in a test is an error rather than a silently ignored setting.

use super::error::ControlError;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A required JSON body.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ControlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ControlError::BadRequest(
            "A JSON object body is required".into(),
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
