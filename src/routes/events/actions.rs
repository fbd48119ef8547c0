//! `POST /events/{id}/verify` and `POST /events/{id}/void` (supervisors).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::version_of;
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::domain::ids::EventId;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppResult;
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::events::{self, EventError};
use crate::state::AppState;

/// The verify and void forms.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionInput {
    version: String,
    reason: String,
}

/// Answers an action's outcome: back to the event, or its page with the refusal.
async fn answer(
    state: &AppState,
    who: &Identity,
    id: String,
    reason: String,
    outcome: Result<EventId, EventError>,
) -> AppResult<HttpResponse> {
    let (errors, status) = match outcome {
        Ok(_) | Err(EventError::Duplicate(_) | EventError::Unchanged) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/events/{id}")))
                .finish());
        }
        Err(EventError::Refused(Refused::Invalid(errors))) => {
            (errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(EventError::Stale(_)) => {
            let mut errors = FieldErrors::new();
            errors.push(FieldError::new(
                "version",
                "event-changed-meanwhile",
                "Someone changed this event meanwhile; here it is as it stands now.",
            ));
            (errors, StatusCode::CONFLICT)
        }
        Err(EventError::Refused(other)) => return Err(other.into()),
    };
    let viewer = who.clone();
    let loaded = state
        .db(move |conn| super::show::load(conn, &viewer, &id))
        .await?;
    Ok(crate::views::render(
        &super::show::page(who, loaded, errors, reason),
        status,
    ))
}

/// The event id in the path; anything else is a page that does not exist.
fn event_id(raw: &str) -> AppResult<EventId> {
    raw.parse()
        .map(EventId)
        .map_err(|_| crate::error::AppError::NotFound)
}

/// Verifies a pending event (not one's own).
pub async fn verify(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<ActionInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (principal, version, now) = (
        who.principal(),
        version_of(&input.version),
        state.clock.now(),
    );
    let event = event_id(&id)?;
    let viewer = who.clone();
    let outcome = state
        .db(move |conn| {
            let outcome = events::verify(conn, &actor, &principal, now, event, version);
            if outcome.is_ok() {
                notice::leave_about_event(conn, &viewer, "notice-event-verified", event)?;
            }
            Ok(outcome)
        })
        .await?;
    answer(&state, &who, id, String::new(), outcome).await
}

/// Voids an event with a reason.
pub async fn void(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<ActionInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (principal, version, now) = (
        who.principal(),
        version_of(&input.version),
        state.clock.now(),
    );
    let event = event_id(&id)?;
    let reason = input.reason.clone();
    let viewer = who.clone();
    let outcome = state
        .db(move |conn| {
            let outcome = events::void(conn, &actor, &principal, now, event, version, &reason);
            if outcome.is_ok() {
                notice::leave_about_event(conn, &viewer, "notice-event-voided", event)?;
            }
            Ok(outcome)
        })
        .await?;
    answer(&state, &who, id, input.reason, outcome).await
}
