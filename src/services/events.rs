//! Recording and changing crossing events: every operation is one audited transaction that
//! holds the post's lock, keeps the ledger in step and enforces invariants 1–5 and 8 of
//! DESIGN.md §3. Who may do it is [`policy`]'s answer; the post comes from the event row, read
//! under that post's lock, never from the caller.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::{Refused, ScopedPost};
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::events::{self as stored, EventRow, NewEvent};
use crate::db::ledger::{self, LedgerError, Refusal};
use crate::db::posts::Post;
use crate::db::{self, DbConn, TxError};
use crate::domain::FieldError;
use crate::domain::agreement::AgreementStatus;
use crate::domain::event::{
    Category, Direction, EventFields, Status, bounded_text, plausible_time, reference,
};
use crate::domain::ids::{AgreementId, EventId, UserId};
use crate::domain::policy::{self, Denied, Principal};

/// Why an event operation did not happen.
#[derive(Debug)]
pub enum EventError {
    /// Not found, forbidden, invalid or failed.
    Refused(Refused),
    /// The form was based on an older version; here is the current one.
    Stale(Box<EventRow>),
    /// This form was already submitted: the event it created.
    Duplicate(EventId),
    /// The edit changed nothing; nothing was written.
    Unchanged,
}

super::refused_conversions!(EventError);

impl TxError for EventError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

/// The account acting: events are written by people, never by the command line.
pub(super) fn account(who: &Principal) -> Result<UserId, Refused> {
    who.user.ok_or(Refused::Forbidden(Denied::Role))
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
    EventError::Refused(Refused::field(error))
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
        // The event's own day is checked before the ledger is; a closed day the ledger refuses
        // is a later one, whose recorded balance this change would alter.
        Refusal::DayClosed(day) => FieldError::new(
            field,
            "later-day-closed",
            format!(
                "{day} is closed at {}, and this would change who was present at its end: a supervisor must reopen it first.",
                post.code
            ),
        )
        .with_arg("day", day.to_string())
        .with_arg("post", post.code.clone()),
    }
}

pub(super) fn day_closed(post: &Post, field: &'static str, day: NaiveDate) -> FieldError {
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
/// An agreement the person may not see answers exactly like one that does not exist, before
/// anything about it is said.
fn check_citation(
    w: &mut audit::Writer<'_>,
    who: &Principal,
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
    let covered: Vec<_> = db::agreements::posts_of(w.conn(), id)?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    if policy::see_agreement(who, &covered).is_err() {
        return Err(unknown());
    }
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
    if !covered.contains(&post.id) {
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

/// Records a new pending event at `post` from the form with `form_key`. A form submitted twice
/// creates one event: the second submission gets [`EventError::Duplicate`].
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    f: &EventFields,
    form_key: &str,
) -> Result<EventId, EventError> {
    policy::record_event(who, post.id)?;
    let recorder = account(who)?;
    audit::write(conn, actor, now, |w| {
        // The post as it stands under the lock: an administrator may have closed it since the
        // form was read (its zone is fixed once it has events, but this may be the first).
        let post = &db::posts::lock(w, post.id)?.ok_or(Refused::NotFound)?;
        let zone = zone_of(post);
        plausible_time(f.occurred_at, zone, now).map_err(invalid)?;
        let day = local_day(f.occurred_at, zone);
        let year = f.occurred_at.with_timezone(&zone).year();
        // Under the post's lock, so a double click's second request sees the first's event.
        let before = stored::before_recording(w.conn(), post.id, day, year, form_key)?;
        if let Some((id, by)) = before.same_form {
            return Err(if by == recorder {
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
        if before.first_closed == Some(day) {
            return Err(invalid(day_closed(post, "occurred_at", day)));
        }
        let cited = check_citation(w, who, post, f, day, true)?;
        let number = before.next_ref_number;
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
                recorded_by: recorder,
                form_key,
            },
        )?;
        match f.direction {
            // An arrival cannot overdraw; the ledger often need not replay its day.
            Direction::Inbound => {
                let headcount = i64::from(f.headcount);
                ledger::apply_arrival(w, post.id, f.category, day, headcount, before.first_closed)
                    .map_err(|e| ledger_error(post, "headcount", e))?
            }
            Direction::Outbound => rebalance(w, post, "headcount", &[(f.category, day)])?,
        }
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

/// The event `id` and its post, read under the post's lock, if `who` may see them.
pub(super) fn load_current(
    w: &mut audit::Writer<'_>,
    who: &Principal,
    id: EventId,
) -> Result<(EventRow, Post), Refused> {
    // The post comes from the event itself; an event never moves to another post, so locking
    // the post it names and reading the event again sees it as it stands under that lock.
    let post_id = stored::find(w.conn(), id)?
        .ok_or(Refused::NotFound)?
        .post_id;
    let post = db::posts::lock(w, post_id)?.ok_or(Refused::NotFound)?;
    let row = stored::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
    policy::see_event(who, &row.facts())?;
    Ok((row, post))
}

/// The form was based on `version`: the stored row must still be at it (asked after the policy,
/// so a person who may not act is told so rather than shown newer values).
fn check_version(row: &EventRow, version: i32) -> Result<(), EventError> {
    if row.version == version {
        Ok(())
    } else {
        Err(EventError::Stale(Box::new(row.clone())))
    }
}

/// A correction keeps the event's named people possible: its headcount never falls below how
/// many it names, and named people keep it the direction it has (an arrival's list is who came,
/// a return's who was handed over).
fn check_named(
    w: &mut audit::Writer<'_>,
    row: &EventRow,
    f: &EventFields,
) -> Result<(), EventError> {
    let named = db::manifests::named_count(w.conn(), row)?;
    if named == 0 {
        return Ok(());
    }
    if f.direction != row.direction() {
        return Err(invalid(
            FieldError::new(
                "direction",
                "direction-has-named-people",
                "People are named on this event: take them off its list before changing its direction.",
            )
            .with_arg("count", named.to_string()),
        ));
    }
    if i64::from(f.headcount) < named {
        return Err(invalid(
            FieldError::new(
                "headcount",
                "headcount-below-named",
                format!("{named} people are named on this event: the headcount cannot be lower."),
            )
            .with_arg("count", named.to_string()),
        ));
    }
    Ok(())
}

/// The most a reason (for a correction or a void) may say.
pub(super) const REASON_MAX: usize = 500;

/// Changes an event's fields (policy: its recorder while pending, a supervisor any not void). A
/// correction of a verified event needs a reason and returns it to pending, to be verified by a
/// supervisor who neither recorded nor corrected it; the trail keeps the verified values as its
/// "before". A closed day's events do not change.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    version: i32,
    f: &EventFields,
    reason: &str,
) -> Result<EventId, EventError> {
    let editor = account(who)?;
    // Several entries: correcting a verified return undoes its people's `returned`.
    audit::write_each(conn, actor, now, |w| {
        let (row, post) = load_current(w, who, id)?;
        policy::correct_event(who, &row.facts())?;
        check_version(&row, version)?;
        check_named(w, &row, f)?;
        let post = &post;
        let was_verified = row.status() == Status::Verified;
        let reason = bounded_text(reason, "reason", REASON_MAX, false).map_err(invalid)?;
        if was_verified && reason.is_empty() {
            return Err(invalid(FieldError::new(
                "reason",
                "reason-required",
                "Say why a verified event is corrected.",
            )));
        }
        plausible_time(f.occurred_at, zone_of(post), now).map_err(invalid)?;
        let new_day = local_day(f.occurred_at, zone_of(post));
        for day in [row.local_day, new_day] {
            if ledger::is_closed(w.conn(), post.id, day)? {
                return Err(invalid(day_closed(post, "occurred_at", day)));
            }
        }
        let newly_cited = f.agreement.map(|a| a.0) != row.agreement_id;
        let cited = check_citation(w, who, post, f, new_day, newly_cited)?;
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
        if was_verified {
            let verifier = row.verified_by.map(UserId);
            let names =
                db::users::names(w.conn(), &verifier.iter().map(|u| u.0).collect::<Vec<_>>())?;
            details = details
                .change(
                    "status",
                    Status::Verified.as_str(),
                    Status::Pending.as_str(),
                )
                .change(
                    "verified_by",
                    verifier
                        .and_then(|u| names.get(&u.0).cloned())
                        .map_or(Value::Null, Value::from),
                    Value::Null,
                );
        }
        if !reason.is_empty() {
            details = details.fact("reason", reason.as_str());
        }
        let changers = row.changers_with(editor);
        stored::update_fields(w, id, f, new_day, (editor, &changers), row.version)?;
        rebalance(
            w,
            post,
            "headcount",
            &[(row.category(), row.local_day), (f.category, new_day)],
        )?;
        w.record(entry(Action::EventUpdate, post, id, details))?;
        if was_verified {
            super::manifests::on_undo(w, &row, &post.code)?;
        }
        Ok(id)
    })
}

/// Verifies a pending event (policy: a supervisor who neither recorded it nor made its latest
/// change).
pub fn verify(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    version: i32,
) -> Result<EventId, EventError> {
    let verifier = account(who)?;
    // Several entries: a return's named people each become `returned` on their own record.
    audit::write_each(conn, actor, now, |w| {
        let (row, post) = load_current(w, who, id)?;
        policy::verify_event(who, &row.facts())?;
        check_version(&row, version)?;
        if row.status() != Status::Pending {
            return Err(invalid(FieldError::new(
                "status",
                "event-not-pending",
                "Only a pending event can be verified.",
            )));
        }
        if ledger::is_closed(w.conn(), post.id, row.local_day)? {
            return Err(invalid(day_closed(&post, "status", row.local_day)));
        }
        stored::mark_verified(w, id, verifier, row.version)?;
        let details = Details::new().change(
            "status",
            Status::Pending.as_str(),
            Status::Verified.as_str(),
        );
        w.record(entry(Action::EventVerify, &post, id, details))?;
        super::manifests::on_verify(w, &row, &post.code)?;
        Ok(id)
    })
}

/// Voids an event with a reason; it stays, but no longer counts.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn void(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    version: i32,
    reason: &str,
) -> Result<EventId, EventError> {
    let voider = account(who)?;
    // Several entries: a verified return's named people each return to their status before.
    audit::write_each(conn, actor, now, |w| {
        let (row, post) = load_current(w, who, id)?;
        if row.status() == Status::Voided {
            return Err(invalid(FieldError::new(
                "reason",
                "event-already-voided",
                "This event is already void.",
            )));
        }
        policy::void_event(who, &row.facts())?;
        check_version(&row, version)?;
        let reason = bounded_text(reason, "reason", REASON_MAX, true).map_err(invalid)?;
        if ledger::is_closed(w.conn(), post.id, row.local_day)? {
            return Err(invalid(day_closed(&post, "reason", row.local_day)));
        }
        stored::mark_voided(w, id, voider, &reason, row.version)?;
        rebalance(w, &post, "reason", &[(row.category(), row.local_day)])?;
        let details = Details::new()
            .change("status", row.status.as_str(), Status::Voided.as_str())
            .fact("reason", reason.as_str());
        w.record(entry(Action::EventVoid, &post, id, details))?;
        if row.status() == Status::Verified {
            super::manifests::on_undo(w, &row, &post.code)?;
        }
        Ok(id)
    })
}
