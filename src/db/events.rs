//! Crossing events as stored. Writes take the audit [`Writer`], so they can only happen inside
//! an audited transaction; the balance rules live in [`super::ledger`] and `crate::events`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::scope::ScopedPost;
use super::schema::{border_posts, crossing_events, users};
use crate::audit::Writer;
use crate::domain::event::{Category, Direction, EventFields, Movement, Status};
use crate::domain::ids::{EventId, PostId, UserId};
use crate::domain::policy::{EventFacts, PostScope};

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends for the case-insensitive search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

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
    /// UTC.
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
    pub recorded_at: NaiveDateTime,
    /// Verifier.
    pub verified_by: Option<i64>,
    /// UTC.
    pub verified_at: Option<NaiveDateTime>,
    /// Who voided it.
    pub voided_by: Option<i64>,
    /// UTC.
    pub voided_at: Option<NaiveDateTime>,
    /// UTC.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter.
    pub version: i32,
    /// The agreement it was made under.
    pub agreement_id: Option<i64>,
    /// Who last changed its fields (its recorder until corrected).
    pub changed_by: Option<i64>,
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

    /// What the access policy needs to know of it.
    pub fn facts(&self) -> EventFacts {
        EventFacts {
            post: self.post_id,
            status: self.status(),
            recorded_by: self.recorder(),
            changed_by: self.changer(),
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
    by: UserId,
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
            crossing_events::status.eq(Status::Pending.as_str()),
            crossing_events::verified_by.eq(None::<i64>),
            crossing_events::verified_at.eq(None::<NaiveDateTime>),
            crossing_events::updated_at.eq(now),
            crossing_events::version.eq(version + 1),
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

/// The event a form with `form_key` created, if any: `(id, recorder)`.
pub fn find_by_form_key(
    conn: &mut DbConn,
    form_key: &str,
) -> QueryResult<Option<(EventId, UserId)>> {
    crossing_events::table
        .filter(crossing_events::form_key.eq(form_key))
        .select((crossing_events::id, crossing_events::recorded_by))
        .first::<(i64, i64)>(conn)
        .optional()
        .map(|found| found.map(|(id, by)| (EventId(id), UserId(by))))
}

/// The next reference number of a post in a year (call under the post's lock).
pub fn next_ref_number(conn: &mut DbConn, post: PostId, year: i32) -> QueryResult<i32> {
    let max: Option<i32> = crossing_events::table
        .filter(crossing_events::post_id.eq(post.0))
        .filter(crossing_events::ref_year.eq(year))
        .select(diesel::dsl::max(crossing_events::ref_number))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// The non-voided movements of one post, category and local day.
pub fn day_movements(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    day: NaiveDate,
) -> QueryResult<Vec<Movement>> {
    let rows: Vec<(NaiveDateTime, String, i32)> = crossing_events::table
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
            at: at.and_utc(),
            direction: if direction == Direction::Outbound.as_str() {
                Direction::Outbound
            } else {
                Direction::Inbound
            },
            headcount,
        })
        .collect())
}

/// Filters of `/events` and its CSV export, always within someone's posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The posts of the person asking: nothing outside them is read.
    pub scope: PostScope,
    /// One post.
    pub post: Option<PostId>,
    /// One direction.
    pub direction: Option<Direction>,
    /// One category.
    pub category: Option<Category>,
    /// One status.
    pub status: Option<Status>,
    /// First post-local day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last post-local day, inclusive.
    pub to: Option<NaiveDate>,
    /// Words searched in source, source reference, notes and the event's reference.
    pub q: Option<String>,
    /// Only returns made under this agreement.
    pub agreement: Option<crate::domain::ids::AgreementId>,
}

impl Filter {
    /// Every event of `scope`, unfiltered otherwise.
    pub fn within(scope: PostScope) -> Self {
        Self {
            scope,
            post: None,
            direction: None,
            category: None,
            status: None,
            from: None,
            to: None,
            q: None,
            agreement: None,
        }
    }
}

/// A listed event with its post's code and zone and its recorder's name.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The event.
    pub event: EventRow,
    /// Its post's code.
    pub post_code: String,
    /// Its post's zone.
    pub timezone: String,
    /// Recorder's user name.
    pub recorded_by: String,
}

/// Keyset position: the last row shown, `(occurred_at, id)`.
pub type Cursor = (NaiveDateTime, i64);

/// Escapes `%`, `_` and `\` for LIKE with `\` as the escape character.
fn like_pattern(q: &str) -> String {
    let mut escaped = String::with_capacity(q.len() + 2);
    escaped.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

fn filtered<'a>(
    filter: &Filter,
) -> crossing_events::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend> {
    let mut query = crossing_events::table.into_boxed();
    if let Some(scope) = filter.scope.posts() {
        query = query
            .filter(crossing_events::post_id.eq_any(scope.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    if let Some(post) = filter.post {
        query = query.filter(crossing_events::post_id.eq(post.0));
    }
    if let Some(d) = filter.direction {
        query = query.filter(crossing_events::direction.eq(d.as_str()));
    }
    if let Some(c) = filter.category {
        query = query.filter(crossing_events::category.eq(c.as_str()));
    }
    if let Some(s) = filter.status {
        query = query.filter(crossing_events::status.eq(s.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(crossing_events::local_day.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(crossing_events::local_day.le(to));
    }
    if let Some(a) = filter.agreement {
        query = query.filter(crossing_events::agreement_id.eq(a.0));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        query = query.filter(
            lower(crossing_events::source)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(crossing_events::source_reference)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(crossing_events::notes)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(crossing_events::reference).like(pattern).escape('\\')),
        );
    }
    query
}

/// One page of events, newest first, strictly after `after` in that order; `limit + 1` rows
/// are asked for so the caller knows whether another page follows.
pub fn page(
    conn: &mut DbConn,
    filter: &Filter,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    let mut query = filtered(filter);
    if let Some((at, id)) = after {
        // `<=` first, so the database seeks the index to the cursor instead of scanning from
        // the newest row; the second term drops the cursor's own instant up to its id.
        query = query.filter(crossing_events::occurred_at.le(at)).filter(
            crossing_events::occurred_at
                .lt(at)
                .or(crossing_events::id.lt(id)),
        );
    }
    let rows: Vec<EventRow> = query
        .order((
            crossing_events::occurred_at.desc(),
            crossing_events::id.desc(),
        ))
        .limit(limit + 1)
        .select(EventRow::as_select())
        .load(conn)?;
    attach_names(conn, rows)
}

/// Counts matching events, stopping at `cap + 1` so a huge table costs no more than `cap`.
pub fn count_capped(conn: &mut DbConn, filter: &Filter, cap: i64) -> QueryResult<i64> {
    let ids: Vec<i64> = filtered(filter)
        .select(crossing_events::id)
        .limit(cap + 1)
        .load(conn)?;
    Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
}

/// Adds post codes, zones and recorder names to a page of rows (two small look-ups instead of
/// a join, so the keyset query stays on its index).
fn attach_names(conn: &mut DbConn, rows: Vec<EventRow>) -> QueryResult<Vec<Listed>> {
    let post_ids: Vec<i64> = rows.iter().map(|r| r.post_id.0).collect();
    let user_ids: Vec<i64> = rows.iter().map(|r| r.recorded_by).collect();
    let posts: std::collections::HashMap<i64, (String, String)> = border_posts::table
        .filter(border_posts::id.eq_any(post_ids))
        .select((border_posts::id, border_posts::code, border_posts::timezone))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, tz)| (id, (code, tz)))
        .collect();
    let names: std::collections::HashMap<i64, String> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|event| {
            let (post_code, timezone) = posts.get(&event.post_id.0).cloned().unwrap_or_default();
            let recorded_by = names.get(&event.recorded_by).cloned().unwrap_or_default();
            Listed {
                event,
                post_code,
                timezone,
                recorded_by,
            }
        })
        .collect())
}

/// The last `limit` events of a post in `scope`, newest first.
pub fn latest_of_post(
    conn: &mut DbConn,
    scope: &PostScope,
    post: PostId,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    let filter = Filter {
        post: Some(post),
        ..Filter::within(scope.clone())
    };
    let mut rows = page(conn, &filter, None, limit)?;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

/// Counted exactly up to here per post on the dashboard and post pages; beyond, "more than".
pub const PER_POST_CAP: i64 = 1_000;

/// Pending events of each post in `posts`, counted up to [`PER_POST_CAP`] + 1 each, so a post
/// with a huge backlog costs no more than one with a thousand.
pub fn pending_capped(
    conn: &mut DbConn,
    posts: &[ScopedPost],
) -> QueryResult<std::collections::HashMap<PostId, i64>> {
    let mut out = std::collections::HashMap::new();
    for post in posts {
        let ids: Vec<i64> = crossing_events::table
            .filter(crossing_events::status.eq(Status::Pending.as_str()))
            .filter(crossing_events::post_id.eq(post.id.0))
            .select(crossing_events::id)
            .limit(PER_POST_CAP + 1)
            .load(conn)?;
        out.insert(post.id, i64::try_from(ids.len()).unwrap_or(i64::MAX));
    }
    Ok(out)
}

/// Military returns citing no agreement at each post in `posts` (not void), counted up to
/// [`PER_POST_CAP`] + 1 each.
pub fn uncited_capped(
    conn: &mut DbConn,
    posts: &[ScopedPost],
) -> QueryResult<std::collections::HashMap<PostId, i64>> {
    let mut out = std::collections::HashMap::new();
    for post in posts {
        let ids: Vec<i64> = crossing_events::table
            .filter(crossing_events::post_id.eq(post.id.0))
            .filter(crossing_events::direction.eq(Direction::Outbound.as_str()))
            .filter(crossing_events::category.eq(Category::Military.as_str()))
            .filter(crossing_events::agreement_id.is_null())
            .filter(crossing_events::status.ne(Status::Voided.as_str()))
            .select(crossing_events::id)
            .limit(PER_POST_CAP + 1)
            .load(conn)?;
        out.insert(post.id, i64::try_from(ids.len()).unwrap_or(i64::MAX));
    }
    Ok(out)
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

/// An event as exports read it: only the columns they write, because at a million rows every
/// timestamp parsed costs (SQLite hands instants over as text, read by [`super::Instant`]).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = crossing_events)]
pub struct ExportRow {
    /// Key.
    pub id: i64,
    /// The post.
    pub post_id: i64,
    /// e.g. `QAIM-2024-0042`.
    pub reference: String,
    /// UTC.
    pub occurred_at: super::Instant,
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
    pub recorded_at: super::Instant,
    /// Verifier.
    pub verified_by: Option<i64>,
    /// UTC.
    pub verified_at: Option<super::Instant>,
    /// The agreement cited.
    pub agreement_id: Option<i64>,
}

impl ExportRow {
    /// A military return citing no agreement.
    pub fn uncited(&self) -> bool {
        uncited_return(
            &self.direction,
            &self.category,
            self.agreement_id,
            &self.status,
        )
    }
}

/// Calls `each` with every matching event, oldest first, reading in batches by keyset: the
/// PostgreSQL driver would load a whole result before the first row, and between batches an
/// export whose client has gone stops. Returns when `each` answers `false` or rows run out.
///
/// Reading (the database's work and decoding rows) and what `each` does with them (an export
/// formats, hashes and sends) take about as long as each other, so a second thread reads the
/// next batch while `each` works through this one: on two cores an export takes little more
/// than the longer of the two. At most three batches exist at once (one read, one waiting, one
/// written), so memory stays flat however many rows match.
pub fn for_each(
    conn: &mut DbConn,
    filter: &Filter,
    mut each: impl FnMut(&ExportRow) -> bool,
) -> QueryResult<()> {
    std::thread::scope(|scope| {
        // Made inside the scope, so that if `each` panics, unwinding drops the receiver and the
        // reader stops, rather than waiting to send for ever while the scope waits for it.
        let (batches, arrived) = std::sync::mpsc::sync_channel::<Vec<ExportRow>>(1);
        // The reader alone uses the connection until it ends; it stops when the channel
        // closes, that is when `each` has had enough.
        let reader =
            scope.spawn(move || read_batches(conn, filter, |rows| batches.send(rows).is_ok()));
        'batches: for rows in &arrived {
            for row in &rows {
                if !each(row) {
                    break 'batches;
                }
            }
        }
        drop(arrived);
        reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Reads every matching event, oldest first, in batches by keyset, handing each batch to `take`
/// until it answers `false` or rows run out.
fn read_batches(
    conn: &mut DbConn,
    filter: &Filter,
    mut take: impl FnMut(Vec<ExportRow>) -> bool,
) -> QueryResult<()> {
    const BATCH: i64 = 5_000;
    let mut after: Option<Cursor> = None;
    loop {
        let mut query = filtered(filter);
        if let Some((at, id)) = after {
            // `>=` first, so each batch seeks the index to the cursor: with the OR alone,
            // SQLite scanned from the start for every batch (quadratic at a million rows).
            query = query.filter(crossing_events::occurred_at.ge(at)).filter(
                crossing_events::occurred_at
                    .gt(at)
                    .or(crossing_events::id.gt(id)),
            );
        }
        let rows: Vec<ExportRow> = query
            .order((crossing_events::occurred_at, crossing_events::id))
            .limit(BATCH)
            .select(ExportRow::as_select())
            .load(conn)?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = Some((last.occurred_at.0, last.id));
        if !take(rows) {
            return Ok(());
        }
    }
}
