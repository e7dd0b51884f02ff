//! OAuth clients: ION's OAuth apps and API keys.

use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Client {
    pub id: i64,
    pub client_id: String,
    pub realm: String,
    pub org_id: i64,
    pub kind: String,
    pub name: String,
    pub app_type: String,
    pub secret_hash: Option<String>,
    pub user_id: Option<i64>,
    pub enabled: bool,
    pub etag: String,
    pub access_token_lifetime: Option<i64>,
}

pub const KIND_OAUTH_APP: &str = "oauth_app";
pub const KIND_API_KEY: &str = "api_key";

const SELECT_CLIENT: &str = "SELECT id, client_id, realm, org_id, kind, name, app_type, \
    secret_hash, user_id, enabled, etag, access_token_lifetime FROM clients";

pub struct NewClient<'a> {
    pub client_id: &'a str,
    pub realm: &'a str,
    pub org_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub app_type: &'a str,
    pub secret_hash: Option<&'a str>,
    pub user_id: Option<i64>,
    pub etag: &'a str,
    pub now: i64,
}

/// Inserts a client; `Ok(None)` when its `client_id` is taken.
pub async fn insert(db: &Db, c: &NewClient<'_>) -> sqlx::Result<Option<i64>> {
    let done = sqlx::query(
        "INSERT INTO clients (client_id, realm, org_id, kind, name, app_type, secret_hash, \
         user_id, etag, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT (client_id) DO NOTHING",
    )
    .bind(c.client_id)
    .bind(c.realm)
    .bind(c.org_id)
    .bind(c.kind)
    .bind(c.name)
    .bind(c.app_type)
    .bind(c.secret_hash)
    .bind(c.user_id)
    .bind(c.etag)
    .bind(c.now)
    .execute(db)
    .await?;
    Ok((done.rows_affected() == 1).then(|| done.last_insert_rowid()))
}

/// A live (not deleted) client by its OAuth `client_id`.
pub async fn by_client_id(db: &Db, client_id: &str) -> sqlx::Result<Option<Client>> {
    sqlx::query_as(&format!(
        "{SELECT_CLIENT} WHERE client_id = ?1 AND deleted_at IS NULL"
    ))
    .bind(client_id)
    .fetch_optional(db)
    .await
}

/// A live client of `kind` in `org_id`; another org's client is indistinguishable from none.
pub async fn by_id_in_org(
    db: &Db,
    id: i64,
    org_id: i64,
    kind: &str,
) -> sqlx::Result<Option<Client>> {
    sqlx::query_as(&format!(
        "{SELECT_CLIENT} WHERE id = ?1 AND org_id = ?2 AND kind = ?3 AND deleted_at IS NULL"
    ))
    .bind(id)
    .bind(org_id)
    .bind(kind)
    .fetch_optional(db)
    .await
}

pub async fn list_in_org(db: &Db, org_id: i64, kind: &str) -> sqlx::Result<Vec<Client>> {
    sqlx::query_as(&format!(
        "{SELECT_CLIENT} WHERE org_id = ?1 AND kind = ?2 AND deleted_at IS NULL ORDER BY id"
    ))
    .bind(org_id)
    .bind(kind)
    .fetch_all(db)
    .await
}

/// Soft-deletes, so restarts do not bring a deleted fixture client back.
pub async fn mark_deleted(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE clients SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn frozen_permissions(db: &Db, client_pk: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT permission FROM client_permissions WHERE client_pk = ?1")
        .bind(client_pk)
        .fetch_all(db)
        .await
}

pub async fn freeze_permissions(
    db: &Db,
    client_pk: i64,
    permissions: &[String],
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for p in permissions {
        sqlx::query(
            "INSERT INTO client_permissions (client_pk, permission) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )
        .bind(client_pk)
        .bind(p)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
