//! Creating and changing coordination agreements: one audited transaction each, under the
//! agreement's lock. Going into force takes a second supervisor (DESIGN.md §3, Agreement).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::Refused;
use super::events::account;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::agreements::{self as stored, Agreement, NewObservation};
use crate::db::{self, DbConn, TxError};
use crate::domain::agreement::{AgreementFields, AgreementStatus, FINDINGS};
use crate::domain::event::bounded_text;
use crate::domain::ids::{AgreementId, PostId, UserId};
use crate::domain::parse_date;
use crate::domain::policy::{self, AgreementFacts, Principal};
use crate::domain::{FieldError, FieldErrors, collect};

/// Why an agreement operation did not happen.
#[derive(Debug)]
pub enum AgreementError {
    /// Not found, forbidden, invalid or failed.
    Refused(Refused),
    /// The form was based on an older version.
    Stale,
    /// The edit changed nothing; nothing was written.
    Unchanged,
}

super::refused_conversions!(AgreementError);

impl TxError for AgreementError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

fn invalid(error: FieldError) -> AgreementError {
    AgreementError::Refused(Refused::field(error))
}

fn entry(action: Action, id: AgreementId, details: Details) -> Entry {
    Entry {
        action,
        entity: "agreement",
        entity_id: id.to_string(),
        post: None,
        details,
    }
}

fn date_value(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::from(d.to_string()))
}

fn clauses_value(f: &AgreementFields) -> Value {
    Value::from(
        f.clauses
            .iter()
            .map(|c| format!("{}: {}", c.kind, c.text))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The covered posts' ids, or a message beside `post_codes` naming the unknown ones. A post
/// outside `who`'s scope is unknown to them, in exactly the same words, so the form cannot be
/// used to learn which codes exist.
fn resolve_posts(
    conn: &mut DbConn,
    who: &Principal,
    codes: &[String],
) -> Result<Vec<PostId>, AgreementError> {
    let posts: Vec<_> = db::posts::find_by_codes(conn, codes)?
        .into_iter()
        .filter(|p| who.scope().admits(p.id))
        .collect();
    let unknown: Vec<&str> = codes
        .iter()
        .filter(|c| !posts.iter().any(|p| &p.code == *c))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(invalid(
            FieldError::new(
                "post_codes",
                "post-unknown",
                format!("There is no border post with code {}.", unknown.join(", ")),
            )
            .with_arg("codes", unknown.join(", ")),
        ));
    }
    Ok(posts.into_iter().map(|p| p.id).collect())
}

fn reference_taken() -> AgreementError {
    invalid(
        FieldError::new(
            "reference",
            "agreement-reference-taken",
            "An agreement with this reference already exists.",
        )
        .with_label(crate::domain::agreement::REFERENCE_LABEL),
    )
}

/// Creates a draft agreement covering posts all in `who`'s scope.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    f: &AgreementFields,
) -> Result<AgreementId, AgreementError> {
    let creator = account(who)?;
    audit::write(conn, actor, now, |w| {
        if stored::reference_taken(w.conn(), &f.reference, None)? {
            return Err(reference_taken());
        }
        let posts = resolve_posts(w.conn(), who, &f.post_codes)?;
        policy::create_agreement(who, &posts)?;
        let id = stored::insert(w, f, creator)?;
        stored::set_posts(w, id, &posts)?;
        stored::replace_clauses(w, id, &f.clauses)?;
        let details = Details::new()
            .created("reference", f.reference.as_str())
            .created("title", f.title.as_str())
            .created("parties", f.parties.as_str())
            .created("signed_on", f.signed_on.to_string())
            .created("effective_from", f.effective_from.to_string())
            .created("effective_to", date_value(f.effective_to))
            .created("terms", f.terms.as_str())
            .created("planned_headcount", f.planned_headcount)
            .created("posts", f.post_codes.join(", "))
            .created("clauses", clauses_value(f))
            .created("status", AgreementStatus::Draft.as_str());
        w.record(entry(Action::AgreementCreate, id, details))?;
        Ok(id)
    })
}

/// The agreement under its lock with the posts it covers, if `who` may see it (else not found,
/// like a missing one).
fn load_current(
    w: &mut audit::Writer<'_>,
    who: &Principal,
    id: AgreementId,
) -> Result<(Agreement, Vec<PostId>), AgreementError> {
    stored::lock(w, id)?;
    let row = stored::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
    let covered = covered_posts(w.conn(), id)?;
    policy::see_agreement(who, &covered)?;
    Ok((row, covered))
}

/// The form was based on `version` (asked after the policy: a person who may not act is told
/// so, not shown that it changed).
fn check_version(row: &Agreement, version: i32) -> Result<(), AgreementError> {
    if row.version == version {
        Ok(())
    } else {
        Err(AgreementError::Stale)
    }
}

/// The ids of the posts an agreement covers.
pub fn covered_posts(conn: &mut DbConn, id: AgreementId) -> diesel::QueryResult<Vec<PostId>> {
    Ok(stored::posts_of(conn, id)?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

/// What the confirmation rule needs of an agreement.
pub fn facts<'a>(row: &Agreement, covered: &'a [PostId]) -> AgreementFacts<'a> {
    AgreementFacts {
        covered,
        proposed_by: row.proposed_by.map(UserId),
        edited_by: Some(UserId(row.edited_by.unwrap_or(row.created_by))),
    }
}

/// Changes an agreement's fields, posts and clauses (not once concluded), by a supervisor whose
/// scope holds every post it covers before and after.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: AgreementId,
    version: i32,
    f: &AgreementFields,
) -> Result<AgreementId, AgreementError> {
    let editor = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (row, before) = load_current(w, who, id)?;
        let posts = resolve_posts(w.conn(), who, &f.post_codes)?;
        policy::manage_agreement(who, &before, &posts)?;
        check_version(&row, version)?;
        if row.status() == AgreementStatus::Concluded {
            return Err(invalid(FieldError::new(
                "reference",
                "agreement-concluded",
                "A concluded agreement no longer changes.",
            )));
        }
        if stored::reference_taken(w.conn(), &f.reference, Some(id))? {
            return Err(reference_taken());
        }
        let old_posts: Vec<String> = stored::posts_of(w.conn(), id)?
            .into_iter()
            .map(|(_, code)| code)
            .collect();
        let old_clauses = stored::clauses_of(w.conn(), id)?
            .iter()
            .map(|c| format!("{}: {}", c.kind, c.text))
            .collect::<Vec<_>>()
            .join("\n");
        let details = Details::new()
            .change("reference", row.reference.as_str(), f.reference.as_str())
            .change("title", row.title.as_str(), f.title.as_str())
            .change("parties", row.parties.as_str(), f.parties.as_str())
            .change(
                "signed_on",
                row.signed_on.to_string(),
                f.signed_on.to_string(),
            )
            .change(
                "effective_from",
                row.effective_from.to_string(),
                f.effective_from.to_string(),
            )
            .change(
                "effective_to",
                date_value(row.effective_to),
                date_value(f.effective_to),
            )
            .change("terms", row.terms.as_str(), f.terms.as_str())
            .change(
                "planned_headcount",
                row.planned_headcount,
                f.planned_headcount,
            )
            .change("posts", old_posts.join(", "), f.post_codes.join(", "))
            .change("clauses", old_clauses, clauses_value(f));
        if !details.has_changes() {
            return Err(AgreementError::Unchanged);
        }
        // Returns already made under it must stay inside its posts and window (invariant 5).
        if let Some(key) = stored::citations_outside(w.conn(), id, &posts, f)? {
            return Err(invalid(FieldError::new(
                key,
                "agreement-citations-outside",
                "Returns already made under this agreement would fall outside it.",
            )));
        }
        if !stored::replace_clauses(w, id, &f.clauses)? {
            return Err(invalid(FieldError::new(
                "clauses",
                "clause-observed",
                "A clause with observations cannot be removed.",
            )));
        }
        stored::update(w, id, f, editor, row.version)?;
        stored::set_posts(w, id, &posts)?;
        w.record(entry(Action::AgreementUpdate, id, details))?;
        Ok(id)
    })
}

fn reason_of(reason: &str) -> Result<String, AgreementError> {
    let mut errors = FieldErrors::new();
    match collect(&mut errors, bounded_text(reason, "reason", 500, true)) {
        Some(reason) => Ok(reason),
        None => Err(AgreementError::Refused(Refused::Invalid(errors))),
    }
}

/// Asks for a status: `active` leaves the agreement pending a second supervisor's confirmation;
/// the other moves take effect at once. Always with a reason.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn request_status(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: AgreementId,
    version: i32,
    target: &str,
    reason: &str,
) -> Result<AgreementStatus, AgreementError> {
    let asker = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (row, covered) = load_current(w, who, id)?;
        policy::manage_agreement(who, &covered, &covered)?;
        check_version(&row, version)?;
        let reason = reason_of(reason)?;
        let Some(next) =
            AgreementStatus::from_str_opt(target).and_then(|t| row.status().request(t))
        else {
            return Err(invalid(
                FieldError::new(
                    "status",
                    "agreement-transition",
                    "This agreement cannot move to that status from where it stands.",
                )
                .with_arg("status", row.status.clone()),
            ));
        };
        // Asking for activation names the asker and forgets an earlier confirmation; other moves
        // keep who proposed and confirmed the activation that is (or was) in force.
        let who_did = if next == AgreementStatus::PendingActivation {
            (Some(asker), None)
        } else {
            (row.proposed_by.map(UserId), row.confirmed_by.map(UserId))
        };
        stored::set_status(w, id, next, who_did, row.version)?;
        let details = Details::new()
            .change("status", row.status.as_str(), next.as_str())
            .fact("reason", reason);
        w.record(entry(Action::AgreementStatus, id, details))?;
        Ok(next)
    })
}

/// A supervisor other than the one who asked and the latest editor confirms the activation.
pub fn confirm(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: AgreementId,
    version: i32,
) -> Result<AgreementStatus, AgreementError> {
    let confirmer = account(who)?;
    audit::write(conn, actor, now, |w| {
        let (row, covered) = load_current(w, who, id)?;
        policy::confirm_agreement(who, &facts(&row, &covered))?;
        check_version(&row, version)?;
        if row.status() != AgreementStatus::PendingActivation {
            return Err(invalid(FieldError::new(
                "status",
                "agreement-not-pending",
                "Only an agreement awaiting activation can be confirmed.",
            )));
        }
        stored::set_status(
            w,
            id,
            AgreementStatus::Active,
            (row.proposed_by.map(UserId), Some(confirmer)),
            row.version,
        )?;
        let details = Details::new().change(
            "status",
            row.status.as_str(),
            AgreementStatus::Active.as_str(),
        );
        w.record(entry(Action::AgreementConfirm, id, details))?;
        Ok(AgreementStatus::Active)
    })
}

/// The observation form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ObservationForm {
    /// The clause's id.
    pub clause_id: String,
    /// One of [`FINDINGS`].
    pub finding: String,
    /// `YYYY-MM-DD`.
    pub observed_on: String,
    /// Who reported it.
    pub source: String,
    /// What was observed.
    pub text: String,
}

/// Records a compliance observation against one of the agreement's clauses.
pub fn observe(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    id: AgreementId,
    form: &ObservationForm,
) -> Result<i64, AgreementError> {
    let observer = account(who)?;
    let mut errors = FieldErrors::new();
    let finding = form.finding.trim();
    if !FINDINGS.contains(&finding) {
        errors.push(FieldError::new(
            "finding",
            "finding-invalid",
            "Choose what was found.",
        ));
    }
    let observed_on = collect(&mut errors, parse_date(&form.observed_on, "observed_on")).flatten();
    if observed_on.is_none() && errors.get("observed_on").is_none() {
        errors.push(FieldError::required("observed_on"));
    }
    let source = collect(&mut errors, bounded_text(&form.source, "source", 200, true));
    let text = collect(&mut errors, bounded_text(&form.text, "text", 5000, true));
    let clause_id: Option<i64> = form.clause_id.trim().parse().ok();
    audit::write(conn, actor, now, |w| {
        let mut errors = errors.clone();
        let (row, covered) = load_current(w, who, id)?;
        policy::manage_agreement(who, &covered, &covered)?;
        if !row.status().observable() {
            return Err(invalid(FieldError::new(
                "status",
                "agreement-not-observable",
                "Compliance is observed once the agreement has been in force.",
            )));
        }
        let clauses = stored::clauses_of(w.conn(), id)?;
        let clause = clause_id.and_then(|c| clauses.iter().find(|row| row.id == c));
        if clause.is_none() {
            errors.push(FieldError::new(
                "clause_id",
                "clause-unknown",
                "Choose one of this agreement's clauses.",
            ));
        }
        let (Some(clause), Some(observed_on), Some(source), Some(text)) =
            (clause, observed_on, source.as_deref(), text.as_deref())
        else {
            return Err(AgreementError::Refused(Refused::Invalid(errors)));
        };
        if !errors.is_empty() {
            return Err(AgreementError::Refused(Refused::Invalid(errors)));
        }
        let new = NewObservation {
            clause_id: clause.id,
            finding,
            observed_on,
            source,
            text,
        };
        let observation = stored::insert_observation(w, id, observer, &new)?;
        let details = Details::new()
            .created("clause", format!("{}: {}", clause.kind, clause.text))
            .created("finding", finding)
            .created("observed_on", observed_on.to_string())
            .created("source", source)
            .created("text", text);
        w.record(entry(Action::AgreementObservation, id, details))?;
        Ok(observation)
    })
}
