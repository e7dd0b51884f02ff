//! Emptying the database for `/mock/reset`, which then applies the fixtures again.

use super::Db;

/// Deletes every row but the fixture realms and their signing keys (kept so cached JWKS stay
/// valid), in one transaction; returns the names of the throwaway realms deleted.
pub async fn clear(db: &Db) -> sqlx::Result<Vec<String>> {
    let mut tx = db.begin().await?;
    let throwaway: Vec<String> =
        sqlx::query_scalar("SELECT name FROM realms WHERE throwaway = 1 ORDER BY name")
            .fetch_all(&mut *tx)
            .await?;
    // Children before parents; client permissions, redirect URIs and keys go by cascade.
    for sql in [
        "DELETE FROM authorization_codes",
        "DELETE FROM refresh_tokens",
        "DELETE FROM sessions",
        "DELETE FROM revoked_tokens",
        "DELETE FROM revocation_rules",
        "DELETE FROM clients",
        "DELETE FROM user_roles",
        "DELETE FROM users",
        "DELETE FROM orgs",
        "DELETE FROM role_permissions",
        "DELETE FROM roles",
        "DELETE FROM realms WHERE throwaway = 1",
    ] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(throwaway)
}

/// Every user's email and subject, so users the fixtures bring back keep their subject.
pub async fn subjects(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT email, subject FROM users")
        .fetch_all(db)
        .await
}

pub async fn restore_subject(db: &Db, email: &str, subject: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET subject = ?2 WHERE email = ?1")
        .bind(email)
        .bind(subject)
        .execute(db)
        .await?;
    Ok(())
}
