use super::error::OAuthError;
use crate::state::AppState;
use crate::store::{self, realms::Realm};

/// The realm named in the path, or Keycloak's 404.
pub async fn load(state: &AppState, name: &str) -> Result<Realm, OAuthError> {
    store::realms::by_name(&state.db, name)
        .await?
        .ok_or(OAuthError::RealmNotFound)
}
