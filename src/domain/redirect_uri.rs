//! Registered redirect URIs and the exact matching rule (RFC 6749 section 3.1.2; OAuth 2.0
//! Security BCP: compare as simple strings, with no normalisation).

use std::fmt;
use std::str::FromStr;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriType {
    Callback,
    Origin,
    Logout,
}

impl UriType {
    pub fn as_str(self) -> &'static str {
        match self {
            UriType::Callback => "callback",
            UriType::Origin => "origin",
            UriType::Logout => "logout",
        }
    }
}

impl fmt::Display for UriType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("Invalid uriType '{0}': expected one of callback, origin, logout")]
pub struct UnknownUriType(pub String);

impl FromStr for UriType {
    type Err = UnknownUriType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "callback" => Ok(UriType::Callback),
            "origin" => Ok(UriType::Origin),
            "logout" => Ok(UriType::Logout),
            other => Err(UnknownUriType(other.to_owned())),
        }
    }
}

/// Checks a URI before it is registered; the stored form is exactly the input.
pub fn validate(uri: &str, uri_type: UriType) -> Result<(), String> {
    if uri.is_empty() || uri.len() > 2048 {
        return Err("Invalid uri: must be 1 to 2048 characters".to_owned());
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("Invalid uri: must not contain whitespace".to_owned());
    }
    let parsed = Url::parse(uri).map_err(|e| format!("Invalid uri '{uri}': {e}"))?;
    if matches!(parsed.scheme(), "javascript" | "data" | "file" | "vbscript") {
        return Err(format!("Invalid uri '{uri}': scheme not allowed"));
    }
    if parsed.fragment().is_some() {
        return Err(format!("Invalid uri '{uri}': must not contain a fragment"));
    }
    if uri_type == UriType::Origin {
        let origin = parsed.origin().ascii_serialization();
        if !matches!(parsed.scheme(), "http" | "https") || origin != uri {
            return Err(format!(
                "Invalid origin '{uri}': expected scheme://host[:port] with no path, like {origin}"
            ));
        }
    }
    Ok(())
}

/// Whether `requested` is byte for byte one of `registered`.
pub fn matches_exactly<'a>(requested: &str, registered: impl IntoIterator<Item = &'a str>) -> bool {
    registered.into_iter().any(|r| r == requested)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_keep_their_exact_spelling() {
        assert!(validate("http://localhost:3000/callback", UriType::Callback).is_ok());
        assert!(validate("com.example.app:/oauth2redirect", UriType::Callback).is_ok());
    }

    #[test]
    fn bad_uris_are_refused_with_a_reason() {
        let cases = [
            ("", UriType::Callback, "empty"),
            ("not a url", UriType::Callback, "not absolute"),
            ("/callback", UriType::Callback, "relative"),
            ("http://x/cb#frag", UriType::Callback, "fragment"),
            ("javascript:alert(1)", UriType::Callback, "script scheme"),
            (
                "http://localhost:3000/",
                UriType::Origin,
                "origin with a path",
            ),
            ("ftp://localhost", UriType::Origin, "origin not http"),
        ];
        for (uri, t, why) in cases {
            assert!(validate(uri, t).is_err(), "{why}: {uri}");
        }
    }

    #[test]
    fn matching_is_byte_for_byte() {
        let registered = ["http://localhost:3000/callback"];
        assert!(matches_exactly(
            "http://localhost:3000/callback",
            registered
        ));
        for near in [
            "http://localhost:3000/callback/",
            "http://LOCALHOST:3000/callback",
            "http://localhost:3000/Callback",
            "http://localhost:3000/callback?x=1",
            "http://localhost:3000/%63allback",
        ] {
            assert!(!matches_exactly(near, registered), "{near}");
        }
    }
}
