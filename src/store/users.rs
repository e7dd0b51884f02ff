use super::Db;
use sqlx::FromRow;

/// A user with their organisation.
#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub subject: String,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub org_id: i64,
    pub org_name: String,
    pub org_domain: String,
}

const SELECT_USER: &str = "SELECT u.id, u.subject, u.email, u.name, u.active, \
    o.id AS org_id, o.name AS org_name, o.domain AS org_domain \
    FROM users u JOIN orgs o ON o.id = u.org_id";

pub struct NewUser<'a> {
    pub subject: &'a str,
    pub org_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub active: bool,
    pub roles: &'a [String],
    pub now: i64,
}

pub async fn exists(db: &Db, email: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM users WHERE email = ?1)")
        .bind(email)
        .fetch_one(db)
        .await
}

/// Inserts a user with roles unless one with that email exists.
pub async fn insert_if_missing(db: &Db, user: NewUser<'_>) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (subject, org_id, email, name, password_hash, active, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
    )
    .bind(user.subject)
    .bind(user.org_id)
    .bind(user.email)
    .bind(user.name)
    .bind(user.password_hash)
    .bind(user.active)
    .bind(user.now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 1 {
        let user_id = inserted.last_insert_rowid();
        for role in user.roles {
            sqlx::query(
                "INSERT INTO user_roles (user_id, role_id) SELECT ?1, id FROM roles WHERE name = ?2",
            )
            .bind(user_id)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.id = ?1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn by_subject(db: &Db, subject: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.subject = ?1"))
        .bind(subject)
        .fetch_optional(db)
        .await
}

pub async fn by_email(db: &Db, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.email = ?1"))
        .bind(email)
        .fetch_optional(db)
        .await
}

pub async fn password_hash(db: &Db, user_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

pub async fn role_names(db: &Db, user_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
         WHERE ur.user_id = ?1 ORDER BY r.name",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The permission names of every role the user holds (may include the `*` wildcard).
pub async fn permission_names(db: &Db, user_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT rp.permission FROM user_roles ur \
         JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = ?1",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}
