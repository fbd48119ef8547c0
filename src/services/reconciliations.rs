//! Reconciling a return's list with the list of whom the other side received (issue 16): the
//! file is read like an import, matched against the manifest (`import::reconcile`), and the
//! three lists are kept with the file's SHA-256 and audited; a supervisor marks each difference
//! looked into, with a note.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Refused;
use super::events::{account, load_current};
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::people::PersonRow;
use crate::db::schema::{reconciliation_resolutions, reconciliations, users};
use crate::db::{self, DbConn};
use crate::domain::event::Direction;
use crate::domain::ids::EventId;
use crate::domain::policy::{self, Principal};
use crate::import::mapping;
use crate::import::reconcile::{self, Reason};
use crate::import::table;

/// One row of a kept reconciliation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Line {
    /// `ours:REFERENCE` or `theirs:ROW`, for a difference; the pair for a match.
    pub item: String,
    /// Our person's reference, if on our list.
    pub reference: String,
    /// Our person's names.
    pub ours: String,
    /// Their row number (from 1), if on their list.
    pub row: Option<usize>,
    /// Their row's names (and document).
    pub theirs: String,
    /// Why matched: `document`, `service_number`, `name_and_year`, `name`; empty for a
    /// difference.
    pub reason: String,
}

/// The three lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Result3 {
    /// On both lists.
    pub matched: Vec<Line>,
    /// On our list only: handed over, by our record, but not listed as received.
    pub ours_only: Vec<Line>,
    /// On theirs only: listed as received, but not on our list.
    pub theirs_only: Vec<Line>,
}

/// A kept reconciliation.
#[derive(Debug, Clone)]
pub struct Kept {
    /// Key.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The lists.
    pub result: Result3,
    /// Who reconciled, when.
    pub by: (String, NaiveDateTime),
    /// Differences looked into: item → (note, who).
    pub resolved: std::collections::HashMap<String, (String, String)>,
}

fn reason_code(r: Reason) -> &'static str {
    match r {
        Reason::Document => "document",
        Reason::ServiceNumber => "service_number",
        Reason::NameAndYear => "name_and_year",
        Reason::Name => "name",
    }
}

fn names_of(p: &PersonRow) -> String {
    [p.name_ar.as_str(), p.name_latin.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Reconciles the return `id` with the received list in `bytes`, keeps and audits the result.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn reconcile(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, Refused> {
    let by = account(who)?;
    let table = table::read(bytes, file_name)
        .map_err(|e| Refused::field(super::imports::file_error(&e)))?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    audit::write(conn, actor, now, |w| {
        let (event, post) = load_current(w, who, id)?;
        policy::reconcile(who, &event.facts())?;
        if event.direction() != Direction::Outbound {
            return Err(Refused::NotFound);
        }
        let named = db::manifests::named(w.conn(), &event)?;
        let ours: Vec<reconcile::Entry> = named
            .iter()
            .enumerate()
            .map(|(i, p)| reconcile::Entry {
                key: i,
                name_ar: p.name_ar.clone(),
                name_latin: p.name_latin.clone(),
                father_name: p.father_name.clone(),
                birth_year: p.birth_year,
                document: p.id_document_number.clone(),
                service_number: p.service_number.clone(),
            })
            .collect();
        let guessed = mapping::guess(&table.headers);
        let forms: Vec<_> = table
            .rows
            .iter()
            .map(|row| mapping::apply(&guessed, row))
            .collect();
        let theirs: Vec<reconcile::Entry> = forms
            .iter()
            .enumerate()
            .map(|(i, f)| reconcile::Entry {
                key: i,
                name_ar: f.name_ar.clone(),
                name_latin: f.name_latin.clone(),
                father_name: f.father_name.clone(),
                birth_year: f.birth_year.trim().parse().ok(),
                document: f.id_document_number.clone(),
                service_number: f.service_number.clone(),
            })
            .collect();
        let outcome = reconcile::reconcile(&ours, &theirs);
        let their_names = |i: usize| {
            let f = &forms[i];
            let mut parts: Vec<&str> = [f.name_ar.as_str(), f.name_latin.as_str()]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect();
            if !f.id_document_number.is_empty() {
                parts.push(f.id_document_number.as_str());
            }
            parts.join(" / ")
        };
        let result = Result3 {
            matched: outcome
                .matched
                .iter()
                .map(|(o, t, reason)| Line {
                    item: format!("ours:{}", named[*o].reference),
                    reference: named[*o].reference.clone(),
                    ours: names_of(&named[*o]),
                    row: Some(t + 1),
                    theirs: their_names(*t),
                    reason: reason_code(*reason).to_owned(),
                })
                .collect(),
            ours_only: outcome
                .ours_only
                .iter()
                .map(|o| Line {
                    item: format!("ours:{}", named[*o].reference),
                    reference: named[*o].reference.clone(),
                    ours: names_of(&named[*o]),
                    row: None,
                    theirs: String::new(),
                    reason: String::new(),
                })
                .collect(),
            theirs_only: outcome
                .theirs_only
                .iter()
                .map(|t| Line {
                    item: format!("theirs:{}", t + 1),
                    reference: String::new(),
                    ours: String::new(),
                    row: Some(t + 1),
                    theirs: their_names(*t),
                    reason: String::new(),
                })
                .collect(),
        };
        let json = serde_json::to_string(&result).unwrap_or_default();
        let kept: i64 = diesel::insert_into(reconciliations::table)
            .values((
                reconciliations::event_id.eq(event.id.0),
                reconciliations::file_name.eq(file_name),
                reconciliations::sha256.eq(&sha256),
                reconciliations::result.eq(&json),
                reconciliations::created_by.eq(by.0),
                reconciliations::created_at.eq(w.now()),
            ))
            .returning(reconciliations::id)
            .get_result(w.conn())?;
        let details = Details::new()
            .fact("reconciliation", kept)
            .fact("file_name", file_name)
            .fact("sha256", sha256.as_str())
            .fact("matched", result.matched.len())
            .fact(
                "ours_only",
                result
                    .ours_only
                    .iter()
                    .map(|l| l.reference.clone())
                    .collect::<Vec<_>>(),
            )
            .fact("theirs_only", result.theirs_only.len());
        w.record(Entry {
            action: Action::Reconcile,
            entity: "event",
            entity_id: event.id.to_string(),
            post: Some(post.code.clone()),
            details,
        })?;
        Ok(kept)
    })
}

/// The latest reconciliation of the event `id`, if any (the caller has checked the event is in
/// scope).
pub fn latest(conn: &mut DbConn, id: EventId) -> diesel::QueryResult<Option<Kept>> {
    let row: Option<(i64, String, String, String, String, NaiveDateTime)> = reconciliations::table
        .inner_join(users::table.on(users::id.eq(reconciliations::created_by)))
        .filter(reconciliations::event_id.eq(id.0))
        .order(reconciliations::id.desc())
        .select((
            reconciliations::id,
            reconciliations::file_name,
            reconciliations::sha256,
            reconciliations::result,
            users::username,
            reconciliations::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((kept, file_name, sha256, json, by, at)) = row else {
        return Ok(None);
    };
    let resolved = reconciliation_resolutions::table
        .inner_join(users::table.on(users::id.eq(reconciliation_resolutions::resolved_by)))
        .filter(reconciliation_resolutions::reconciliation_id.eq(kept))
        .select((
            reconciliation_resolutions::item,
            reconciliation_resolutions::note,
            users::username,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(item, note, by)| (item, (note, by)))
        .collect();
    Ok(Some(Kept {
        id: kept,
        file_name,
        sha256,
        result: serde_json::from_str(&json).unwrap_or_default(),
        by: (by, at),
        resolved,
    }))
}

/// Marks a difference of the event's latest reconciliation looked into, with a note (a
/// supervisor).
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn resolve(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
    item: &str,
    note: &str,
) -> Result<(), Refused> {
    let by = account(who)?;
    let note =
        crate::domain::event::bounded_text(note, "note", 500, true).map_err(Refused::field)?;
    audit::write(conn, actor, now, |w| {
        let (event, post) = load_current(w, who, id)?;
        policy::resolve_reconciliation(who, &event.facts())?;
        let kept = latest(w.conn(), event.id)?.ok_or(Refused::NotFound)?;
        let known = kept
            .result
            .ours_only
            .iter()
            .chain(&kept.result.theirs_only)
            .any(|l| l.item == item);
        if !known {
            return Err(Refused::NotFound);
        }
        diesel::delete(
            reconciliation_resolutions::table
                .filter(reconciliation_resolutions::reconciliation_id.eq(kept.id))
                .filter(reconciliation_resolutions::item.eq(item)),
        )
        .execute(w.conn())?;
        diesel::insert_into(reconciliation_resolutions::table)
            .values((
                reconciliation_resolutions::reconciliation_id.eq(kept.id),
                reconciliation_resolutions::item.eq(item),
                reconciliation_resolutions::note.eq(&note),
                reconciliation_resolutions::resolved_by.eq(by.0),
                reconciliation_resolutions::resolved_at.eq(w.now()),
            ))
            .execute(w.conn())?;
        let details = Details::new()
            .fact("reconciliation", kept.id)
            .fact("item", item)
            .fact("note", note.as_str());
        w.record(Entry {
            action: Action::ReconcileResolve,
            entity: "event",
            entity_id: event.id.to_string(),
            post: Some(post.code.clone()),
            details,
        })?;
        Ok(())
    })
}
