use super::Db;

/// What a token is checked against: its id and the subjects it belongs to.
pub struct TokenSubjects<'a> {
    pub jti: &'a str,
    pub issued_ms: i64,
    pub user: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub realm: &'a str,
    pub grant: Option<&'a str>,
}

pub async fn is_revoked(db: &Db, t: &TokenSubjects<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM revoked_tokens WHERE jti = ?1) \
         OR EXISTS(SELECT 1 FROM revocation_rules WHERE before_ms > ?2 AND ( \
            (scope = 'user' AND subject = ?3) OR (scope = 'client' AND subject = ?4) \
            OR (scope = 'realm' AND subject = ?5) OR (scope = 'grant' AND subject = ?6) \
            OR scope = 'all'))",
    )
    .bind(t.jti)
    .bind(t.issued_ms)
    .bind(t.user)
    .bind(t.client_id)
    .bind(t.realm)
    .bind(t.grant)
    .fetch_one(db)
    .await
}

pub async fn revoke_jti(db: &Db, jti: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO revoked_tokens (jti, revoked_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )
    .bind(jti)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Revokes every token of `scope`/`subject` issued before `now_ms`.
pub async fn revoke_all_of(db: &Db, scope: &str, subject: &str, now_ms: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO revocation_rules (scope, subject, before_ms) VALUES (?1, ?2, ?3) \
         ON CONFLICT (scope, subject) DO UPDATE SET before_ms = MAX(before_ms, excluded.before_ms)",
    )
    .bind(scope)
    .bind(subject)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}
