//! How an API key comes to be: the one rule behind fixtures, `createApiKey` and the CLI.
//!
//! A key is a confidential `non_interactive` client of the creator's realm that acts as the
//! user who created it, with that user's permissions frozen at creation (ION: later role
//! changes do not affect the key). Its secret is shown once and stored as a SHA-256 hash.

use crate::domain::app_type::AppType;
use crate::domain::permission::Permissions;
use crate::domain::secret::{Secret, random_token};
use crate::store::{self, Db, clients::NewClient, users::User};
use anyhow::Context;

pub struct KeyRequest<'a> {
    /// Whom the key acts as.
    pub user: &'a User,
    pub realm: &'a str,
    /// Fixtures name their credentials; everything else gets fresh UUIDv4s (ION's format).
    pub credentials: Option<(String, Secret)>,
    /// What the creating caller may do right now: a key created with another key's token
    /// never gets more than that token could do.
    pub ceiling: Option<&'a Permissions>,
    pub now: i64,
}

#[derive(Debug)]
pub struct CreatedKey {
    pub id: i64,
    pub client_id: String,
    pub secret: Secret,
    pub etag: String,
}

/// A fresh `_etag`: opaque, changed by every successful update.
pub fn new_etag() -> String {
    random_token(12)
}

/// A fresh secret in ION's format (a UUIDv4 string, 122 random bits).
pub fn new_secret() -> Secret {
    Secret::new(uuid::Uuid::new_v4().to_string())
}

/// Creates a key; `Ok(None)` when its client id is taken (fixtures: it exists already).
pub async fn create(db: &Db, req: KeyRequest<'_>) -> anyhow::Result<Option<CreatedKey>> {
    let (client_id, secret) = req
        .credentials
        .unwrap_or_else(|| (uuid::Uuid::new_v4().to_string(), new_secret()));
    let held = store::users::permission_names(db, req.user.id)
        .await
        .context("reading the creator's permissions")?;
    let mut permissions = Permissions::from_names(held);
    if let Some(ceiling) = req.ceiling {
        permissions = permissions.intersect(ceiling);
    }
    let frozen: Vec<String> = permissions.iter().map(str::to_owned).collect();
    let etag = new_etag();
    let secret_hash = secret.hash();
    let id = store::api_keys::insert(
        db,
        &NewClient {
            client_id: &client_id,
            realm: req.realm,
            org_id: req.user.org_id,
            kind: store::clients::KIND_API_KEY,
            name: &client_id,
            app_type: AppType::NonInteractive.as_str(),
            secret_hash: Some(&secret_hash),
            user_id: Some(req.user.id),
            etag: &etag,
            now: req.now,
        },
        &frozen,
    )
    .await
    .context("storing an API key")?;
    Ok(id.map(|id| CreatedKey {
        id,
        client_id,
        secret,
        etag,
    }))
}
