//! Registered `origin` URIs, asked about by the CORS layer on every cross-origin request.

use super::Db;

/// Whether `origin` is a registered origin of a live, enabled OAuth app: of `client_id` when
/// given, else of any app; of `realm` when given, else of any realm.
pub async fn is_registered(
    db: &Db,
    origin: &str,
    realm: Option<&str>,
    client_id: Option<&str>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM redirect_uris r JOIN clients c ON c.id = r.client_pk \
         WHERE r.uri_type = 'origin' AND r.uri = ?1 AND c.kind = 'oauth_app' \
         AND c.deleted_at IS NULL AND c.enabled = 1 \
         AND (?2 IS NULL OR c.realm = ?2) AND (?3 IS NULL OR c.client_id = ?3))",
    )
    .bind(origin)
    .bind(realm)
    .bind(client_id)
    .fetch_one(db)
    .await
}
