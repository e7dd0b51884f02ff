//! Every live signing key, parsed once and shared; the database is the source of truth.

use super::keys::{KeyAlgorithm, SigningKey};
use crate::domain::secret::random_token;
use crate::store::{self, Db, keys::StoredKey};
use anyhow::Context;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Debug, Default)]
pub struct KeyRing {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Live keys of each realm, oldest first; the last one signs.
    by_realm: HashMap<String, Vec<Arc<SigningKey>>>,
    by_kid: HashMap<String, Arc<SigningKey>>,
}

impl Inner {
    fn add(&mut self, key: Arc<SigningKey>) {
        self.by_kid.insert(key.kid.clone(), key.clone());
        self.by_realm
            .entry(key.realm.clone())
            .or_default()
            .push(key);
    }
}

impl KeyRing {
    /// Loads every live key from the database.
    pub async fn load(db: &Db) -> anyhow::Result<Self> {
        let mut inner = Inner::default();
        for stored in store::keys::live(db)
            .await
            .context("loading signing keys")?
        {
            inner.add(Arc::new(parse(&stored)?));
        }
        Ok(Self {
            inner: RwLock::new(inner),
        })
    }

    /// The key that signs new tokens of a realm.
    pub fn signer(&self, realm: &str) -> Option<Arc<SigningKey>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .by_realm
            .get(realm)
            .and_then(|keys| keys.last().cloned())
    }

    /// A live key by `kid`; retired and unknown keys are both `None`.
    pub fn find(&self, kid: &str) -> Option<Arc<SigningKey>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.by_kid.get(kid).cloned()
    }

    /// The realm's JWKS document (RFC 7517 section 5).
    pub fn jwks(&self, realm: &str) -> Value {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let keys: Vec<&Value> = inner
            .by_realm
            .get(realm)
            .map(|keys| keys.iter().rev().map(|k| k.jwk()).collect())
            .unwrap_or_default();
        json!({ "keys": keys })
    }

    /// Makes sure a realm has a signing key, generating and storing one if it has none.
    pub async fn ensure(
        &self,
        db: &Db,
        realm: &str,
        algorithm: KeyAlgorithm,
        now: i64,
    ) -> anyhow::Result<()> {
        if self.signer(realm).is_some() {
            return Ok(());
        }
        self.rotate(db, realm, algorithm, false, now)
            .await
            .map(|_| ())
    }

    /// Adds a new signing key to a realm; older keys stay in the JWKS unless retired.
    pub async fn rotate(
        &self,
        db: &Db,
        realm: &str,
        algorithm: KeyAlgorithm,
        retire_previous: bool,
        now: i64,
    ) -> anyhow::Result<String> {
        let kid = random_token(16);
        let (key, der) = tokio::task::spawn_blocking({
            let (kid, realm) = (kid.clone(), realm.to_owned());
            move || SigningKey::generate(kid, realm, algorithm)
        })
        .await
        .context("key generation task")??;
        let stored = StoredKey {
            kid: kid.clone(),
            realm: realm.to_owned(),
            algorithm: algorithm.as_str().to_owned(),
            private_der: der,
            created_at: now,
            retired_at: None,
        };
        store::keys::insert(db, &stored)
            .await
            .context("storing signing key")?;
        if retire_previous {
            store::keys::retire_all_but(db, realm, &kid, now)
                .await
                .context("retiring signing keys")?;
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if retire_previous {
            for old in inner.by_realm.remove(realm).unwrap_or_default() {
                inner.by_kid.remove(&old.kid);
            }
        }
        inner.add(Arc::new(key));
        Ok(kid)
    }

    /// Retires every key of a realm but the one that signs, so the tokens they signed stop
    /// verifying; returns the retired `kid`s.
    pub async fn retire_previous(
        &self,
        db: &Db,
        realm: &str,
        now: i64,
    ) -> anyhow::Result<Vec<String>> {
        let Some(current) = self.signer(realm) else {
            return Ok(Vec::new());
        };
        store::keys::retire_all_but(db, realm, &current.kid, now)
            .await
            .context("retiring signing keys")?;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut retired = Vec::new();
        for key in inner.by_realm.remove(realm).unwrap_or_default() {
            if key.kid == current.kid {
                inner.add(key);
            } else {
                inner.by_kid.remove(&key.kid);
                retired.push(key.kid.clone());
            }
        }
        Ok(retired)
    }

    /// Forgets a realm's keys (the rows go with the realm).
    pub fn forget_realm(&self, realm: &str) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        for old in inner.by_realm.remove(realm).unwrap_or_default() {
            inner.by_kid.remove(&old.kid);
        }
    }
}

fn parse(stored: &StoredKey) -> anyhow::Result<SigningKey> {
    let algorithm: KeyAlgorithm = stored
        .algorithm
        .parse()
        .map_err(|e: String| anyhow::anyhow!("key {}: {e}", stored.kid))?;
    SigningKey::from_der(
        stored.kid.clone(),
        stored.realm.clone(),
        algorithm,
        &stored.private_der,
    )
    .with_context(|| format!("key {} of realm {}", stored.kid, stored.realm))
}
