//! The hot read queries through the [`ReadCache`]: what every token request and every
//! `/graphql` call reads.

use super::clients::{self, Client};
use super::realms::{self, Realm};
use super::revocations::{self, TokenSubjects};
use super::users::{self, User};
use super::{Db, ReadCache, settings};
use crate::domain::scope::Scopes;

/// The database, read through the cache.
#[derive(Clone, Copy)]
pub struct Reads<'a> {
    pub db: &'a Db,
    pub cache: &'a ReadCache,
}

impl Reads<'_> {
    pub async fn realm(self, name: &str) -> sqlx::Result<Option<Realm>> {
        let load = || realms::by_name(self.db, name);
        self.cache.get_or_load("realm", name.to_owned(), load).await
    }

    pub async fn client(self, client_id: &str) -> sqlx::Result<Option<Client>> {
        let load = || clients::by_client_id(self.db, client_id);
        self.cache
            .get_or_load("client", client_id.to_owned(), load)
            .await
    }

    pub async fn frozen_permissions(self, client_pk: i64) -> sqlx::Result<Vec<String>> {
        let load = || clients::frozen_permissions(self.db, client_pk);
        self.cache
            .get_or_load("frozen", client_pk.to_string(), load)
            .await
    }

    pub async fn user(self, id: i64) -> sqlx::Result<Option<User>> {
        let load = || users::by_id(self.db, id);
        self.cache.get_or_load("user", id.to_string(), load).await
    }

    pub async fn user_by_subject(self, subject: &str) -> sqlx::Result<Option<User>> {
        let load = || users::by_subject(self.db, subject);
        self.cache
            .get_or_load("subject", subject.to_owned(), load)
            .await
    }

    pub async fn role_names(self, user_id: i64) -> sqlx::Result<Vec<String>> {
        let load = || users::role_names(self.db, user_id);
        self.cache
            .get_or_load("roles", user_id.to_string(), load)
            .await
    }

    pub async fn permission_names(self, user_id: i64) -> sqlx::Result<Vec<String>> {
        let load = || users::permission_names(self.db, user_id);
        self.cache
            .get_or_load("permissions", user_id.to_string(), load)
            .await
    }

    pub async fn allowed_scopes(self, realm: &str, client_id: &str) -> sqlx::Result<Scopes> {
        let load = || settings::allowed_scopes(self.db, realm, client_id);
        let key = format!("{realm}\n{client_id}");
        self.cache.get_or_load("scopes", key, load).await
    }

    pub async fn is_revoked(self, t: &TokenSubjects<'_>) -> sqlx::Result<bool> {
        let load = || revocations::is_revoked(self.db, t);
        // Debug quotes and escapes every string, so two different tuples never share a key.
        let key = format!(
            "{:?}",
            (t.jti, t.issued_ms, t.user, t.client_id, t.realm, t.grant)
        );
        self.cache.get_or_load("revoked", key, load).await
    }
}
