use super::error::OAuthError;
use crate::state::AppState;
use crate::store::realms::Realm;

/// The realm named in the path, or Keycloak's 404.
pub async fn load(state: &AppState, name: &str) -> Result<Realm, OAuthError> {
    state
        .reads()
        .realm(name)
        .await?
        .ok_or(OAuthError::RealmNotFound)
}
