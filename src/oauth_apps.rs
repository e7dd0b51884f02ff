//! How an OAuth app comes to be: the one rule behind `registerOauthApp`, the CLI and
//! `MockServer`. Confidential apps get a random secret, shown once and stored as a SHA-256
//! hash; every app gets a fresh UUIDv4 client id.

use crate::domain::app_type::AppType;
use crate::domain::redirect_uri::{self, UriType};
use crate::domain::secret::{Secret, random_token};
use crate::store::{self, Db, clients::KIND_OAUTH_APP, clients::NewClient, users::User};
use anyhow::{Context, anyhow, bail};

pub struct AppRequest<'a> {
    pub realm: &'a str,
    pub org_id: i64,
    /// Who registered it.
    pub user_id: Option<i64>,
    pub name: &'a str,
    pub app_type: AppType,
    pub now: i64,
}

#[derive(Debug)]
pub struct RegisteredApp {
    pub id: i64,
    pub client_id: String,
    /// Confidential apps only; never readable again.
    pub secret: Option<Secret>,
}

/// The name as stored (trimmed), or why it is refused.
pub fn check_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    match name.is_empty() || name.chars().count() > 200 {
        true => Err("Invalid name: must be 1 to 200 characters".into()),
        false => Ok(name),
    }
}

/// Registers an app; `Ok(None)` in the (astronomically unlikely) case its client id is taken.
pub async fn register(db: &Db, req: &AppRequest<'_>) -> sqlx::Result<Option<RegisteredApp>> {
    let secret = req.app_type.is_confidential().then(Secret::generate);
    let secret_hash = secret.as_ref().map(Secret::hash);
    let client_id = uuid::Uuid::new_v4().to_string();
    let id = store::clients::insert(
        db,
        &NewClient {
            client_id: &client_id,
            realm: req.realm,
            org_id: req.org_id,
            kind: KIND_OAUTH_APP,
            name: req.name,
            app_type: req.app_type.as_str(),
            secret_hash: secret_hash.as_deref(),
            user_id: req.user_id,
            etag: &random_token(12),
            now: req.now,
        },
    )
    .await?;
    Ok(id.map(|id| RegisteredApp {
        id,
        client_id,
        secret,
    }))
}

/// Registers an app for a user, with its redirect URIs, checking everything before storing
/// anything: what the CLI and `MockServer` do in one step where GraphQL takes several.
pub async fn register_with_uris(
    db: &Db,
    realm: &str,
    owner: &User,
    name: &str,
    app_type: &str,
    uris: &[(&str, &str)],
    now: i64,
) -> anyhow::Result<RegisteredApp> {
    let name = check_name(name).map_err(|e| anyhow!(e))?;
    let app_type: AppType = app_type.parse().map_err(|e| anyhow!("{e}"))?;
    let mut checked = Vec::new();
    for (uri, uri_type) in uris {
        let uri_type: UriType = uri_type.parse().map_err(|e| anyhow!("{e}"))?;
        if app_type == AppType::NonInteractive {
            bail!("non_interactive apps have no redirect URIs");
        }
        redirect_uri::validate(uri, uri_type).map_err(|e| anyhow!("{uri}: {e}"))?;
        if !checked.contains(&(*uri, uri_type)) {
            checked.push((*uri, uri_type));
        }
    }
    let app = register(
        db,
        &AppRequest {
            realm,
            org_id: owner.org_id,
            user_id: Some(owner.id),
            name,
            app_type,
            now,
        },
    )
    .await
    .context("storing the app")?
    .context("client id already taken; try again")?;
    for (uri, uri_type) in checked {
        store::redirect_uris::add(db, app.id, uri, uri_type.as_str())
            .await
            .context("storing a redirect URI")?;
    }
    Ok(app)
}
