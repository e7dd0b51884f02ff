//! `ion-mock token`: what `POST /mock/tokens` mints, from the command line.

use super::{close, open, print_json};
use crate::config::StoreArgs;
use crate::controls::error::ControlError;
use crate::controls::tokens::{Include, MintRequest, mint_tokens};
use anyhow::{Context, anyhow};
use clap::Args;
use serde_json::{Map, Value};

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    store: StoreArgs,

    /// The user the token is for (email); with --client-id, that client acting for the user.
    #[arg(long)]
    user: Option<String>,

    /// The client (an API key or an app): alone, a client-credentials style token for the user
    /// the client acts for.
    #[arg(long)]
    client_id: Option<String>,

    /// Realm (default: the client's, else api-keys).
    #[arg(long)]
    realm: Option<String>,

    /// Space-delimited scopes (default: openid profile email for a user).
    #[arg(long)]
    scope: Option<String>,

    /// The `aud` claim instead of the realm's.
    #[arg(long)]
    audience: Option<String>,

    /// Lifetime in seconds (default: the realm's or the app's); negative = already expired.
    #[arg(long, allow_negative_numbers = true)]
    lifetime: Option<i64>,

    /// An extra or overridden claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a
    /// string, and `null` removes the claim. Repeatable.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    claims: Vec<String>,

    /// A deliberately broken token.
    #[arg(long, value_parser = ["expired", "wrong_issuer", "wrong_audience", "bad_signature", "unknown_kid", "alg_none"])]
    variant: Option<String>,

    /// Also mint an ID token.
    #[arg(long)]
    id_token: bool,

    /// Also mint a refresh token.
    #[arg(long)]
    refresh_token: bool,

    /// Print the whole answer as JSON (as /mock/tokens gives it) instead of the access token.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: TokenArgs) -> anyhow::Result<()> {
    let request = MintRequest {
        realm: args.realm,
        user: args.user,
        client_id: args.client_id,
        scope: args.scope,
        audience: args.audience,
        lifetime_seconds: args.lifetime,
        claims: Some(claims(&args.claims)?),
        variant: args
            .variant
            .map(|v| serde_json::from_value(Value::String(v)))
            .transpose()?,
        include: [
            args.id_token.then_some(Include::IdToken),
            args.refresh_token.then_some(Include::RefreshToken),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    let state = open(&args.store).await?;
    let answer = mint_tokens(&state, &request).await.map_err(plain);
    close(state).await?;
    let answer = answer?;
    match args.json {
        true => print_json(&answer),
        false => {
            println!("{}", answer["access_token"].as_str().unwrap_or_default());
            Ok(())
        }
    }
}

fn claims(pairs: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut claims = Map::new();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .with_context(|| format!("--claim {pair:?}: expected NAME=VALUE"))?;
        anyhow::ensure!(!name.is_empty(), "--claim {pair:?}: the name is empty");
        let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
        claims.insert(name.to_owned(), value);
    }
    Ok(claims)
}

/// A control's refusal as a plain message; unexpected errors keep their cause chain.
pub(super) fn plain(e: ControlError) -> anyhow::Error {
    match e {
        ControlError::Unexpected(e) => e,
        other => anyhow!(other.description()),
    }
}
