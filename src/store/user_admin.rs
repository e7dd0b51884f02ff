//! Managing an organisation's users and their roles. Every lookup is scoped to one org: a
//! user of another org is indistinguishable from one that does not exist.

use super::Db;
use super::users::User;
use sqlx::FromRow;

const SELECT_USER: &str = "SELECT u.id, u.subject, u.email, u.name, u.active, \
    o.id AS org_id, o.name AS org_name, o.domain AS org_domain \
    FROM users u JOIN orgs o ON o.id = u.org_id";

#[derive(Debug, Clone, FromRow)]
pub struct Role {
    pub id: i64,
    pub name: String,
}

/// Optional exact-match filters of a user listing.
#[derive(Debug, Default)]
pub struct UserFilter<'a> {
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// Up to `limit` users of `org_id` with an id above `after`, matching `filter`, by id.
pub async fn page_in_org(
    db: &Db,
    org_id: i64,
    filter: &UserFilter<'_>,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    sqlx::query_as(&format!(
        "{SELECT_USER} WHERE u.org_id = ?1 AND u.id > ?2 AND (?3 IS NULL OR u.email = ?3) \
         AND (?4 IS NULL OR u.name = ?4) ORDER BY u.id LIMIT ?5"
    ))
    .bind(org_id)
    .bind(after)
    .bind(filter.email)
    .bind(filter.name)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn count_in_org(db: &Db, org_id: i64, filter: &UserFilter<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u WHERE u.org_id = ?1 AND (?2 IS NULL OR u.email = ?2) \
         AND (?3 IS NULL OR u.name = ?3)",
    )
    .bind(org_id)
    .bind(filter.email)
    .bind(filter.name)
    .fetch_one(db)
    .await
}

pub async fn by_id_in_org(db: &Db, id: i64, org_id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("{SELECT_USER} WHERE u.id = ?1 AND u.org_id = ?2"))
        .bind(id)
        .bind(org_id)
        .fetch_optional(db)
        .await
}

/// Changes what is given of a user's `active` flag and name.
pub async fn update(
    db: &Db,
    id: i64,
    active: Option<bool>,
    name: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET active = COALESCE(?2, active), name = COALESCE(?3, name) WHERE id = ?1",
    )
    .bind(id)
    .bind(active)
    .bind(name)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn roles_of(db: &Db, user_id: i64) -> sqlx::Result<Vec<Role>> {
    sqlx::query_as(
        "SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
         WHERE ur.user_id = ?1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Gives a user a role; attaching a role they hold already changes nothing.
pub async fn attach_role(db: &Db, user_id: i64, role_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(role_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Takes a role away; false when the user did not hold it.
pub async fn detach_role(db: &Db, user_id: i64, role_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM user_roles WHERE user_id = ?1 AND role_id = ?2")
        .bind(user_id)
        .bind(role_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Roles are shared by every org (like ION's built-in `admin` and `User`).
pub async fn roles_page(
    db: &Db,
    name: Option<&str>,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Role>> {
    sqlx::query_as(
        "SELECT id, name FROM roles WHERE id > ?1 AND (?2 IS NULL OR name = ?2) \
         ORDER BY id LIMIT ?3",
    )
    .bind(after)
    .bind(name)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn roles_count(db: &Db, name: Option<&str>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM roles WHERE (?1 IS NULL OR name = ?1)")
        .bind(name)
        .fetch_one(db)
        .await
}

pub async fn role_by_id(db: &Db, id: i64) -> sqlx::Result<Option<Role>> {
    sqlx::query_as("SELECT id, name FROM roles WHERE id = ?1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A role's permission names as stored (may include the `*` wildcard).
pub async fn role_permissions(db: &Db, role_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT permission FROM role_permissions WHERE role_id = ?1 ORDER BY permission",
    )
    .bind(role_id)
    .fetch_all(db)
    .await
}
