//! `ion-mock export` and `ion-mock import`: the whole state as one JSON file, so a QA scenario
//! can be saved and replayed. Signing keys are in it, so tokens issued before an export
//! verify after an import; so are hashed secrets and revocations.

use crate::clock::Clock;
use crate::config::StoreArgs;
use crate::store::{self, snapshot::Table};
use anyhow::{Context, bail};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;

const FORMAT: &str = "ion-mock snapshot";

#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    format: String,
    schema_version: i64,
    exported_at: i64,
    tables: Vec<Table>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// sqlx SQLite URL of the database to export.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://ion-mock.db")]
    database_url: String,

    /// Where to write the snapshot; `-` (the default) for stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The same as --output FILE.
    #[arg(value_name = "FILE", conflicts_with = "output")]
    file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    store: StoreArgs,

    /// The snapshot file written by `ion-mock export`; `-` for stdin. Everything in the
    /// database is replaced by it; stop any server using the database first.
    input: PathBuf,
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let db = store::connect(&args.database_url, &Default::default()).await?;
    let snapshot = Snapshot {
        format: FORMAT.to_owned(),
        schema_version: store::snapshot::schema_version(&db).await?,
        exported_at: Clock::default().now(),
        tables: store::snapshot::dump(&db)
            .await
            .context("reading the database")?,
    };
    db.close().await;
    let text = serde_json::to_string(&snapshot)?;
    match args.output.or(args.file) {
        Some(path) if path.as_os_str() != "-" => std::fs::write(&path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        _ => writeln!(std::io::stdout().lock(), "{text}")?,
    }
    Ok(())
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let name = args.input.display().to_string();
    let mut text = String::new();
    if args.input.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text =
            std::fs::read_to_string(&args.input).with_context(|| format!("cannot read {name}"))?;
    }
    let snapshot: Snapshot = serde_json::from_str(&text)
        .with_context(|| format!("{name} is not an ion-mock snapshot"))?;
    if snapshot.format != FORMAT {
        bail!(
            "{name} is not an ion-mock snapshot (format {:?})",
            snapshot.format
        );
    }
    let db = store::connect(&args.store.database_url, &Default::default()).await?;
    let ours = store::snapshot::schema_version(&db).await?;
    if snapshot.schema_version != ours {
        bail!(
            "{name} is of schema version {}, this ion-mock's is {ours}",
            snapshot.schema_version
        );
    }
    let restored = store::snapshot::restore(&db, &snapshot.tables).await;
    db.close().await;
    restored.with_context(|| format!("cannot import {name}; the database is unchanged"))?;
    eprintln!(
        "imported {name}: {} rows in {} tables",
        snapshot.tables.iter().map(|t| t.rows.len()).sum::<usize>(),
        snapshot.tables.len()
    );
    Ok(())
}
