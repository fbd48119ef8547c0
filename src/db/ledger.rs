//! The per-post, per-day ledger (DESIGN.md §3, PostDay), kept in step with the events inside
//! the same transaction, and the balance invariant (DESIGN.md §3, invariant 1) checked against
//! it.
//!
//! A change to events on some days of one post and category is applied in three steps: the
//! changed days are replayed from their opening balance (one day's events each); every later
//! day shifts by the same amount, which is checked against each day's lowest balance without
//! reading its events; and a closed day may not shift at all. Callers hold the post's lock
//! ([`super::posts::lock`]) from before their first read, so two writers never check the same stale
//! balance.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConn;
use super::events::day_movements;
use super::schema::{crossing_events, day_closures, post_days};
use super::scope::ScopedPost;
use crate::audit::Writer;
use crate::domain::event::{Category, Direction, Status};
use crate::domain::figures::PendingDay;
use crate::domain::ids::{PostId, UserId};
use crate::domain::ledger::{DayTotals, replay_day, with_arrival};

/// Why the ledger refuses a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// On `day`, `leaving` people would leave but only `present` are there.
    Shortfall {
        /// Post-local day.
        day: NaiveDate,
        /// The category concerned.
        category: Category,
        /// Headcount of the overdrawing outbound event.
        leaving: i64,
        /// Balance just before it.
        present: i64,
    },
    /// The change would alter a closed day (its events or its recorded closing balance).
    DayClosed(NaiveDate),
}

/// What can go wrong while applying a change.
#[derive(Debug)]
pub enum LedgerError {
    /// The rules refuse it.
    Refused(Refusal),
    /// The database failed.
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for LedgerError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

/// One stored ledger row.
#[derive(Queryable, Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerDay {
    /// Post-local day.
    pub day: NaiveDate,
    /// People in.
    pub inbound: i64,
    /// People out.
    pub outbound: i64,
    /// Present at the end of the day.
    pub closing: i64,
    /// Lowest balance during the day.
    pub low: i64,
}

fn latest_row(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    before: NaiveDate,
    inclusive: bool,
) -> QueryResult<Option<LedgerDay>> {
    let mut query = post_days::table
        .filter(post_days::post_id.eq(post.0))
        .filter(post_days::category.eq(category.as_str()))
        .into_boxed();
    query = if inclusive {
        query.filter(post_days::day.le(before))
    } else {
        query.filter(post_days::day.lt(before))
    };
    query
        .order(post_days::day.desc())
        .select((
            post_days::day,
            post_days::inbound,
            post_days::outbound,
            post_days::closing,
            post_days::low,
        ))
        .first(conn)
        .optional()
}

/// The balance at the start and at the end of `day` (0 before the first event), from one read
/// of the last two ledger rows up to the day: every write needs both.
fn opening_and_closing(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    day: NaiveDate,
) -> QueryResult<(i64, i64)> {
    let rows: Vec<(NaiveDate, i64)> = post_days::table
        .filter(post_days::post_id.eq(post.0))
        .filter(post_days::category.eq(category.as_str()))
        .filter(post_days::day.le(day))
        .order(post_days::day.desc())
        .select((post_days::day, post_days::closing))
        .limit(2)
        .load(conn)?;
    Ok(match rows.as_slice() {
        [] => (0, 0),
        // No row for the day itself: it opens and closes where the last earlier day closed.
        [(last, closing), ..] if *last < day => (*closing, *closing),
        [(_, closing)] => (0, *closing),
        [(_, closing), (_, before), ..] => (*before, *closing),
    })
}

/// Present at the end of `day` (0 before the first event).
pub fn closing_at(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    day: NaiveDate,
) -> QueryResult<i64> {
    Ok(latest_row(conn, post, category, day, true)?.map_or(0, |r| r.closing))
}

/// Whether any post has any event (the demo's story is loaded only into an empty ledger).
pub fn any_events(conn: &mut DbConn) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        crossing_events::table.select(crossing_events::id),
    ))
    .get_result(conn)
}

/// The post's latest day with events, if any (the post page's period ends there by default).
pub fn latest_day(conn: &mut DbConn, post: &ScopedPost) -> QueryResult<Option<NaiveDate>> {
    post_days::table
        .filter(post_days::post_id.eq(post.id.0))
        .select(diesel::dsl::max(post_days::day))
        .first(conn)
}

/// Present now: the closing balance of the post's latest day.
pub fn present(conn: &mut DbConn, post: &ScopedPost, category: Category) -> QueryResult<i64> {
    Ok(post_days::table
        .filter(post_days::post_id.eq(post.id.0))
        .filter(post_days::category.eq(category.as_str()))
        .order(post_days::day.desc())
        .select(post_days::closing)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Totals in and out over all days.
pub fn totals(conn: &mut DbConn, post: &ScopedPost, category: Category) -> QueryResult<(i64, i64)> {
    let (inbound, outbound): (Option<i64>, Option<i64>) = post_days::table
        .filter(post_days::post_id.eq(post.id.0))
        .filter(post_days::category.eq(category.as_str()))
        .select((
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                "CAST(SUM(inbound) AS BIGINT)",
            ),
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                "CAST(SUM(outbound) AS BIGINT)",
            ),
        ))
        .first(conn)?;
    Ok((inbound.unwrap_or(0), outbound.unwrap_or(0)))
}

/// The pending entries of a post and category, per day in `from..=to` (`None`: from the first
/// day, to the last), oldest first (the index on post and status reads only the pending rows,
/// however many verified ones there are).
pub fn pending_days(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> QueryResult<Vec<PendingDay>> {
    let mut query = pending_of(post, category)
        .group_by((crossing_events::local_day, crossing_events::direction))
        .select((
            crossing_events::local_day,
            crossing_events::direction,
            diesel::dsl::sum(crossing_events::headcount),
        ))
        .order(crossing_events::local_day)
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(crossing_events::local_day.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(crossing_events::local_day.le(to));
    }
    let rows: Vec<(NaiveDate, String, Option<i64>)> = query.load(conn)?;
    let mut days: Vec<PendingDay> = Vec::new();
    for (day, direction, people) in rows {
        if days.last().is_none_or(|d| d.day != day) {
            days.push(PendingDay {
                day,
                inbound: 0,
                outbound: 0,
            });
        }
        if let Some(last) = days.last_mut() {
            if direction == Direction::Outbound.as_str() {
                last.outbound += people.unwrap_or(0);
            } else {
                last.inbound += people.unwrap_or(0);
            }
        }
    }
    Ok(days)
}

/// People in and out in the pending entries of a post and category on the days before
/// `before` (`None`: on every day), summed by the database.
///
/// One sum per direction, not one `GROUP BY direction`: SQLite would read a grouped query in
/// the order of the index on post and direction, visiting every event of the post (the post
/// page took seconds at a million events), where these read only the pending index.
pub fn pending_in_out(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
    before: Option<NaiveDate>,
) -> QueryResult<(i64, i64)> {
    let mut sum = |direction: Direction| -> QueryResult<i64> {
        let mut query = pending_of(post, category)
            .filter(crossing_events::direction.eq(direction.as_str()))
            .select(diesel::dsl::sum(crossing_events::headcount))
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(crossing_events::local_day.lt(before));
        }
        Ok(query.first::<Option<i64>>(conn)?.unwrap_or(0))
    };
    Ok((sum(Direction::Inbound)?, sum(Direction::Outbound)?))
}

/// The query [`pending_of`] builds.
type PendingOf = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<crossing_events::table, diesel::dsl::Eq<crossing_events::post_id, i64>>,
        diesel::dsl::Eq<crossing_events::status, &'static str>,
    >,
    diesel::dsl::Eq<crossing_events::category, &'static str>,
>;

/// The pending entries of a post and category (read from the covering pending index).
fn pending_of(post: &ScopedPost, category: Category) -> PendingOf {
    crossing_events::table
        .filter(crossing_events::post_id.eq(post.id.0))
        .filter(crossing_events::status.eq(Status::Pending.as_str()))
        .filter(crossing_events::category.eq(category.as_str()))
}

/// Rows of the days in `from..=to` that have events.
pub fn days_between(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<LedgerDay>> {
    post_days::table
        .filter(post_days::post_id.eq(post.id.0))
        .filter(post_days::category.eq(category.as_str()))
        .filter(post_days::day.between(from, to))
        .order(post_days::day)
        .select((
            post_days::day,
            post_days::inbound,
            post_days::outbound,
            post_days::closing,
            post_days::low,
        ))
        .load(conn)
}

/// Re-derives the ledger of `category` at `post` after events on `days` changed (the event rows
/// are already written), and refuses the change if the balance would go negative anywhere or a
/// closed day would be touched.
pub fn apply(
    w: &mut Writer<'_>,
    post: PostId,
    category: Category,
    days: &[NaiveDate],
) -> Result<(), LedgerError> {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    // One read settles every closed-day question below in the usual case, where no day from the
    // earliest one touched onwards is closed; only otherwise is each day and range asked about.
    let closed_ahead = first_closed(w.conn(), post, days.first().copied(), None, true)?.is_some();
    replay(w, post, category, &days, closed_ahead)
}

/// As [`apply`] after a new arrival of `headcount` on `day` (its event row already written),
/// but without replaying the day when [`with_arrival`] can tell its totals from its stored row:
/// an arrival recorded on a busy day then reads one ledger row, not every event of the day.
/// `first_closed`: the post's first closed day on or after `day`, which the caller read under the
/// post's lock ([`super::events::before_recording`]).
pub fn apply_arrival(
    w: &mut Writer<'_>,
    post: PostId,
    category: Category,
    day: NaiveDate,
    headcount: i64,
    first_closed: Option<NaiveDate>,
) -> Result<(), LedgerError> {
    let closed_ahead = first_closed.is_some();
    if !closed_ahead {
        let (opening, before) = match latest_row(w.conn(), post, category, day, true)? {
            Some(row) if row.day == day => (
                row.closing - row.inbound + row.outbound,
                Some(DayTotals {
                    inbound: row.inbound,
                    outbound: row.outbound,
                    closing: row.closing,
                    low: row.low,
                }),
            ),
            // No row for the day: no movement on it yet; it opens where the last day closed.
            Some(row) => (row.closing, None),
            None => (0, None),
        };
        if let Some(totals) = with_arrival(opening, before, headcount) {
            write_row(w, post, category, day, &totals)?;
            // Every later day rises by as much; a rise cannot take a low below zero.
            return shift_range(w, post, category, (Some(day), None), headcount, false);
        }
    }
    replay(w, post, category, &[day], closed_ahead)
}

/// Replays `days` (sorted, distinct) and shifts the days between and after them.
/// `closed_ahead`: whether any day from the first of `days` onwards is closed.
fn replay(
    w: &mut Writer<'_>,
    post: PostId,
    category: Category,
    days: &[NaiveDate],
    closed_ahead: bool,
) -> Result<(), LedgerError> {
    // Old balances first: the loop below rewrites rows as it goes.
    let mut old = Vec::with_capacity(days.len());
    for day in days {
        if closed_ahead
            && let Some(closed) = first_closed(w.conn(), post, Some(*day), Some(*day), true)?
        {
            return Err(LedgerError::Refused(Refusal::DayClosed(closed)));
        }
        let (opening, closing) = opening_and_closing(w.conn(), post, category, *day)?;
        old.push((opening, closing));
    }
    let mut shift = 0;
    let mut previous: Option<NaiveDate> = None;
    for (day, (old_opening, old_closing)) in days.iter().zip(old) {
        shift_range(
            w,
            post,
            category,
            (previous, Some(*day)),
            shift,
            closed_ahead,
        )?;
        let movements = day_movements(w.conn(), post, category, *day)?;
        let totals = replay_day(old_opening + shift, &movements).map_err(|s| {
            LedgerError::Refused(Refusal::Shortfall {
                day: *day,
                category,
                leaving: s.leaving,
                present: s.present,
            })
        })?;
        write_row(w, post, category, *day, &totals)?;
        shift = totals.closing - old_closing;
        previous = Some(*day);
    }
    shift_range(w, post, category, (previous, None), shift, closed_ahead)
}

fn write_row(
    w: &mut Writer<'_>,
    post: PostId,
    category: Category,
    day: NaiveDate,
    t: &DayTotals,
) -> QueryResult<()> {
    let key = post_days::table
        .filter(post_days::post_id.eq(post.0))
        .filter(post_days::category.eq(category.as_str()))
        .filter(post_days::day.eq(day));
    let updated = diesel::update(key)
        .set((
            post_days::inbound.eq(t.inbound),
            post_days::outbound.eq(t.outbound),
            post_days::closing.eq(t.closing),
            post_days::low.eq(t.low),
        ))
        .execute(w.conn())?;
    if updated == 0 {
        diesel::insert_into(post_days::table)
            .values((
                post_days::post_id.eq(post.0),
                post_days::day.eq(day),
                post_days::category.eq(category.as_str()),
                post_days::inbound.eq(t.inbound),
                post_days::outbound.eq(t.outbound),
                post_days::closing.eq(t.closing),
                post_days::low.eq(t.low),
            ))
            .execute(w.conn())?;
    }
    Ok(())
}

/// Shifts every day strictly between `after` and `before` (open ends when `None`) by `shift`,
/// refusing if a closed day is among them or a day's lowest balance would go below zero.
/// `closed_ahead`: whether any day on or after the earliest day `apply` touches is closed; when
/// not, closures are not read. Every range asked about with a shift lies after that day (the
/// first range, which ends at it, always comes with no shift).
fn shift_range(
    w: &mut Writer<'_>,
    post: PostId,
    category: Category,
    (after, before): (Option<NaiveDate>, Option<NaiveDate>),
    shift: i64,
    closed_ahead: bool,
) -> Result<(), LedgerError> {
    if shift == 0 {
        return Ok(());
    }
    if closed_ahead && let Some(closed) = first_closed(w.conn(), post, after, before, false)? {
        return Err(LedgerError::Refused(Refusal::DayClosed(closed)));
    }
    let in_range = || {
        let mut query = post_days::table
            .filter(post_days::post_id.eq(post.0))
            .filter(post_days::category.eq(category.as_str()))
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(post_days::day.gt(after));
        }
        if let Some(before) = before {
            query = query.filter(post_days::day.lt(before));
        }
        query
    };
    if shift < 0 {
        let failing: Option<NaiveDate> = in_range()
            .filter(post_days::low.lt(-shift))
            .order(post_days::day)
            .select(post_days::day)
            .first(w.conn())
            .optional()?;
        if let Some(day) = failing {
            return Err(LedgerError::Refused(shortfall_on(
                w.conn(),
                post,
                category,
                day,
                after,
                shift,
            )?));
        }
    }
    // No look for the days first: an update of no rows is a no-op, and a back-dated entry
    // would otherwise read every later day of the post only to learn there are some.
    let mut update = diesel::update(post_days::table)
        .filter(post_days::post_id.eq(post.0))
        .filter(post_days::category.eq(category.as_str()))
        .into_boxed();
    if let Some(after) = after {
        update = update.filter(post_days::day.gt(after));
    }
    if let Some(before) = before {
        update = update.filter(post_days::day.lt(before));
    }
    update
        .set((
            post_days::closing.eq(post_days::closing + shift),
            post_days::low.eq(post_days::low + shift),
        ))
        .execute(w.conn())?;
    Ok(())
}

/// Names the exact overdrawing event of a day that a shift would make negative: replays it from
/// its new opening balance. Rows after `after` are not shifted yet; `after` itself and earlier
/// rows already hold their new values.
fn shortfall_on(
    conn: &mut DbConn,
    post: PostId,
    category: Category,
    day: NaiveDate,
    after: Option<NaiveDate>,
    shift: i64,
) -> QueryResult<Refusal> {
    let opening = match latest_row(conn, post, category, day, false)? {
        Some(row) if after.is_none_or(|a| row.day > a) => row.closing + shift,
        Some(row) => row.closing,
        None => 0,
    };
    let movements = day_movements(conn, post, category, day)?;
    Ok(match replay_day(opening, &movements) {
        Err(s) => Refusal::Shortfall {
            day,
            category,
            leaving: s.leaving,
            present: s.present,
        },
        // Cannot happen when the rows are consistent; still name the day rather than guess.
        Ok(_) => Refusal::Shortfall {
            day,
            category,
            leaving: 0,
            present: opening,
        },
    })
}

/// The first closed day of `post` in the range (bounds exclusive unless `inclusive`).
fn first_closed(
    conn: &mut DbConn,
    post: PostId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    inclusive: bool,
) -> QueryResult<Option<NaiveDate>> {
    let mut query = day_closures::table
        .filter(day_closures::post_id.eq(post.0))
        .into_boxed();
    if let Some(from) = from {
        query = if inclusive {
            query.filter(day_closures::day.ge(from))
        } else {
            query.filter(day_closures::day.gt(from))
        };
    }
    if let Some(to) = to {
        query = if inclusive {
            query.filter(day_closures::day.le(to))
        } else {
            query.filter(day_closures::day.lt(to))
        };
    }
    query
        .order(day_closures::day)
        .select(day_closures::day)
        .first(conn)
        .optional()
}

/// The first closed day of `post` on or after `day`, as a subquery (for a statement that reads
/// it with other things, [`super::events::before_recording`]).
#[diesel::dsl::auto_type]
pub(super) fn first_closed_from(post: PostId, day: NaiveDate) -> _ {
    let post: i64 = post.0;
    day_closures::table
        .filter(day_closures::post_id.eq(post))
        .filter(day_closures::day.ge(day))
        .order(day_closures::day)
        .select(day_closures::day)
        .single_value()
}

/// Whether `day` of `post` is closed.
pub fn is_closed(conn: &mut DbConn, post: PostId, day: NaiveDate) -> QueryResult<bool> {
    Ok(first_closed(conn, post, Some(day), Some(day), true)?.is_some())
}

/// A closed day.
#[derive(Queryable, Debug, Clone)]
pub struct Closure {
    /// Post-local day.
    pub day: NaiveDate,
    /// Supervisor.
    pub closed_by: i64,
    /// UTC.
    pub closed_at: chrono::NaiveDateTime,
    /// Military present at its end.
    pub military_closing: i64,
    /// Civilians present at its end.
    pub civilian_closing: i64,
}

/// Closed days of a post in `from..=to`.
pub fn closures_between(
    conn: &mut DbConn,
    post: &ScopedPost,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Closure>> {
    day_closures::table
        .filter(day_closures::post_id.eq(post.id.0))
        .filter(day_closures::day.between(from, to))
        .order(day_closures::day)
        .select((
            day_closures::day,
            day_closures::closed_by,
            day_closures::closed_at,
            day_closures::military_closing,
            day_closures::civilian_closing,
        ))
        .load(conn)
}

/// Records a closed day with its closing balances.
pub fn close_day(
    w: &mut Writer<'_>,
    post: PostId,
    day: NaiveDate,
    by: UserId,
    military: i64,
    civilian: i64,
) -> QueryResult<()> {
    let now = w.now();
    diesel::insert_into(day_closures::table)
        .values((
            day_closures::post_id.eq(post.0),
            day_closures::day.eq(day),
            day_closures::closed_by.eq(by.0),
            day_closures::closed_at.eq(now),
            day_closures::military_closing.eq(military),
            day_closures::civilian_closing.eq(civilian),
        ))
        .execute(w.conn())
        .map(|_| ())
}

/// Reopens a closed day.
pub fn reopen_day(w: &mut Writer<'_>, post: PostId, day: NaiveDate) -> QueryResult<usize> {
    diesel::delete(
        day_closures::table
            .filter(day_closures::post_id.eq(post.0))
            .filter(day_closures::day.eq(day)),
    )
    .execute(w.conn())
}
