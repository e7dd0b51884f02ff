use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct RedirectUri {
    pub id: i64,
    pub client_pk: i64,
    pub uri: String,
    pub uri_type: String,
}

/// Adds a URI; registering the same one twice returns the existing row.
pub async fn add(db: &Db, client_pk: i64, uri: &str, uri_type: &str) -> sqlx::Result<RedirectUri> {
    sqlx::query(
        "INSERT INTO redirect_uris (client_pk, uri, uri_type) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )
    .bind(client_pk)
    .bind(uri)
    .bind(uri_type)
    .execute(db)
    .await?;
    sqlx::query_as(
        "SELECT id, client_pk, uri, uri_type FROM redirect_uris \
         WHERE client_pk = ?1 AND uri_type = ?3 AND uri = ?2",
    )
    .bind(client_pk)
    .bind(uri)
    .bind(uri_type)
    .fetch_one(db)
    .await
}

pub async fn of_client(db: &Db, client_pk: i64) -> sqlx::Result<Vec<RedirectUri>> {
    sqlx::query_as(
        "SELECT id, client_pk, uri, uri_type FROM redirect_uris WHERE client_pk = ?1 ORDER BY id",
    )
    .bind(client_pk)
    .fetch_all(db)
    .await
}

/// The URIs of one type registered for a client.
pub async fn of_client_typed(db: &Db, client_pk: i64, uri_type: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT uri FROM redirect_uris WHERE client_pk = ?1 AND uri_type = ?2")
        .bind(client_pk)
        .bind(uri_type)
        .fetch_all(db)
        .await
}

/// A URI of a live client of `org_id`; other orgs' URIs are indistinguishable from none.
pub async fn by_id_in_org(db: &Db, id: i64, org_id: i64) -> sqlx::Result<Option<RedirectUri>> {
    sqlx::query_as(
        "SELECT r.id, r.client_pk, r.uri, r.uri_type FROM redirect_uris r \
         JOIN clients c ON c.id = r.client_pk \
         WHERE r.id = ?1 AND c.org_id = ?2 AND c.kind = 'oauth_app' AND c.deleted_at IS NULL",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(db)
    .await
}

pub async fn remove(db: &Db, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM redirect_uris WHERE id = ?1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
