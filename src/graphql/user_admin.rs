//! The users of the caller's organization: `users` (ION's list shape) and `updateUser`
//! (deactivate, reactivate, rename). Another org's user is "not found", like a missing one.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, graphql};
use super::paging::{IdConnection, Page, StringFilter};
use super::users::User;
use crate::state::AppState;
use crate::store::{self, user_admin};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use std::sync::Arc;

#[derive(InputObject, Default)]
pub struct UserInputFilters {
    pub email: Option<StringFilter>,
    pub name: Option<StringFilter>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: i64,
    /// False deactivates the user: their tokens and API keys stop working until reactivated.
    pub active: Option<bool>,
    pub name: Option<String>,
}

#[derive(SimpleObject)]
pub struct UpdateUserPayload {
    pub user: User,
}

fn parts<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a AppState, &'a Caller)> {
    Ok((ctx.data::<Arc<AppState>>()?.as_ref(), ctx.data::<Caller>()?))
}

#[derive(Default)]
pub struct UserAdminQuery;

#[Object]
impl UserAdminQuery {
    /// The users of the caller's organization, by id; any signed-in user may read them.
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filters: Option<UserInputFilters>,
    ) -> async_graphql::Result<IdConnection<User>> {
        let (state, caller) = parts(ctx)?;
        let filters = filters.unwrap_or_default();
        graphql(
            async {
                let page = Page::parse(first, after.as_deref())?;
                let filter = user_admin::UserFilter {
                    email: StringFilter::eq(&filters.email),
                    name: StringFilter::eq(&filters.name),
                };
                let org = caller.user.org_id;
                let users =
                    user_admin::page_in_org(&state.db, org, &filter, page.after, page.limit())
                        .await?;
                let total = user_admin::count_in_org(&state.db, org, &filter).await?;
                let rows = users.iter().map(|u| (u.id, User::from(u))).collect();
                Ok(page.connection(rows, total))
            }
            .await,
        )
    }
}

#[derive(Default)]
pub struct UserAdminMutation;

#[Object]
impl UserAdminMutation {
    /// Changes a user of the caller's organization. Nobody can deactivate themselves.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> async_graphql::Result<UpdateUserPayload> {
        let (state, caller) = parts(ctx)?;
        graphql(update(state, caller, input).await)
    }
}

async fn update(
    state: &AppState,
    caller: &Caller,
    input: UpdateUserInput,
) -> ApiResult<UpdateUserPayload> {
    caller.require("UpdateUser")?;
    let name = match input.name.as_deref().map(str::trim) {
        Some(n) if n.is_empty() || n.chars().count() > 200 => {
            return Err(ApiError::Invalid(
                "Invalid name: must be 1 to 200 characters".into(),
            ));
        }
        other => other,
    };
    let user = user_admin::by_id_in_org(&state.db, input.id, caller.user.org_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("User".into()))?;
    // A caller deactivating themselves would cut off the very token and keys they act with.
    if input.active == Some(false) && user.id == caller.user.id {
        return Err(ApiError::Invalid(
            "You cannot deactivate your own account".into(),
        ));
    }
    user_admin::update(&state.db, user.id, input.active, name).await?;
    let user = store::users::by_id(&state.db, user.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("User".into()))?;
    Ok(UpdateUserPayload {
        user: User::from(&user),
    })
}
