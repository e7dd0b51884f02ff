use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Realm {
    pub name: String,
    pub algorithm: String,
    pub audience: String,
    pub user_token_lifetime: i64,
    pub client_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    pub throwaway: bool,
}

const SELECT_REALM: &str = "SELECT name, algorithm, audience, user_token_lifetime, \
    client_token_lifetime, refresh_token_lifetime, throwaway FROM realms";

pub async fn insert_if_missing(db: &Db, realm: &Realm, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO realms (name, algorithm, audience, user_token_lifetime, \
         client_token_lifetime, refresh_token_lifetime, throwaway, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
    )
    .bind(&realm.name)
    .bind(&realm.algorithm)
    .bind(&realm.audience)
    .bind(realm.user_token_lifetime)
    .bind(realm.client_token_lifetime)
    .bind(realm.refresh_token_lifetime)
    .bind(realm.throwaway)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_name(db: &Db, name: &str) -> sqlx::Result<Option<Realm>> {
    sqlx::query_as(&format!("{SELECT_REALM} WHERE name = ?1"))
        .bind(name)
        .fetch_optional(db)
        .await
}

pub async fn all(db: &Db) -> sqlx::Result<Vec<Realm>> {
    sqlx::query_as(&format!("{SELECT_REALM} ORDER BY name"))
        .fetch_all(db)
        .await
}

/// Deletes a realm with everything of it: keys and clients (by cascade), codes, sessions,
/// refresh tokens and realm-wide revocations.
pub async fn delete(db: &Db, name: &str) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for sql in [
        "DELETE FROM authorization_codes WHERE realm = ?1",
        "DELETE FROM refresh_tokens WHERE realm = ?1",
        "DELETE FROM sessions WHERE realm = ?1",
        "DELETE FROM revocation_rules WHERE scope = 'realm' AND subject = ?1",
        "DELETE FROM realms WHERE name = ?1",
    ] {
        sqlx::query(sql).bind(name).execute(&mut *tx).await?;
    }
    tx.commit().await
}
