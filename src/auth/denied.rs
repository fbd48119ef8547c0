//! Refused requests are audit events (DESIGN.md §4): who tried what, from where, and why not.

use crate::audit::{self, Action, Actor, Details, Entry};
use crate::state::AppState;

/// Records one refusal (`access.denied`). A failure to record is logged, never shown: the
/// request is refused either way.
pub async fn record(
    state: &AppState,
    actor: Actor,
    method: String,
    path: String,
    reason: &'static str,
) {
    let now = state.clock.now();
    let details = Details::new()
        .fact("method", method)
        .fact("path", path)
        .fact("reason", reason);
    let entry = Entry {
        action: Action::AccessDenied,
        entity: "request",
        entity_id: String::new(),
        post: None,
        details,
    };
    let outcome = state
        .db(move |conn| Ok(audit::record_event(conn, &actor, now, entry)?))
        .await;
    if let Err(error) = outcome {
        tracing::warn!(error = %crate::error::error_chain(&error), "could not record a refused request");
    }
}
