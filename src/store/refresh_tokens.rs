//! Refresh tokens: the JWT carries the claims, the row makes each one usable once.

use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct RefreshTokenRow {
    pub jti: String,
    /// One family per code exchange: its id is the grant id (see `tokens::refresh`).
    pub family_id: String,
    pub grant_id: String,
    pub realm: String,
    pub client_id: String,
    pub user_id: Option<i64>,
    pub scope: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn insert(db: &Db, r: &RefreshTokenRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (jti, family_id, grant_id, realm, client_id, user_id, scope, \
         issued_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(&r.jti)
    .bind(&r.family_id)
    .bind(&r.grant_id)
    .bind(&r.realm)
    .bind(&r.client_id)
    .bind(r.user_id)
    .bind(&r.scope)
    .bind(r.issued_at)
    .bind(r.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn by_jti(db: &Db, jti: &str) -> sqlx::Result<Option<RefreshTokenRow>> {
    sqlx::query_as(
        "SELECT jti, family_id, grant_id, realm, client_id, user_id, scope, issued_at, \
         expires_at, used_at FROM refresh_tokens WHERE jti = ?1",
    )
    .bind(jti)
    .fetch_optional(db)
    .await
}

/// Marks a refresh token used (rotated). Exactly one of concurrent callers gets `true`.
pub async fn claim(db: &Db, jti: &str, now: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE refresh_tokens SET used_at = ?2 WHERE jti = ?1 AND used_at IS NULL")
            .bind(jti)
            .bind(now)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}
