//! Crossing events as stored: the row, its writes and the look-ups the writes need. Writes take
//! the audit [`Writer`], so they can only happen inside an audited transaction; the balance rules
//! live in [`super::ledger`] and `crate::services::events`. Lists, counts and exports read
//! through [`super::event_lists`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::crossing_events;
use crate::audit::Writer;
use crate::domain::event::{Category, Direction, EventFields, Status};
use crate::domain::ids::{EventId, PostId, UserId};
use crate::domain::ledger::Movement;
use crate::domain::policy::EventFacts;

/// A crossing event as stored.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = crossing_events)]
pub struct EventRow {
    /// Key.
    #[diesel(deserialize_as = i64)]
    pub id: EventId,
    /// The post.
    #[diesel(deserialize_as = i64)]
    pub post_id: PostId,
    /// e.g. `QAIM-2024-0042`.
    pub reference: String,
    /// UTC. (Instants are read digit by digit, [`super::Instant`]: chrono's format parser was
    /// the largest cost of reading a page of events.)
    #[diesel(deserialize_as = super::Instant)]
    pub occurred_at: NaiveDateTime,
    /// Post-local day of `occurred_at`.
    pub local_day: NaiveDate,
    /// `inbound` / `outbound`.
    pub direction: String,
    /// `military` / `civilian`.
    pub category: String,
    /// People.
    pub headcount: i32,
    /// Officers among them.
    pub officers: Option<i32>,
    /// Wounded among them.
    pub wounded: Option<i32>,
    /// Who reported it.
    pub source: String,
    /// Report or document number.
    pub source_reference: String,
    /// Free text.
    pub notes: String,
    /// `pending` / `verified` / `voided`.
    pub status: String,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// Recorder.
    pub recorded_by: i64,
    /// UTC.
    #[diesel(deserialize_as = super::Instant)]
    pub recorded_at: NaiveDateTime,
    /// Verifier.
    pub verified_by: Option<i64>,
    /// UTC.
    #[diesel(deserialize_as = super::MaybeInstant)]
    pub verified_at: Option<NaiveDateTime>,
    /// Who voided it.
    pub voided_by: Option<i64>,
    /// UTC.
    #[diesel(deserialize_as = super::MaybeInstant)]
    pub voided_at: Option<NaiveDateTime>,
    /// UTC.
    #[diesel(deserialize_as = super::Instant)]
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter.
    pub version: i32,
    /// The agreement it was made under.
    pub agreement_id: Option<i64>,
    /// Who last changed its fields (its recorder until corrected).
    pub changed_by: Option<i64>,
    /// Who corrected it since it was last verified (user ids, comma-separated).
    pub changers: String,
}

/// Whether an event is a return of military personnel that cites no agreement: allowed, but
/// flagged wherever events are shown and exported (invariant 5 concerns only cited agreements).
pub fn uncited_return(
    direction: &str,
    category: &str,
    agreement: Option<i64>,
    status: &str,
) -> bool {
    direction == Direction::Outbound.as_str()
        && category == Category::Military.as_str()
        && agreement.is_none()
        && status != Status::Voided.as_str()
}

impl EventRow {
    /// The typed status (an unknown spelling cannot pass the table's CHECK).
    pub fn status(&self) -> Status {
        Status::from_str_opt(&self.status).unwrap_or(Status::Pending)
    }

    /// The typed direction.
    pub fn direction(&self) -> Direction {
        if self.direction == Direction::Outbound.as_str() {
            Direction::Outbound
        } else {
            Direction::Inbound
        }
    }

    /// The typed category.
    pub fn category(&self) -> Category {
        if self.category == Category::Civilian.as_str() {
            Category::Civilian
        } else {
            Category::Military
        }
    }

    /// Who recorded it.
    pub fn recorder(&self) -> UserId {
        UserId(self.recorded_by)
    }

    /// Who made its latest change (its recorder until someone corrected it).
    pub fn changer(&self) -> UserId {
        UserId(self.changed_by.unwrap_or(self.recorded_by))
    }

    /// Everyone who corrected it since it was last verified.
    pub fn changers(&self) -> Vec<UserId> {
        self.changers
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .map(UserId)
            .collect()
    }

    /// The stored list of correctors once `by` has corrected it too.
    pub fn changers_with(&self, by: UserId) -> String {
        let mut ids = self.changers();
        if !ids.contains(&by) {
            ids.push(by);
        }
        ids.iter()
            .map(|u| u.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// What the access policy needs to know of it.
    pub fn facts(&self) -> EventFacts {
        let mut changers = self.changers();
        changers.push(self.changer());
        EventFacts {
            post: self.post_id,
            status: self.status(),
            recorded_by: self.recorder(),
            changed_by: self.changer(),
            changers,
        }
    }
}

/// Everything needed to insert an event besides its fields.
pub struct NewEvent<'a> {
    /// The post.
    pub post: PostId,
    /// `QAIM-2024-0042`.
    pub reference: String,
    /// Reference year.
    pub ref_year: i32,
    /// Reference number.
    pub ref_number: i32,
    /// The validated fields.
    pub fields: &'a EventFields,
    /// Post-local day.
    pub local_day: NaiveDate,
    /// Recorder.
    pub recorded_by: UserId,
    /// The form's key.
    pub form_key: &'a str,
}

/// Inserts a pending event at version 1.
pub fn insert(w: &mut Writer<'_>, new: &NewEvent<'_>) -> QueryResult<EventId> {
    let now = w.now();
    let f = new.fields;
    diesel::insert_into(crossing_events::table)
        .values((
            crossing_events::post_id.eq(new.post.0),
            crossing_events::reference.eq(&new.reference),
            crossing_events::ref_year.eq(new.ref_year),
            crossing_events::ref_number.eq(new.ref_number),
            crossing_events::occurred_at.eq(f.occurred_at.naive_utc()),
            crossing_events::local_day.eq(new.local_day),
            crossing_events::direction.eq(f.direction.as_str()),
            crossing_events::category.eq(f.category.as_str()),
            crossing_events::headcount.eq(f.headcount),
            crossing_events::officers.eq(f.officers),
            crossing_events::wounded.eq(f.wounded),
            crossing_events::source.eq(&f.source),
            crossing_events::source_reference.eq(&f.reference),
            crossing_events::notes.eq(&f.notes),
            crossing_events::status.eq(Status::Pending.as_str()),
            crossing_events::recorded_by.eq(new.recorded_by.0),
            crossing_events::changed_by.eq(Some(new.recorded_by.0)),
            crossing_events::recorded_at.eq(now),
            crossing_events::updated_at.eq(now),
            crossing_events::version.eq(1),
            crossing_events::form_key.eq(new.form_key),
            crossing_events::agreement_id.eq(f.agreement.map(|a| a.0)),
        ))
        .returning(crossing_events::id)
        .get_result::<i64>(w.conn())
        .map(EventId)
}

/// Replaces an event's fields as corrected `by` someone and bumps its version. A corrected event
/// awaits verification again, whatever it was: its verifier checked other figures.
pub fn update_fields(
    w: &mut Writer<'_>,
    id: EventId,
    f: &EventFields,
    local_day: NaiveDate,
    (by, changers): (UserId, &str),
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(crossing_events::table.find(id.0))
        .set((
            crossing_events::occurred_at.eq(f.occurred_at.naive_utc()),
            crossing_events::local_day.eq(local_day),
            crossing_events::direction.eq(f.direction.as_str()),
            crossing_events::category.eq(f.category.as_str()),
            crossing_events::headcount.eq(f.headcount),
            crossing_events::officers.eq(f.officers),
            crossing_events::wounded.eq(f.wounded),
            crossing_events::source.eq(&f.source),
            crossing_events::source_reference.eq(&f.reference),
            crossing_events::notes.eq(&f.notes),
            crossing_events::agreement_id.eq(f.agreement.map(|a| a.0)),
            crossing_events::changed_by.eq(Some(by.0)),
            crossing_events::changers.eq(changers),
            crossing_events::status.eq(Status::Pending.as_str()),
            crossing_events::verified_by.eq(None::<i64>),
            crossing_events::verified_at.eq(None::<NaiveDateTime>),
            crossing_events::updated_at.eq(now),
            crossing_events::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// Moves an event's version on without changing its fields (its list of named people changed):
/// a form or verification based on the version before is then stale.
pub fn bump_version(w: &mut Writer<'_>, id: EventId, version: i32) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(crossing_events::table.find(id.0))
        .set((
            crossing_events::version.eq(version + 1),
            crossing_events::updated_at.eq(now),
        ))
        .execute(w.conn())
}

/// Marks an event verified by `by`.
pub fn mark_verified(
    w: &mut Writer<'_>,
    id: EventId,
    by: UserId,
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(crossing_events::table.find(id.0))
        .set((
            crossing_events::status.eq(Status::Verified.as_str()),
            crossing_events::verified_by.eq(Some(by.0)),
            crossing_events::changers.eq(""),
            crossing_events::verified_at.eq(Some(now)),
            crossing_events::updated_at.eq(now),
            crossing_events::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// Marks an event voided by `by` with `reason`.
pub fn mark_voided(
    w: &mut Writer<'_>,
    id: EventId,
    by: UserId,
    reason: &str,
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(crossing_events::table.find(id.0))
        .set((
            crossing_events::status.eq(Status::Voided.as_str()),
            crossing_events::void_reason.eq(Some(reason)),
            crossing_events::voided_by.eq(Some(by.0)),
            crossing_events::voided_at.eq(Some(now)),
            crossing_events::updated_at.eq(now),
            crossing_events::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// The event with `id`.
pub fn find(conn: &mut DbConn, id: EventId) -> QueryResult<Option<EventRow>> {
    crossing_events::table
        .find(id.0)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// What recording an event must know before it writes, read under the post's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeforeRecording {
    /// The event already recorded from the same form, and who recorded it.
    pub same_form: Option<(EventId, UserId)>,
    /// The first closed day of the post on or after the event's day.
    pub first_closed: Option<NaiveDate>,
    /// The reference number the event takes.
    pub next_ref_number: i32,
}

/// Reads [`BeforeRecording`] for an event at `post` on its local `day`, numbered in `year`, from
/// the form `form_key`: one statement where it was three, because on PostgreSQL each statement is
/// a round trip made while the post's other writers wait for its lock.
pub fn before_recording(
    conn: &mut DbConn,
    post: PostId,
    day: NaiveDate,
    year: i32,
    form_key: &str,
) -> QueryResult<BeforeRecording> {
    let same_form = crossing_events::table.filter(crossing_events::form_key.eq(form_key));
    let (id, by, first_closed, max_number) = diesel::select((
        same_form.select(crossing_events::id).single_value(),
        same_form
            .select(crossing_events::recorded_by)
            .single_value(),
        super::ledger::first_closed_from(post, day),
        crossing_events::table
            .filter(crossing_events::post_id.eq(post.0))
            .filter(crossing_events::ref_year.eq(year))
            .select(diesel::dsl::max(crossing_events::ref_number))
            .single_value(),
    ))
    .get_result::<(Option<i64>, Option<i64>, Option<NaiveDate>, Option<i32>)>(conn)?;
    Ok(BeforeRecording {
        same_form: id.zip(by).map(|(id, by)| (EventId(id), UserId(by))),
        first_closed,
        next_ref_number: max_number.unwrap_or(0) + 1,
    })
}

/// The non-voided movements of one post, category and local day.
pub fn day_movements(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    day: NaiveDate,
) -> QueryResult<Vec<Movement>> {
    // Instants read digit by digit (`super::Instant`): every write replays its day, so a busy
    // day's events are read again on each one recorded.
    let rows: Vec<(super::Instant, String, i32)> = crossing_events::table
        .filter(crossing_events::post_id.eq(post.0))
        .filter(crossing_events::category.eq(category.as_str()))
        .filter(crossing_events::local_day.eq(day))
        .filter(crossing_events::status.ne(Status::Voided.as_str()))
        .order((crossing_events::occurred_at, crossing_events::id))
        .select((
            crossing_events::occurred_at,
            crossing_events::direction,
            crossing_events::headcount,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, direction, headcount)| Movement {
            at: at.0.and_utc(),
            direction: if direction == Direction::Outbound.as_str() {
                Direction::Outbound
            } else {
                Direction::Inbound
            },
            headcount,
        })
        .collect())
}

/// Whether the post has any event at all (its time zone is then fixed).
pub fn post_has_events(conn: &mut DbConn, post: PostId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        crossing_events::table.filter(crossing_events::post_id.eq(post.0)),
    ))
    .get_result(conn)
}

/// Pending events of a post's day.
pub fn pending_on_day(conn: &mut DbConn, post: PostId, day: NaiveDate) -> QueryResult<i64> {
    crossing_events::table
        .filter(crossing_events::post_id.eq(post.0))
        .filter(crossing_events::local_day.eq(day))
        .filter(crossing_events::status.eq(Status::Pending.as_str()))
        .count()
        .get_result(conn)
}
