//! OAuth scopes (RFC 6749 section 3.3) as ION documents them.

use std::collections::BTreeSet;
use std::fmt;

pub const OPENID: &str = "openid";
pub const PROFILE: &str = "profile";
pub const EMAIL: &str = "email";
pub const OFFLINE_ACCESS: &str = "offline_access";

pub const SUPPORTED: [&str; 4] = [OPENID, PROFILE, EMAIL, OFFLINE_ACCESS];

/// A set of scope tokens, kept in a stable order so the `scope` claim is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<String>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    #[error("Invalid scope syntax: {0:?}")]
    Syntax(String),
    #[error("Invalid scopes: {0}")]
    Unknown(String),
}

impl Scopes {
    /// Parses a space-delimited list and refuses scopes the emulator does not know.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        let mut set = BTreeSet::new();
        for token in raw.split(' ').filter(|t| !t.is_empty()) {
            // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
            if !token
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
            {
                return Err(ScopeError::Syntax(token.to_owned()));
            }
            if !SUPPORTED.contains(&token) {
                return Err(ScopeError::Unknown(token.to_owned()));
            }
            set.insert(token.to_owned());
        }
        Ok(Self(set))
    }

    pub fn from_static(scopes: &[&str]) -> Self {
        Self(scopes.iter().map(|s| s.to_string()).collect())
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.0.contains(scope)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps only the scopes also in `allowed`.
    pub fn intersect(&self, allowed: &Scopes) -> Scopes {
        Scopes(self.0.intersection(&allowed.0).cloned().collect())
    }

    pub fn without(&self, scope: &str) -> Scopes {
        let mut set = self.0.clone();
        set.remove(scope);
        Scopes(set)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.0.iter().map(String::as_str).collect();
        f.write_str(&joined.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_in_any_order_and_print_sorted() {
        let s = Scopes::parse("openid  email profile").unwrap();
        assert_eq!(s.to_string(), "email openid profile");
    }

    #[test]
    fn unknown_or_malformed_scopes_are_refused() {
        assert_eq!(
            Scopes::parse("openid admin"),
            Err(ScopeError::Unknown("admin".into()))
        );
        assert!(matches!(
            Scopes::parse("op\"enid"),
            Err(ScopeError::Syntax(_))
        ));
    }
}
