//! Pure types and rules: no actix, sqlx or async-graphql in here.

pub mod app_type;
pub mod permission;
pub mod pkce;
pub mod redirect_uri;
pub mod scope;
pub mod secret;
