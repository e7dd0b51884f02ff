//! Token-endpoint style parameters from a form (RFC 6749 appendix B) or a JSON body.

use super::error::OAuthError;
use actix_web::HttpRequest;
use actix_web::http::header;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Parses by `Content-Type`: JSON for `application/json`, a form otherwise.
    pub fn parse(req: &HttpRequest, body: &[u8]) -> Result<Self, OAuthError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("application/json") {
            Self::from_json(body)
        } else {
            Self::from_form(body)
        }
    }

    /// RFC 6749 section 3.2: parameters must not be included more than once.
    pub fn from_form(body: &[u8]) -> Result<Self, OAuthError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| {
            OAuthError::InvalidRequest("Request body is not valid form encoding".into())
        })?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() {
                return Err(OAuthError::InvalidRequest(format!(
                    "Parameter '{k}' is repeated"
                )));
            }
        }
        Ok(Self(map))
    }

    fn from_json(body: &[u8]) -> Result<Self, OAuthError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| OAuthError::InvalidRequest("Request body is not valid JSON".into()))?;
        let Value::Object(object) = value else {
            return Err(OAuthError::InvalidRequest(
                "Request body must be a JSON object".into(),
            ));
        };
        let mut map = HashMap::new();
        for (k, v) in object {
            let text = match v {
                Value::String(s) => s,
                Value::Null => continue,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(OAuthError::InvalidRequest(format!(
                        "Parameter '{k}' must be a string"
                    )));
                }
            };
            map.insert(k, text);
        }
        Ok(Self(map))
    }

    /// A present, non-empty parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::InvalidRequest(format!("Missing parameter: {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_form_parameter_is_refused() {
        assert!(Params::from_form(b"a=1&a=2").is_err());
    }

    #[test]
    fn empty_parameters_count_as_missing() {
        let p = Params::from_form(b"grant_type=&scope=x").unwrap();
        assert!(p.get("grant_type").is_none());
        assert_eq!(p.get("scope"), Some("x"));
    }

    #[test]
    fn json_objects_are_refused_as_values() {
        assert!(Params::from_json(br#"{"client_id": {"a": 1}}"#).is_err());
        assert!(Params::from_json(br#"[1]"#).is_err());
        assert!(Params::from_json(b"{").is_err());
    }
}
