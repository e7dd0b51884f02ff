//! Every live signing key, parsed once and shared; the database is the source of truth.
//!
//! A realm's first RSA key takes ~100 ms to generate, which would sit on every CI job's
//! critical path; so it is generated and stored on a thread of its own while the server gets
//! ready, and the first request that needs it waits for it (once).

use super::keys::{KeyAlgorithm, SigningKey};
use crate::domain::secret::random_token;
use crate::store::{self, Db, keys::StoredKey};
use anyhow::Context;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// A realm's first key while it is being generated; `None` once generation failed.
type PendingKey = Arc<OnceLock<Option<Arc<SigningKey>>>>;

#[derive(Debug, Default)]
pub struct KeyRing {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Live keys of each realm, oldest first; the last one signs.
    by_realm: HashMap<String, Vec<Arc<SigningKey>>>,
    by_kid: HashMap<String, Arc<SigningKey>>,
    pending: HashMap<String, PendingKey>,
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
        self.settle(realm);
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .by_realm
            .get(realm)
            .and_then(|keys| keys.last().cloned())
    }

    /// Waits for a realm's key being generated, and makes it live.
    fn settle(&self, realm: &str) {
        let pending = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            match inner.pending.get(realm) {
                Some(slot) => slot.clone(),
                None => return,
            }
        };
        let generated = pending.wait().clone();
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        // Another waiter may have made it live already.
        if inner.pending.remove(realm).is_some()
            && let Some(key) = generated
        {
            inner.add(key);
        }
    }

    /// A live key by `kid`; retired and unknown keys are both `None`.
    pub fn find(&self, kid: &str) -> Option<Arc<SigningKey>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.by_kid.get(kid).cloned()
    }

    /// The realm's JWKS document (RFC 7517 section 5).
    pub fn jwks(&self, realm: &str) -> Value {
        self.settle(realm);
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let keys: Vec<&Value> = inner
            .by_realm
            .get(realm)
            .map(|keys| keys.iter().rev().map(|k| k.jwk()).collect())
            .unwrap_or_default();
        json!({ "keys": keys })
    }

    /// Makes sure a realm has a signing key: one with none gets one generated and stored in
    /// the background (see the module comment).
    pub fn ensure(&self, db: &Db, realm: &str, algorithm: KeyAlgorithm, now: i64) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if inner.by_realm.get(realm).is_some_and(|k| !k.is_empty())
            || inner.pending.contains_key(realm)
        {
            return;
        }
        let slot: PendingKey = Arc::default();
        inner.pending.insert(realm.to_owned(), slot.clone());
        let (db, realm) = (db.clone(), realm.to_owned());
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || match generate(&realm, algorithm, now) {
            Ok((key, stored)) => {
                // Usable at once, stored right after on the caller's runtime: a waiter may be
                // blocking a runtime thread, and must not wait for the database too.
                let _ = slot.set(Some(Arc::new(key)));
                runtime.spawn(async move {
                    if let Err(e) = store::keys::insert(&db, &stored).await {
                        tracing::error!(error = ?e, realm, "cannot store a signing key");
                    }
                });
            }
            Err(e) => {
                tracing::error!(error = ?e, realm, "cannot generate a signing key");
                let _ = slot.set(None);
            }
        });
    }

    /// Waits until every key being generated is live and stored. A short-lived process (an
    /// offline command) must not exit before the key that signed its tokens is in the
    /// database, and the background store runs on its own task.
    pub async fn flush(&self, db: &Db) -> anyhow::Result<()> {
        let pending: Vec<String> = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            inner.pending.keys().cloned().collect()
        };
        for realm in &pending {
            self.settle(realm);
        }
        let live: Vec<String> = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            inner.by_kid.keys().cloned().collect()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let stored: Vec<String> = store::keys::live(db)
                .await
                .context("reading signing keys")?
                .into_iter()
                .map(|k| k.kid)
                .collect();
            if live.iter().all(|kid| stored.contains(kid)) {
                return Ok(());
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "a new signing key was not stored within 10 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
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
        self.settle(realm);
        let (key, stored) = tokio::task::spawn_blocking({
            let realm = realm.to_owned();
            move || generate(&realm, algorithm, now)
        })
        .await
        .context("key generation task")??;
        let kid = stored.kid.clone();
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
        self.settle(realm);
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        for old in inner.by_realm.remove(realm).unwrap_or_default() {
            inner.by_kid.remove(&old.kid);
        }
    }
}

/// A new key with a fresh `kid`, and the row that stores it.
fn generate(
    realm: &str,
    algorithm: KeyAlgorithm,
    now: i64,
) -> anyhow::Result<(SigningKey, StoredKey)> {
    let kid = random_token(16);
    let (key, der) = SigningKey::generate(kid.clone(), realm.to_owned(), algorithm)?;
    let stored = StoredKey {
        kid,
        realm: realm.to_owned(),
        algorithm: algorithm.as_str().to_owned(),
        private_der: der,
        created_at: now,
        retired_at: None,
    };
    Ok((key, stored))
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
