//! What is heard of people after their return: the no-reprisals assurance is monitored here. A
//! reprisal reported is also an observation against the no-reprisals clause of the agreement the
//! person was returned under, in the same transaction, audited on both records.

use chrono::{DateTime, Utc};

use super::Refused;
use super::events::account;
use super::people::entry as person_entry;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::agreements::NewObservation;
use crate::db::{self, DbConn};
use crate::domain::FieldError;
use crate::domain::ids::{AgreementId, EventId, PersonId};
use crate::domain::person::{Followup, PersonStatus};
use crate::domain::policy::{self, Principal};

/// Records a follow-up of a returned person; returns the observation it made against the
/// agreement, if it reports a reprisal and the return cites an agreement with a no-reprisals
/// clause.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: PersonId,
    f: &Followup,
) -> Result<Option<i64>, Refused> {
    let by = account(who)?;
    audit::write_each(conn, actor, now, |w| {
        if db::people::lock(w, id)? == 0 {
            return Err(Refused::NotFound);
        }
        let person = db::people::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
        policy::record_followup(who, person.facts())?;
        if person.status() != PersonStatus::Returned {
            return Err(Refused::field(FieldError::new(
                "finding",
                "person-not-returned",
                "Follow-ups are of people who were returned.",
            )));
        }
        let post = db::posts::find(w.conn(), person.post_id)?.ok_or(Refused::NotFound)?;
        // The agreement of the verified return that named them, and its no-reprisals clause.
        let returned_under = match db::manifests::return_of(w.conn(), id)? {
            Some(event) => event.agreement_id.map(AgreementId),
            None => None,
        };
        let mut observation = None;
        if let (Some(breach), Some(agreement)) = (f.finding.breach(), returned_under) {
            let clause = db::agreements::clauses_of(w.conn(), agreement)?
                .into_iter()
                .find(|c| c.kind == "no_reprisals");
            if let Some(clause) = clause {
                let text = format!("{}: {}", person.reference, f.text);
                let new = NewObservation {
                    clause_id: clause.id,
                    finding: breach,
                    observed_on: f.observed_on,
                    source: f.source.as_str(),
                    text: &text,
                };
                let made = db::agreements::insert_observation(w, agreement, by, &new)?;
                let details = Details::new()
                    .created("clause", format!("{}: {}", clause.kind, clause.text))
                    .created("finding", breach)
                    .created("observed_on", f.observed_on.to_string())
                    .created("source", f.source.as_str())
                    .created("text", text.as_str())
                    .fact("person", person.reference.as_str());
                w.record(Entry {
                    action: Action::AgreementObservation,
                    entity: "agreement",
                    entity_id: agreement.to_string(),
                    post: None,
                    details,
                })?;
                observation = Some(made);
            }
        }
        db::followups::insert(w, id, f, observation, by)?;
        let mut details = Details::new()
            .created("observed_on", f.observed_on.to_string())
            .created("source", f.source.as_str())
            .created("finding", f.finding.as_str())
            .created("text", f.text.as_str());
        if let Some(o) = observation {
            details = details.fact("agreement_observation", o);
        }
        w.record(person_entry(
            Action::PersonFollowup,
            &post.code,
            id,
            details,
        ))?;
        Ok(observation)
    })
}

/// The return that named a person, for their page: `(id, reference)`.
pub fn return_of(
    conn: &mut DbConn,
    id: PersonId,
) -> diesel::QueryResult<Option<(EventId, String)>> {
    Ok(db::manifests::return_of(conn, id)?.map(|e| (e.id, e.reference)))
}
