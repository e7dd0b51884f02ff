use super::Db;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub domain: String,
}

pub async fn insert_if_missing(db: &Db, id: i64, name: &str, domain: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO orgs (id, name, domain) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(name)
        .bind(domain)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<Org>> {
    sqlx::query_as("SELECT id, name, domain FROM orgs WHERE id = ?1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn by_domain(db: &Db, domain: &str) -> sqlx::Result<Option<Org>> {
    sqlx::query_as("SELECT id, name, domain FROM orgs WHERE domain = ?1")
        .bind(domain)
        .fetch_optional(db)
        .await
}

pub async fn all(db: &Db) -> sqlx::Result<Vec<Org>> {
    sqlx::query_as("SELECT id, name, domain FROM orgs ORDER BY id")
        .fetch_all(db)
        .await
}
