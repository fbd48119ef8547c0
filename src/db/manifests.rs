//! The named people of an event, as stored. An arrival's are the people whose
//! `inbound_event_id` is that arrival (one truth, the person's own record); a return's are the
//! rows of `return_manifest`, in the order they were named. Writes take the audit [`Writer`].

use diesel::prelude::*;

use super::DbConn;
use super::events::EventRow;
use super::people::PersonRow;
use super::schema::{crossing_events, people, return_manifest};
use crate::audit::Writer;
use crate::domain::event::{Direction, Status};
use crate::domain::ids::{EventId, PersonId, UserId};
use crate::domain::person::PersonStatus;

/// The people an event names, in list order.
pub fn named(conn: &mut DbConn, event: &EventRow) -> QueryResult<Vec<PersonRow>> {
    match event.direction() {
        Direction::Inbound => people::table
            .filter(people::inbound_event_id.eq(event.id.0))
            .filter(people::merged_into.is_null())
            .order(people::id)
            .select(PersonRow::as_select())
            .load(conn),
        Direction::Outbound => return_manifest::table
            .inner_join(people::table.on(people::id.eq(return_manifest::person_id)))
            .filter(return_manifest::event_id.eq(event.id.0))
            .order((return_manifest::position, return_manifest::person_id))
            .select(PersonRow::as_select())
            .load(conn),
    }
}

/// How many people an event names.
pub fn named_count(conn: &mut DbConn, event: &EventRow) -> QueryResult<i64> {
    match event.direction() {
        Direction::Inbound => people::table
            .filter(people::inbound_event_id.eq(event.id.0))
            .filter(people::merged_into.is_null())
            .count()
            .get_result(conn),
        Direction::Outbound => return_manifest::table
            .filter(return_manifest::event_id.eq(event.id.0))
            .count()
            .get_result(conn),
    }
}

/// The return, not void, that names `person`, if any.
pub fn return_of(conn: &mut DbConn, person: PersonId) -> QueryResult<Option<EventRow>> {
    return_manifest::table
        .inner_join(crossing_events::table.on(crossing_events::id.eq(return_manifest::event_id)))
        .filter(return_manifest::person_id.eq(person.0))
        .filter(crossing_events::status.ne(Status::Voided.as_str()))
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// Names `person` on the return `event`, last in its list.
pub fn add_to_return(
    w: &mut Writer<'_>,
    event: EventId,
    person: PersonId,
    by: UserId,
) -> QueryResult<usize> {
    let last: Option<i32> = return_manifest::table
        .filter(return_manifest::event_id.eq(event.0))
        .select(diesel::dsl::max(return_manifest::position))
        .first(w.conn())?;
    let now = w.now();
    diesel::insert_into(return_manifest::table)
        .values((
            return_manifest::event_id.eq(event.0),
            return_manifest::person_id.eq(person.0),
            return_manifest::position.eq(last.unwrap_or(0) + 1),
            return_manifest::added_by.eq(by.0),
            return_manifest::added_at.eq(now),
        ))
        .execute(w.conn())
}

/// Takes `person` off the return `event`.
pub fn remove_from_return(
    w: &mut Writer<'_>,
    event: EventId,
    person: PersonId,
) -> QueryResult<usize> {
    diesel::delete(
        return_manifest::table
            .filter(return_manifest::event_id.eq(event.0))
            .filter(return_manifest::person_id.eq(person.0)),
    )
    .execute(w.conn())
}

/// Sets (or clears) the arrival a person came with, bumping their version.
///
/// Here and below, the version is bumped in the database (`version + 1`), not from the row read:
/// these writers hold the post's lock, not the person's, so an edit of the person may commit in
/// between, and a version written from the earlier read would hide one of the two changes from
/// the next form's check.
pub fn set_arrival(
    w: &mut Writer<'_>,
    person: &PersonRow,
    event: Option<EventId>,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(people::table.find(person.id.0))
        .set((
            people::inbound_event_id.eq(event.map(|e| e.0)),
            people::updated_at.eq(now),
            people::version.eq(people::version + 1),
        ))
        .execute(w.conn())
}

/// Verifying the return `event`: each named person becomes `returned`, their status before kept
/// to be restored if the return is undone. Returns `(person, status before)` for the trail.
pub fn mark_returned(
    w: &mut Writer<'_>,
    event: EventId,
) -> QueryResult<Vec<(PersonRow, PersonStatus)>> {
    let rows: Vec<PersonRow> = return_manifest::table
        .inner_join(people::table.on(people::id.eq(return_manifest::person_id)))
        .filter(return_manifest::event_id.eq(event.0))
        .order(return_manifest::position)
        .select(PersonRow::as_select())
        .load(w.conn())?;
    let now = w.now();
    let mut out = Vec::new();
    for person in rows {
        let before = person.status();
        diesel::update(
            return_manifest::table
                .filter(return_manifest::event_id.eq(event.0))
                .filter(return_manifest::person_id.eq(person.id.0)),
        )
        .set(return_manifest::status_before.eq(Some(before.as_str())))
        .execute(w.conn())?;
        diesel::update(people::table.find(person.id.0))
            .set((
                people::status.eq(PersonStatus::Returned.as_str()),
                people::updated_at.eq(now),
                people::version.eq(people::version + 1),
            ))
            .execute(w.conn())?;
        out.push((person, before));
    }
    Ok(out)
}

/// Undoing a verified return (void, or a correction that sends it back to pending): each named
/// person returns to the status they had. Returns `(person, restored status)` for the trail.
pub fn restore(w: &mut Writer<'_>, event: EventId) -> QueryResult<Vec<(PersonRow, PersonStatus)>> {
    let rows: Vec<(PersonRow, Option<String>)> = return_manifest::table
        .inner_join(people::table.on(people::id.eq(return_manifest::person_id)))
        .filter(return_manifest::event_id.eq(event.0))
        .filter(return_manifest::status_before.is_not_null())
        .order(return_manifest::position)
        .select((PersonRow::as_select(), return_manifest::status_before))
        .load(w.conn())?;
    let now = w.now();
    let mut out = Vec::new();
    for (person, before) in rows {
        let before = before
            .as_deref()
            .and_then(PersonStatus::from_str_opt)
            .unwrap_or(PersonStatus::Present);
        diesel::update(people::table.find(person.id.0))
            .set((
                people::status.eq(before.as_str()),
                people::updated_at.eq(now),
                people::version.eq(people::version + 1),
            ))
            .execute(w.conn())?;
        diesel::update(
            return_manifest::table
                .filter(return_manifest::event_id.eq(event.0))
                .filter(return_manifest::person_id.eq(person.id.0)),
        )
        .set(return_manifest::status_before.eq(None::<String>))
        .execute(w.conn())?;
        out.push((person, before));
    }
    Ok(out)
}

/// The event a return names `person` on, for lists of a person's returns: `(event id, reference,
/// status)` of every return (void ones too), newest first.
pub fn returns_naming(
    conn: &mut DbConn,
    person: PersonId,
) -> QueryResult<Vec<(i64, String, String)>> {
    return_manifest::table
        .inner_join(crossing_events::table.on(crossing_events::id.eq(return_manifest::event_id)))
        .filter(return_manifest::person_id.eq(person.0))
        .order(crossing_events::occurred_at.desc())
        .select((
            crossing_events::id,
            crossing_events::reference,
            crossing_events::status,
        ))
        .load(conn)
}
