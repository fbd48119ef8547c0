//! Naming the people of an event (DESIGN.md invariant 6): an arrival's people came with it, a
//! return's are handed over with it. Each change holds the post's lock (as every event change
//! does), bumps the event's version (a verifier sees the list they verify), and is audited on the
//! event and on each person it names or releases, in one transaction.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Refused;
use super::events::{account, load_current};
use super::people::entry as person_entry;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::events::EventRow;
use crate::db::manifests as stored;
use crate::db::people::PersonRow;
use crate::db::{self, DbConn, TxError};
use crate::domain::FieldError;
use crate::domain::event::{Direction, Status};
use crate::domain::ids::{EventId, PersonId};
use crate::domain::person::PersonStatus;
use crate::domain::policy::{self, Principal};

/// Why a manifest change did not happen.
#[derive(Debug)]
pub enum ManifestError {
    /// Not found, forbidden, invalid or failed.
    Refused(Refused),
    /// The page was based on an older version of the event.
    Stale,
    /// These people cannot be named, each with the reason (nothing was written).
    People(Vec<(PersonId, FieldError)>),
}

super::refused_conversions!(ManifestError);

impl TxError for ManifestError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

/// Why `person` cannot be named on `event`, if they cannot: checked for each person before
/// anything is written.
pub fn refusal(
    conn: &mut DbConn,
    who: &Principal,
    event: &EventRow,
    person: &PersonRow,
) -> Result<Option<FieldError>, Refused> {
    let refuse = |key: &'static str, message: &str| {
        Ok(Some(
            FieldError::new("person_id", key, message.to_owned())
                .with_arg("person", person.reference.clone()),
        ))
    };
    // Another post's person is answered like one that does not exist.
    if person.post_id != event.post_id || policy::see_person(who, person.facts()).is_err() {
        return refuse("person-unknown", "There is no such person at this post.");
    }
    if person.merged_into.is_some() {
        return refuse("person-merged", "This record was merged into another.");
    }
    match event.direction() {
        Direction::Outbound => {
            let status = person.status();
            if status == PersonStatus::DeclinesReturn {
                return refuse(
                    "person-declines-return",
                    "This person has said they do not wish to return: no return may include them.",
                );
            }
            if !status.may_be_returned() {
                return Ok(Some(
                    FieldError::new(
                        "person_id",
                        "person-not-present",
                        "Only a person who is present can be returned.",
                    )
                    .with_arg("person", person.reference.clone())
                    .with_arg("to_status", status.as_str()),
                ));
            }
            if let Some(other) = stored::return_of(conn, person.id)?
                && other.id != event.id
            {
                return Ok(Some(
                    FieldError::new(
                        "person_id",
                        "person-on-another-return",
                        format!("Already named on the return {}.", other.reference),
                    )
                    .with_arg("person", person.reference.clone())
                    .with_arg("event", other.reference),
                ));
            }
        }
        Direction::Inbound => {
            if let Some(other) = person.inbound_event_id.filter(|e| *e != event.id.0)
                && let Some(other) = db::events::find(conn, EventId(other))?
            {
                return Ok(Some(
                    FieldError::new(
                        "person_id",
                        "person-came-with-another",
                        format!("Came with the arrival {}.", other.reference),
                    )
                    .with_arg("person", person.reference.clone())
                    .with_arg("event", other.reference),
                ));
            }
        }
    }
    Ok(None)
}

fn event_entry(action: Action, post: &str, event: &EventRow, details: Details) -> Entry {
    Entry {
        action,
        entity: "event",
        entity_id: event.id.to_string(),
        post: Some(post.to_owned()),
        details,
    }
}

/// Moves the event's version on: its list changed.
fn touch(w: &mut audit::Writer<'_>, event: &EventRow) -> Result<(), Refused> {
    db::events::bump_version(w, event.id, event.version)?;
    Ok(())
}

/// Names `people` on the event (those already named are left as they are). All or none: if any
/// cannot be named, nothing is written and each refused person comes back with the reason. The
/// list never holds more people than the event's headcount.
pub fn add(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    (id, version): (EventId, i32),
    people: &[PersonId],
) -> Result<usize, ManifestError> {
    audit::write_each(conn, actor, now, |w| {
        let (event, post) = load_current(w, who, id)?;
        if event.version != version {
            policy::edit_manifest(who, &event.facts())?;
            return Err(ManifestError::Stale);
        }
        let added = add_in(w, who, &event, &post.code, people)?;
        if added == 0 {
            return Err(Refused::field(FieldError::new(
                "person_id",
                "manifest-nothing-chosen",
                "Choose at least one person to add.",
            ))
            .into());
        }
        Ok(added)
    })
}

/// Names `people` on `event` (read under its post's lock) inside a transaction already open: the
/// rules of [`add`], shared with an import that puts its rows on a list. Returns how many were
/// added (0 when every one was named already; nothing is recorded then).
pub(super) fn add_in(
    w: &mut audit::Writer<'_>,
    who: &Principal,
    event: &EventRow,
    post: &str,
    people: &[PersonId],
) -> Result<usize, ManifestError> {
    let by = account(who)?;
    policy::edit_manifest(who, &event.facts())?;
    if event.status() == Status::Voided {
        return Err(Refused::from(policy::Denied::Voided).into());
    }
    let named = stored::named(w.conn(), event)?;
    let mut adding: Vec<PersonRow> = Vec::new();
    let mut refused = Vec::new();
    for person_id in people {
        if named.iter().any(|p| p.id == *person_id) || adding.iter().any(|p| p.id == *person_id) {
            continue;
        }
        let Some(person) = db::people::find(w.conn(), *person_id)? else {
            refused.push((
                *person_id,
                FieldError::new(
                    "person_id",
                    "person-unknown",
                    "There is no such person at this post.",
                ),
            ));
            continue;
        };
        match refusal(w.conn(), who, event, &person)? {
            Some(why) => refused.push((*person_id, why)),
            None => adding.push(person),
        }
    }
    let room = i64::from(event.headcount) - named.len() as i64;
    if refused.is_empty() && adding.len() as i64 > room {
        for person in adding
            .iter()
            .skip(usize::try_from(room.max(0)).unwrap_or(0))
        {
            refused.push((
                person.id,
                FieldError::new(
                    "person_id",
                    "manifest-full",
                    format!(
                        "The list would name more people than the event's headcount ({}).",
                        event.headcount
                    ),
                )
                .with_arg("person", person.reference.clone())
                .with_arg("headcount", event.headcount.to_string()),
            ));
        }
    }
    if !refused.is_empty() {
        return Err(ManifestError::People(refused));
    }
    if adding.is_empty() {
        return Ok(0);
    }
    for person in &adding {
        match event.direction() {
            Direction::Outbound => {
                stored::add_to_return(w, event.id, person.id, by)?;
            }
            Direction::Inbound => {
                stored::set_arrival(w, person, Some(event.id))?;
            }
        }
    }
    touch(w, event)?;
    let references: Vec<Value> = adding
        .iter()
        .map(|p| Value::from(p.reference.clone()))
        .collect();
    let details = Details::new()
        .fact("added", Value::Array(references))
        .change(
            "named",
            named.len() as i64,
            (named.len() + adding.len()) as i64,
        );
    w.record(event_entry(Action::ManifestAdd, post, event, details))?;
    for person in &adding {
        let details = Details::new().fact("event", event.reference.as_str());
        let details = if event.direction() == Direction::Inbound {
            details.change(
                "inbound_event_id",
                person.inbound_event_id.map_or(Value::Null, Value::from),
                event.id.0,
            )
        } else {
            details
        };
        w.record(person_entry(Action::ManifestAdd, post, person.id, details))?;
    }
    Ok(adding.len())
}

/// Takes `person` off the event's list (while the event is pending).
pub fn remove(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    person: PersonId,
) -> Result<(), ManifestError> {
    audit::write_each(conn, actor, now, |w| {
        let (event, post) = load_current(w, who, id)?;
        policy::edit_manifest(who, &event.facts())?;
        if event.status() == Status::Voided {
            return Err(Refused::from(policy::Denied::Voided).into());
        }
        let named = stored::named(w.conn(), &event)?;
        let Some(row) = named.iter().find(|p| p.id == person) else {
            return Err(Refused::NotFound.into());
        };
        match event.direction() {
            Direction::Outbound => {
                stored::remove_from_return(w, event.id, person)?;
            }
            Direction::Inbound => {
                stored::set_arrival(w, row, None)?;
            }
        }
        touch(w, &event)?;
        let details = Details::new()
            .fact("removed", row.reference.as_str())
            .change("named", named.len() as i64, named.len() as i64 - 1);
        w.record(event_entry(
            Action::ManifestRemove,
            &post.code,
            &event,
            details,
        ))?;
        w.record(person_entry(
            Action::ManifestRemove,
            &post.code,
            person,
            Details::new().fact("event", event.reference.as_str()),
        ))?;
        Ok(())
    })
}

/// When a return is verified: every named person must still be one who may be returned (they
/// may have changed their mind since they were named), then each becomes `returned`, audited on
/// their own record. Called inside the verification's transaction.
pub(super) fn on_verify(
    w: &mut audit::Writer<'_>,
    event: &EventRow,
    post: &str,
) -> Result<(), Refused> {
    if event.direction() != Direction::Outbound {
        return Ok(());
    }
    let named = stored::named(w.conn(), event)?;
    if let Some(p) = named.iter().find(|p| !p.status().may_be_returned()) {
        return Err(Refused::field(
            FieldError::new(
                "status",
                "return-names-someone-not-returnable",
                format!(
                    "{} is on this return's list but is {}: take them off the list first.",
                    p.reference,
                    p.status().as_str()
                ),
            )
            .with_arg("person", p.reference.clone())
            .with_arg("to_status", p.status().as_str()),
        ));
    }
    for (person, before) in stored::mark_returned(w, event.id)? {
        let details = Details::new()
            .change("status", before.as_str(), PersonStatus::Returned.as_str())
            .fact("event", event.reference.as_str());
        w.record(person_entry(Action::PersonStatus, post, person.id, details))?;
    }
    Ok(())
}

/// When a verified return is undone (voided, or corrected back to pending): each named person
/// returns to the status they had, audited on their own record.
pub(super) fn on_undo(
    w: &mut audit::Writer<'_>,
    event: &EventRow,
    post: &str,
) -> Result<(), Refused> {
    if event.direction() != Direction::Outbound {
        return Ok(());
    }
    for (person, restored) in stored::restore(w, event.id)? {
        let details = Details::new()
            .change("status", PersonStatus::Returned.as_str(), restored.as_str())
            .fact("event", event.reference.as_str());
        w.record(person_entry(Action::PersonStatus, post, person.id, details))?;
    }
    Ok(())
}

/// A person who now declines to return leaves the pending return that named them (their choice
/// comes first), in the status change's transaction: the event's version moves on and its trail
/// says who left its list. Returns the return's reference, for the person's own entry.
pub(super) fn release_on_decline(
    w: &mut audit::Writer<'_>,
    person: &PersonRow,
    post: &str,
) -> Result<Option<String>, Refused> {
    let Some(event) = stored::return_of(w.conn(), person.id)? else {
        return Ok(None);
    };
    if event.status() == Status::Verified {
        return Ok(None);
    }
    let named = stored::named_count(w.conn(), &event)?;
    stored::remove_from_return(w, event.id, person.id)?;
    touch(w, &event)?;
    let details = Details::new()
        .fact("removed", person.reference.as_str())
        .fact("reason", "declines_return")
        .change("named", named, named - 1);
    w.record(event_entry(Action::ManifestRemove, post, &event, details))?;
    Ok(Some(event.reference))
}
