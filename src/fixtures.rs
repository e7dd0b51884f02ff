//! The fixture file: parsed, checked as a whole, then applied idempotently (what exists by
//! its natural key is left alone, so restarts never duplicate or overwrite anything).

use crate::domain::app_type::AppType;
use crate::domain::permission;
use crate::domain::redirect_uri::{self, UriType};
use crate::domain::secret::{Secret, hash_password, random_token};
use crate::store::{self, Db, clients::NewClient, realms::Realm, users::NewUser};
use crate::tokens::keyring::KeyRing;
use crate::tokens::keys::KeyAlgorithm;
use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

pub const DEFAULT_FIXTURES: &str = include_str!("../fixtures/default.toml");
pub const DEFAULT_REALM: &str = "api-keys";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    #[serde(default)]
    pub realms: Vec<RealmFixture>,
    #[serde(default)]
    pub roles: Vec<RoleFixture>,
    #[serde(default)]
    pub orgs: Vec<OrgFixture>,
    #[serde(default)]
    pub users: Vec<UserFixture>,
    #[serde(default)]
    pub api_keys: Vec<ApiKeyFixture>,
    #[serde(default)]
    pub oauth_apps: Vec<OauthAppFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealmFixture {
    pub name: String,
    #[serde(default = "default_algorithm")]
    pub algorithm: String,
    #[serde(default = "default_audience")]
    pub audience: String,
    #[serde(default = "default_user_lifetime")]
    pub user_token_lifetime: i64,
    #[serde(default = "default_client_lifetime")]
    pub client_token_lifetime: i64,
    #[serde(default = "default_refresh_lifetime")]
    pub refresh_token_lifetime: i64,
}

fn default_algorithm() -> String {
    "RS256".into()
}
fn default_audience() -> String {
    "account".into()
}
fn default_user_lifetime() -> i64 {
    3600
}
fn default_client_lifetime() -> i64 {
    300
}
fn default_refresh_lifetime() -> i64 {
    86400
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFixture {
    pub name: String,
    #[serde(default)]
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgFixture {
    pub id: i64,
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    pub email: String,
    pub name: String,
    pub password: String,
    pub org: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyFixture {
    pub user: String,
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub realm: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OauthAppFixture {
    pub org: String,
    #[serde(default)]
    pub created_by: Option<String>,
    pub name: String,
    pub client_id: String,
    pub app_type: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub realm: Option<String>,
    #[serde(default)]
    pub callback: Vec<String>,
    #[serde(default)]
    pub origin: Vec<String>,
    #[serde(default)]
    pub logout: Vec<String>,
}

impl Fixtures {
    /// Reads and checks a fixture file, or the built-in defaults when `path` is `None`.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let (name, text) = match path {
            Some(p) => (
                p.display().to_string(),
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read fixture file {}", p.display()))?,
            ),
            None => (
                "built-in fixtures/default.toml".to_owned(),
                DEFAULT_FIXTURES.to_owned(),
            ),
        };
        Self::parse(&text).with_context(|| format!("bad fixture file {name}"))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let fixtures: Fixtures = toml::from_str(text)?;
        fixtures.check()?;
        Ok(fixtures)
    }

    fn realm_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.realms.iter().map(|r| r.name.as_str()).collect();
        if !names.contains(&DEFAULT_REALM) {
            names.push(DEFAULT_REALM);
        }
        names
    }

    /// Every cross-reference and value, with the entry named in the error.
    fn check(&self) -> anyhow::Result<()> {
        for (i, r) in self.realms.iter().enumerate() {
            check_realm_name(&r.name).with_context(|| format!("realms[{i}] ({})", r.name))?;
            r.algorithm
                .parse::<KeyAlgorithm>()
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("realms[{i}] ({})", r.name))?;
            for (field, v) in [
                ("user_token_lifetime", r.user_token_lifetime),
                ("client_token_lifetime", r.client_token_lifetime),
                ("refresh_token_lifetime", r.refresh_token_lifetime),
            ] {
                if v <= 0 {
                    bail!("realms[{i}] ({}): {field} must be positive", r.name);
                }
            }
        }
        let roles: HashSet<&str> = self.roles.iter().map(|r| r.name.as_str()).collect();
        for (i, r) in self.roles.iter().enumerate() {
            if let Some(bad) = r.permissions.iter().find(|p| !permission::is_known(p)) {
                bail!(
                    "roles[{i}] ({}): unknown permission '{bad}' (known: *, {})",
                    r.name,
                    permission::ALL_PERMISSIONS.join(", ")
                );
            }
        }
        let orgs: HashSet<&str> = self.orgs.iter().map(|o| o.domain.as_str()).collect();
        let mut emails = HashSet::new();
        for (i, u) in self.users.iter().enumerate() {
            let at = || format!("users[{i}] ({})", u.email);
            if !u.email.contains('@') {
                bail!("{}: email must contain @", at());
            }
            if !emails.insert(u.email.to_lowercase()) {
                bail!("{}: duplicate email", at());
            }
            if !orgs.contains(u.org.as_str()) {
                bail!("{}: unknown org '{}'", at(), u.org);
            }
            if let Some(bad) = u.roles.iter().find(|r| !roles.contains(r.as_str())) {
                bail!("{}: unknown role '{bad}'", at());
            }
        }
        let realms = self.realm_names();
        let mut client_ids = HashSet::new();
        for (i, k) in self.api_keys.iter().enumerate() {
            let at = || format!("api_keys[{i}] ({})", k.client_id);
            if !emails.contains(&k.user.to_lowercase()) {
                bail!("{}: unknown user '{}'", at(), k.user);
            }
            if !client_ids.insert(k.client_id.as_str()) {
                bail!("{}: duplicate client_id", at());
            }
            check_realm_ref(&realms, k.realm.as_deref()).with_context(at)?;
        }
        for (i, a) in self.oauth_apps.iter().enumerate() {
            let at = || format!("oauth_apps[{i}] ({})", a.client_id);
            if !orgs.contains(a.org.as_str()) {
                bail!("{}: unknown org '{}'", at(), a.org);
            }
            if let Some(u) = a
                .created_by
                .as_ref()
                .filter(|u| !emails.contains(&u.to_lowercase()))
            {
                bail!("{}: unknown user '{u}' in created_by", at());
            }
            if !client_ids.insert(a.client_id.as_str()) {
                bail!("{}: duplicate client_id", at());
            }
            let app_type: AppType = a.app_type.parse().with_context(at)?;
            if app_type.allows_client_credentials() && a.created_by.is_none() {
                bail!("{}: a {app_type} app acts for a user: set created_by", at());
            }
            if app_type.is_confidential() != a.client_secret.is_some() {
                bail!(
                    "{}: app_type {} {} a client_secret",
                    at(),
                    app_type,
                    if app_type.is_confidential() {
                        "needs"
                    } else {
                        "must not have"
                    }
                );
            }
            check_realm_ref(&realms, a.realm.as_deref()).with_context(at)?;
            for (uri_type, uris) in a.uris() {
                for uri in uris {
                    redirect_uri::validate(uri, uri_type)
                        .map_err(anyhow::Error::msg)
                        .with_context(at)?;
                }
            }
        }
        Ok(())
    }

    /// Writes the fixtures into the database and makes sure every realm has a key.
    pub async fn apply(&self, db: &Db, keys: &KeyRing, now: i64) -> anyhow::Result<()> {
        let mut realms: Vec<Realm> = self.realms.iter().map(RealmFixture::to_realm).collect();
        if !realms.iter().any(|r| r.name == DEFAULT_REALM) {
            realms.push(RealmFixture::named(DEFAULT_REALM).to_realm());
        }
        for realm in &realms {
            store::realms::insert_if_missing(db, realm, now).await?;
            let algorithm = realm.algorithm.parse().map_err(anyhow::Error::msg)?;
            keys.ensure(db, &realm.name, algorithm, now);
        }
        for role in &self.roles {
            store::roles::insert_if_missing(db, &role.name, &role.permissions).await?;
        }
        for org in &self.orgs {
            store::orgs::insert_if_missing(db, org.id, &org.name, &org.domain).await?;
        }
        for user in &self.users {
            self.apply_user(db, user, now).await?;
        }
        for key in &self.api_keys {
            apply_api_key(db, key, now).await?;
        }
        for app in &self.oauth_apps {
            apply_oauth_app(db, app, now).await?;
        }
        Ok(())
    }

    async fn apply_user(&self, db: &Db, user: &UserFixture, now: i64) -> anyhow::Result<()> {
        if store::users::exists(db, &user.email).await? {
            return Ok(());
        }
        let org = store::orgs::by_domain(db, &user.org)
            .await?
            .with_context(|| format!("org {} missing", user.org))?;
        let password = user.password.clone();
        let password_hash = match built_in_hash(&user.email, &password) {
            Some(hash) => hash.to_owned(),
            None => tokio::task::spawn_blocking(move || hash_password(&password)).await??,
        };
        let subject = uuid::Uuid::new_v4().to_string();
        store::users::insert_if_missing(
            db,
            NewUser {
                subject: &subject,
                org_id: org.id,
                email: &user.email,
                name: &user.name,
                password_hash: &password_hash,
                active: user.active,
                roles: &user.roles,
                now,
            },
        )
        .await?;
        Ok(())
    }
}

include!(concat!(env!("OUT_DIR"), "/password_hashes.rs"));

/// The build-time hash of a built-in fixture user's password, when the fixture in use still
/// has that user with that password.
fn built_in_hash(email: &str, password: &str) -> Option<&'static str> {
    BUILT_IN_PASSWORD_HASHES
        .iter()
        .find(|(e, p, _)| *e == email && *p == password)
        .map(|(_, _, hash)| *hash)
}

impl RealmFixture {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            algorithm: default_algorithm(),
            audience: default_audience(),
            user_token_lifetime: default_user_lifetime(),
            client_token_lifetime: default_client_lifetime(),
            refresh_token_lifetime: default_refresh_lifetime(),
        }
    }

    pub fn to_realm(&self) -> Realm {
        Realm {
            name: self.name.clone(),
            algorithm: self.algorithm.clone(),
            audience: self.audience.clone(),
            user_token_lifetime: self.user_token_lifetime,
            client_token_lifetime: self.client_token_lifetime,
            refresh_token_lifetime: self.refresh_token_lifetime,
            throwaway: false,
        }
    }
}

impl OauthAppFixture {
    fn uris(&self) -> [(UriType, &Vec<String>); 3] {
        [
            (UriType::Callback, &self.callback),
            (UriType::Origin, &self.origin),
            (UriType::Logout, &self.logout),
        ]
    }
}

/// Realm names go into URLs and issuers: keep them to a URL-safe alphabet.
pub fn check_realm_name(name: &str) -> anyhow::Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if !ok {
        bail!("realm name must be 1-64 characters of letters, digits, '-', '_' or '.'");
    }
    Ok(())
}

fn check_realm_ref(realms: &[&str], realm: Option<&str>) -> anyhow::Result<()> {
    match realm {
        Some(r) if !realms.contains(&r) => bail!("unknown realm '{r}'"),
        _ => Ok(()),
    }
}

async fn apply_api_key(db: &Db, key: &ApiKeyFixture, now: i64) -> anyhow::Result<()> {
    if store::clients::by_client_id(db, &key.client_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let user = store::users::by_email(db, &key.user)
        .await?
        .with_context(|| format!("user {} missing", key.user))?;
    crate::api_keys::create(
        db,
        crate::api_keys::KeyRequest {
            user: &user,
            realm: key.realm.as_deref().unwrap_or(DEFAULT_REALM),
            credentials: Some((
                key.client_id.clone(),
                Secret::new(key.client_secret.clone()),
            )),
            ceiling: None,
            now,
        },
    )
    .await?;
    Ok(())
}

async fn apply_oauth_app(db: &Db, app: &OauthAppFixture, now: i64) -> anyhow::Result<()> {
    let org = store::orgs::by_domain(db, &app.org)
        .await?
        .with_context(|| format!("org {} missing", app.org))?;
    let creator = match &app.created_by {
        Some(email) => store::users::by_email(db, email).await?.map(|u| u.id),
        None => None,
    };
    let secret_hash = app
        .client_secret
        .as_ref()
        .map(|s| Secret::new(s.clone()).hash());
    let inserted = store::clients::insert(
        db,
        &NewClient {
            client_id: &app.client_id,
            realm: app.realm.as_deref().unwrap_or(DEFAULT_REALM),
            org_id: org.id,
            kind: store::clients::KIND_OAUTH_APP,
            name: &app.name,
            app_type: &app.app_type,
            secret_hash: secret_hash.as_deref(),
            user_id: creator,
            etag: &random_token(12),
            now,
        },
    )
    .await?;
    if let Some(pk) = inserted {
        for (uri_type, uris) in app.uris() {
            for uri in uris {
                store::redirect_uris::add(db, pk, uri, uri_type.as_str()).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_password_hash_verifies_its_password_and_no_other() {
        let f = Fixtures::parse(DEFAULT_FIXTURES).unwrap();
        for user in &f.users {
            let hash = built_in_hash(&user.email, &user.password).expect("hashed at build time");
            assert!(
                crate::domain::secret::verify_password(&user.password, hash),
                "{}",
                user.email
            );
            assert!(
                !crate::domain::secret::verify_password("wrong", hash),
                "{}",
                user.email
            );
        }
        assert_eq!(built_in_hash("admin@acme.test", "changed"), None);
    }

    #[test]
    fn the_default_fixtures_are_valid() {
        let f = Fixtures::parse(DEFAULT_FIXTURES).unwrap();
        assert_eq!(f.users.len(), 4);
        assert_eq!(f.oauth_apps.len(), 2);
    }

    #[test]
    fn a_bad_fixture_names_the_entry_and_the_problem() {
        let cases = [
            (
                "[[orgs]]\nid=1\nname='A'\ndomain='a'\n[[users]]\nemail='x@a'\nname='X'\npassword='p'\norg='nope'\n",
                "users[0] (x@a): unknown org 'nope'",
            ),
            (
                "[[roles]]\nname='r'\npermissions=['Fly']\n",
                "roles[0] (r): unknown permission 'Fly'",
            ),
            (
                "[[orgs]]\nid=1\nname='A'\ndomain='a'\n[[oauth_apps]]\norg='a'\nname='n'\nclient_id='c'\napp_type='web'\n",
                "oauth_apps[0] (c)",
            ),
            ("[[users]]\nemail=3\n", "invalid type"),
            ("[[bogus]]\n", "unknown field"),
        ];
        for (text, expected) in cases {
            let err = format!("{:#}", Fixtures::parse(text).unwrap_err());
            assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        }
    }
}
