//! What is heard of people after their return, as stored, and the figures an agreement's page
//! shows of its returnees.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{crossing_events, people, person_followups, return_manifest, users};
use crate::audit::Writer;
use crate::domain::event::Status;
use crate::domain::ids::{AgreementId, PersonId, PostId, UserId};
use crate::domain::person::{Finding, Followup};
use crate::domain::policy::PostScope;

/// Records a follow-up; returns its id.
pub fn insert(
    w: &mut Writer<'_>,
    person: PersonId,
    f: &Followup,
    observation: Option<i64>,
    by: UserId,
) -> QueryResult<i64> {
    let now = w.now();
    diesel::insert_into(person_followups::table)
        .values((
            person_followups::person_id.eq(person.0),
            person_followups::observed_on.eq(f.observed_on),
            person_followups::source.eq(f.source.as_str()),
            person_followups::finding.eq(f.finding.as_str()),
            person_followups::text.eq(&f.text),
            person_followups::agreement_observation_id.eq(observation),
            person_followups::recorded_by.eq(by.0),
            person_followups::recorded_at.eq(now),
        ))
        .returning(person_followups::id)
        .get_result(w.conn())
}

/// A stored follow-up, as a person's page lists it.
#[derive(Queryable, Debug, Clone, PartialEq)]
pub struct FollowupRow {
    /// When.
    pub observed_on: NaiveDate,
    /// Who told.
    pub source: String,
    /// What, in one word.
    pub finding: String,
    /// What was heard.
    pub text: String,
    /// Who recorded it (user name).
    pub recorded_by: String,
    /// UTC.
    pub recorded_at: NaiveDateTime,
}

/// A person's follow-ups, in the order things were heard (then recorded).
pub fn of_person(conn: &mut DbConn, person: PersonId) -> QueryResult<Vec<FollowupRow>> {
    person_followups::table
        .inner_join(users::table.on(users::id.eq(person_followups::recorded_by)))
        .filter(person_followups::person_id.eq(person.0))
        .order((person_followups::observed_on, person_followups::id))
        .select((
            person_followups::observed_on,
            person_followups::source,
            person_followups::finding,
            person_followups::text,
            users::username,
            person_followups::recorded_at,
        ))
        .load(conn)
}

/// What an agreement's page says of its returnees (at the viewer's posts): how many were
/// returned under it, how many have any follow-up, and how many were last heard of safe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Monitoring {
    /// Named people of its verified returns.
    pub returnees: i64,
    /// Of them, with at least one follow-up.
    pub followed_up: i64,
    /// Of them, whose latest follow-up says safe.
    pub last_safe: i64,
}

/// The monitoring figures of `agreement`'s returnees at the posts of `scope`.
pub fn monitoring(
    conn: &mut DbConn,
    agreement: AgreementId,
    scope: &PostScope,
) -> QueryResult<Monitoring> {
    monitoring_at(conn, agreement, scope.posts(), None)
}

/// The monitoring figures of `agreement`'s returnees at `posts` (`None`: every post; callers
/// pass a scope's posts or posts already checked against one), counting only returns and
/// follow-ups dated on or before `as_of` when given (a situation statement's day).
pub fn monitoring_at(
    conn: &mut DbConn,
    agreement: AgreementId,
    posts: Option<Vec<PostId>>,
    as_of: Option<NaiveDate>,
) -> QueryResult<Monitoring> {
    // The last day a date column holds (SQLite compares dates as text, so no wider sentinel).
    let as_of = as_of
        .or(NaiveDate::from_ymd_opt(9999, 12, 31))
        .unwrap_or_default();
    let mut query = return_manifest::table
        .inner_join(crossing_events::table.on(crossing_events::id.eq(return_manifest::event_id)))
        .filter(crossing_events::agreement_id.eq(agreement.0))
        .filter(crossing_events::status.eq(Status::Verified.as_str()))
        .filter(crossing_events::local_day.le(as_of))
        .select(return_manifest::person_id)
        .into_boxed();
    if let Some(posts) = posts {
        query = query
            .filter(crossing_events::post_id.eq_any(posts.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    let returnees: Vec<i64> = query.load(conn)?;
    let heard: Vec<(i64, String)> = person_followups::table
        .filter(person_followups::person_id.eq_any(&returnees))
        .filter(person_followups::observed_on.le(as_of))
        .order((
            person_followups::person_id,
            person_followups::observed_on,
            person_followups::id,
        ))
        .select((person_followups::person_id, person_followups::finding))
        .load(conn)?;
    // The last row of each person is their latest news.
    let mut latest: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for (person, finding) in heard {
        latest.insert(person, finding);
    }
    Ok(Monitoring {
        returnees: returnees.len() as i64,
        followed_up: latest.len() as i64,
        last_safe: latest
            .values()
            .filter(|f| f.as_str() == Finding::Safe.as_str())
            .count() as i64,
    })
}

/// For the people export: each person's count of follow-ups, and the date and finding of the
/// latest, for the people of `ids`.
pub fn latest_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, (usize, NaiveDate, String)>> {
    let rows: Vec<(i64, NaiveDate, String)> = person_followups::table
        .filter(person_followups::person_id.eq_any(ids))
        .order((
            person_followups::person_id,
            person_followups::observed_on,
            person_followups::id,
        ))
        .select((
            person_followups::person_id,
            person_followups::observed_on,
            person_followups::finding,
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, (usize, NaiveDate, String)> =
        std::collections::HashMap::new();
    for (person, on, finding) in rows {
        let entry = out.entry(person).or_insert((0, on, finding.clone()));
        *entry = (entry.0 + 1, on, finding);
    }
    Ok(out)
}

/// The people whose id is in `ids` that are named on a return (not void): their return's
/// reference.
pub fn returns_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    Ok(return_manifest::table
        .inner_join(crossing_events::table.on(crossing_events::id.eq(return_manifest::event_id)))
        .inner_join(people::table.on(people::id.eq(return_manifest::person_id)))
        .filter(return_manifest::person_id.eq_any(ids))
        .filter(crossing_events::status.ne(Status::Voided.as_str()))
        .select((return_manifest::person_id, crossing_events::reference))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}
