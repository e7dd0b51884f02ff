//! Roles and who holds them: `roles`, `attachRoleToUser`, `detachRoleFromUser` (ION's names).
//! Roles are shared by every org; a user's roles can be changed only within the caller's org.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, graphql};
use super::paging::{IdConnection, Page, StringFilter};
use super::users::User;
use crate::domain::permission::Permissions;
use crate::state::AppState;
use crate::store::{self, user_admin};
use async_graphql::{ComplexObject, Context, InputObject, Object, SimpleObject};
use std::sync::Arc;

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Role {
    pub id: i64,
    pub name: String,
}

#[ComplexObject]
impl Role {
    /// Every permission the role grants (the `*` wildcard spelled out).
    async fn permissions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let state = ctx.data::<Arc<AppState>>()?;
        graphql(
            async {
                let names = user_admin::role_permissions(&state.db, self.id).await?;
                let expanded = Permissions::from_names(names);
                Ok(expanded.iter().map(str::to_owned).collect())
            }
            .await,
        )
    }
}

impl From<user_admin::Role> for Role {
    fn from(r: user_admin::Role) -> Self {
        Self {
            id: r.id,
            name: r.name,
        }
    }
}

/// The roles a user holds now.
pub async fn of_user(state: &AppState, user_id: i64) -> ApiResult<Vec<Role>> {
    let roles = user_admin::roles_of(&state.db, user_id).await?;
    Ok(roles.into_iter().map(Role::from).collect())
}

#[derive(InputObject, Default)]
pub struct RolesInputFilters {
    pub name: Option<StringFilter>,
}

#[derive(InputObject)]
pub struct RoleToUserInput {
    pub user_id: i64,
    pub role_id: i64,
}

#[derive(SimpleObject)]
pub struct RoleToUserPayload {
    /// The user with the roles they hold after the change.
    pub user: User,
}

fn parts<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a AppState, &'a Caller)> {
    Ok((ctx.data::<Arc<AppState>>()?.as_ref(), ctx.data::<Caller>()?))
}

#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// Every role, by id; any signed-in user may read them.
    async fn roles(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filters: Option<RolesInputFilters>,
    ) -> async_graphql::Result<IdConnection<Role>> {
        let state = ctx.data::<Arc<AppState>>()?;
        let filters = filters.unwrap_or_default();
        graphql(
            async {
                let page = Page::parse(first, after.as_deref())?;
                let name = StringFilter::eq(&filters.name);
                let roles =
                    user_admin::roles_page(&state.db, name, page.after, page.limit()).await?;
                let total = user_admin::roles_count(&state.db, name).await?;
                let rows = roles.into_iter().map(|r| (r.id, Role::from(r))).collect();
                Ok(page.connection(rows, total))
            }
            .await,
        )
    }
}

#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Gives a user of the caller's org a role (nothing changes if they hold it already).
    async fn attach_role_to_user(
        &self,
        ctx: &Context<'_>,
        input: RoleToUserInput,
    ) -> async_graphql::Result<RoleToUserPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(change(state, caller, &input, Change::Attach).await)
    }

    /// Takes a role from a user of the caller's org. API keys the user made keep the
    /// permissions frozen into them.
    async fn detach_role_from_user(
        &self,
        ctx: &Context<'_>,
        input: RoleToUserInput,
    ) -> async_graphql::Result<RoleToUserPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(change(state, caller, &input, Change::Detach).await)
    }
}

#[derive(Clone, Copy)]
enum Change {
    Attach,
    Detach,
}

async fn change(
    state: &AppState,
    caller: &Caller,
    input: &RoleToUserInput,
    change: Change,
) -> ApiResult<RoleToUserPayload> {
    caller.require(match change {
        Change::Attach => "AttachRoleToUser",
        Change::Detach => "DetachRoleFromUser",
    })?;
    let user = user_admin::by_id_in_org(&state.db, input.user_id, caller.user.org_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("User".into()))?;
    let role = user_admin::role_by_id(&state.db, input.role_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Role".into()))?;
    match change {
        Change::Attach => user_admin::attach_role(&state.db, user.id, role.id).await?,
        Change::Detach => {
            user_admin::detach_role(&state.db, user.id, role.id).await?;
        }
    }
    let user = store::users::by_id(&state.db, user.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("User".into()))?;
    Ok(RoleToUserPayload {
        user: User::from(&user),
    })
}
