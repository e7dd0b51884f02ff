//! The whole database as data, table by table, and back: `ion-mock export` / `import`.
//!
//! Generic over the schema (every table but sqlx's own), so a snapshot never misses a table a
//! later migration adds; a snapshot only restores into the schema version it was taken from.

use super::Db;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{Row, SqliteConnection, TypeInfo, ValueRef};

#[derive(Debug, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    /// One JSON value per column: null, a number, a string, or `{"base64": ...}` for a blob.
    pub rows: Vec<Vec<Value>>,
}

/// The newest migration applied: snapshots carry it and only restore into the same one.
pub async fn schema_version(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(db)
        .await
}

/// The schema's tables, parents before children (creation order).
async fn table_names(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%' ORDER BY rowid",
    )
    .fetch_all(conn)
    .await
}

async fn column_names(conn: &mut SqliteConnection, table: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .bind(table)
        .fetch_all(conn)
        .await
}

/// Every row of every table, read in one transaction so the snapshot is consistent.
pub async fn dump(db: &Db) -> sqlx::Result<Vec<Table>> {
    let mut tables = Vec::new();
    let mut tx = db.begin().await?;
    for name in table_names(&mut tx).await? {
        let columns = column_names(&mut tx, &name).await?;
        let select = format!(
            "SELECT {} FROM {} ORDER BY rowid",
            columns
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(", "),
            quote(&name)
        );
        let mut rows = Vec::new();
        for row in sqlx::query(&select).fetch_all(&mut *tx).await? {
            let mut values = Vec::with_capacity(columns.len());
            for i in 0..row.columns().len() {
                values.push(cell(&row, i)?);
            }
            rows.push(values);
        }
        tables.push(Table {
            name,
            columns,
            rows,
        });
    }
    tx.commit().await?;
    Ok(tables)
}

fn cell(row: &sqlx::sqlite::SqliteRow, i: usize) -> sqlx::Result<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INTEGER" | "BOOLEAN" => json!(row.try_get::<i64, _>(i)?),
        "REAL" => json!(row.try_get::<f64, _>(i)?),
        "BLOB" => json!({ "base64": STANDARD.encode(row.try_get::<Vec<u8>, _>(i)?) }),
        _ => json!(row.try_get::<String, _>(i)?),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("the snapshot names a table this database does not have: {0}")]
    UnknownTable(String),
    #[error("the snapshot's table {table} has columns {got:?}, this database {want:?}")]
    Columns {
        table: String,
        got: Vec<String>,
        want: Vec<String>,
    },
    #[error("table {table}, row {row}: {why}")]
    BadRow {
        table: String,
        row: usize,
        why: String,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Replaces every row of every table with the snapshot's, in one transaction: on any error
/// nothing changes.
pub async fn restore(db: &Db, tables: &[Table]) -> Result<(), RestoreError> {
    let mut tx = db.begin().await?;
    let known = table_names(&mut tx).await?;
    for table in tables {
        if !known.contains(&table.name) {
            return Err(RestoreError::UnknownTable(table.name.clone()));
        }
        let want = column_names(&mut tx, &table.name).await?;
        if want != table.columns {
            return Err(RestoreError::Columns {
                table: table.name.clone(),
                got: table.columns.clone(),
                want,
            });
        }
    }
    // Rows arrive parents first, but a table may point at itself or a later one: check
    // foreign keys once, at commit.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    for name in known.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quote(name)))
            .execute(&mut *tx)
            .await?;
    }
    for table in tables {
        let insert = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&table.name),
            table
                .columns
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(", "),
            vec!["?"; table.columns.len()].join(", ")
        );
        for (n, row) in table.rows.iter().enumerate() {
            let bad = |why: String| RestoreError::BadRow {
                table: table.name.clone(),
                row: n,
                why,
            };
            if row.len() != table.columns.len() {
                return Err(bad(format!(
                    "{} values for {} columns",
                    row.len(),
                    table.columns.len()
                )));
            }
            let mut query = sqlx::query(&insert);
            for value in row {
                query = match value {
                    Value::Null => query.bind(None::<String>),
                    Value::Bool(b) => query.bind(*b),
                    Value::Number(n) => match n.as_i64() {
                        Some(i) => query.bind(i),
                        None => query.bind(n.as_f64()),
                    },
                    Value::String(s) => query.bind(s.clone()),
                    Value::Object(o) => match o.get("base64").and_then(Value::as_str) {
                        Some(b64) => query.bind(
                            STANDARD
                                .decode(b64)
                                .map_err(|e| bad(format!("bad base64: {e}")))?,
                        ),
                        None => return Err(bad("an object that is not {\"base64\"}".into())),
                    },
                    Value::Array(_) => return Err(bad("an array is no column value".into())),
                };
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| bad(e.to_string()))?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// An SQL identifier; only names read from the schema itself reach here.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
