use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct StoredKey {
    pub kid: String,
    pub realm: String,
    pub algorithm: String,
    pub private_der: Vec<u8>,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

pub async fn insert(db: &Db, key: &StoredKey) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO signing_keys (kid, realm, algorithm, private_der, created_at, retired_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&key.kid)
    .bind(&key.realm)
    .bind(&key.algorithm)
    .bind(&key.private_der)
    .bind(key.created_at)
    .bind(key.retired_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Every key not yet retired, oldest first (the newest signs).
pub async fn live(db: &Db) -> sqlx::Result<Vec<StoredKey>> {
    sqlx::query_as(
        "SELECT kid, realm, algorithm, private_der, created_at, retired_at FROM signing_keys \
         WHERE retired_at IS NULL ORDER BY created_at, rowid",
    )
    .fetch_all(db)
    .await
}

/// Retires every key of a realm except `keep`.
pub async fn retire_all_but(db: &Db, realm: &str, keep: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE signing_keys SET retired_at = ?3 \
         WHERE realm = ?1 AND kid <> ?2 AND retired_at IS NULL",
    )
    .bind(realm)
    .bind(keep)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
