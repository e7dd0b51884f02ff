//! Rows that make tokens minted by `/mock/tokens` behave like ones the grants issued.

use super::Db;

pub struct RefreshRow<'a> {
    pub jti: &'a str,
    /// The grant (`sid`) the refresh token belongs to; a minted token starts its own family.
    pub grant_id: &'a str,
    pub realm: &'a str,
    pub client_id: &'a str,
    pub user_id: i64,
    pub scope: &'a str,
    pub issued_at: i64,
    pub expires_at: i64,
}

pub async fn record_refresh_token(db: &Db, row: &RefreshRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (jti, family_id, grant_id, realm, client_id, user_id, scope, \
         issued_at, expires_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(row.jti)
    .bind(row.grant_id)
    .bind(row.realm)
    .bind(row.client_id)
    .bind(row.user_id)
    .bind(row.scope)
    .bind(row.issued_at)
    .bind(row.expires_at)
    .execute(db)
    .await?;
    Ok(())
}
