//! The supervisor's work queue: what waits for this person, and verifying several events at
//! once — each checked by the policy and written in its own audited transaction, so one refusal
//! (an entry they recorded, a figure changed meanwhile) costs only itself.

use chrono::{DateTime, Utc};

use super::Refused;
use super::agreements as agreement_service;
use super::events::{self, EventError};
use crate::audit::Actor;
use crate::db::{self, DbConn};
use crate::domain::ids::EventId;
use crate::domain::policy::{self, Denied, Principal};

/// How far the navigation counts before it says "99+" (it is asked on every page a supervisor
/// opens, so it reads at most this many rows).
pub const COUNT_CAP: i64 = 99;

/// What waits for `who`: pending events of their posts they may verify, and agreements awaiting
/// their confirmation (capped at [`COUNT_CAP`] + 1).
pub fn waiting_count(conn: &mut DbConn, who: &Principal) -> diesel::QueryResult<i64> {
    let Some(user) = who.user else {
        return Ok(0);
    };
    let events = db::queue::verifiable_count(conn, who.scope(), user, COUNT_CAP)?;
    let mut agreements = 0;
    for a in db::queue::awaiting_confirmation(conn, who.scope())? {
        let covered = agreement_service::covered_posts(conn, a.id)?;
        if policy::confirm_agreement(who, &agreement_service::facts(&a, &covered)).is_ok() {
            agreements += 1;
        }
    }
    Ok((events + agreements).min(COUNT_CAP + 1))
}

/// Why one event of a batch was not verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// The policy refused it (they recorded it, made its latest change, or it is not theirs to
    /// see).
    Denied(Denied),
    /// Someone changed it after the queue was shown.
    ChangedMeanwhile,
    /// It is no longer pending, or its day is closed.
    NotVerifiable,
    /// The database failed on it; it stays pending (those before it are verified).
    Failed,
}

impl Skipped {
    /// A stable message id for the answer, short enough to list ("you recorded it").
    pub fn key(self) -> &'static str {
        match self {
            Self::Denied(Denied::RecordedIt) => "queue-you-recorded",
            Self::Denied(Denied::ChangedIt) => "queue-you-changed",
            Self::Denied(_) => "skipped-not-allowed",
            Self::ChangedMeanwhile => "skipped-changed-meanwhile",
            Self::NotVerifiable => "skipped-not-verifiable",
            Self::Failed => "skipped-failed",
        }
    }
}

/// What a batch verification did.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// Events verified.
    pub verified: Vec<EventId>,
    /// Events left as they were, and why.
    pub skipped: Vec<(EventId, Skipped)>,
}

/// Verifies each of `events` (id and the version the queue showed) on its own. A database
/// failure on one is reported as that event skipped (it was rolled back; those before it stay
/// verified), so the answer always says what was done.
pub fn verify_each(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    events: &[(EventId, i32)],
) -> BatchOutcome {
    let mut outcome = BatchOutcome::default();
    for &(id, version) in events {
        match events::verify(conn, actor, who, now, id, version) {
            Ok(_) => outcome.verified.push(id),
            Err(EventError::Stale(_)) => outcome.skipped.push((id, Skipped::ChangedMeanwhile)),
            Err(EventError::Refused(Refused::Forbidden(d))) => {
                outcome.skipped.push((id, Skipped::Denied(d)));
            }
            Err(EventError::Refused(Refused::NotFound)) => {
                outcome
                    .skipped
                    .push((id, Skipped::Denied(Denied::NotFound)));
            }
            Err(EventError::Refused(Refused::Invalid(_))) => {
                outcome.skipped.push((id, Skipped::NotVerifiable));
            }
            Err(EventError::Refused(Refused::Storage(e))) => {
                tracing::error!(event = %id, error = %e, "batch verify: one event failed");
                outcome.skipped.push((id, Skipped::Failed));
            }
            Err(EventError::Duplicate(_) | EventError::Unchanged) => {
                outcome.skipped.push((id, Skipped::NotVerifiable));
            }
        }
    }
    outcome
}
