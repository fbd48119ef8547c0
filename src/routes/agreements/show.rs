//! `GET /agreements/{id}`: posts, progress, clauses with observations, timeline, returns.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::find_in_scope;
use crate::audit::details::reason_of;
use crate::auth::{CurrentUser, Identity};
use crate::db::agreements::{Agreement, ClauseRow, ObservationRow};
use crate::db::audit::AuditRow;
use crate::db::event_lists::{Filter, Listed};
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::domain::agreement::AgreementStatus;
use crate::domain::figures::Figure;
use crate::domain::ids::PostId;
use crate::domain::policy::{self, Act, Denied};
use crate::error::AppResult;
use crate::services::agreements;
use crate::state::AppState;
use crate::views::agreements::{AgreementPage, ClauseView, TimelineStep, status_label, window};
use crate::views::events::EventLine;
use crate::views::layout::{Layout, Section};

/// Returns listed on the page (the newest; the events list has them all).
const RETURNS_SHOWN: i64 = 100;

/// What the page needs from the database.
pub struct Loaded {
    agreement: Agreement,
    posts: Vec<(PostId, String)>,
    returned: Vec<(PostId, Figure)>,
    clauses: Vec<ClauseRow>,
    observations: Vec<ObservationRow>,
    history: Vec<AuditRow>,
    returns: Vec<Listed>,
    names: std::collections::HashMap<i64, String>,
    monitoring: db::followups::Monitoring,
}

/// Loads the agreement (in scope) and everything shown with it.
pub fn load(conn: &mut DbConn, who: &Identity, id: &str) -> AppResult<Loaded> {
    let agreement = find_in_scope(conn, who, id)?;
    let principal = who.principal();
    let posts = db::agreements::posts_of(conn, agreement.id)?;
    let returned = db::agreements::returned_per_post(conn, principal.scope(), agreement.id)?;
    let clauses = db::agreements::clauses_of(conn, agreement.id)?;
    let observations = db::agreements::observations_of(conn, agreement.id)?;
    let history = db::audit::history(conn, "agreement", &agreement.id.to_string())?;
    let filter = Filter {
        agreement: Some(agreement.id),
        ..Filter::within(principal.scope().clone())
    };
    let mut returns = db::event_lists::page(conn, &filter, None, RETURNS_SHOWN)?;
    returns.truncate(usize::try_from(RETURNS_SHOWN).unwrap_or(0));
    let ids: Vec<i64> = observations
        .iter()
        .map(|o| o.recorded_by)
        .chain(agreement.proposed_by)
        .collect();
    let names = db::users::names(conn, &ids)?;
    let monitoring = db::followups::monitoring(conn, agreement.id, principal.scope())?;
    Ok(Loaded {
        monitoring,
        agreement,
        posts,
        returned,
        clauses,
        observations,
        history,
        returns,
        names,
    })
}

/// The page for `loaded`, with messages from a refused action.
pub fn page(who: &Identity, loaded: Loaded, errors: FieldErrors) -> AgreementPage {
    let layout = Layout::for_user(who, Section::Agreements);
    let Loaded {
        agreement,
        posts,
        returned,
        clauses,
        observations,
        history,
        returns,
        names,
        monitoring,
    } = loaded;
    let returned_at = |p: PostId| {
        returned
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(Figure::default(), |(_, n)| *n)
    };
    let total = returned
        .iter()
        .fold(Figure::default(), |sum, (_, n)| sum + *n);
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let clause_views = clauses
        .iter()
        .map(|c| ClauseView {
            id: c.id,
            kind: layout.t(&format!("clause-{}", c.kind.replace('_', "-"))),
            text: c.text.clone(),
            observations: observations
                .iter()
                .filter(|o| o.clause_id == c.id)
                .map(|o| {
                    (
                        o.finding.clone(),
                        layout.t(&format!("finding-{}", o.finding.replace('_', "-"))),
                        layout.tr.date(o.observed_on),
                        o.source.clone(),
                        o.text.clone(),
                        name(o.recorded_by),
                    )
                })
                .collect(),
        })
        .collect();
    let timeline = history
        .iter()
        .filter(|row| {
            matches!(
                row.action.as_str(),
                "agreement.create" | "agreement.status" | "agreement.confirm"
            )
        })
        .map(|row| {
            let change = crate::audit::details::changes_of(&row.details)
                .into_iter()
                .find(|c| c.field == "status");
            let (from, to) = change.map_or((String::new(), String::new()), |c| {
                (
                    if c.before.is_empty() {
                        String::new()
                    } else {
                        status_label(&layout, &c.before)
                    },
                    status_label(&layout, &c.after),
                )
            });
            TimelineStep {
                at: layout.tr.datetime_utc(row.at),
                actor: row.actor.clone(),
                from,
                to,
                reason: reason_of(&row.details),
            }
        })
        .collect();
    let principal = who.principal();
    let covered: Vec<PostId> = posts.iter().map(|(p, _)| *p).collect();
    let pending = agreement.status() == AgreementStatus::PendingActivation;
    let confirmation =
        policy::confirm_agreement(&principal, &agreements::facts(&agreement, &covered));
    let can_confirm = pending && confirmation.is_ok();
    // Say why a supervisor is not offered what supervisors usually are.
    let blocked = match (
        confirmation,
        policy::manage_agreement(&principal, &covered, &covered),
    ) {
        (_, Err(why @ Denied::PostsOutsideScope)) => Some(why.key()),
        (Err(why @ (Denied::ProposedIt | Denied::EditedIt)), _) if pending => Some(why.key()),
        _ => None,
    };
    AgreementPage {
        monitoring: if monitoring.returnees == 0 {
            None
        } else {
            let arg = |n: i64| crate::i18n::Arg::Text(layout.num(n));
            Some(layout.tr.ta(
                "agreement-monitoring",
                &[
                    ("followed", arg(monitoring.followed_up)),
                    ("returnees", arg(monitoring.returnees)),
                    ("safe", arg(monitoring.last_safe)),
                ],
            ))
        },
        window: window(&layout, &agreement),
        // Per-post figures only for the posts the viewer may see (invariant 9).
        posts: posts
            .iter()
            .filter(|(p, _)| principal.scope().admits(*p))
            .map(|(p, code)| (code.clone(), returned_at(*p)))
            .collect(),
        returned: total,
        partial: !principal.scope().admits_all(&covered),
        clauses: clause_views,
        returns: returns.iter().map(|l| EventLine::of(&layout, l)).collect(),
        timeline,
        can_manage: policy::manage_agreement(&principal, &covered, &covered).is_ok(),
        can_confirm,
        blocked,
        can_review: who.may(Act::ReviewAudit),
        proposed_by: if pending {
            agreement.proposed_by.map(name)
        } else {
            None
        },
        errors,
        layout,
        agreement,
    }
}

/// One agreement.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let loaded = state.db(move |conn| load(conn, &viewer, &id)).await?;
    Ok(crate::views::render(
        &page(&who, loaded, FieldErrors::new()),
        StatusCode::OK,
    ))
}
