//! Revoking every token of a subject issued up to now, or of a grant for good.

use crate::state::AppState;
use crate::store;
use std::time::Duration;

/// Revokes every token of `scope`/`subject` issued up to and including this millisecond
/// (token ids carry their millisecond, so one issued in it may predate the call), then waits
/// for that millisecond to pass, so a token issued after this returns is never caught.
pub async fn revoke_issued_until_now(
    state: &AppState,
    scope: &str,
    subject: &str,
) -> sqlx::Result<()> {
    let before_ms = state.clock.real_ms() + 1;
    store::revocations::revoke_all_of(&state.db, scope, subject, before_ms).await?;
    while state.clock.real_ms() < before_ms {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

/// Revokes every token of a grant, those issued from now on included: a replayed code or a
/// reused refresh token means the grant is compromised, and a token issued to a racing
/// request a moment after the replay was noticed is as much "issued from it" as an older one.
pub async fn revoke_grant_for_good(state: &AppState, grant_id: &str) -> sqlx::Result<()> {
    store::revocations::revoke_all_of(&state.db, "grant", grant_id, i64::MAX).await
}
