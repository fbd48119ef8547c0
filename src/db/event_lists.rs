//! Reading crossing events for people: the filtered list with keyset paging, capped counts per
//! post, and the batched reader exports stream from. Every reader takes the person's scope (a
//! [`PostScope`] or [`ScopedPost`]s); writes live in [`super::events`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::events::{EventRow, uncited_return};
use super::schema::{border_posts, crossing_events, users};
use super::scope::ScopedPost;
use crate::domain::event::{Category, Direction, Status};
use crate::domain::ids::PostId;
use crate::domain::policy::PostScope;

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends for the case-insensitive search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
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
    count_up_to(conn, || filtered(filter), cap)
}

/// Events of one query.
type EventQuery<'a> = crossing_events::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend>;

/// How many events `matching` selects: exact up to `cap`, and `cap + 1` for any more.
///
/// Counted inside the database, without handing a row over: first a probe for the row after
/// the cap (`LIMIT 1 OFFSET cap`), then, only when there is none, an exact `COUNT(*)` of what is
/// then at most `cap` rows. Loading up to `cap + 1` ids instead decoded every one of them, a
/// fifth of the events list's time at a million events (BENCHMARKS.md, issue 19).
pub(crate) fn count_up_to<'a>(
    conn: &mut DbConn,
    matching: impl Fn() -> EventQuery<'a>,
    cap: i64,
) -> QueryResult<i64> {
    let beyond_cap: Option<i64> = matching()
        .select(crossing_events::id)
        .offset(cap)
        .limit(1)
        .first(conn)
        .optional()?;
    if beyond_cap.is_some() {
        return Ok(cap + 1);
    }
    matching().count().get_result(conn)
}

/// Adds post codes, zones and recorder names to a page of rows (two small look-ups instead of
/// a join, so the keyset query stays on its index).
pub(crate) fn attach_names(conn: &mut DbConn, rows: Vec<EventRow>) -> QueryResult<Vec<Listed>> {
    // Each id once: a page of 50 events comes mostly from one post and a few recorders.
    let distinct = |ids: Vec<i64>| {
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let post_ids = distinct(rows.iter().map(|r| r.post_id.0).collect());
    let user_ids = distinct(rows.iter().map(|r| r.recorded_by).collect());
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
        let pending = || {
            crossing_events::table
                .filter(crossing_events::status.eq(Status::Pending.as_str()))
                .filter(crossing_events::post_id.eq(post.id.0))
                .into_boxed()
        };
        out.insert(post.id, count_up_to(conn, pending, PER_POST_CAP)?);
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
        let uncited = || {
            crossing_events::table
                .filter(crossing_events::post_id.eq(post.id.0))
                .filter(crossing_events::direction.eq(Direction::Outbound.as_str()))
                .filter(crossing_events::category.eq(Category::Military.as_str()))
                .filter(crossing_events::agreement_id.is_null())
                .filter(crossing_events::status.ne(Status::Voided.as_str()))
                .into_boxed()
        };
        out.insert(post.id, count_up_to(conn, uncited, PER_POST_CAP)?);
    }
    Ok(out)
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

/// The latest `limit` arrivals at `post` that are not void, newest first (the events a person
/// registered there may have come with).
pub fn arrivals(conn: &mut DbConn, post: PostId, limit: i64) -> QueryResult<Vec<EventRow>> {
    crossing_events::table
        .filter(crossing_events::post_id.eq(post.0))
        .filter(crossing_events::direction.eq(Direction::Inbound.as_str()))
        .filter(crossing_events::status.ne(Status::Voided.as_str()))
        .order((
            crossing_events::occurred_at.desc(),
            crossing_events::id.desc(),
        ))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}
