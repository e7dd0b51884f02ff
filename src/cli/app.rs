//! `ion-mock app register` and `ion-mock app list`.

use super::{close, open, print_json};
use crate::config::StoreArgs;
use crate::fixtures::DEFAULT_REALM;
use crate::oauth_apps;
use crate::state::AppState;
use crate::store::{self, clients::KIND_OAUTH_APP};
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Register an OAuth app for a user's organization; prints it as JSON, with its client
    /// secret (confidential apps only, shown this once).
    Register(RegisterArgs),
    /// List OAuth apps as JSON (secrets are never shown again).
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    store: StoreArgs,

    /// Who registers it (email); the app belongs to that user's organization.
    #[arg(long)]
    user: String,

    /// The app's name, shown on the login page.
    #[arg(long)]
    name: String,

    /// regular_web, spa, native or non_interactive.
    #[arg(long = "type", visible_alias = "app-type", value_name = "APP_TYPE")]
    app_type: String,

    /// A callback (redirect) URI. Repeatable.
    #[arg(long)]
    callback: Vec<String>,

    /// A browser origin allowed by CORS. Repeatable.
    #[arg(long)]
    origin: Vec<String>,

    /// A post-logout redirect URI. Repeatable.
    #[arg(long)]
    logout: Vec<String>,

    /// Realm (default: api-keys).
    #[arg(long, default_value = DEFAULT_REALM)]
    realm: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    store: StoreArgs,

    /// Only this organization's apps (its domain, e.g. acme).
    #[arg(long)]
    org: Option<String>,
}

pub async fn run(cmd: AppCommand) -> anyhow::Result<()> {
    match cmd {
        AppCommand::Register(args) => register(args).await,
        AppCommand::List(args) => list(args).await,
    }
}

async fn register(args: RegisterArgs) -> anyhow::Result<()> {
    let state = open(&args.store).await?;
    let result = async {
        let owner = store::users::by_email(&state.db, &args.user)
            .await?
            .with_context(|| format!("no user {:?}", args.user))?;
        store::realms::by_name(&state.db, &args.realm)
            .await?
            .with_context(|| format!("no realm {:?}", args.realm))?;
        let uris: Vec<(&str, &str)> = [
            (&args.callback, "callback"),
            (&args.origin, "origin"),
            (&args.logout, "logout"),
        ]
        .into_iter()
        .flat_map(|(uris, kind)| uris.iter().map(move |u| (u.as_str(), kind)))
        .collect();
        let app = oauth_apps::register_with_uris(
            &state.db,
            &args.realm,
            &owner,
            &args.name,
            &args.app_type,
            &uris,
            state.clock.now(),
        )
        .await?;
        let mut shown = describe(&state, app.id, owner.org_id).await?;
        shown["clientSecret"] = json!(app.secret.as_ref().map(|s| s.expose()));
        Ok::<_, anyhow::Error>(shown)
    }
    .await;
    close(state).await?;
    print_json(&result?)
}

async fn list(args: ListArgs) -> anyhow::Result<()> {
    let state = open(&args.store).await?;
    let result = async {
        let orgs = match &args.org {
            Some(domain) => vec![
                store::orgs::by_domain(&state.db, domain)
                    .await?
                    .with_context(|| format!("no organization with domain {domain:?}"))?,
            ],
            None => store::orgs::all(&state.db).await?,
        };
        let mut apps = Vec::new();
        for org in orgs {
            for client in store::clients::list_in_org(&state.db, org.id, KIND_OAUTH_APP).await? {
                apps.push(describe(&state, client.id, org.id).await?);
            }
        }
        Ok::<_, anyhow::Error>(Value::Array(apps))
    }
    .await;
    close(state).await?;
    print_json(&result?)
}

/// An app as `oauthApp` shows it, plus its organization and realm.
async fn describe(state: &AppState, id: i64, org_id: i64) -> anyhow::Result<Value> {
    let client = store::clients::by_id_in_org(&state.db, id, org_id, KIND_OAUTH_APP)
        .await?
        .context("the app just stored is not there")?;
    let org = store::orgs::by_id(&state.db, org_id).await?;
    let uris: Vec<Value> = store::redirect_uris::of_client(&state.db, client.id)
        .await?
        .into_iter()
        .map(|u| json!({"id": u.id, "uri": u.uri, "uriType": u.uri_type}))
        .collect();
    Ok(json!({
        "id": client.id,
        "name": client.name,
        "appType": client.app_type,
        "clientId": client.client_id,
        "clientSecret": null,
        "organization": org.map(|o| json!({"id": o.id, "domain": o.domain})),
        "realm": client.realm,
        "issuer": state.issuer(&client.realm),
        "authorizationEndpoint": state.endpoint(&client.realm, "auth"),
        "tokenEndpoint": state.endpoint(&client.realm, "token"),
        "redirectUris": uris,
    }))
}
