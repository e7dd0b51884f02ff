//! Sign-in sessions: the browser keeps a random id in a cookie, the database only its hash.

use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub realm: String,
    pub auth_time: i64,
}

pub async fn insert(db: &Db, s: &Session) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, realm, auth_time) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(&s.id_hash)
    .bind(s.user_id)
    .bind(&s.realm)
    .bind(s.auth_time)
    .execute(db)
    .await?;
    Ok(())
}

/// A session of `realm` that has not ended and began after `not_before` (emulator clock).
pub async fn live(
    db: &Db,
    id_hash: &str,
    realm: &str,
    not_before: i64,
) -> sqlx::Result<Option<Session>> {
    sqlx::query_as(
        "SELECT id_hash, user_id, realm, auth_time FROM sessions \
         WHERE id_hash = ?1 AND realm = ?2 AND ended_at IS NULL AND auth_time > ?3",
    )
    .bind(id_hash)
    .bind(realm)
    .bind(not_before)
    .fetch_optional(db)
    .await
}

/// Ends a session; `false` when it had already ended or never existed.
pub async fn end(db: &Db, id_hash: &str, now: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE sessions SET ended_at = ?2 WHERE id_hash = ?1 AND ended_at IS NULL")
            .bind(id_hash)
            .bind(now)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}
