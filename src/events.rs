//! Recording and changing crossing events, and closing days: every operation is one audited
//! transaction that holds the post's lock, keeps the ledger in step and enforces invariants 1–4
//! and 8 of DESIGN.md §3.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use crate::audit::{self, Action, Actor, AuditError, Details, Entry};
use crate::db::events::{self as stored, EventRow, NewEvent};
use crate::db::ledger::{self, LedgerError, Refusal};
use crate::db::posts::Post;
use crate::db::{self, DbConn, events::find};
use crate::domain::agreement::AgreementStatus;
use crate::domain::event::{Category, Direction, EventFields, Status, reference};
use crate::domain::ids::{AgreementId, EventId, UserId};
use crate::domain::role::Role;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppError;

/// Who acts on events: their account and role.
#[derive(Debug, Clone, Copy)]
pub struct Clerk {
    /// The account.
    pub user: UserId,
    /// Its role.
    pub role: Role,
}

impl Clerk {
    /// The signed-in user as a clerk.
    pub fn of(who: &crate::auth::Identity) -> Self {
        Self {
            user: who.user_id,
            role: who.role,
        }
    }

    /// Supervisors and administrators verify, correct verified events, void and close days.
    pub fn supervises(self) -> bool {
        matches!(self.role, Role::Supervisor | Role::Admin)
    }
}

/// Why an event operation did not happen.
#[derive(Debug)]
pub enum EventError {
    /// Refused or failed; `Invalid` carries the messages for the form.
    App(AppError),
    /// The form was based on an older version; here is the current one.
    Stale(Box<EventRow>),
    /// This form was already submitted: the event it created.
    Duplicate(EventId),
    /// The edit changed nothing; nothing was written.
    Unchanged,
}

impl From<AppError> for EventError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

impl From<diesel::result::Error> for EventError {
    fn from(e: diesel::result::Error) -> Self {
        Self::App(e.into())
    }
}

impl From<AuditError> for EventError {
    fn from(e: AuditError) -> Self {
        Self::App(e.into())
    }
}

/// A post's zone (validated when the post was saved; UTC only if the row was tampered with).
pub fn zone_of(post: &Post) -> Tz {
    post.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// The post-local day of an instant.
pub fn local_day(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

fn invalid(error: FieldError) -> EventError {
    let mut errors = FieldErrors::new();
    errors.push(error);
    EventError::App(AppError::Invalid(errors))
}

/// The message for a ledger refusal, beside `field`.
fn refusal(post: &Post, field: &'static str, r: Refusal) -> FieldError {
    match r {
        Refusal::Shortfall {
            day,
            category,
            leaving,
            present,
        } => FieldError::new(
            field,
            "balance-shortfall",
            format!(
                "On {day} at {}, {leaving} {} would leave but only {present} are present.",
                post.code,
                category.as_str()
            ),
        )
        .with_arg("day", day.to_string())
        .with_arg("post", post.code.clone())
        .with_arg("category", category.as_str())
        .with_arg("leaving", leaving.to_string())
        .with_arg("present", present.to_string()),
        Refusal::DayClosed(day) => day_closed(post, field, day),
    }
}

fn day_closed(post: &Post, field: &'static str, day: NaiveDate) -> FieldError {
    FieldError::new(
        field,
        "day-closed",
        format!(
            "{day} is closed at {}: a supervisor must reopen it first.",
            post.code
        ),
    )
    .with_arg("day", day.to_string())
    .with_arg("post", post.code.clone())
}

fn ledger_error(post: &Post, field: &'static str, e: LedgerError) -> EventError {
    match e {
        LedgerError::Refused(r) => invalid(refusal(post, field, r)),
        LedgerError::Db(e) => e.into(),
    }
}

/// Re-derives the ledger for the days an event left and entered.
fn rebalance(
    w: &mut audit::Writer<'_>,
    post: &Post,
    field: &'static str,
    touched: &[(Category, NaiveDate)],
) -> Result<(), EventError> {
    for category in Category::ALL {
        let days: Vec<NaiveDate> = touched
            .iter()
            .filter(|(c, _)| *c == category)
            .map(|(_, d)| *d)
            .collect();
        if !days.is_empty() {
            ledger::apply(w, post.id, category, &days).map_err(|e| ledger_error(post, field, e))?;
        }
    }
    Ok(())
}

/// Invariant 5: a cited agreement covers the post, is in effect on the event's day, and is cited
/// by a return; a new citation also needs the agreement in force. (A correction to a return
/// already made under an agreement that has since been suspended or concluded stays possible.)
fn check_citation(
    w: &mut audit::Writer<'_>,
    post: &Post,
    f: &EventFields,
    day: NaiveDate,
    newly_cited: bool,
) -> Result<Option<String>, EventError> {
    let Some(id) = f.agreement else {
        return Ok(None);
    };
    let unknown = || {
        invalid(FieldError::new(
            "agreement_id",
            "agreement-unknown",
            "Choose one of the listed agreements.",
        ))
    };
    if db::agreements::lock(w, id)? == 0 {
        return Err(unknown());
    }
    let agreement = db::agreements::find(w.conn(), id)?.ok_or_else(unknown)?;
    let refuse = |key: &'static str, message: &str| {
        invalid(
            FieldError::new("agreement_id", key, message.to_owned())
                .with_arg("agreement", agreement.reference.clone())
                .with_arg("post", post.code.clone())
                .with_arg("day", day.to_string())
                .with_arg("from", agreement.effective_from.to_string())
                .with_arg(
                    "to",
                    agreement
                        .effective_to
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                )
                .with_arg("status", agreement.status.clone()),
        )
    };
    if f.direction != Direction::Outbound {
        return Err(refuse(
            "agreement-inbound",
            "Only a return (outbound) is made under an agreement.",
        ));
    }
    let covered = db::agreements::posts_of(w.conn(), id)?
        .iter()
        .any(|(p, _)| *p == post.id);
    if !covered {
        return Err(refuse(
            "agreement-post-not-covered",
            "This agreement does not cover this post.",
        ));
    }
    if day < agreement.effective_from {
        return Err(refuse(
            "agreement-before-window",
            "This agreement takes effect later.",
        ));
    }
    if agreement.effective_to.is_some_and(|to| day > to) {
        return Err(refuse(
            "agreement-after-window",
            "This agreement had ended by then.",
        ));
    }
    if newly_cited && agreement.status() != AgreementStatus::Active {
        return Err(refuse(
            "agreement-not-active",
            "This agreement is not in force.",
        ));
    }
    Ok(Some(agreement.reference))
}

fn entry(action: Action, post: &Post, id: EventId, details: Details) -> Entry {
    Entry {
        action,
        entity: "event",
        entity_id: id.to_string(),
        post: Some(post.code.clone()),
        details,
    }
}

fn opt(v: Option<i32>) -> Value {
    v.map_or(Value::Null, Value::from)
}

/// Records a new pending event from the form with `form_key`. A form submitted twice creates
/// one event: the second submission gets [`EventError::Duplicate`].
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    f: &EventFields,
    form_key: &str,
) -> Result<EventId, EventError> {
    audit::write(conn, actor, now, |w| {
        ledger::lock_post(w, post.id)?;
        // The post as it stands under the lock: an administrator may have closed it since the
        // form was read (its zone is fixed once it has events, but this may be the first).
        let post = &db::posts::find(w.conn(), post.id)?.ok_or(AppError::NotFound)?;
        let zone = zone_of(post);
        let day = local_day(f.occurred_at, zone);
        // Under the post's lock, so a double click's second request sees the first's event.
        if let Some((id, by)) = stored::find_by_form_key(w.conn(), form_key)? {
            return Err(if by == clerk.user {
                EventError::Duplicate(id)
            } else {
                invalid(FieldError::new(
                    "form_key",
                    "form-expired",
                    "This form has expired.",
                ))
            });
        }
        if !post.active {
            return Err(invalid(FieldError::new(
                "occurred_at",
                "post-inactive",
                "This border post is closed and takes no new records.",
            )));
        }
        if ledger::is_closed(w.conn(), post.id, day)? {
            return Err(invalid(day_closed(post, "occurred_at", day)));
        }
        let cited = check_citation(w, post, f, day, true)?;
        let year = f.occurred_at.with_timezone(&zone).year();
        let number = stored::next_ref_number(w.conn(), post.id, year)?;
        let reference = reference(&post.code, year, i64::from(number));
        let id = stored::insert(
            w,
            &NewEvent {
                post: post.id,
                reference: reference.clone(),
                ref_year: year,
                ref_number: number,
                fields: f,
                local_day: day,
                recorded_by: clerk.user,
                form_key,
            },
        )?;
        rebalance(w, post, "headcount", &[(f.category, day)])?;
        let details = Details::new()
            .created("event_reference", reference)
            .created("occurred_at", f.occurred_at.to_rfc3339())
            .created("direction", f.direction.as_str())
            .created("category", f.category.as_str())
            .created("headcount", f.headcount)
            .created("officers", opt(f.officers))
            .created("wounded", opt(f.wounded))
            .created("source", f.source.as_str())
            .created("source_reference", f.reference.as_str())
            .created("notes", f.notes.as_str())
            .created("agreement", cited.map_or(Value::Null, Value::from))
            .created("status", Status::Pending.as_str());
        w.record(entry(Action::EventCreate, post, id, details))?;
        Ok(id)
    })
}

/// The fields that differ between the stored event and the corrected one, before and after.
fn changes(row: &EventRow, f: &EventFields) -> Details {
    Details::new()
        .change(
            "occurred_at",
            row.occurred_at.and_utc().to_rfc3339(),
            f.occurred_at.to_rfc3339(),
        )
        .change("direction", row.direction.as_str(), f.direction.as_str())
        .change("category", row.category.as_str(), f.category.as_str())
        .change("headcount", row.headcount, f.headcount)
        .change("officers", opt(row.officers), opt(f.officers))
        .change("wounded", opt(row.wounded), opt(f.wounded))
        .change("source", row.source.as_str(), f.source.as_str())
        .change(
            "source_reference",
            row.source_reference.as_str(),
            f.reference.as_str(),
        )
        .change("notes", row.notes.as_str(), f.notes.as_str())
}

/// Loads the event under the post's lock and checks the version the form was based on.
fn load_current(
    w: &mut audit::Writer<'_>,
    post: &Post,
    id: EventId,
    version: i32,
) -> Result<EventRow, EventError> {
    ledger::lock_post(w, post.id)?;
    let row = find(w.conn(), id)?.ok_or(AppError::NotFound)?;
    if row.version != version {
        return Err(EventError::Stale(Box::new(row)));
    }
    Ok(row)
}

/// Changes an event's fields. Its recorder may change it while pending; a supervisor may change
/// any, and must give a reason once it is verified. A closed day's events do not change.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    id: EventId,
    version: i32,
    f: &EventFields,
    reason: &str,
) -> Result<EventId, EventError> {
    let zone = zone_of(post);
    let new_day = local_day(f.occurred_at, zone);
    audit::write(conn, actor, now, |w| {
        let row = load_current(w, post, id, version)?;
        match row.status() {
            Status::Voided => return Err(AppError::Forbidden.into()),
            Status::Verified if !clerk.supervises() => return Err(AppError::Forbidden.into()),
            Status::Pending if !clerk.supervises() && row.recorder() != clerk.user => {
                return Err(AppError::Forbidden.into());
            }
            _ => {}
        }
        let reason = reason.trim();
        if row.status() == Status::Verified && reason.is_empty() {
            return Err(invalid(FieldError::new(
                "reason",
                "reason-required",
                "Say why a verified event is corrected.",
            )));
        }
        for day in [row.local_day, new_day] {
            if ledger::is_closed(w.conn(), post.id, day)? {
                return Err(invalid(day_closed(post, "occurred_at", day)));
            }
        }
        let newly_cited = f.agreement.map(|a| a.0) != row.agreement_id;
        let cited = check_citation(w, post, f, new_day, newly_cited)?;
        let before = match row.agreement_id {
            Some(a) => db::agreements::find(w.conn(), AgreementId(a))?
                .map_or(Value::Null, |a| Value::from(a.reference)),
            None => Value::Null,
        };
        let mut details =
            changes(&row, f).change("agreement", before, cited.map_or(Value::Null, Value::from));
        if !details.has_changes() {
            return Err(EventError::Unchanged);
        }
        if !reason.is_empty() {
            details = details.fact("reason", reason);
        }
        stored::update_fields(w, id, f, new_day, row.version)?;
        rebalance(
            w,
            post,
            "headcount",
            &[(row.category(), row.local_day), (f.category, new_day)],
        )?;
        w.record(entry(Action::EventUpdate, post, id, details))?;
        Ok(id)
    })
}

/// A supervisor other than the recorder verifies a pending event.
pub fn verify(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    id: EventId,
    version: i32,
) -> Result<EventId, EventError> {
    audit::write(conn, actor, now, |w| {
        let row = load_current(w, post, id, version)?;
        if !clerk.supervises() || row.recorder() == clerk.user {
            return Err(AppError::Forbidden.into());
        }
        if row.status() != Status::Pending {
            return Err(invalid(FieldError::new(
                "status",
                "event-not-pending",
                "Only a pending event can be verified.",
            )));
        }
        if ledger::is_closed(w.conn(), post.id, row.local_day)? {
            return Err(invalid(day_closed(post, "status", row.local_day)));
        }
        stored::mark_verified(w, id, clerk.user, row.version)?;
        let details = Details::new().change(
            "status",
            Status::Pending.as_str(),
            Status::Verified.as_str(),
        );
        w.record(entry(Action::EventVerify, post, id, details))?;
        Ok(id)
    })
}

/// A supervisor voids an event with a reason; it stays, but no longer counts.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn void(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    id: EventId,
    version: i32,
    reason: &str,
) -> Result<EventId, EventError> {
    audit::write(conn, actor, now, |w| {
        let row = load_current(w, post, id, version)?;
        if !clerk.supervises() {
            return Err(AppError::Forbidden.into());
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(FieldError::required("reason")));
        }
        if reason.chars().count() > 500 {
            return Err(invalid(
                FieldError::new("reason", "too-long", "At most 500 characters.")
                    .with_arg("max", "500"),
            ));
        }
        if row.status() == Status::Voided {
            return Err(invalid(FieldError::new(
                "reason",
                "event-already-voided",
                "This event is already void.",
            )));
        }
        if ledger::is_closed(w.conn(), post.id, row.local_day)? {
            return Err(invalid(day_closed(post, "reason", row.local_day)));
        }
        stored::mark_voided(w, id, clerk.user, reason, row.version)?;
        rebalance(w, post, "reason", &[(row.category(), row.local_day)])?;
        let details = Details::new()
            .change("status", row.status.as_str(), Status::Voided.as_str())
            .fact("reason", reason);
        w.record(entry(Action::EventVoid, post, id, details))?;
        Ok(id)
    })
}

fn day_entry(action: Action, post: &Post, day: NaiveDate, details: Details) -> Entry {
    Entry {
        action,
        entity: "post_day",
        entity_id: format!("{}/{day}", post.code),
        post: Some(post.code.clone()),
        details,
    }
}

/// A supervisor closes a post's day: its events become read-only and its closing balances are
/// recorded. A day that has not begun, or still holds pending events, is refused.
pub fn close_day(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    day: NaiveDate,
) -> Result<(), EventError> {
    let today = local_day(now, zone_of(post));
    audit::write(conn, actor, now, |w| {
        ledger::lock_post(w, post.id)?;
        if !clerk.supervises() {
            return Err(AppError::Forbidden.into());
        }
        if day > today {
            return Err(invalid(
                FieldError::new(
                    "day",
                    "day-in-future",
                    "A day can be closed once it has begun.",
                )
                .with_arg("day", day.to_string()),
            ));
        }
        if ledger::is_closed(w.conn(), post.id, day)? {
            return Err(invalid(
                FieldError::new("day", "day-already-closed", "This day is already closed.")
                    .with_arg("day", day.to_string()),
            ));
        }
        let pending = stored::pending_on_day(w.conn(), post.id, day)?;
        if pending > 0 {
            return Err(invalid(
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
        ledger::close_day(w, post.id, day, clerk.user, military, civilian)?;
        let details = Details::new()
            .change("closed", false, true)
            .fact("military_closing", military)
            .fact("civilian_closing", civilian);
        w.record(day_entry(Action::DayClose, post, day, details))?;
        Ok(())
    })
}

/// A supervisor reopens a closed day, with a reason, so its events can be corrected.
pub fn reopen_day(
    conn: &mut DbConn,
    actor: &Actor,
    clerk: Clerk,
    now: DateTime<Utc>,
    post: &Post,
    day: NaiveDate,
    reason: &str,
) -> Result<(), EventError> {
    audit::write(conn, actor, now, |w| {
        ledger::lock_post(w, post.id)?;
        if !clerk.supervises() {
            return Err(AppError::Forbidden.into());
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(FieldError::required("reason")));
        }
        if reason.chars().count() > 500 {
            return Err(invalid(
                FieldError::new("reason", "too-long", "At most 500 characters.")
                    .with_arg("max", "500"),
            ));
        }
        if ledger::reopen_day(w, post.id, day)? == 0 {
            return Err(invalid(
                FieldError::new("day", "day-not-closed", "This day is not closed.")
                    .with_arg("day", day.to_string()),
            ));
        }
        let details = Details::new()
            .change("closed", true, false)
            .fact("reason", reason);
        w.record(day_entry(Action::DayReopen, post, day, details))?;
        Ok(())
    })
}
