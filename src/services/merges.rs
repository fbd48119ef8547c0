//! Two records of one person: said to be different people, or merged. A merge is proposed by a
//! supervisor with a choice per field and applied only when a second supervisor confirms it;
//! the merged record stays readable, pointing to the kept one.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

use super::Refused;
use super::events::account;
use super::people::entry;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::people::{self as stored, PersonRow};
use crate::db::schema::person_merges;
use crate::db::{self, DbConn};
use crate::domain::FieldError;
use crate::domain::ids::{MergeId, PersonId, UserId};
use crate::domain::person::{FIELDS, PersonForm};
use crate::domain::policy::{self, Principal};

/// A stored merge proposal.
#[derive(Queryable, Debug, Clone, PartialEq)]
pub struct MergeRow {
    /// Key.
    pub id: i64,
    /// The record kept.
    pub kept_id: i64,
    /// The record merged into it.
    pub merged_id: i64,
    /// JSON: field → `kept` / `merged`.
    pub choices: String,
    /// `proposed`, `confirmed`, `withdrawn`.
    pub status: String,
    /// Who proposed it.
    pub proposed_by: i64,
}

impl MergeRow {
    /// The fields whose value comes from the merged record.
    pub fn taken_from_merged(&self) -> Vec<String> {
        serde_json::from_str::<BTreeMap<String, String>>(&self.choices)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, from)| from == "merged")
            .map(|(field, _)| field)
            .collect()
    }
}

/// The proposal with `id`.
pub fn find(conn: &mut DbConn, id: MergeId) -> diesel::QueryResult<Option<MergeRow>> {
    person_merges::table
        .find(id.0)
        .select((
            person_merges::id,
            person_merges::kept_id,
            person_merges::merged_id,
            person_merges::choices,
            person_merges::status,
            person_merges::proposed_by,
        ))
        .first(conn)
        .optional()
}

/// Proposals awaiting a second supervisor, oldest first.
pub fn open(conn: &mut DbConn) -> diesel::QueryResult<Vec<MergeRow>> {
    person_merges::table
        .filter(person_merges::status.eq("proposed"))
        .order(person_merges::id)
        .select((
            person_merges::id,
            person_merges::kept_id,
            person_merges::merged_id,
            person_merges::choices,
            person_merges::status,
            person_merges::proposed_by,
        ))
        .limit(200)
        .load(conn)
}

fn invalid(key: &'static str, message: &str) -> Refused {
    Refused::field(FieldError::new("status", key, message.to_owned()))
}

/// Both people, locked, if `who` may see them.
fn load_pair(
    w: &mut audit::Writer<'_>,
    who: &Principal,
    kept: PersonId,
    merged: PersonId,
) -> Result<(PersonRow, PersonRow), Refused> {
    let mut rows = Vec::new();
    // Locked in id order, so two merges of the same pair cannot deadlock.
    let mut order = [kept, merged];
    order.sort();
    for id in order {
        if stored::lock(w, id)? == 0 {
            return Err(Refused::NotFound);
        }
    }
    for id in [kept, merged] {
        let row = stored::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
        policy::see_person(who, row.facts())?;
        rows.push(row);
    }
    let merged = rows.pop().ok_or(Refused::NotFound)?;
    let kept = rows.pop().ok_or(Refused::NotFound)?;
    Ok((kept, merged))
}

fn post_code(conn: &mut DbConn, row: &PersonRow) -> Result<String, Refused> {
    Ok(db::posts::find(conn, row.post_id)?
        .ok_or(Refused::NotFound)?
        .code)
}

/// Says `a` and `b` are not the same person: no longer offered as a probable pair (audited on
/// both records' post, naming both).
pub fn not_duplicate(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    a: PersonId,
    b: PersonId,
) -> Result<(), Refused> {
    let by = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (a_row, b_row) = load_pair(w, who, a, b)?;
        policy::propose_merge(who, a_row.facts(), b_row.facts())?;
        if a == b {
            return Err(invalid(
                "merge-same-record",
                "A record is the same as itself.",
            ));
        }
        stored::mark_distinct(w, a, b, by)?;
        let code = post_code(w.conn(), &a_row)?;
        let details = Details::new().fact("not_duplicate_of", b_row.reference.as_str());
        w.record(entry(Action::PersonNotDuplicate, &code, a, details))?;
        Ok(())
    })
}

/// The statuses of two records must agree before they are merged: a status (a declared wish
/// above all) is never lost to a merge.
fn check_mergeable(kept: &PersonRow, merged: &PersonRow) -> Result<(), Refused> {
    if kept.id == merged.id {
        return Err(invalid(
            "merge-same-record",
            "A record is the same as itself.",
        ));
    }
    if kept.post_id != merged.post_id {
        return Err(invalid(
            "merge-other-post",
            "Records of two posts are not merged.",
        ));
    }
    if kept.status != merged.status {
        return Err(invalid(
            "merge-status-differs",
            "The two records' statuses differ: bring them into agreement first.",
        ));
    }
    Ok(())
}

/// Proposes merging `merged` into `kept`, taking the fields in `from_merged` from the merged
/// record (every other field keeps the kept record's value).
pub fn propose(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    (kept, merged): (PersonId, PersonId),
    from_merged: &[String],
) -> Result<MergeId, Refused> {
    let by = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (kept_row, merged_row) = load_pair(w, who, kept, merged)?;
        policy::propose_merge(who, kept_row.facts(), merged_row.facts())?;
        check_mergeable(&kept_row, &merged_row)?;
        let choices: BTreeMap<&str, &str> = FIELDS
            .iter()
            .map(|f| {
                let from = if from_merged.iter().any(|m| m == f) {
                    "merged"
                } else {
                    "kept"
                };
                (*f, from)
            })
            .collect();
        let choices = serde_json::to_string(&choices).unwrap_or_default();
        let id: i64 = diesel::insert_into(person_merges::table)
            .values((
                person_merges::kept_id.eq(kept.0),
                person_merges::merged_id.eq(merged.0),
                person_merges::choices.eq(&choices),
                person_merges::status.eq("proposed"),
                person_merges::proposed_by.eq(by.0),
                person_merges::proposed_at.eq(w.now()),
            ))
            .returning(person_merges::id)
            .get_result(w.conn())?;
        let code = post_code(w.conn(), &kept_row)?;
        let details = Details::new()
            .fact("merge", id)
            .fact("kept", kept_row.reference.as_str())
            .fact("merged", merged_row.reference.as_str())
            .fact("from_merged", Value::from(from_merged.to_vec()));
        w.record(entry(Action::PersonMergePropose, &code, kept, details))?;
        Ok(MergeId(id))
    })
}

fn decide(w: &mut audit::Writer<'_>, id: MergeId, status: &str, by: UserId) -> Result<(), Refused> {
    let now = w.now();
    diesel::update(person_merges::table.find(id.0))
        .set((
            person_merges::status.eq(status),
            person_merges::decided_by.eq(Some(by.0)),
            person_merges::decided_at.eq(Some(now)),
        ))
        .execute(w.conn())?;
    Ok(())
}

/// Confirms a proposed merge (a second supervisor): the kept record takes the chosen values and
/// the merged record points to it. Two entries in one transaction, one on each record's history.
pub fn confirm(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: MergeId,
) -> Result<PersonId, Refused> {
    let by = account(who)?;
    audit::write_each(conn, actor, now, |w| {
        let proposal = find(w.conn(), id)?.ok_or(Refused::NotFound)?;
        let (kept, merged) = load_pair(
            w,
            who,
            PersonId(proposal.kept_id),
            PersonId(proposal.merged_id),
        )?;
        // A decided proposal is answered as such before anything else is asked (once confirmed,
        // its merged record changes no more, which the policy would otherwise give as reason).
        if proposal.status != "proposed" {
            return Err(invalid("merge-decided", "This merge was already decided."));
        }
        policy::confirm_merge(
            who,
            kept.facts(),
            merged.facts(),
            UserId(proposal.proposed_by),
        )?;
        check_mergeable(&kept, &merged)?;
        let taken = proposal.taken_from_merged();
        let mut form: PersonForm = kept.fields().form();
        for (field, value) in merged.fields().values() {
            if taken.iter().any(|t| t == field) {
                form.set(field, value);
            }
        }
        // Both records were valid; their chosen mixture is parsed again (a birth date from one
        // and a year from the other must still agree).
        let today = now.date_naive();
        let fields = form.parse(today).map_err(Refused::Invalid)?;
        let before = kept.fields();
        stored::update_fields(w, kept.id, &fields, kept.version)?;
        stored::mark_merged(w, merged.id, kept.id, merged.version)?;
        decide(w, id, "confirmed", by)?;
        let code = post_code(w.conn(), &kept)?;
        let mut details = Details::new()
            .fact("merge", id.0)
            .fact("merged", merged.reference.as_str());
        for ((field, was), (_, now)) in before.values().into_iter().zip(fields.values()) {
            details = details.change(field, was, now);
        }
        w.record(entry(Action::PersonMerge, &code, kept.id, details))?;
        w.record(Entry {
            details: Details::new().fact("merge", id.0).change(
                "merged_into",
                Value::Null,
                kept.reference.as_str(),
            ),
            ..entry(Action::PersonMerge, &code, merged.id, Details::new())
        })?;
        Ok(kept.id)
    })
}

/// Withdraws a proposed merge (either supervisor).
pub fn withdraw(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: MergeId,
) -> Result<(), Refused> {
    let by = account(who)?;
    audit::write(conn, actor, now, |w| {
        let proposal = find(w.conn(), id)?.ok_or(Refused::NotFound)?;
        let (kept, merged) = load_pair(
            w,
            who,
            PersonId(proposal.kept_id),
            PersonId(proposal.merged_id),
        )?;
        if proposal.status != "proposed" {
            return Err(invalid("merge-decided", "This merge was already decided."));
        }
        policy::propose_merge(who, kept.facts(), merged.facts())?;
        decide(w, id, "withdrawn", by)?;
        let code = post_code(w.conn(), &kept)?;
        let details = Details::new()
            .fact("merge", id.0)
            .fact("merged", merged.reference.as_str());
        w.record(entry(Action::PersonMergeWithdraw, &code, kept.id, details))?;
        Ok(())
    })
}
