//! `ion-mock apikey create`.

use super::{close, open, print_json};
use crate::api_keys::{self, KeyRequest};
use crate::config::StoreArgs;
use crate::fixtures::DEFAULT_REALM;
use crate::store;
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create an API key acting as a user, with that user's permissions frozen now; prints
    /// its client id and secret (shown this once) as JSON.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    store: StoreArgs,

    /// The user the key acts as (email).
    #[arg(long)]
    user: String,

    /// Realm (default: api-keys).
    #[arg(long, default_value = DEFAULT_REALM)]
    realm: String,
}

pub async fn run(cmd: ApiKeyCommand) -> anyhow::Result<()> {
    let ApiKeyCommand::Create(args) = cmd;
    let state = open(&args.store).await?;
    let result = async {
        let user = store::users::by_email(&state.db, &args.user)
            .await?
            .with_context(|| format!("no user {:?}", args.user))?;
        anyhow::ensure!(user.active, "user {:?} is deactivated", args.user);
        store::realms::by_name(&state.db, &args.realm)
            .await?
            .with_context(|| format!("no realm {:?}", args.realm))?;
        let key = api_keys::create(
            &state.db,
            KeyRequest {
                user: &user,
                realm: &args.realm,
                credentials: None,
                ceiling: None,
                now: state.clock.now(),
            },
        )
        .await?
        .context("client id already taken; try again")?;
        Ok::<_, anyhow::Error>(json!({
            "clientId": key.client_id,
            "clientSecret": key.secret.expose(),
            "tokenEndpoint": state.endpoint(&args.realm, "token"),
        }))
    }
    .await;
    close(state).await?;
    print_json(&result?)
}
