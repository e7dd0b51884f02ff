//! Injected failures: a table of armed faults, consulted by one middleware ([`inject`]) in
//! front of the realm endpoints and `/graphql`. A fault fires for the next `count` matching
//! requests or until a wall-clock deadline, then disarms itself.

pub mod endpoint;
pub mod inject;

pub use endpoint::Endpoint;
use serde::Serialize;
use std::sync::Mutex;

#[derive(Debug, Clone, Serialize)]
pub struct Fault {
    pub id: String,
    pub endpoint: Endpoint,
    /// Only requests to this realm; every realm when `None`.
    pub realm: Option<String>,
    /// Only requests naming this client; every client when `None`.
    pub client_id: Option<String>,
    /// Shots left; `None` fires until `until_ms`.
    pub remaining: Option<u64>,
    /// Real (wall-clock) milliseconds after which the fault is gone.
    pub until_ms: Option<i64>,
    /// The HTTP status to answer with; `None` only delays the request.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub delay_ms: u64,
}

impl Fault {
    fn is_live(&self, now_ms: i64) -> bool {
        self.remaining != Some(0) && self.until_ms.is_none_or(|until| now_ms < until)
    }

    /// The endpoint and realm filters, which every request can be checked against cheaply.
    fn aims_at(&self, endpoint: Endpoint, realm: Option<&str>) -> bool {
        self.endpoint == endpoint && self.realm.as_deref().is_none_or(|r| Some(r) == realm)
    }

    fn matches(&self, endpoint: Endpoint, realm: Option<&str>, client_id: Option<&str>) -> bool {
        self.aims_at(endpoint, realm)
            && self
                .client_id
                .as_deref()
                .is_none_or(|c| Some(c) == client_id)
    }
}

#[derive(Debug, Default)]
pub struct FaultTable {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    armed: Vec<Fault>,
}

impl FaultTable {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Arms a fault (its `id` is assigned here) and returns its id.
    pub fn arm(&self, mut fault: Fault) -> String {
        let mut inner = self.lock();
        inner.next_id += 1;
        fault.id = format!("fault-{}", inner.next_id);
        let id = fault.id.clone();
        inner.armed.push(fault);
        id
    }

    /// The faults still armed, oldest first.
    pub fn list(&self, now_ms: i64) -> Vec<Fault> {
        let mut inner = self.lock();
        inner.armed.retain(|f| f.is_live(now_ms));
        inner.armed.clone()
    }

    pub fn clear(&self) {
        self.lock().armed.clear();
    }

    /// `false` when no armed fault has that id.
    pub fn disarm(&self, id: &str) -> bool {
        let mut inner = self.lock();
        let before = inner.armed.len();
        inner.armed.retain(|f| f.id != id);
        inner.armed.len() != before
    }

    /// Whether any live fault could fire for this endpoint, and whether deciding needs the
    /// request's client id (which may mean reading its body): `(any, needs_client_id)`.
    pub fn interest(&self, endpoint: Endpoint, realm: Option<&str>, now_ms: i64) -> (bool, bool) {
        let inner = self.lock();
        let mut aimed = inner
            .armed
            .iter()
            .filter(|f| f.is_live(now_ms) && f.aims_at(endpoint, realm))
            .peekable();
        let any = aimed.peek().is_some();
        (any, aimed.any(|f| f.client_id.is_some()))
    }

    /// Takes one shot of the oldest live fault matching the request, under one lock so that
    /// concurrent requests never fire a fault more than `count` times.
    pub fn fire(
        &self,
        endpoint: Endpoint,
        realm: Option<&str>,
        client_id: Option<&str>,
        now_ms: i64,
    ) -> Option<Fault> {
        let mut inner = self.lock();
        inner.armed.retain(|f| f.is_live(now_ms));
        let index = inner
            .armed
            .iter()
            .position(|f| f.matches(endpoint, realm, client_id))?;
        let fault = &mut inner.armed[index];
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining -= 1;
        }
        let fired = fault.clone();
        if fired.remaining == Some(0) {
            inner.armed.remove(index);
        }
        Some(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(count: Option<u64>, until_ms: Option<i64>, client_id: Option<&str>) -> Fault {
        Fault {
            id: String::new(),
            endpoint: Endpoint::Token,
            realm: None,
            client_id: client_id.map(str::to_owned),
            remaining: count,
            until_ms,
            status: Some(503),
            error: None,
            delay_ms: 0,
        }
    }

    #[test]
    fn a_counted_fault_fires_exactly_count_times() {
        let table = FaultTable::default();
        table.arm(fault(Some(2), None, None));
        let shots = (0..5)
            .filter(|_| table.fire(Endpoint::Token, None, None, 0).is_some())
            .count();
        assert_eq!(shots, 2);
        assert!(table.list(0).is_empty());
    }

    #[test]
    fn a_timed_fault_fires_until_its_wall_clock_deadline() {
        let table = FaultTable::default();
        table.arm(fault(None, Some(1_000), None));
        assert!(table.fire(Endpoint::Token, None, None, 999).is_some());
        assert!(table.fire(Endpoint::Token, None, None, 999).is_some());
        assert!(table.fire(Endpoint::Token, None, None, 1_000).is_none());
        assert!(table.list(1_000).is_empty());
    }

    #[test]
    fn a_client_fault_spares_other_clients_and_other_endpoints() {
        let table = FaultTable::default();
        table.arm(fault(Some(1), None, Some("a")));
        assert_eq!(table.interest(Endpoint::Token, None, 0), (true, true));
        assert!(table.fire(Endpoint::Token, None, Some("b"), 0).is_none());
        assert!(table.fire(Endpoint::Certs, None, Some("a"), 0).is_none());
        assert!(table.fire(Endpoint::Token, None, Some("a"), 0).is_some());
        assert_eq!(table.interest(Endpoint::Token, None, 0), (false, false));
    }
}
