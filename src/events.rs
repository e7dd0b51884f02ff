//! A bounded, in-memory log of token events, newest last, for `/mock/events`.

use crate::tokens::jwt::peek_claims;
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Mutex;

const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Issued,
    Refreshed,
    Revoked,
    Rejected,
    Fault,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: i64,
    pub kind: EventKind,
    pub realm: Option<String>,
    pub client_id: Option<String>,
    pub user: Option<String>,
    pub jti: Option<String>,
    pub reason: Option<String>,
}

impl Event {
    /// An event about a presented token, with realm, client, user and `jti` read from its
    /// claims as written, unverified.
    pub fn about_token(
        at: i64,
        kind: EventKind,
        token: Option<&str>,
        reason: Option<String>,
    ) -> Self {
        let claims = token.and_then(peek_claims).unwrap_or_default();
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        Self {
            at,
            kind,
            realm: text("iss").and_then(|iss| {
                iss.rsplit_once("/realms/")
                    .map(|(_, realm)| realm.to_owned())
            }),
            client_id: text("azp").or_else(|| text("client_id")),
            user: text("email").or_else(|| text("preferred_username")),
            jti: text("jti"),
            reason,
        }
    }
}

#[derive(Debug, Default)]
pub struct EventLog {
    events: Mutex<VecDeque<Event>>,
}

impl EventLog {
    pub fn record(&self, event: Event) {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if events.len() == CAPACITY {
            events.pop_front();
        }
        events.push_back(event);
    }

    /// Newest first, filtered by client and user.
    pub fn recent(&self, client_id: Option<&str>, user: Option<&str>, limit: usize) -> Vec<Event> {
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events
            .iter()
            .rev()
            .filter(|e| client_id.is_none_or(|c| e.client_id.as_deref() == Some(c)))
            .filter(|e| user.is_none_or(|u| e.user.as_deref() == Some(u)))
            .take(limit)
            .cloned()
            .collect()
    }

    /// A refused token, attributed from what it claims (it may be forged: for the log only).
    pub fn rejected(&self, at: i64, token: Option<&str>, reason: &str) {
        self.record(Event::about_token(
            at,
            EventKind::Rejected,
            token,
            Some(reason.to_owned()),
        ));
    }

    pub fn clear(&self) {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(client: &str) -> Event {
        Event {
            at: 0,
            kind: EventKind::Issued,
            realm: None,
            client_id: Some(client.into()),
            user: None,
            jti: None,
            reason: None,
        }
    }

    #[test]
    fn the_log_keeps_only_the_newest_events() {
        let log = EventLog::default();
        for i in 0..CAPACITY + 5 {
            log.record(event(&i.to_string()));
        }
        let all = log.recent(None, None, usize::MAX);
        assert_eq!(all.len(), CAPACITY);
        assert_eq!(
            all[0].client_id.as_deref(),
            Some((CAPACITY + 4).to_string().as_str())
        );
    }

    #[test]
    fn events_filter_by_client() {
        let log = EventLog::default();
        log.record(event("a"));
        log.record(event("b"));
        assert_eq!(log.recent(Some("a"), None, 10).len(), 1);
    }
}
