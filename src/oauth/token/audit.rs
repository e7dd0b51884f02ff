//! Token events for `/mock/events`, recorded the same way by every grant.

use crate::events::{Event, EventKind};
use crate::oauth::error::OAuthError;
use crate::state::AppState;

pub struct Audit<'a> {
    pub state: &'a AppState,
    pub realm: &'a str,
    pub client_id: &'a str,
}

impl Audit<'_> {
    pub fn record(
        &self,
        kind: EventKind,
        user: Option<&str>,
        jti: Option<&str>,
        reason: Option<String>,
    ) {
        self.state.events.record(Event {
            at: self.state.clock.now(),
            kind,
            realm: Some(self.realm.to_owned()),
            client_id: Some(self.client_id.to_owned()),
            user: user.map(str::to_owned),
            jti: jti.map(str::to_owned),
            reason,
        });
    }

    /// Records a refusal with its reason; server errors are logged, not recorded.
    pub fn rejected<T>(&self, result: Result<T, OAuthError>) -> Result<T, OAuthError> {
        if let Err(e) = &result
            && !matches!(e, OAuthError::Unexpected(_) | OAuthError::Unavailable(_))
        {
            self.record(EventKind::Rejected, None, None, Some(e.to_string()));
        }
        result
    }
}
