//! What the record says at the end of one day, at the posts chosen: everything a situation
//! statement states, read in one snapshot and nothing else. Only verified entries count towards
//! figures; pending ones are counted apart so the statement can say they are left out.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::agreements::{self, Agreement, ClauseRow, ObservationRow};
use crate::db::followups::{self, Monitoring};
use crate::db::ledger;
use crate::db::posts::Post;
use crate::db::schema::{
    agreement_posts, agreements as agreements_table, crossing_events, people, person_statements,
};
use crate::db::scope::ScopedPost;
use crate::db::{self, DbConn};
use crate::domain::agreement::AgreementStatus;
use crate::domain::event::{Category, Direction, Status};
use crate::domain::figures::pending_balance_at;
use crate::domain::ids::{AgreementId, PostId};

/// The days on which people moved one way, and how many moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movement {
    /// People, verified entries only.
    pub people: i64,
    /// The days with any of them, oldest first.
    pub days: Vec<NaiveDate>,
}

impl Movement {
    fn add(&mut self, day: NaiveDate, people: i64) {
        if people > 0 {
            self.people += people;
            self.days.push(day);
        }
    }
}

/// One category at one post, up to the end of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFacts {
    /// The category.
    pub category: Category,
    /// Who entered.
    pub entered: Movement,
    /// Who left (were returned).
    pub returned: Movement,
    /// Present at the end of the day (the ledger's closing balance).
    pub remaining: i64,
    /// The agreements the verified returns cited (reference, and whether it holds a
    /// no-reprisals clause), by reference; empty when none cited one.
    pub returned_under: Vec<(AgreementId, String, bool)>,
}

/// One post, up to the end of the day.
#[derive(Debug, Clone)]
pub struct PostFacts {
    /// The post.
    pub post: Post,
    /// Military, then civilians.
    pub categories: Vec<CategoryFacts>,
    /// Entries on days up to the end of the day that await verification, and their people in
    /// and out.
    pub pending: (i64, i64, i64),
    /// The last day of the first unbroken run of closed days, if any is closed by then.
    pub closed_up_to: Option<NaiveDate>,
}

/// Where an agreement stood at the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// In force.
    InForce,
    /// Its effective period ended on this day, before the statement's day.
    Ended(NaiveDate),
    /// Suspended on this day (the day the change was recorded).
    Suspended(NaiveDate),
    /// Concluded on this day (the day the change was recorded).
    Concluded(NaiveDate),
}

/// An agreement covering a chosen post, as of the end of the day.
#[derive(Debug, Clone)]
pub struct AgreementFacts {
    /// The agreement.
    pub agreement: Agreement,
    /// Where it stood.
    pub standing: Standing,
    /// Its clauses, in order.
    pub clauses: Vec<ClauseRow>,
    /// Findings observed on or before the day.
    pub observations: Vec<ObservationRow>,
    /// People returned under it by then at the chosen posts (verified entries).
    pub returned: i64,
    /// What was heard of its returnees by then, at the chosen posts.
    pub monitoring: Monitoring,
}

/// Everything a statement says.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The statement's day.
    pub as_of: NaiveDate,
    /// The posts, by code.
    pub posts: Vec<PostFacts>,
    /// Agreements covering any of them that were put in force on or before the day.
    pub agreements: Vec<AgreementFacts>,
    /// People registered at the posts whose latest statement by then declines return.
    pub declined: i64,
}

/// The first day any figure is read from: a date both databases store (chrono's own minimum
/// is out of PostgreSQL's range).
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()
}

/// Reads the facts at `posts` as of the end of `as_of`.
pub fn read(conn: &mut DbConn, posts: &[ScopedPost], as_of: NaiveDate) -> QueryResult<Facts> {
    let mut post_facts = Vec::new();
    for post in posts {
        post_facts.push(post_facts_of(conn, post, as_of)?);
    }
    let ids: Vec<i64> = posts.iter().map(|p| p.id.0).collect();
    let post_ids: Vec<PostId> = posts.iter().map(|p| p.id).collect();
    let mut agreement_facts = Vec::new();
    for agreement in agreements_at(conn, &ids, as_of)? {
        let Some(standing) = standing_of(conn, &agreement, as_of)? else {
            continue;
        };
        let observations = agreements::observations_of(conn, agreement.id)?
            .into_iter()
            .filter(|o| o.observed_on <= as_of)
            .collect();
        agreement_facts.push(AgreementFacts {
            clauses: agreements::clauses_of(conn, agreement.id)?,
            observations,
            returned: returned_under(conn, agreement.id, &ids, as_of)?,
            monitoring: followups::monitoring_at(
                conn,
                agreement.id,
                Some(post_ids.clone()),
                Some(as_of),
            )?,
            standing,
            agreement,
        });
    }
    Ok(Facts {
        as_of,
        declined: declined(conn, &ids, as_of)?,
        posts: post_facts,
        agreements: agreement_facts,
    })
}

fn post_facts_of(conn: &mut DbConn, post: &ScopedPost, as_of: NaiveDate) -> QueryResult<PostFacts> {
    let mut categories = Vec::new();
    // Days with any entry, verified or not: a day is settled when it is closed.
    let mut days_with_entries = std::collections::BTreeSet::new();
    for category in Category::ALL {
        // The ledger holds every entry that is not void; what pending ones add is taken off
        // day by day, so only verified figures remain.
        let pending = ledger::pending_days(conn, post, category, None, Some(as_of))?;
        let mut entered = Movement::default();
        let mut returned = Movement::default();
        for day in ledger::days_between(conn, post, category, first_day(), as_of)? {
            days_with_entries.insert(day.day);
            let (pending_in, pending_out) = pending
                .iter()
                .find(|p| p.day == day.day)
                .map_or((0, 0), |p| (p.inbound, p.outbound));
            entered.add(day.day, day.inbound - pending_in);
            returned.add(day.day, day.outbound - pending_out);
        }
        let remaining = ledger::closing_at(conn, post.id, category, as_of)?
            - pending_balance_at(&pending, as_of);
        categories.push(CategoryFacts {
            category,
            remaining,
            returned_under: cited_agreements(conn, post, category, as_of)?,
            entered,
            returned,
        });
    }
    let pending: Vec<(String, i32)> = crossing_events::table
        .filter(crossing_events::post_id.eq(post.id.0))
        .filter(crossing_events::status.eq(Status::Pending.as_str()))
        .filter(crossing_events::local_day.le(as_of))
        .select((crossing_events::direction, crossing_events::headcount))
        .load(conn)?;
    let people_pending = |outbound: bool| -> i64 {
        pending
            .iter()
            .filter(|(d, _)| (d == Direction::Outbound.as_str()) == outbound)
            .map(|(_, n)| i64::from(*n))
            .sum()
    };
    let closed: std::collections::HashSet<NaiveDate> =
        ledger::closures_between(conn, post, first_day(), as_of)?
            .into_iter()
            .map(|c| c.day)
            .collect();
    // Closed up to the last day before the first open day with entries: only days with entries
    // are ever closed, and one left open breaks the run.
    let closed_up_to = days_with_entries
        .iter()
        .take_while(|day| closed.contains(day))
        .last()
        .copied();
    Ok(PostFacts {
        post: (**post).clone(),
        categories,
        pending: (
            pending.len() as i64,
            people_pending(false),
            people_pending(true),
        ),
        closed_up_to,
    })
}

/// The agreements the verified returns of `category` at `post` cited by the end of the day.
fn cited_agreements(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
    as_of: NaiveDate,
) -> QueryResult<Vec<(AgreementId, String, bool)>> {
    let ids: Vec<Option<i64>> = crossing_events::table
        .filter(crossing_events::post_id.eq(post.id.0))
        .filter(crossing_events::status.eq(Status::Verified.as_str()))
        .filter(crossing_events::direction.eq(Direction::Outbound.as_str()))
        .filter(crossing_events::category.eq(category.as_str()))
        .filter(crossing_events::local_day.le(as_of))
        .filter(crossing_events::agreement_id.is_not_null())
        .select(crossing_events::agreement_id)
        .distinct()
        .load(conn)?;
    let mut out = Vec::new();
    for id in ids.into_iter().flatten() {
        let id = AgreementId(id);
        if let Some(agreement) = agreements::find(conn, id)? {
            let no_reprisals = agreements::clauses_of(conn, id)?
                .iter()
                .any(|c| c.kind == "no_reprisals");
            out.push((id, agreement.reference, no_reprisals));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Agreements covering any of `posts`, in force from the day or earlier, by reference.
fn agreements_at(
    conn: &mut DbConn,
    posts: &[i64],
    as_of: NaiveDate,
) -> QueryResult<Vec<Agreement>> {
    agreements_table::table
        .filter(
            agreements_table::id.eq_any(
                agreement_posts::table
                    .filter(agreement_posts::post_id.eq_any(posts.to_vec()))
                    .select(agreement_posts::agreement_id),
            ),
        )
        .filter(agreements_table::effective_from.le(as_of))
        .order(agreements_table::reference)
        .select(Agreement::as_select())
        .load(conn)
}

/// Where an agreement stood at the end of `as_of`; `None` if it was never put in force.
///
/// An agreement is often recorded after the fact (the demo records December 2024 in the
/// present), so its effective period, not the day its activation was recorded, says when it
/// came into force. Suspension and conclusion have no date field: the day the change was
/// recorded in the trail (UTC) is the one stated.
fn standing_of(
    conn: &mut DbConn,
    agreement: &Agreement,
    as_of: NaiveDate,
) -> QueryResult<Option<Standing>> {
    let status = agreement.status();
    let changed_on = |conn: &mut DbConn, to: AgreementStatus| -> QueryResult<Option<NaiveDate>> {
        let history = db::audit::history(conn, "agreement", &agreement.id.to_string())?;
        Ok(history
            .iter()
            .rev()
            .filter(|row| row.action == "agreement.status")
            .find(|row| {
                crate::audit::details::changes_of(&row.details)
                    .iter()
                    .any(|c| c.field == "status" && c.after == to.as_str())
            })
            .map(|row| row.at.date()))
    };
    let stopped = match status {
        AgreementStatus::Active => None,
        AgreementStatus::Suspended | AgreementStatus::Concluded => changed_on(conn, status)?,
        AgreementStatus::Draft | AgreementStatus::PendingActivation => return Ok(None),
    };
    Ok(Some(match (status, stopped) {
        (AgreementStatus::Suspended, Some(day)) if day <= as_of => Standing::Suspended(day),
        (AgreementStatus::Concluded, Some(day)) if day <= as_of => Standing::Concluded(day),
        _ => match agreement.effective_to {
            Some(last) if last < as_of => Standing::Ended(last),
            _ => Standing::InForce,
        },
    }))
}

/// People returned under `agreement` at `posts` by the end of the day (verified entries).
fn returned_under(
    conn: &mut DbConn,
    agreement: AgreementId,
    posts: &[i64],
    as_of: NaiveDate,
) -> QueryResult<i64> {
    let people: Option<i64> = crossing_events::table
        .filter(crossing_events::agreement_id.eq(agreement.0))
        .filter(crossing_events::status.eq(Status::Verified.as_str()))
        .filter(crossing_events::direction.eq(Direction::Outbound.as_str()))
        .filter(crossing_events::post_id.eq_any(posts.to_vec()))
        .filter(crossing_events::local_day.le(as_of))
        .select(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        >("CAST(SUM(headcount) AS BIGINT)"))
        .first(conn)?;
    Ok(people.unwrap_or(0))
}

/// People registered at `posts` (not merged into another record) whose latest statement of
/// their wish made on or before the day declines return.
fn declined(conn: &mut DbConn, posts: &[i64], as_of: NaiveDate) -> QueryResult<i64> {
    let statements: Vec<(i64, String)> = person_statements::table
        .inner_join(people::table.on(people::id.eq(person_statements::person_id)))
        .filter(people::post_id.eq_any(posts.to_vec()))
        .filter(people::merged_into.is_null())
        .filter(person_statements::stated_on.le(as_of))
        .order((
            person_statements::person_id,
            person_statements::stated_on,
            person_statements::id,
        ))
        .select((person_statements::person_id, person_statements::wish))
        .load(conn)?;
    // The last statement of each person is their wish as of the day.
    let mut latest = std::collections::HashMap::new();
    for (person, wish) in statements {
        latest.insert(person, wish);
    }
    Ok(latest.values().filter(|w| *w == "declines_return").count() as i64)
}
