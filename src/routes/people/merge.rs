//! Duplicates and merges (supervisors): `GET /people/duplicates`, `POST /people/distinct`,
//! `GET /people/merge?kept=&merged=`, `POST /people/merges`, `GET /people/merges/{id}`,
//! `POST /people/merges/{id}/confirm` and `…/withdraw`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{find_in_scope, parse_id};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::db::people::{Listed, PersonRow};
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::domain::ids::{MergeId, PersonId, UserId};
use crate::domain::person::FIELDS;
use crate::domain::policy::{self, Denied};
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::merges::{self, MergeRow};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{
    DuplicatesPage, MergeField, MergePage, PersonLine, field_label, shown_value,
};

/// Probable pairs shown at most.
const PAIRS_SHOWN: usize = 200;

fn line_of(layout: &Layout, row: &PersonRow, post_code: &str) -> PersonLine {
    PersonLine::of(layout, &Listed::of(row, post_code))
}

/// The probable pairs in scope and the merges awaiting a second supervisor.
pub async fn duplicates(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
) -> AppResult<DuplicatesPage> {
    let viewer = who.clone();
    let layout = Layout::for_user(&who, Section::People);
    let l = layout.clone();
    let (pairs, proposals) = state
        .db(move |conn| {
            let scope = viewer.principal().scope().clone();
            let pairs = db::people::probable_pairs(conn, &scope, PAIRS_SHOWN)?;
            let mut proposals = Vec::new();
            for m in merges::open(conn)? {
                if let (Ok((kept, post)), Ok((merged, _))) = (
                    find_in_scope(conn, &viewer, &m.kept_id.to_string()),
                    find_in_scope(conn, &viewer, &m.merged_id.to_string()),
                ) {
                    let names = db::users::names(conn, &[m.proposed_by])?;
                    proposals.push((
                        m.id,
                        line_of(&l, &kept, &post.code),
                        line_of(&l, &merged, &post.code),
                        names.get(&m.proposed_by).cloned().unwrap_or_default(),
                    ));
                }
            }
            Ok((pairs, proposals))
        })
        .await?;
    Ok(DuplicatesPage {
        pairs: pairs
            .iter()
            .map(|(a, b)| (PersonLine::of(&layout, a), PersonLine::of(&layout, b)))
            .collect(),
        proposals,
        layout,
    })
}

/// The pair of records a form names.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Pair {
    a: String,
    b: String,
}

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .finish()
}

/// Records that two people are not the same person.
pub async fn distinct(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    HtmlForm(pair): HtmlForm<Pair>,
) -> AppResult<HttpResponse> {
    let (a, b) = (parse_id(&pair.a)?, parse_id(&pair.b)?);
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    state
        .db(move |conn| {
            merges::not_duplicate(conn, &actor, &principal, now, a, b)?;
            let tr = crate::i18n::Tr {
                lang: viewer.language,
                digits: viewer.digits,
            };
            notice::leave(
                conn,
                &viewer,
                &notice::Notice::text(tr.t("notice-not-duplicate")),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other("/people/duplicates"))
}

/// Which two records a merge concerns.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeQuery {
    kept: String,
    merged: String,
}

fn fields_of(
    layout: &Layout,
    kept: &PersonRow,
    merged: &PersonRow,
    taken: &[String],
) -> Vec<MergeField> {
    FIELDS
        .iter()
        .zip(
            kept.fields()
                .values()
                .into_iter()
                .zip(merged.fields().values()),
        )
        .filter(|(_, ((_, a), (_, b)))| a != b)
        .map(|(f, ((_, a), (_, b)))| MergeField {
            name: f,
            label: field_label(layout, f),
            kept: shown_value(layout, f, &a),
            merged: shown_value(layout, f, &b),
            // Unless chosen otherwise, a value missing from the kept record comes from the
            // merged one.
            take_merged: taken.iter().any(|t| t == f) || (a.is_empty() && !b.is_empty()),
        })
        .collect()
}

fn load_two(
    conn: &mut DbConn,
    who: &Identity,
    kept: &str,
    merged: &str,
) -> AppResult<(PersonRow, PersonRow, String)> {
    let (kept, post) = find_in_scope(conn, who, kept)?;
    let (merged, _) = find_in_scope(conn, who, merged)?;
    Ok((kept, merged, post.code))
}

/// Side by side, a choice per differing field, before proposing.
pub async fn compare(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    query: web::Query<MergeQuery>,
) -> AppResult<MergePage> {
    let viewer = who.clone();
    let q = query.into_inner();
    let (kept, merged, code) = state
        .db(move |conn| load_two(conn, &viewer, &q.kept, &q.merged))
        .await?;
    let layout = Layout::for_user(&who, Section::People);
    Ok(MergePage {
        fields: fields_of(&layout, &kept, &merged, &[]),
        kept: line_of(&layout, &kept, &code),
        merged: line_of(&layout, &merged, &code),
        proposal: None,
        can_confirm: false,
        why_not: String::new(),
        errors: FieldErrors::new(),
        layout,
    })
}

/// Proposes the merge (303 to the proposal), or shows why not (422).
pub async fn propose(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    HtmlForm(form): HtmlForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (kept, merged) = (parse_id(&value("kept"))?, parse_id(&value("merged"))?);
    let taken: Vec<String> = FIELDS
        .iter()
        .filter(|f| value(&format!("take_{f}")) == "merged")
        .map(|f| (*f).to_owned())
        .collect();
    let (principal, now) = (who.principal(), state.clock.now());
    let t = taken.clone();
    let outcome = state
        .db(move |conn| {
            Ok(merges::propose(
                conn,
                &actor,
                &principal,
                now,
                (kept, merged),
                &t,
            ))
        })
        .await?;
    match outcome {
        Ok(id) => Ok(see_other(&format!("/people/merges/{id}"))),
        Err(Refused::Invalid(errors)) => {
            let viewer = who.clone();
            let (k, m) = (kept.to_string(), merged.to_string());
            let (kept, merged, code) = state
                .db(move |conn| load_two(conn, &viewer, &k, &m))
                .await?;
            let layout = Layout::for_user(&who, Section::People);
            let page = MergePage {
                fields: fields_of(&layout, &kept, &merged, &taken),
                kept: line_of(&layout, &kept, &code),
                merged: line_of(&layout, &merged, &code),
                proposal: None,
                can_confirm: false,
                why_not: String::new(),
                errors,
                layout,
            };
            Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

fn merge_id(raw: &str) -> AppResult<MergeId> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(MergeId)
        .ok_or(AppError::NotFound)
}

fn proposal_page(
    who: &Identity,
    proposal: &MergeRow,
    kept: &PersonRow,
    merged: &PersonRow,
    (code, proposer): (&str, &str),
    errors: FieldErrors,
) -> MergePage {
    let layout = Layout::for_user(who, Section::People);
    let decision = policy::confirm_merge(
        &who.principal(),
        kept.facts(),
        merged.facts(),
        UserId(proposal.proposed_by),
    );
    let open = proposal.status == "proposed";
    MergePage {
        fields: fields_of(&layout, kept, merged, &proposal.taken_from_merged()),
        kept: line_of(&layout, kept, code),
        merged: line_of(&layout, merged, code),
        proposal: Some((
            proposal.id,
            proposer.to_owned(),
            layout.t(&format!("merge-status-{}", proposal.status)),
        )),
        can_confirm: open && decision.is_ok(),
        why_not: match decision {
            Err(Denied::ProposedIt) if open => layout.t("merge-you-proposed"),
            _ => String::new(),
        },
        errors,
        layout,
    }
}

fn load_proposal(
    conn: &mut DbConn,
    who: &Identity,
    id: MergeId,
) -> AppResult<(MergeRow, PersonRow, PersonRow, String, String)> {
    let proposal = merges::find(conn, id)?.ok_or(AppError::NotFound)?;
    let (kept, merged, code) = load_two(
        conn,
        who,
        &proposal.kept_id.to_string(),
        &proposal.merged_id.to_string(),
    )?;
    let proposer = db::users::names(conn, &[proposal.proposed_by])?
        .get(&proposal.proposed_by)
        .cloned()
        .unwrap_or_default();
    Ok((proposal, kept, merged, code, proposer))
}

/// One proposal: what it takes from each record, and the confirmation for a second supervisor.
pub async fn show(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    id: web::Path<String>,
) -> AppResult<MergePage> {
    let id = merge_id(&id)?;
    let viewer = who.clone();
    let (proposal, kept, merged, code, proposer) = state
        .db(move |conn| load_proposal(conn, &viewer, id))
        .await?;
    Ok(proposal_page(
        &who,
        &proposal,
        &kept,
        &merged,
        (&code, &proposer),
        FieldErrors::new(),
    ))
}

async fn decide(
    state: web::Data<AppState>,
    who: Identity,
    actor: crate::audit::Actor,
    id: &str,
    confirm: bool,
) -> AppResult<HttpResponse> {
    let id = merge_id(id)?;
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    let outcome = state
        .db(move |conn| {
            let outcome = if confirm {
                merges::confirm(conn, &actor, &principal, now, id)
            } else {
                merges::withdraw(conn, &actor, &principal, now, id).map(|()| PersonId(0))
            };
            if outcome.is_ok() {
                let tr = crate::i18n::Tr {
                    lang: viewer.language,
                    digits: viewer.digits,
                };
                let key = if confirm {
                    "notice-merge-confirmed"
                } else {
                    "notice-merge-withdrawn"
                };
                notice::leave(conn, &viewer, &notice::Notice::text(tr.t(key)))?;
            }
            Ok(outcome)
        })
        .await?;
    match outcome {
        Ok(kept) if confirm => Ok(see_other(&format!("/people/{kept}"))),
        Ok(_) => Ok(see_other("/people/duplicates")),
        Err(Refused::Invalid(errors)) => {
            let viewer = who.clone();
            let (proposal, kept, merged, code, proposer) = state
                .db(move |conn| load_proposal(conn, &viewer, id))
                .await?;
            let page = proposal_page(&who, &proposal, &kept, &merged, (&code, &proposer), errors);
            Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// Confirms the merge (a second supervisor).
pub async fn confirm(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    decide(state, who, actor, &id, true).await
}

/// Withdraws the proposal.
pub async fn withdraw(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    decide(state, who, actor, &id, false).await
}
