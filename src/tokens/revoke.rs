//! Revoking every token of a subject issued up to now.

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
