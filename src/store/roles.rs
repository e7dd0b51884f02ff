use super::Db;

/// Creates a role with its permissions unless a role of that name exists.
pub async fn insert_if_missing(db: &Db, name: &str, permissions: &[String]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    let inserted = sqlx::query("INSERT INTO roles (name) VALUES (?1) ON CONFLICT DO NOTHING")
        .bind(name)
        .execute(&mut *tx)
        .await?;
    if inserted.rows_affected() == 1 {
        let role_id = inserted.last_insert_rowid();
        for permission in permissions {
            sqlx::query(
                "INSERT INTO role_permissions (role_id, permission) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )
            .bind(role_id)
            .bind(permission)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

pub async fn exists(db: &Db, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM roles WHERE name = ?1)")
        .bind(name)
        .fetch_one(db)
        .await
}
