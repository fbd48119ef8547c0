//! Coordination agreements: `/agreements…`.

pub mod actions;
pub mod csv;
pub mod edit;
pub mod list;
pub mod show;

use serde::Deserialize;

use crate::auth::Identity;
use crate::db::agreements::Agreement;
use crate::db::{self, DbConn};
use crate::domain::agreement::{AgreementForm, Clause};
use crate::domain::ids::AgreementId;
use crate::domain::policy;
use crate::error::{AppError, AppResult};

/// The agreement form as the browser sends it (clauses as parallel repeated fields).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct AgreementInput {
    reference: String,
    title: String,
    parties: String,
    signed_on: String,
    effective_from: String,
    effective_to: String,
    terms: String,
    planned_headcount: String,
    post_codes: Vec<String>,
    clause_kind: Vec<String>,
    clause_text: Vec<String>,
    version: String,
}

impl AgreementInput {
    fn form(&self) -> AgreementForm {
        AgreementForm {
            reference: self.reference.clone(),
            title: self.title.clone(),
            parties: self.parties.clone(),
            signed_on: self.signed_on.clone(),
            effective_from: self.effective_from.clone(),
            effective_to: self.effective_to.clone(),
            terms: self.terms.clone(),
            planned_headcount: self.planned_headcount.clone(),
            post_codes: self.post_codes.clone(),
            clauses: self
                .clause_kind
                .iter()
                .zip(&self.clause_text)
                .map(|(kind, text)| Clause {
                    kind: kind.clone(),
                    text: text.clone(),
                })
                .collect(),
        }
    }
}

/// Blank clause rows offered below the written ones (a form without script cannot add rows).
pub const BLANK_CLAUSES: usize = 3;

/// `form` with blank clause rows appended, for showing.
pub fn with_blank_clauses(mut form: AgreementForm) -> AgreementForm {
    form.clauses.retain(|c| !c.text.trim().is_empty());
    for _ in 0..BLANK_CLAUSES {
        form.clauses.push(Clause {
            kind: "other".into(),
            text: String::new(),
        });
    }
    form
}

/// The agreement with `id` if it covers a post the user may see (else 404, like a missing one).
pub fn find_in_scope(conn: &mut DbConn, who: &Identity, id: &str) -> AppResult<Agreement> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let agreement = db::agreements::find(conn, AgreementId(id))?.ok_or(AppError::NotFound)?;
    let covered = crate::services::agreements::covered_posts(conn, agreement.id)?;
    policy::see_agreement(&who.principal(), &covered).map_err(|_| AppError::NotFound)?;
    Ok(agreement)
}
