//! API keys, as ION documents them: `createApiKey`, `apiKeys`, `updateApiKey` and
//! `deleteApiKey`, with `_etag` optimistic concurrency on update and delete.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, graphql};
use super::paging::{IdConnection, Page};
use super::users::User;
use crate::api_keys::{self, KeyRequest};
use crate::domain::secret::Secret;
use crate::events::{Event, EventKind};
use crate::state::AppState;
use crate::store::{self, api_keys::KeyChange, clients::Client};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use std::sync::Arc;

#[derive(SimpleObject, Clone)]
#[graphql(name = "APIKey")]
pub struct ApiKey {
    pub id: i64,
    pub client_id: String,
    /// Shown once: in `createApiKey`'s payload and after `regenerateSecret`; null elsewhere.
    pub client_secret: Option<String>,
    /// Whether the key can get tokens now: false when disabled or when its user is
    /// deactivated.
    pub enabled: bool,
    #[graphql(name = "_etag")]
    pub etag: String,
    /// The user the key acts as.
    pub user: Option<User>,
}

impl ApiKey {
    async fn load(state: &AppState, client: Client, secret: Option<Secret>) -> ApiResult<Self> {
        let owner = match client.user_id {
            Some(id) => store::users::by_id(&state.db, id).await?,
            None => None,
        };
        Ok(Self {
            id: client.id,
            enabled: client.enabled && owner.as_ref().is_some_and(|u| u.active),
            client_id: client.client_id,
            client_secret: secret.map(|s| s.expose().to_owned()),
            etag: client.etag,
            user: owner.as_ref().map(User::from),
        })
    }
}

/// Shared by update and delete, as in ION; `_etag` is required by both.
#[derive(InputObject)]
#[graphql(name = "APIKeyInput")]
pub struct ApiKeyInput {
    pub client_id: String,
    pub enabled: Option<bool>,
    pub regenerate_secret: Option<bool>,
    /// Required: the `_etag` last read; a stale one changes nothing.
    #[graphql(name = "_etag")]
    pub etag: Option<String>,
}

#[derive(SimpleObject)]
#[graphql(name = "APIKeyPayload")]
pub struct ApiKeyPayload {
    pub apikey: ApiKey,
}

fn parts<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a AppState, &'a Caller)> {
    Ok((ctx.data::<Arc<AppState>>()?.as_ref(), ctx.data::<Caller>()?))
}

#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// Every API key of the caller's organization, oldest first; secrets are never listed.
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<IdConnection<ApiKey>> {
        let (state, caller) = parts(ctx)?;
        graphql(list(state, caller, first, after.as_deref()).await)
    }
}

#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// A new key acting as the caller; its `clientSecret` is returned here and only here.
    async fn create_api_key(&self, ctx: &Context<'_>) -> async_graphql::Result<ApiKeyPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(create(state, caller).await)
    }

    /// Enables or disables a key, or regenerates its secret (the old one stops working).
    async fn update_api_key(
        &self,
        ctx: &Context<'_>,
        input: ApiKeyInput,
    ) -> async_graphql::Result<ApiKeyPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(update(state, caller, input).await)
    }

    /// Deletes a key and revokes every token issued to it.
    async fn delete_api_key(
        &self,
        ctx: &Context<'_>,
        input: ApiKeyInput,
    ) -> async_graphql::Result<ApiKeyPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(delete(state, caller, input).await)
    }
}

async fn list(
    state: &AppState,
    caller: &Caller,
    first: Option<i32>,
    after: Option<&str>,
) -> ApiResult<IdConnection<ApiKey>> {
    let page = Page::parse(first, after)?;
    let org = caller.user.org_id;
    let clients = store::api_keys::page_in_org(&state.db, org, page.after, page.limit()).await?;
    let mut rows = Vec::with_capacity(clients.len());
    for client in clients {
        rows.push((client.id, ApiKey::load(state, client, None).await?));
    }
    let total = store::api_keys::count_in_org(&state.db, org).await?;
    Ok(page.connection(rows, total))
}

async fn create(state: &AppState, caller: &Caller) -> ApiResult<ApiKeyPayload> {
    caller.require("CreateAPIKey")?;
    let created = api_keys::create(
        &state.db,
        KeyRequest {
            user: &caller.user,
            realm: &caller.realm,
            credentials: None,
            ceiling: Some(&caller.permissions),
            now: state.clock.now(),
        },
    )
    .await?
    .ok_or_else(|| ApiError::Conflict("Client id already taken; try again".into()))?;
    let client = key_in_org(state, caller, &created.client_id).await?;
    Ok(ApiKeyPayload {
        apikey: ApiKey::load(state, client, Some(created.secret)).await?,
    })
}

async fn key_in_org(state: &AppState, caller: &Caller, client_id: &str) -> ApiResult<Client> {
    store::api_keys::by_client_id_in_org(&state.db, client_id, caller.user.org_id)
        .await?
        // The same answer for another org's key as for one that never existed.
        .ok_or_else(|| ApiError::NotFound("API key".into()))
}

fn required_etag(input: &ApiKeyInput) -> ApiResult<&str> {
    input.etag.as_deref().ok_or_else(|| {
        ApiError::Invalid(
            "The _etag field is required: send the _etag last read from apiKeys".into(),
        )
    })
}

/// Why a guarded write changed nothing: the key is gone, or someone changed it first.
async fn stale(state: &AppState, caller: &Caller, client_id: &str) -> ApiError {
    match key_in_org(state, caller, client_id).await {
        Ok(_) => ApiError::Conflict(
            "The _etag does not match the current version of this API key; read it again \
             from apiKeys and retry"
                .into(),
        ),
        Err(e) => e,
    }
}

async fn update(state: &AppState, caller: &Caller, input: ApiKeyInput) -> ApiResult<ApiKeyPayload> {
    caller.require("UpdateAPIKey")?;
    let etag = required_etag(&input)?;
    let key = key_in_org(state, caller, &input.client_id).await?;
    let secret = input
        .regenerate_secret
        .unwrap_or(false)
        .then(api_keys::new_secret);
    let secret_hash = secret.as_ref().map(Secret::hash);
    let change = KeyChange {
        enabled: input.enabled,
        secret_hash: secret_hash.as_deref(),
        new_etag: &api_keys::new_etag(),
    };
    if !store::api_keys::update_if_etag(&state.db, key.id, etag, &change).await? {
        return Err(stale(state, caller, &input.client_id).await);
    }
    let key = key_in_org(state, caller, &input.client_id).await?;
    Ok(ApiKeyPayload {
        apikey: ApiKey::load(state, key, secret).await?,
    })
}

async fn delete(state: &AppState, caller: &Caller, input: ApiKeyInput) -> ApiResult<ApiKeyPayload> {
    caller.require("DeleteAPIKey")?;
    let etag = required_etag(&input)?;
    let key = key_in_org(state, caller, &input.client_id).await?;
    if !store::api_keys::delete_if_etag(&state.db, key.id, etag, state.clock.now()).await? {
        return Err(stale(state, caller, &input.client_id).await);
    }
    // Tokens issued before this instant fail at /graphql with "Token has been revoked.".
    store::revocations::revoke_all_of(
        &state.db,
        "client",
        &key.client_id,
        state.clock.real_ms() + 1,
    )
    .await?;
    let realm = key.realm.clone();
    let apikey = ApiKey::load(state, key, None).await?;
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Revoked,
        realm: Some(realm),
        client_id: Some(apikey.client_id.clone()),
        user: apikey.user.as_ref().map(|u| u.email.clone()),
        jti: None,
        reason: Some("API key deleted".into()),
    });
    Ok(ApiKeyPayload { apikey })
}
