//! Registering people and keeping their records: one audited transaction each (DESIGN.md §3,
//! Person; invariant 6). Who may do it is [`policy`]'s answer; the person's post comes from the
//! stored row, read under its lock, never from the caller.

use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;

use super::Refused;
use super::events::{account, zone_of};
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::people::{self as stored, Candidate, NewPerson, PersonRow};
use crate::db::posts::Post;
use crate::db::{self, DbConn, TxError};
use crate::domain::FieldError;
use crate::domain::event::{Direction, Status};
use crate::domain::ids::{EventId, PersonId};
use crate::domain::person::{self, PersonFields, PersonStatus, StatusChange};
use crate::domain::policy::{self, Principal};
use crate::services::ScopedPost;

/// Why a people operation did not happen.
#[derive(Debug)]
pub enum PersonError {
    /// Not found, forbidden, invalid or failed.
    Refused(Refused),
    /// Records that may be this person: nothing was saved; the officer opens one of them or
    /// confirms that this is someone else.
    Candidates(Vec<Candidate>),
    /// The form was based on an older version; here is the current one.
    Stale(Box<PersonRow>),
    /// This form was already submitted: the person it created.
    Duplicate(PersonId),
    /// The edit changed nothing; nothing was written.
    Unchanged,
}

super::refused_conversions!(PersonError);

impl TxError for PersonError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

fn invalid(error: FieldError) -> PersonError {
    PersonError::Refused(Refused::field(error))
}

/// The audit entry of a change to one person.
pub(crate) fn entry(action: Action, post: &str, id: PersonId, details: Details) -> Entry {
    Entry {
        action,
        entity: "person",
        entity_id: id.to_string(),
        post: Some(post.to_owned()),
        details,
    }
}

fn text_or_null(value: &str) -> Value {
    if value.is_empty() {
        Value::Null
    } else {
        Value::from(value)
    }
}

/// The arrival a person came with: an inbound event of the same post, not void.
fn check_inbound(
    conn: &mut DbConn,
    post: &Post,
    f: &PersonFields,
) -> Result<Option<String>, PersonError> {
    let Some(id) = f.inbound_event_id else {
        return Ok(None);
    };
    let unknown = || {
        invalid(FieldError::new(
            "inbound_event_id",
            "event-unknown",
            "Choose one of the listed arrivals.",
        ))
    };
    let event = db::events::find(conn, EventId(id))?.ok_or_else(unknown)?;
    if event.post_id != post.id
        || event.direction() != Direction::Inbound
        || event.status() == Status::Voided
    {
        return Err(unknown());
    }
    Ok(Some(event.reference))
}

/// Records said not to be this person: each pair is kept, so it is not offered again.
fn confirm_distinct(
    w: &mut audit::Writer<'_>,
    id: PersonId,
    candidates: &[Candidate],
    by: crate::domain::ids::UserId,
) -> Result<Value, PersonError> {
    let mut refs = Vec::new();
    for c in candidates {
        stored::mark_distinct(w, id, c.person.id, by)?;
        refs.push(Value::from(c.person.reference.clone()));
    }
    Ok(Value::Array(refs))
}

/// Registers a person at `post` from the form with `form_key`. Records that may be the same
/// person (in the officer's scope) stop the save with [`PersonError::Candidates`], unless
/// `not_duplicate` says the officer looked and this is someone else (recorded and audited).
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    f: &PersonFields,
    form_key: &str,
    not_duplicate: bool,
) -> Result<PersonId, PersonError> {
    policy::record_person(who, post.id)?;
    let recorder = account(who)?;
    audit::write(conn, actor, now, |w| {
        let post = &db::posts::lock(w, post.id)?.ok_or(Refused::NotFound)?;
        if let Some((id, by)) = stored::find_by_form_key(w.conn(), form_key)? {
            return Err(if by == recorder {
                PersonError::Duplicate(id)
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
                "name_ar",
                "post-inactive",
                "This border post is closed and takes no new records.",
            )));
        }
        let inbound = check_inbound(w.conn(), post, f)?;
        let candidates = stored::candidates(w.conn(), who.scope(), f, None)?;
        if !candidates.is_empty() && !not_duplicate {
            return Err(PersonError::Candidates(candidates));
        }
        let year = now.with_timezone(&zone_of(post)).year();
        let number = stored::next_ref_number(w.conn(), post.id, year)?;
        let reference = person::reference(&post.code, year, i64::from(number));
        let id = stored::insert(
            w,
            &NewPerson {
                post: post.id,
                reference: reference.clone(),
                ref_year: year,
                ref_number: number,
                fields: f,
                recorded_by: recorder,
                form_key,
            },
        )?;
        let mut details = Details::new()
            .created("person_reference", reference)
            .created("status", PersonStatus::Present.as_str());
        for (field, value) in f.values() {
            details = details.created(field, text_or_null(&value));
        }
        if let Some(inbound) = inbound {
            details = details.fact("inbound_event", inbound);
        }
        if !candidates.is_empty() {
            details = details.fact(
                "not_duplicate_of",
                confirm_distinct(w, id, &candidates, recorder)?,
            );
        }
        w.record(entry(Action::PersonCreate, &post.code, id, details))?;
        Ok(id)
    })
}

/// The person `id` and their post, read under the person's lock, if `who` may see them.
fn load_current(
    w: &mut audit::Writer<'_>,
    who: &Principal,
    id: PersonId,
) -> Result<(PersonRow, Post), PersonError> {
    if stored::lock(w, id)? == 0 {
        return Err(Refused::NotFound.into());
    }
    let row = stored::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
    policy::see_person(who, row.facts())?;
    let post = db::posts::find(w.conn(), row.post_id)?.ok_or(Refused::NotFound)?;
    Ok((row, post))
}

fn check_version(row: &PersonRow, version: i32) -> Result<(), PersonError> {
    if row.version == version {
        Ok(())
    } else {
        Err(PersonError::Stale(Box::new(row.clone())))
    }
}

/// The fields that differ, before and after.
fn changes(before: &PersonFields, after: &PersonFields) -> Details {
    before
        .values()
        .into_iter()
        .zip(after.values())
        .fold(Details::new(), |d, ((field, was), (_, now))| {
            d.change(field, text_or_null(&was), text_or_null(&now))
        })
}

/// Changes a person's fields (policy: anyone who records at their post; never a merged
/// record). Duplicates are checked again, as on registration.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: PersonId,
    version: i32,
    f: &PersonFields,
    not_duplicate: bool,
) -> Result<PersonId, PersonError> {
    let editor = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (row, post) = load_current(w, who, id)?;
        policy::edit_person(who, row.facts())?;
        check_version(&row, version)?;
        let mut details = changes(&row.fields(), f);
        if !details.has_changes() {
            return Err(PersonError::Unchanged);
        }
        check_inbound(w.conn(), &post, f)?;
        let candidates = stored::candidates(w.conn(), who.scope(), f, Some(id))?;
        if !candidates.is_empty() && !not_duplicate {
            return Err(PersonError::Candidates(candidates));
        }
        stored::update_fields(w, id, f, row.version)?;
        if !candidates.is_empty() {
            details = details.fact(
                "not_duplicate_of",
                confirm_distinct(w, id, &candidates, editor)?,
            );
        }
        w.record(entry(Action::PersonUpdate, &post.code, id, details))?;
        Ok(id)
    })
}

/// Moves a person along their lifecycle (invariant 6). A wish is recorded with its statement
/// (date, who heard it, how); `returned` comes only from a verified return.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn change_status(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: PersonId,
    version: i32,
    change: &StatusChange,
) -> Result<PersonId, PersonError> {
    let by = account(who)?;
    // Several entries when a decline takes the person off a pending return's list.
    audit::write_each(conn, actor, now, |w| {
        // The post's lock before the person's. A decline takes the person off a pending return's
        // list, and every change to a list holds the post's lock (adding someone only refers to
        // the person's row), so the decline must wait for a list change in flight and see what
        // it wrote. Post, then person, is the order verifying a return takes: no deadlock. A
        // person's post never changes.
        if let Some(found) = stored::find(w.conn(), id)? {
            db::posts::lock(w, found.post_id)?;
        }
        let (row, post) = load_current(w, who, id)?;
        policy::change_person_status(who, row.facts(), change.to)?;
        check_version(&row, version)?;
        let from = row.status();
        person::transition(from, change.to).map_err(invalid)?;
        stored::set_status(w, id, change.to, &change.transferred_to, row.version)?;
        let mut details = Details::new().change("status", from.as_str(), change.to.as_str());
        if !change.reason.is_empty() {
            details = details.fact("reason", change.reason.as_str());
        }
        if !change.transferred_to.is_empty() {
            details = details.change(
                "transferred_to",
                text_or_null(&row.transferred_to),
                change.transferred_to.as_str(),
            );
        }
        if change.to == PersonStatus::DeclinesReturn
            && let Some(left) = super::manifests::release_on_decline(w, &row, &post.code)?
        {
            details = details.fact("removed_from_return", left);
        }
        if let Some(s) = &change.statement {
            stored::add_statement(w, id, change.to, s, by)?;
            details = details
                .fact("stated_on", s.stated_on.to_string())
                .fact("heard_by", s.heard_by.as_str())
                .fact("how", s.how.as_str());
        }
        w.record(entry(Action::PersonStatus, &post.code, id, details))?;
        Ok(id)
    })
}

/// Reads a person for their page and writes the view to the audit trail in the same
/// transaction: no one sees a person's record without leaving a trace.
pub fn view(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: PersonId,
) -> Result<(PersonRow, Post), Refused> {
    audit::write(conn, actor, now, |w| {
        let row = stored::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
        policy::see_person(who, row.facts())?;
        let post = db::posts::find(w.conn(), row.post_id)?.ok_or(Refused::NotFound)?;
        w.record(entry(Action::PersonView, &post.code, id, Details::new()))?;
        Ok((row, post))
    })
}
