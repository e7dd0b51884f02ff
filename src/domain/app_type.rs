use std::fmt;
use std::str::FromStr;

/// The kinds of OAuth app, spelled as Auth0's `app_type` enum (ION documents `regular_web`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppType {
    RegularWeb,
    Spa,
    Native,
    NonInteractive,
}

impl AppType {
    pub const ALL: [AppType; 4] = [
        AppType::RegularWeb,
        AppType::Spa,
        AppType::Native,
        AppType::NonInteractive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppType::RegularWeb => "regular_web",
            AppType::Spa => "spa",
            AppType::Native => "native",
            AppType::NonInteractive => "non_interactive",
        }
    }

    /// Confidential clients get a secret; public ones must use PKCE instead.
    pub fn is_confidential(self) -> bool {
        match self {
            AppType::RegularWeb | AppType::NonInteractive => true,
            AppType::Spa | AppType::Native => false,
        }
    }

    /// Only machine-to-machine apps may use the client credentials grant.
    pub fn allows_client_credentials(self) -> bool {
        match self {
            AppType::NonInteractive => true,
            AppType::RegularWeb | AppType::Spa | AppType::Native => false,
        }
    }
}

impl fmt::Display for AppType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("Invalid appType '{0}': expected one of regular_web, spa, native, non_interactive")]
pub struct UnknownAppType(pub String);

impl FromStr for AppType {
    type Err = UnknownAppType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AppType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownAppType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_app_type_parses_back_from_its_name() {
        for t in AppType::ALL {
            assert_eq!(t.as_str().parse::<AppType>().unwrap(), t);
        }
    }

    #[test]
    fn app_types_are_matched_exactly() {
        for bad in ["Regular_Web", "regular-web", "", "web"] {
            assert!(bad.parse::<AppType>().is_err(), "{bad} should be refused");
        }
    }
}
