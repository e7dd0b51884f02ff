//! OAuth app registration, as documented by ION (`registerOauthApp`, `addOauthRedirectUri`)
//! and completed by us (`oauthApps`, `oauthApp`, `removeOauthRedirectUri`, `deleteOauthApp`).

use super::auth::Caller;
use super::error::{ApiError, ApiResult, graphql};
use crate::domain::app_type::AppType;
use crate::domain::redirect_uri::{self, UriType};
use crate::domain::secret::Secret;
use crate::oauth_apps::{self, AppRequest};
use crate::state::AppState;
use crate::store::{
    self,
    clients::{Client, KIND_OAUTH_APP},
};
use async_graphql::{Context, Object, SimpleObject};
use std::sync::Arc;

#[derive(SimpleObject, Clone)]
pub struct RedirectUri {
    pub id: i64,
    pub uri: String,
    pub uri_type: String,
}

impl From<store::redirect_uris::RedirectUri> for RedirectUri {
    fn from(r: store::redirect_uris::RedirectUri) -> Self {
        Self {
            id: r.id,
            uri: r.uri,
            uri_type: r.uri_type,
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct OauthApp {
    pub id: i64,
    pub name: String,
    pub app_type: String,
    pub client_id: String,
    /// Only in the `registerOauthApp` payload; never readable again.
    pub client_secret: Option<String>,
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub redirect_uris: Vec<RedirectUri>,
}

impl OauthApp {
    async fn load(state: &AppState, client: Client, secret: Option<Secret>) -> ApiResult<Self> {
        let uris = store::redirect_uris::of_client(&state.db, client.id).await?;
        Ok(Self {
            id: client.id,
            name: client.name,
            app_type: client.app_type,
            client_id: client.client_id,
            client_secret: secret.map(|s| s.expose().to_owned()),
            issuer: state.issuer(&client.realm),
            authorization_endpoint: state.endpoint(&client.realm, "auth"),
            token_endpoint: state.endpoint(&client.realm, "token"),
            redirect_uris: uris.into_iter().map(RedirectUri::from).collect(),
        })
    }
}

#[derive(SimpleObject)]
pub struct OauthAppPayload {
    pub oauth_app: OauthApp,
}

#[derive(SimpleObject)]
pub struct RedirectUriPayload {
    pub redirect_uri: RedirectUri,
}

fn parts<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a AppState, &'a Caller)> {
    Ok((ctx.data::<Arc<AppState>>()?.as_ref(), ctx.data::<Caller>()?))
}

async fn app_in_org(state: &AppState, caller: &Caller, id: i64) -> ApiResult<Client> {
    store::clients::by_id_in_org(&state.db, id, caller.user.org_id, KIND_OAUTH_APP)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("OAuth app {id}")))
}

#[derive(Default)]
pub struct OauthAppQuery;

#[Object]
impl OauthAppQuery {
    /// The OAuth apps of the caller's organization.
    async fn oauth_apps(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OauthApp>> {
        let (state, caller) = parts(ctx)?;
        graphql(
            async {
                let mut apps = Vec::new();
                for client in
                    store::clients::list_in_org(&state.db, caller.user.org_id, KIND_OAUTH_APP)
                        .await?
                {
                    apps.push(OauthApp::load(state, client, None).await?);
                }
                Ok(apps)
            }
            .await,
        )
    }

    /// One app of the caller's organization; `null` for a deleted or foreign one.
    async fn oauth_app(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> async_graphql::Result<Option<OauthApp>> {
        let (state, caller) = parts(ctx)?;
        graphql(
            async {
                match store::clients::by_id_in_org(
                    &state.db,
                    id,
                    caller.user.org_id,
                    KIND_OAUTH_APP,
                )
                .await?
                {
                    Some(client) => Ok(Some(OauthApp::load(state, client, None).await?)),
                    None => Ok(None),
                }
            }
            .await,
        )
    }
}

#[derive(Default)]
pub struct OauthAppMutation;

#[Object]
impl OauthAppMutation {
    /// Registers an app; a confidential app's `clientSecret` is returned here and only here.
    async fn register_oauth_app(
        &self,
        ctx: &Context<'_>,
        name: String,
        app_type: String,
    ) -> async_graphql::Result<OauthAppPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(register(state, caller, &name, &app_type).await)
    }

    async fn add_oauth_redirect_uri(
        &self,
        ctx: &Context<'_>,
        oauth_app_id: i64,
        uri: String,
        uri_type: String,
    ) -> async_graphql::Result<RedirectUriPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(add_uri(state, caller, oauth_app_id, &uri, &uri_type).await)
    }

    async fn remove_oauth_redirect_uri(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> async_graphql::Result<RedirectUriPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(remove_uri(state, caller, id).await)
    }

    /// Deletes an app and revokes every token issued to it.
    async fn delete_oauth_app(
        &self,
        ctx: &Context<'_>,
        id: i64,
    ) -> async_graphql::Result<OauthAppPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(delete(state, caller, id).await)
    }
}

async fn register(
    state: &AppState,
    caller: &Caller,
    name: &str,
    app_type: &str,
) -> ApiResult<OauthAppPayload> {
    caller.require("CreateOauthApp")?;
    let name = oauth_apps::check_name(name).map_err(ApiError::Invalid)?;
    let app_type: AppType = app_type
        .parse()
        .map_err(|e| ApiError::Invalid(format!("{e}")))?;
    let registered = oauth_apps::register(
        &state.db,
        &AppRequest {
            realm: &caller.realm,
            org_id: caller.user.org_id,
            user_id: Some(caller.user.id),
            name,
            app_type,
            now: state.clock.now(),
        },
    )
    .await?
    .ok_or_else(|| ApiError::Conflict("Client id already taken; try again".into()))?;
    let (id, secret) = (registered.id, registered.secret);
    let client = app_in_org(state, caller, id).await?;
    Ok(OauthAppPayload {
        oauth_app: OauthApp::load(state, client, secret).await?,
    })
}

async fn add_uri(
    state: &AppState,
    caller: &Caller,
    app_id: i64,
    uri: &str,
    uri_type: &str,
) -> ApiResult<RedirectUriPayload> {
    caller.require("UpdateOauthApp")?;
    let uri_type: UriType = uri_type
        .parse()
        .map_err(|e| ApiError::Invalid(format!("{e}")))?;
    let app = app_in_org(state, caller, app_id).await?;
    if app.app_type == AppType::NonInteractive.as_str() {
        return Err(ApiError::Invalid(
            "non_interactive apps have no redirect URIs".into(),
        ));
    }
    redirect_uri::validate(uri, uri_type).map_err(ApiError::Invalid)?;
    let added = store::redirect_uris::add(&state.db, app.id, uri, uri_type.as_str()).await?;
    Ok(RedirectUriPayload {
        redirect_uri: added.into(),
    })
}

async fn remove_uri(state: &AppState, caller: &Caller, id: i64) -> ApiResult<RedirectUriPayload> {
    caller.require("UpdateOauthApp")?;
    let uri = store::redirect_uris::by_id_in_org(&state.db, id, caller.user.org_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Redirect URI {id}")))?;
    store::redirect_uris::remove(&state.db, id).await?;
    Ok(RedirectUriPayload {
        redirect_uri: uri.into(),
    })
}

async fn delete(state: &AppState, caller: &Caller, id: i64) -> ApiResult<OauthAppPayload> {
    caller.require("DeleteOauthApp")?;
    let app = app_in_org(state, caller, id).await?;
    let payload = OauthApp::load(state, app.clone(), None).await?;
    store::clients::mark_deleted(&state.db, app.id, state.clock.now()).await?;
    store::revocations::revoke_all_of(
        &state.db,
        "client",
        &app.client_id,
        state.clock.real_ms() + 1,
    )
    .await?;
    Ok(OauthAppPayload { oauth_app: payload })
}
