//! Authorization codes, stored by SHA-256 hash: the code itself never reaches the database.

use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct AuthorizationCode {
    pub code_hash: String,
    pub client_id: String,
    pub realm: String,
    pub user_id: i64,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    /// Hash of the sign-in session the code came from.
    pub session_id: Option<String>,
    pub auth_time: i64,
    /// Every token issued from this code (and its refreshes) carries this id in `sid`.
    pub grant_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn insert(db: &Db, c: &AuthorizationCode) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO authorization_codes (code_hash, client_id, realm, user_id, redirect_uri, \
         scope, nonce, code_challenge, code_challenge_method, session_id, auth_time, grant_id, \
         expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .bind(&c.code_hash)
    .bind(&c.client_id)
    .bind(&c.realm)
    .bind(c.user_id)
    .bind(&c.redirect_uri)
    .bind(&c.scope)
    .bind(&c.nonce)
    .bind(&c.code_challenge)
    .bind(&c.code_challenge_method)
    .bind(&c.session_id)
    .bind(c.auth_time)
    .bind(&c.grant_id)
    .bind(c.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn by_hash(db: &Db, code_hash: &str) -> sqlx::Result<Option<AuthorizationCode>> {
    sqlx::query_as(
        "SELECT code_hash, client_id, realm, user_id, redirect_uri, scope, nonce, code_challenge, \
         code_challenge_method, session_id, auth_time, grant_id, expires_at, used_at \
         FROM authorization_codes WHERE code_hash = ?1",
    )
    .bind(code_hash)
    .fetch_optional(db)
    .await
}

/// Marks a code used. Exactly one of any number of concurrent callers gets `true`.
pub async fn claim(db: &Db, code_hash: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE authorization_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL",
    )
    .bind(code_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The grants that came from one sign-in session, so logging out can revoke them.
pub async fn grants_of_session(db: &Db, session_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT grant_id FROM authorization_codes WHERE session_id = ?1 AND used_at IS NOT NULL",
    )
    .bind(session_id)
    .fetch_all(db)
    .await
}

/// The session a grant came from.
pub async fn session_of_grant(db: &Db, grant_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT session_id FROM authorization_codes WHERE grant_id = ?1")
        .bind(grant_id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}
