//! Answers of the hot read queries (realm, client, user, permissions, revocation), kept until
//! the database next commits a write.
//!
//! Each query through sqlx's SQLite driver is a round trip to the connection's worker thread,
//! which costs more than signing a token on a busy two-core machine. SQLite's commit hook
//! bumps a generation on every committed write transaction (reads do not fire it), and an
//! answer is reused only while the generation it was read under is still current.
//!
//! Only for in-memory databases: their pool has one connection, so a read that saw a new
//! generation runs after the commit that bumped it, and can never cache data from before it.
//! With several connections to a file the hook fires just before the commit becomes visible
//! to the others, so a file database always reads through.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Past this many answers the cache starts again, so memory stays bounded however many
/// clients or tokens come by.
const CAPACITY: usize = 10_000;

type Entry = (u64, Box<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct ReadCache {
    enabled: bool,
    generation: Arc<AtomicU64>,
    entries: Mutex<HashMap<(&'static str, String), Entry>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("enabled", &self.enabled)
            .field("generation", &self.generation)
            .field("entries", &self.lock().len())
            .finish()
    }
}

impl ReadCache {
    /// Caching for in-memory databases (see the module doc); reads through otherwise.
    pub fn for_database(url: &str) -> Self {
        Self {
            enabled: super::is_in_memory(url),
            ..Self::default()
        }
    }

    /// The generation, for the commit hook of every connection to bump: each committed write
    /// makes every answer read so far stale.
    pub(super) fn write_counter(&self) -> Arc<AtomicU64> {
        self.generation.clone()
    }

    /// The answer to `kind`/`key` read under the current generation, or `load`'s.
    pub async fn get_or_load<T, Fut>(
        &self,
        kind: &'static str,
        key: String,
        load: impl FnOnce() -> Fut,
    ) -> sqlx::Result<T>
    where
        T: Clone + Send + Sync + 'static,
        Fut: Future<Output = sqlx::Result<T>>,
    {
        if !self.enabled {
            return load().await;
        }
        // Read before the query: a write committed meanwhile makes this answer stale at once.
        let generation = self.generation.load(Ordering::Acquire);
        let key = (kind, key);
        if let Some((at, value)) = self.lock().get(&key)
            && *at == generation
            && let Some(value) = value.downcast_ref::<T>()
        {
            return Ok(value.clone());
        }
        let value = load().await?;
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, (generation, Box::new(value.clone())));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(&'static str, String), Entry>> {
        // A panic elsewhere while holding the lock leaves nothing half-written here.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled() -> ReadCache {
        ReadCache::for_database("sqlite::memory:")
    }

    #[tokio::test]
    async fn an_answer_is_reused_until_a_write_is_committed() {
        let cache = enabled();
        let read = |v: i64| cache.get_or_load("n", "k".into(), move || async move { Ok(v) });
        assert_eq!(read(1).await.unwrap(), 1);
        assert_eq!(read(2).await.unwrap(), 1, "cached");
        cache.write_counter().fetch_add(1, Ordering::AcqRel);
        assert_eq!(read(3).await.unwrap(), 3, "stale after a write");
    }

    #[tokio::test]
    async fn a_file_database_always_reads_through() {
        let cache = ReadCache::for_database("sqlite://x.db");
        let read = |v: i64| cache.get_or_load("n", "k".into(), move || async move { Ok(v) });
        assert_eq!(read(1).await.unwrap(), 1);
        assert_eq!(read(2).await.unwrap(), 2);
    }
}
