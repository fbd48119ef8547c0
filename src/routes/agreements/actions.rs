//! `POST /agreements/{id}/status`, `…/confirm` and `…/observations` (supervisors).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit::{Actor, RequestActor};
use crate::auth::notice::{self, Notice};
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::db::DbConn;
use crate::domain::agreement::AgreementStatus;
use crate::domain::ids::AgreementId;
use crate::domain::policy::Principal;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppResult;
use crate::i18n::Arg;
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::agreements::{self, AgreementError, ObservationForm};
use crate::state::AppState;
use crate::views::agreements::status_label;
use crate::views::layout::{Layout, Section};
use chrono::{DateTime, Utc};

/// The status and confirm forms.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusInput {
    status: String,
    reason: String,
    version: String,
}

/// The observation form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ObservationInput {
    clause_id: String,
    finding: String,
    observed_on: String,
    source: String,
    text: String,
}

/// Back to the agreement, or its page with the refusal.
async fn answer<T>(
    state: &AppState,
    who: &Identity,
    id: String,
    outcome: Result<T, AgreementError>,
) -> AppResult<HttpResponse> {
    let (errors, status) = match outcome {
        Ok(_) | Err(AgreementError::Unchanged) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/agreements/{id}")))
                .finish());
        }
        Err(AgreementError::Refused(Refused::Invalid(errors))) => {
            (errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AgreementError::Stale) => {
            let mut errors = FieldErrors::new();
            errors.push(FieldError::new(
                "status",
                "agreement-changed-meanwhile",
                "Someone changed this agreement meanwhile; here it is as it stands now.",
            ));
            (errors, StatusCode::CONFLICT)
        }
        Err(AgreementError::Refused(other)) => return Err(other.into()),
    };
    let viewer = who.clone();
    let loaded = state
        .db(move |conn| super::show::load(conn, &viewer, &id))
        .await?;
    Ok(crate::views::render(
        &super::show::page(who, loaded, errors),
        status,
    ))
}

/// Runs `change` on the agreement `id` (in the user's scope) as the signed-in supervisor, then
/// answers: back to the agreement, or its page with the refusal.
async fn act<T: Send + 'static>(
    state: &AppState,
    who: Identity,
    actor: Actor,
    id: String,
    message: Option<&'static str>,
    change: impl FnOnce(
        &mut DbConn,
        &Actor,
        &Principal,
        DateTime<Utc>,
        AgreementId,
    ) -> Result<T, AgreementError>
    + Send
    + 'static,
) -> AppResult<HttpResponse> {
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    let agreement = id
        .parse()
        .map(AgreementId)
        .map_err(|_| crate::error::AppError::NotFound)?;
    let outcome = state
        .db(move |conn| {
            let outcome = change(conn, &actor, &principal, now, agreement);
            if outcome.is_ok() {
                leave_notice(conn, &viewer, agreement, message)?;
            }
            Ok(outcome)
        })
        .await?;
    answer(state, &who, id, outcome).await
}

/// "IQ-SY/2024/RET-01 awaits a second supervisor's confirmation." (or is in force, or is now
/// suspended): the agreement as the action left it; or the fixed `message` naming it.
fn leave_notice(
    conn: &mut DbConn,
    who: &Identity,
    id: AgreementId,
    message: Option<&'static str>,
) -> diesel::QueryResult<()> {
    let Some(a) = crate::db::agreements::find(conn, id)? else {
        return Ok(());
    };
    let layout = Layout::for_user(who, Section::Agreements);
    let text = match (message, a.status()) {
        (Some(key), _) => layout.t1(key, "reference", &a.reference),
        (None, status) => match status {
            AgreementStatus::PendingActivation => {
                layout.t1("notice-agreement-pending", "reference", &a.reference)
            }
            AgreementStatus::Active => {
                layout.t1("notice-agreement-confirmed", "reference", &a.reference)
            }
            _ => layout.tr.ta(
                "notice-agreement-status",
                &[
                    ("reference", Arg::Text(a.reference.clone())),
                    ("status", Arg::Text(status_label(&layout, &a.status))),
                ],
            ),
        },
    };
    notice::leave(conn, who, &Notice::text(text))
}

/// Asks for a new status, with a reason.
pub async fn status(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<StatusInput>,
) -> AppResult<HttpResponse> {
    let version: i32 = input.version.trim().parse().unwrap_or(-1);
    act(
        &state,
        who,
        actor,
        id.into_inner(),
        None,
        move |conn, actor, who, now, a| {
            agreements::request_status(
                conn,
                actor,
                who,
                now,
                a,
                version,
                &input.status,
                &input.reason,
            )
        },
    )
    .await
}

/// Confirms a requested activation (not the requester).
pub async fn confirm(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<StatusInput>,
) -> AppResult<HttpResponse> {
    let version: i32 = input.version.trim().parse().unwrap_or(-1);
    act(
        &state,
        who,
        actor,
        id.into_inner(),
        None,
        move |conn, actor, who, now, a| agreements::confirm(conn, actor, who, now, a, version),
    )
    .await
}

/// Records a compliance observation against a clause.
pub async fn observe(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<ObservationInput>,
) -> AppResult<HttpResponse> {
    let form = ObservationForm {
        clause_id: input.clause_id,
        finding: input.finding,
        observed_on: input.observed_on,
        source: input.source,
        text: input.text,
    };
    act(
        &state,
        who,
        actor,
        id.into_inner(),
        Some("notice-observation"),
        move |conn, actor, who, now, a| agreements::observe(conn, actor, who, now, a, &form),
    )
    .await
}
