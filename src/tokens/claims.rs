//! The claims of the tokens the emulator issues. The README lists every one of them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `typ` of an access token, as Keycloak writes it.
pub const TYP_ACCESS: &str = "Bearer";
pub const TYP_ID: &str = "ID";
pub const TYP_REFRESH: &str = "Refresh";

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct RealmAccess {
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub azp: String,
    pub scope: String,
    pub typ: String,
    /// The grant (code exchange and its refreshes) this token belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<String>,
    pub client_id: String,
    pub email: String,
    pub name: String,
    pub preferred_username: String,
    pub org_id: i64,
    pub org_domain: String,
    pub realm_access: RealmAccess,
    /// Claims added or overridden by the emulator controls.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
