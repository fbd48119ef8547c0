//! Closing and reopening a post's day: one audited transaction each, under the post's lock
//! (DESIGN.md §3, PostDay). A closed day's events change only after a supervisor reopens it.

use chrono::{DateTime, NaiveDate, Utc};

use super::events::{EventError, local_day, zone_of};
use super::{Refused, ScopedPost};
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::events as stored;
use crate::db::ledger;
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::FieldError;
use crate::domain::event::{Category, bounded_text};
use crate::domain::ids::UserId;
use crate::domain::policy::{self, Principal};

fn day_entry(action: Action, post: &Post, day: NaiveDate, details: Details) -> Entry {
    Entry {
        action,
        entity: "post_day",
        entity_id: format!("{}/{day}", post.code),
        post: Some(post.code.clone()),
        details,
    }
}

fn refuse(error: FieldError) -> EventError {
    EventError::Refused(Refused::field(error))
}

/// Closes `day` at the locked `post` as `closer` and records its entry: refused when the day has
/// not begun, is closed already, or holds pending events.
fn close_one(
    w: &mut audit::Writer<'_>,
    post: &Post,
    day: NaiveDate,
    closer: UserId,
    today: NaiveDate,
) -> Result<(), EventError> {
    if day > today {
        return Err(refuse(
            FieldError::new(
                "day",
                "day-in-future",
                "A day can be closed once it has begun.",
            )
            .with_arg("day", day.to_string()),
        ));
    }
    if ledger::is_closed(w.conn(), post.id, day)? {
        return Err(refuse(
            FieldError::new("day", "day-already-closed", "This day is already closed.")
                .with_arg("day", day.to_string()),
        ));
    }
    let pending = stored::pending_on_day(w.conn(), post.id, day)?;
    if pending > 0 {
        return Err(refuse(
            FieldError::new(
                "day",
                "day-has-pending",
                format!("{pending} events of this day await verification."),
            )
            .with_arg("count", pending.to_string())
            .with_arg("day", day.to_string()),
        ));
    }
    let military = ledger::closing_at(w.conn(), post.id, Category::Military, day)?;
    let civilian = ledger::closing_at(w.conn(), post.id, Category::Civilian, day)?;
    ledger::close_day(w, post.id, day, closer, military, civilian)?;
    let details = Details::new()
        .change("closed", false, true)
        .fact("military_closing", military)
        .fact("civilian_closing", civilian);
    w.record(day_entry(Action::DayClose, post, day, details))?;
    Ok(())
}

/// Closes a post's day: its events become read-only and its closing balances are recorded. A day
/// that has not begun, or still holds pending events, is refused.
pub fn close(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    day: NaiveDate,
) -> Result<(), EventError> {
    policy::close_or_reopen_day(who, post.id)?;
    let closer = super::events::account(who)?;
    audit::write(conn, actor, now, |w| {
        let post = &db::posts::lock(w, post.id)?.ok_or(Refused::NotFound)?;
        let today = local_day(now, zone_of(post));
        close_one(w, post, day, closer, today)
    })
}

/// The most days one request closes (a post with years of open days closes them in steps).
pub const CLOSE_AT_ONCE: i64 = 366;

/// Closes every open day of `post` with events, oldest first, up to `to`, in one transaction,
/// each with its own audit entry; returns the days closed. The first day that holds a pending
/// event (or has not begun) refuses the whole request, naming that day: nothing is closed.
pub fn close_up_to(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>, EventError> {
    policy::close_or_reopen_day(who, post.id)?;
    let closer = super::events::account(who)?;
    audit::write_each(conn, actor, now, |w| {
        let stored_post = db::posts::lock(w, post.id)?.ok_or(Refused::NotFound)?;
        let today = local_day(now, zone_of(&stored_post));
        let days: Vec<NaiveDate> = db::queue::open_days(w.conn(), post, to, CLOSE_AT_ONCE)?
            .into_iter()
            .map(|(day, _)| day)
            .collect();
        if days.is_empty() {
            return Err(refuse(
                FieldError::new(
                    "to",
                    "days-none-open",
                    "No open day with events up to then.",
                )
                .with_arg("day", to.to_string()),
            ));
        }
        for day in &days {
            close_one(w, &stored_post, *day, closer, today)?;
        }
        Ok(days.clone())
    })
}

/// Reopens a closed day, with a reason, so its events can be corrected.
pub fn reopen(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    day: NaiveDate,
    reason: &str,
) -> Result<(), EventError> {
    policy::close_or_reopen_day(who, post.id)?;
    let reason = bounded_text(reason, "reason", super::events::REASON_MAX, true).map_err(refuse)?;
    audit::write(conn, actor, now, |w| {
        db::posts::lock(w, post.id)?;
        if ledger::reopen_day(w, post.id, day)? == 0 {
            return Err(refuse(
                FieldError::new("day", "day-not-closed", "This day is not closed.")
                    .with_arg("day", day.to_string()),
            ));
        }
        let details = Details::new()
            .change("closed", true, false)
            .fact("reason", reason.as_str());
        w.record(day_entry(Action::DayReopen, post, day, details))?;
        Ok(())
    })
}
