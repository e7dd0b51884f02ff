//! API keys: `clients` rows of kind `api_key` with their frozen permissions.
//!
//! Every write that takes an `_etag` checks it in the same statement that changes the row, so
//! two writers racing with the same etag cannot both win.

use super::Db;
use super::clients::{Client, KIND_API_KEY, NewClient};

const SELECT_KEY: &str = "SELECT id, client_id, realm, org_id, kind, name, app_type, \
    secret_hash, user_id, enabled, etag, access_token_lifetime FROM clients \
    WHERE kind = 'api_key' AND deleted_at IS NULL";

/// Inserts a key and freezes its permissions in one transaction; `Ok(None)` when the
/// `client_id` is taken.
pub async fn insert(
    db: &Db,
    c: &NewClient<'_>,
    permissions: &[String],
) -> sqlx::Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "INSERT INTO clients (client_id, realm, org_id, kind, name, app_type, secret_hash, \
         user_id, etag, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT (client_id) DO NOTHING",
    )
    .bind(c.client_id)
    .bind(c.realm)
    .bind(c.org_id)
    .bind(KIND_API_KEY)
    .bind(c.name)
    .bind(c.app_type)
    .bind(c.secret_hash)
    .bind(c.user_id)
    .bind(c.etag)
    .bind(c.now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let pk = done.last_insert_rowid();
    for p in permissions {
        sqlx::query(
            "INSERT INTO client_permissions (client_pk, permission) VALUES (?1, ?2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(pk)
        .bind(p)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(pk))
}

/// A live key of `org_id`; another org's key is indistinguishable from a missing one.
pub async fn by_client_id_in_org(
    db: &Db,
    client_id: &str,
    org_id: i64,
) -> sqlx::Result<Option<Client>> {
    sqlx::query_as(&format!("{SELECT_KEY} AND client_id = ?1 AND org_id = ?2"))
        .bind(client_id)
        .bind(org_id)
        .fetch_optional(db)
        .await
}

/// Up to `limit` live keys of `org_id` with an id above `after`, oldest first.
pub async fn page_in_org(
    db: &Db,
    org_id: i64,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Client>> {
    sqlx::query_as(&format!(
        "{SELECT_KEY} AND org_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
    ))
    .bind(org_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn count_in_org(db: &Db, org_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM clients WHERE kind = 'api_key' AND deleted_at IS NULL \
         AND org_id = ?1",
    )
    .bind(org_id)
    .fetch_one(db)
    .await
}

/// What an update changes; `None` leaves a column as it is. The etag always changes.
pub struct KeyChange<'a> {
    pub enabled: Option<bool>,
    pub secret_hash: Option<&'a str>,
    pub new_etag: &'a str,
}

/// Applies `change` if the key is live and its etag is still `etag`; false otherwise.
pub async fn update_if_etag(
    db: &Db,
    id: i64,
    etag: &str,
    change: &KeyChange<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE clients SET enabled = COALESCE(?3, enabled), \
         secret_hash = COALESCE(?4, secret_hash), etag = ?5 \
         WHERE id = ?1 AND etag = ?2 AND kind = 'api_key' AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(etag)
    .bind(change.enabled)
    .bind(change.secret_hash)
    .bind(change.new_etag)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Soft-deletes the key if it is live and its etag is still `etag`; false otherwise.
pub async fn delete_if_etag(db: &Db, id: i64, etag: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE clients SET deleted_at = ?3 \
         WHERE id = ?1 AND etag = ?2 AND kind = 'api_key' AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(etag)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
