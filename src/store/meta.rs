//! Facts a serving process leaves for offline commands on the same database (`server_meta`).

use super::Db;

/// The public URL the last server on this database used, so tokens minted offline carry the
/// issuer that server checks.
pub const PUBLIC_URL: &str = "public_url";

pub async fn get(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM server_meta WHERE key = ?1")
        .bind(key)
        .fetch_optional(db)
        .await
}

pub async fn set(db: &Db, key: &str, value: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO server_meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}
