//! Coordination agreements as stored. Writes take the audit [`Writer`]; the rules live in
//! `crate::agreements`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    agreement_clauses, agreement_observations, agreement_posts, agreements, border_posts,
    crossing_events,
};
use crate::audit::Writer;
use crate::domain::agreement::{AgreementFields, AgreementStatus, Clause};
use crate::domain::figures::Figure;
use crate::domain::ids::{AgreementId, PostId, UserId};
use crate::domain::policy::PostScope;

/// An agreement as stored.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = agreements)]
pub struct Agreement {
    /// Key.
    #[diesel(deserialize_as = i64)]
    pub id: AgreementId,
    /// Unique reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Who agreed.
    pub parties: String,
    /// Signed on.
    pub signed_on: NaiveDate,
    /// First day in force.
    pub effective_from: NaiveDate,
    /// Last day in force.
    pub effective_to: Option<NaiveDate>,
    /// Status spelling.
    pub status: String,
    /// Terms.
    pub terms: String,
    /// People to be returned.
    pub planned_headcount: Option<i32>,
    /// Who asked to put it in force.
    pub proposed_by: Option<i64>,
    /// Creator.
    pub created_by: i64,
    /// UTC.
    pub created_at: NaiveDateTime,
    /// UTC.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter.
    pub version: i32,
    /// Who last edited its fields, posts or clauses (its creator until then).
    pub edited_by: Option<i64>,
    /// Who confirmed its latest activation.
    pub confirmed_by: Option<i64>,
}

impl Agreement {
    /// The typed status.
    pub fn status(&self) -> AgreementStatus {
        AgreementStatus::from_str_opt(&self.status).unwrap_or(AgreementStatus::Draft)
    }
}

/// A stored clause.
#[derive(Queryable, Debug, Clone, PartialEq, Eq)]
pub struct ClauseRow {
    /// Key.
    pub id: i64,
    /// Order.
    pub position: i32,
    /// Kind.
    pub kind: String,
    /// Wording.
    pub text: String,
}

/// A stored observation.
#[derive(Queryable, Debug, Clone, PartialEq, Eq)]
pub struct ObservationRow {
    /// Key.
    pub id: i64,
    /// The clause.
    pub clause_id: i64,
    /// Finding.
    pub finding: String,
    /// When observed.
    pub observed_on: NaiveDate,
    /// Who reported it.
    pub source: String,
    /// What was observed.
    pub text: String,
    /// Recorder.
    pub recorded_by: i64,
    /// UTC.
    pub recorded_at: NaiveDateTime,
}

/// Serializes changes to one agreement, and a return citing it against a status change, until
/// the transaction ends (PostgreSQL row lock; SQLite's write transaction already serializes).
pub fn lock(w: &mut Writer<'_>, id: AgreementId) -> QueryResult<usize> {
    super::row_lock::lock(w, super::row_lock::Locked::Agreement, id.0)
}

/// The agreement with `id`.
pub fn find(conn: &mut DbConn, id: AgreementId) -> QueryResult<Option<Agreement>> {
    agreements::table
        .find(id.0)
        .select(Agreement::as_select())
        .first(conn)
        .optional()
}

/// Whether another agreement has `reference`.
pub fn reference_taken(
    conn: &mut DbConn,
    reference: &str,
    except: Option<AgreementId>,
) -> QueryResult<bool> {
    let mut query = agreements::table
        .filter(agreements::reference.eq(reference))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(agreements::id.ne(id.0));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

/// Inserts a draft at version 1.
pub fn insert(w: &mut Writer<'_>, f: &AgreementFields, by: UserId) -> QueryResult<AgreementId> {
    let now = w.now();
    diesel::insert_into(agreements::table)
        .values((
            agreements::reference.eq(&f.reference),
            agreements::title.eq(&f.title),
            agreements::parties.eq(&f.parties),
            agreements::signed_on.eq(f.signed_on),
            agreements::effective_from.eq(f.effective_from),
            agreements::effective_to.eq(f.effective_to),
            agreements::status.eq(AgreementStatus::Draft.as_str()),
            agreements::terms.eq(&f.terms),
            agreements::planned_headcount.eq(f.planned_headcount),
            agreements::created_by.eq(by.0),
            agreements::edited_by.eq(Some(by.0)),
            agreements::created_at.eq(now),
            agreements::updated_at.eq(now),
            agreements::version.eq(1),
        ))
        .returning(agreements::id)
        .get_result::<i64>(w.conn())
        .map(AgreementId)
}

/// Replaces the editable fields as edited `by` someone and bumps the version.
pub fn update(
    w: &mut Writer<'_>,
    id: AgreementId,
    f: &AgreementFields,
    by: UserId,
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(agreements::table.find(id.0))
        .set((
            agreements::reference.eq(&f.reference),
            agreements::title.eq(&f.title),
            agreements::parties.eq(&f.parties),
            agreements::signed_on.eq(f.signed_on),
            agreements::effective_from.eq(f.effective_from),
            agreements::effective_to.eq(f.effective_to),
            agreements::terms.eq(&f.terms),
            agreements::planned_headcount.eq(f.planned_headcount),
            agreements::edited_by.eq(Some(by.0)),
            agreements::updated_at.eq(now),
            agreements::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// Sets the status, who proposed the activation and who confirmed it, and bumps the version.
pub fn set_status(
    w: &mut Writer<'_>,
    id: AgreementId,
    status: AgreementStatus,
    (proposed_by, confirmed_by): (Option<UserId>, Option<UserId>),
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(agreements::table.find(id.0))
        .set((
            agreements::status.eq(status.as_str()),
            agreements::proposed_by.eq(proposed_by.map(|u| u.0)),
            agreements::confirmed_by.eq(confirmed_by.map(|u| u.0)),
            agreements::updated_at.eq(now),
            agreements::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// The covered posts: (id, code), by code.
pub fn posts_of(conn: &mut DbConn, id: AgreementId) -> QueryResult<Vec<(PostId, String)>> {
    Ok(agreement_posts::table
        .inner_join(border_posts::table)
        .filter(agreement_posts::agreement_id.eq(id.0))
        .order(border_posts::code)
        .select((border_posts::id, border_posts::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(p, code)| (PostId(p), code))
        .collect())
}

/// Replaces the covered posts.
pub fn set_posts(w: &mut Writer<'_>, id: AgreementId, posts: &[PostId]) -> QueryResult<()> {
    diesel::delete(agreement_posts::table.filter(agreement_posts::agreement_id.eq(id.0)))
        .execute(w.conn())?;
    // One row at a time: the multi-backend connection has no batch insert.
    for post in posts {
        diesel::insert_into(agreement_posts::table)
            .values((
                agreement_posts::agreement_id.eq(id.0),
                agreement_posts::post_id.eq(post.0),
            ))
            .execute(w.conn())?;
    }
    Ok(())
}

/// The clauses, in order.
pub fn clauses_of(conn: &mut DbConn, id: AgreementId) -> QueryResult<Vec<ClauseRow>> {
    agreement_clauses::table
        .filter(agreement_clauses::agreement_id.eq(id.0))
        .order(agreement_clauses::position)
        .select((
            agreement_clauses::id,
            agreement_clauses::position,
            agreement_clauses::kind,
            agreement_clauses::text,
        ))
        .load(conn)
}

/// Writes the clauses by position: existing positions are updated in place (so observations
/// keep pointing at them), new ones inserted, and positions beyond the new list removed. Returns
/// `false`, changing nothing, if a clause to remove has observations.
pub fn replace_clauses(
    w: &mut Writer<'_>,
    id: AgreementId,
    clauses: &[Clause],
) -> QueryResult<bool> {
    let existing = clauses_of(w.conn(), id)?;
    let removed: Vec<i64> = existing
        .iter()
        .filter(|c| usize::try_from(c.position).unwrap_or(usize::MAX) >= clauses.len())
        .map(|c| c.id)
        .collect();
    if !removed.is_empty() {
        let observed: i64 = agreement_observations::table
            .filter(agreement_observations::clause_id.eq_any(&removed))
            .count()
            .get_result(w.conn())?;
        if observed > 0 {
            return Ok(false);
        }
        diesel::delete(agreement_clauses::table.filter(agreement_clauses::id.eq_any(&removed)))
            .execute(w.conn())?;
    }
    for (position, clause) in clauses.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        match existing.iter().find(|c| c.position == position) {
            Some(row) => {
                diesel::update(agreement_clauses::table.find(row.id))
                    .set((
                        agreement_clauses::kind.eq(&clause.kind),
                        agreement_clauses::text.eq(&clause.text),
                    ))
                    .execute(w.conn())?;
            }
            None => {
                diesel::insert_into(agreement_clauses::table)
                    .values((
                        agreement_clauses::agreement_id.eq(id.0),
                        agreement_clauses::position.eq(position),
                        agreement_clauses::kind.eq(&clause.kind),
                        agreement_clauses::text.eq(&clause.text),
                    ))
                    .execute(w.conn())?;
            }
        }
    }
    Ok(true)
}

/// The observations, oldest first.
pub fn observations_of(conn: &mut DbConn, id: AgreementId) -> QueryResult<Vec<ObservationRow>> {
    agreement_observations::table
        .filter(agreement_observations::agreement_id.eq(id.0))
        .order((
            agreement_observations::observed_on,
            agreement_observations::id,
        ))
        .select((
            agreement_observations::id,
            agreement_observations::clause_id,
            agreement_observations::finding,
            agreement_observations::observed_on,
            agreement_observations::source,
            agreement_observations::text,
            agreement_observations::recorded_by,
            agreement_observations::recorded_at,
        ))
        .load(conn)
}

/// A new observation.
pub struct NewObservation<'a> {
    /// The clause.
    pub clause_id: i64,
    /// Finding.
    pub finding: &'a str,
    /// When observed.
    pub observed_on: NaiveDate,
    /// Who reported it.
    pub source: &'a str,
    /// What was observed.
    pub text: &'a str,
}

/// Records an observation; returns its id.
pub fn insert_observation(
    w: &mut Writer<'_>,
    id: AgreementId,
    by: UserId,
    o: &NewObservation<'_>,
) -> QueryResult<i64> {
    let now = w.now();
    diesel::insert_into(agreement_observations::table)
        .values((
            agreement_observations::agreement_id.eq(id.0),
            agreement_observations::clause_id.eq(o.clause_id),
            agreement_observations::finding.eq(o.finding),
            agreement_observations::observed_on.eq(o.observed_on),
            agreement_observations::source.eq(o.source),
            agreement_observations::text.eq(o.text),
            agreement_observations::recorded_by.eq(by.0),
            agreement_observations::recorded_at.eq(now),
        ))
        .returning(agreement_observations::id)
        .get_result(w.conn())
}

/// Which agreements `/agreements` and its export list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListFilter {
    /// The person's posts: agreements covering any of them, figures only of them.
    pub scope: PostScope,
    /// Only agreements covering this post.
    pub post: Option<PostId>,
    /// Only agreements in this status.
    pub status: Option<AgreementStatus>,
}

/// The agreements `filter` selects, newest first.
pub fn list(conn: &mut DbConn, filter: &ListFilter) -> QueryResult<Vec<Agreement>> {
    let covering = |ids: Vec<i64>| {
        agreements::id.eq_any(
            agreement_posts::table
                .filter(agreement_posts::post_id.eq_any(ids))
                .select(agreement_posts::agreement_id),
        )
    };
    let mut query = agreements::table
        .order((agreements::effective_from.desc(), agreements::id.desc()))
        .select(Agreement::as_select())
        .into_boxed();
    if let Some(ids) = filter.scope.posts() {
        query = query.filter(covering(ids.iter().map(|p| p.0).collect()));
    }
    if let Some(post) = filter.post {
        query = query.filter(covering(vec![post.0]));
    }
    if let Some(status) = filter.status {
        query = query.filter(agreements::status.eq(status.as_str()));
    }
    query.load(conn)
}

/// Agreements covering `post` in `status`, by reference (the event form's choices).
pub fn covering(
    conn: &mut DbConn,
    post: PostId,
    status: AgreementStatus,
) -> QueryResult<Vec<Agreement>> {
    agreements::table
        .filter(agreements::status.eq(status.as_str()))
        .filter(
            agreements::id.eq_any(
                agreement_posts::table
                    .filter(agreement_posts::post_id.eq(post.0))
                    .select(agreement_posts::agreement_id),
            ),
        )
        .order(agreements::reference)
        .select(Agreement::as_select())
        .load(conn)
}

/// The people of a group of events, as the same 64-bit integer on both backends.
fn people_sum()
-> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::BigInt>> {
    diesel::dsl::sql("CAST(SUM(headcount) AS BIGINT)")
}

/// The people of a group of events that await verification.
fn pending_sum()
-> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::BigInt>> {
    diesel::dsl::sql("CAST(SUM(CASE WHEN status = 'pending' THEN headcount ELSE 0 END) AS BIGINT)")
}

/// People returned under an agreement (non-void events citing it) at the posts in `scope`, per
/// post, with how many of them await verification. Another post's figures are never read for
/// someone outside it.
pub fn returned_per_post(
    conn: &mut DbConn,
    scope: &PostScope,
    id: AgreementId,
) -> QueryResult<Vec<(PostId, Figure)>> {
    let mut query = crossing_events::table
        .filter(crossing_events::agreement_id.eq(id.0))
        .filter(crossing_events::status.ne("voided"))
        .group_by(crossing_events::post_id)
        .select((crossing_events::post_id, people_sum(), pending_sum()))
        .into_boxed();
    if let Some(ids) = scope.posts() {
        query = query
            .filter(crossing_events::post_id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, n, pending)| (PostId(p), Figure::new(n.unwrap_or(0), pending.unwrap_or(0))))
        .collect())
}

/// Returned per agreement at the posts in `scope`, for the list: agreement → people (and how
/// many of them await verification).
pub fn returned_totals(
    conn: &mut DbConn,
    scope: &PostScope,
) -> QueryResult<std::collections::HashMap<i64, Figure>> {
    let mut query = crossing_events::table
        .filter(crossing_events::agreement_id.is_not_null())
        .filter(crossing_events::status.ne("voided"))
        .group_by(crossing_events::agreement_id)
        .select((crossing_events::agreement_id, people_sum(), pending_sum()))
        .into_boxed();
    if let Some(ids) = scope.posts() {
        query = query
            .filter(crossing_events::post_id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    let rows: Vec<(Option<i64>, Option<i64>, Option<i64>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, n, pending)| Some((a?, Figure::new(n.unwrap_or(0), pending.unwrap_or(0)))))
        .collect())
}

/// Whether non-void events citing the agreement would fall outside its new `posts` or window:
/// the field to blame (`post_codes`, `effective_from`, `effective_to`), or `None`.
pub fn citations_outside(
    conn: &mut DbConn,
    id: AgreementId,
    posts: &[PostId],
    f: &crate::domain::agreement::AgreementFields,
) -> QueryResult<Option<&'static str>> {
    let cited = || {
        crossing_events::table
            .filter(crossing_events::agreement_id.eq(id.0))
            .filter(crossing_events::status.ne("voided"))
    };
    let ids: Vec<i64> = posts.iter().map(|p| p.0).collect();
    let elsewhere: i64 = cited()
        .filter(crossing_events::post_id.ne_all(ids))
        .count()
        .get_result(conn)?;
    if elsewhere > 0 {
        return Ok(Some("post_codes"));
    }
    let earliest: Option<NaiveDate> = cited()
        .select(diesel::dsl::min(crossing_events::local_day))
        .first(conn)?;
    if earliest.is_some_and(|d| d < f.effective_from) {
        return Ok(Some("effective_from"));
    }
    let latest: Option<NaiveDate> = cited()
        .select(diesel::dsl::max(crossing_events::local_day))
        .first(conn)?;
    if let (Some(latest), Some(to)) = (latest, f.effective_to)
        && latest > to
    {
        return Ok(Some("effective_to"));
    }
    Ok(None)
}
