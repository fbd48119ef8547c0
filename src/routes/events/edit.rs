//! `GET /events/{id}/edit` and `POST /events/{id}`: corrections, with optimistic locking.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{EventInput, agreement_choices, find_in_scope, version_of};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Writers};
use crate::db;
use crate::db::events::EventRow;
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::event::{EventForm, Status};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::events::{self, EventError, zone_of};
use crate::state::AppState;
use crate::views::events::{Editing, EventFormPage, form_of, value_lines};
use crate::views::layout::{Layout, Section};

/// The form page for editing `event` (based on `version`).
#[allow(clippy::too_many_arguments)] // one page's parts, each named at the call
fn page(
    who: &Identity,
    post: Post,
    event: &EventRow,
    version: i32,
    form: EventForm,
    errors: FieldErrors,
    reason: String,
    newer: bool,
) -> EventFormPage {
    let layout = Layout::for_user(who, Section::Events);
    let newer = if newer {
        value_lines(&layout, event, zone_of(&post))
    } else {
        Vec::new()
    };
    EventFormPage {
        editing: Some(Editing {
            id: event.id.0,
            reference: event.reference.clone(),
            version,
            verified: event.status() == Status::Verified,
        }),
        layout,
        post,
        form,
        form_key: String::new(),
        errors,
        reason,
        newer,
        agreements: Vec::new(),
    }
}

/// The form filled with the event as stored (403 if the user may not change it, or its day is
/// closed).
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    id: web::Path<String>,
) -> AppResult<EventFormPage> {
    let viewer = who.clone();
    let (event, post, closed, agreements) = state
        .db(move |conn| {
            let (event, post) = find_in_scope(conn, &viewer, &id)?;
            let closed = db::ledger::is_closed(conn, post.id, event.local_day)?;
            let agreements = agreement_choices(conn, &post, event.agreement_id)?;
            Ok((event, post, closed, agreements))
        })
        .await?;
    if closed || policy::correct_event(&who.principal(), &event.facts()).is_err() {
        return Err(AppError::Forbidden);
    }
    let form = form_of(&event, zone_of(&post));
    let mut page = page(
        &who,
        post,
        &event,
        event.version,
        form,
        FieldErrors::new(),
        String::new(),
        false,
    );
    page.agreements = agreements;
    Ok(page)
}

/// Saves the correction (303 to the event); re-shows the form with messages (422), or beside
/// the newer values when someone saved first (409).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<EventInput>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let key = id.into_inner();
    let (event, post, agreements) = state
        .db(move |conn| {
            let (event, post) = find_in_scope(conn, &viewer, &key)?;
            let agreements = agreement_choices(conn, &post, event.agreement_id)?;
            Ok((event, post, agreements))
        })
        .await?;
    let form = input.form();
    let version = version_of(&input.version);
    let reason = input.reason.clone();
    let render = |event: &EventRow, version, errors, status, newer| {
        let mut page = page(
            &who,
            post.clone(),
            event,
            version,
            form.clone(),
            errors,
            reason.clone(),
            newer,
        );
        page.agreements = agreements.clone();
        crate::views::render(&page, status)
    };
    let fields = match form.parse(zone_of(&post), state.clock.now()) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(render(
                &event,
                version,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            ));
        }
    };
    let (principal, now, event_id) = (who.principal(), state.clock.now(), event.id);
    let viewer = who.clone();
    let outcome = state
        .db(move |conn| {
            let outcome = events::update(
                conn,
                &actor,
                &principal,
                now,
                event_id,
                version,
                &fields,
                &input.reason,
            );
            if outcome.is_ok() {
                notice::leave_about_event(conn, &viewer, "notice-event-corrected", event_id)?;
            }
            Ok(outcome)
        })
        .await?;
    match outcome {
        Ok(_) | Err(EventError::Unchanged | EventError::Duplicate(_)) => {
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/events/{}", event.id)))
                .finish())
        }
        Err(EventError::Stale(current)) => Ok(render(
            &current,
            current.version,
            FieldErrors::new(),
            StatusCode::CONFLICT,
            true,
        )),
        Err(EventError::Refused(Refused::Invalid(errors))) => Ok(render(
            &event,
            version,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        )),
        Err(EventError::Refused(other)) => Err(other.into()),
    }
}
