//! What waits for a supervisor (`/queue`): pending events, oldest first; agreements awaiting a
//! second supervisor; days ready to close. Each read seeks an index (events by status and time,
//! the ledger and closures by post and day), so the queue costs the same at a million events.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConn;
use super::event_lists::{Cursor, Listed, attach_names};
use super::events::EventRow;
use super::schema::{agreement_posts, agreements, crossing_events, day_closures, post_days};
use super::scope::ScopedPost;
use crate::domain::agreement::AgreementStatus;
use crate::domain::event::Status;
use crate::domain::ids::{PostId, UserId};
use crate::domain::policy::PostScope;

/// Pending events of `scope` (or of `post` in it), oldest first, strictly after `after`;
/// `limit + 1` rows are read so the caller knows whether another page follows.
pub fn pending_events(
    conn: &mut DbConn,
    scope: &PostScope,
    post: Option<PostId>,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    let mut query = crossing_events::table
        .filter(crossing_events::status.eq(Status::Pending.as_str()))
        .into_boxed();
    if let Some(ids) = scope.posts() {
        query = query
            .filter(crossing_events::post_id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    if let Some(post) = post {
        query = query.filter(crossing_events::post_id.eq(post.0));
    }
    if let Some((at, id)) = after {
        query = query.filter(crossing_events::occurred_at.ge(at)).filter(
            crossing_events::occurred_at
                .gt(at)
                .or(crossing_events::id.gt(id)),
        );
    }
    let rows: Vec<EventRow> = query
        .order((crossing_events::occurred_at, crossing_events::id))
        .limit(limit + 1)
        .select(EventRow::as_select())
        .load(conn)?;
    attach_names(conn, rows)
}

/// Pending events of `scope` that `user` may verify (neither recorded nor last changed), counted
/// up to `cap + 1`.
pub fn verifiable_count(
    conn: &mut DbConn,
    scope: &PostScope,
    user: UserId,
    cap: i64,
) -> QueryResult<i64> {
    let posts = scope
        .posts()
        .map(|ids| ids.iter().map(|p| p.0).collect::<Vec<_>>());
    let verifiable = || {
        let mut query = crossing_events::table
            .filter(crossing_events::status.eq(Status::Pending.as_str()))
            .filter(crossing_events::recorded_by.ne(user.0))
            .filter(
                crossing_events::changed_by
                    .ne(user.0)
                    .or(crossing_events::changed_by.is_null()),
            )
            // Nor corrected it since its last verification (`changers` holds integer ids only).
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "(',' || changers || ',') NOT LIKE '%,{},%'",
                user.0
            )))
            .into_boxed();
        if let Some(ids) = &posts {
            query = query.filter(crossing_events::post_id.eq_any(ids.clone()));
        }
        query
    };
    super::event_lists::count_up_to(conn, verifiable, cap)
}

/// Agreements awaiting activation that cover at least one post of `scope` (the policy then says
/// which of them the person may confirm).
pub fn awaiting_confirmation(
    conn: &mut DbConn,
    scope: &PostScope,
) -> QueryResult<Vec<super::agreements::Agreement>> {
    let mut query = agreements::table
        .filter(agreements::status.eq(AgreementStatus::PendingActivation.as_str()))
        .order(agreements::updated_at)
        .select(super::agreements::Agreement::as_select())
        .into_boxed();
    if let Some(ids) = scope.posts() {
        query = query.filter(
            agreements::id.eq_any(
                agreement_posts::table
                    .filter(
                        agreement_posts::post_id
                            .eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()),
                    )
                    .select(agreement_posts::agreement_id),
            ),
        );
    }
    query.load(conn)
}

/// Days of `post` up to `until` that have events and are not closed, oldest first, at most
/// `limit`: each with whether any of its events awaits verification.
pub fn open_days(
    conn: &mut DbConn,
    post: &ScopedPost,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(NaiveDate, bool)>> {
    let days: Vec<NaiveDate> = post_days::table
        .filter(post_days::post_id.eq(post.id.0))
        .filter(post_days::day.le(until))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            day_closures::table
                .filter(day_closures::post_id.eq(post_days::post_id))
                .filter(day_closures::day.eq(post_days::day)),
        )))
        .select(post_days::day)
        .distinct()
        .order(post_days::day)
        .limit(limit)
        .load(conn)?;
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let pending: Vec<NaiveDate> = crossing_events::table
        .filter(crossing_events::post_id.eq(post.id.0))
        .filter(crossing_events::status.eq(Status::Pending.as_str()))
        .filter(crossing_events::local_day.between(*first, *last))
        .select(crossing_events::local_day)
        .distinct()
        .load(conn)?;
    Ok(days
        .into_iter()
        .map(|d| (d, pending.contains(&d)))
        .collect())
}
