//! Per-realm and per-app settings the emulator controls change: lifetimes, audience and the
//! scopes that may be granted.

use super::Db;
use crate::domain::scope::{SUPPORTED, Scopes};

/// Realm settings to change; `None` leaves a setting alone.
#[derive(Debug, Default)]
pub struct RealmSettings {
    pub audience: Option<String>,
    pub user_token_lifetime: Option<i64>,
    pub client_token_lifetime: Option<i64>,
    pub refresh_token_lifetime: Option<i64>,
    /// `Some(None)` lifts the restriction.
    pub allowed_scopes: Option<Option<String>>,
}

pub async fn update_realm(db: &Db, realm: &str, s: &RealmSettings) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE realms SET audience = COALESCE(?2, audience), \
         user_token_lifetime = COALESCE(?3, user_token_lifetime), \
         client_token_lifetime = COALESCE(?4, client_token_lifetime), \
         refresh_token_lifetime = COALESCE(?5, refresh_token_lifetime), \
         allowed_scopes = CASE WHEN ?6 THEN ?7 ELSE allowed_scopes END WHERE name = ?1",
    )
    .bind(realm)
    .bind(&s.audience)
    .bind(s.user_token_lifetime)
    .bind(s.client_token_lifetime)
    .bind(s.refresh_token_lifetime)
    .bind(s.allowed_scopes.is_some())
    .bind(s.allowed_scopes.clone().flatten())
    .execute(db)
    .await?;
    Ok(())
}

/// App settings to change; `Some(None)` goes back to the realm's setting.
#[derive(Debug, Default)]
pub struct AppSettings {
    pub access_token_lifetime: Option<Option<i64>>,
    pub allowed_scopes: Option<Option<String>>,
}

/// `false` when no live client has that id.
pub async fn update_app(db: &Db, client_id: &str, s: &AppSettings) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE clients SET \
         access_token_lifetime = CASE WHEN ?2 THEN ?3 ELSE access_token_lifetime END, \
         allowed_scopes = CASE WHEN ?4 THEN ?5 ELSE allowed_scopes END \
         WHERE client_id = ?1 AND deleted_at IS NULL",
    )
    .bind(client_id)
    .bind(s.access_token_lifetime.is_some())
    .bind(s.access_token_lifetime.flatten())
    .bind(s.allowed_scopes.is_some())
    .bind(s.allowed_scopes.clone().flatten())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The scopes a client of a realm may be granted: both restrictions at once.
pub async fn allowed_scopes(db: &Db, realm: &str, client_id: &str) -> sqlx::Result<Scopes> {
    let (by_realm, by_app) = scope_restrictions(db, realm, client_id).await?;
    let mut allowed = Scopes::from_static(&SUPPORTED);
    for restriction in [by_realm, by_app].into_iter().flatten() {
        // Stored values were parsed on the way in; anything unreadable grants nothing.
        allowed = allowed.intersect(&Scopes::parse(&restriction).unwrap_or_default());
    }
    Ok(allowed)
}

/// The scope restrictions of a realm and of an app, as stored (`None` = unrestricted).
pub async fn scope_restrictions(
    db: &Db,
    realm: &str,
    client_id: &str,
) -> sqlx::Result<(Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT (SELECT allowed_scopes FROM realms WHERE name = ?1), \
                (SELECT allowed_scopes FROM clients WHERE client_id = ?2)",
    )
    .bind(realm)
    .bind(client_id)
    .fetch_one(db)
    .await
}
