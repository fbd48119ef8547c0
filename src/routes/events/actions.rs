//! `POST /events/{id}/verify` and `POST /events/{id}/void` (supervisors).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{find_in_scope, version_of};
use crate::audit::RequestActor;
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::domain::ids::EventId;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::events::Clerk;
use crate::events::{self, EventError};
use crate::routes::form::HtmlForm;
use crate::startup::AppState;

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
        Err(EventError::App(AppError::Invalid(errors))) => {
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
        Err(EventError::App(other)) => return Err(other),
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

/// Verifies a pending event (not one's own).
pub async fn verify(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<ActionInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (viewer, key, version, clerk, now) = (
        who.clone(),
        id.clone(),
        version_of(&input.version),
        Clerk::of(&who),
        state.clock.now(),
    );
    let outcome = state
        .db(move |conn| {
            let (event, post) = find_in_scope(conn, &viewer, &key)?;
            Ok(events::verify(
                conn, &actor, clerk, now, &post, event.id, version,
            ))
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
    let (viewer, key, version, clerk, now) = (
        who.clone(),
        id.clone(),
        version_of(&input.version),
        Clerk::of(&who),
        state.clock.now(),
    );
    let reason = input.reason.clone();
    let outcome = state
        .db(move |conn| {
            let (event, post) = find_in_scope(conn, &viewer, &key)?;
            Ok(events::void(
                conn, &actor, clerk, now, &post, event.id, version, &reason,
            ))
        })
        .await?;
    answer(&state, &who, id, input.reason, outcome).await
}
