//! Who am I: `me` and `currentUser` (ION documents both).

use super::auth::Caller;
use super::roles::Role;
use crate::state::AppState;
use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use std::sync::Arc;

#[derive(SimpleObject, Clone)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub domain: String,
}

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: Organization,
    /// False once deactivated: the user's tokens and API keys stop working.
    pub active: bool,
    pub organization_id: i64,
}

#[ComplexObject]
impl User {
    /// The roles the user holds now.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        let state = ctx.data::<Arc<AppState>>()?;
        super::error::graphql(super::roles::of_user(state, self.id).await)
    }
}

impl From<&crate::store::users::User> for User {
    fn from(u: &crate::store::users::User) -> Self {
        Self {
            id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            organization: Organization {
                id: u.org_id,
                name: u.org_name.clone(),
                domain: u.org_domain.clone(),
            },
            active: u.active,
            organization_id: u.org_id,
        }
    }
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The user the access token acts for.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        Ok(User::from(&ctx.data::<Caller>()?.user))
    }

    /// The same as `me` (older ION documentation uses this name).
    async fn current_user(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        Ok(User::from(&ctx.data::<Caller>()?.user))
    }
}
