//! `GET /posts/{code}/people/new` and `POST /posts/{code}/people`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{PersonInput, arrival_choices};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{RequireRole, Writers};
use crate::domain::person::PersonForm;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::routes::events::new_form_key;
use crate::routes::form::HtmlForm;
use crate::routes::posts::find_in_scope;
use crate::services::Refused;
use crate::services::events::zone_of;
use crate::services::people::{self, PersonError};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{CandidateLine, PersonFormPage};

/// The empty form.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    code: web::Path<String>,
) -> AppResult<PersonFormPage> {
    let layout = Layout::for_user(&who, Section::People);
    let (viewer, l) = (who.clone(), layout.clone());
    let (post, arrivals) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?.into_post();
            crate::domain::policy::record_person(&viewer.principal(), post.id)
                .map_err(|_| AppError::Forbidden)?;
            let arrivals = arrival_choices(conn, &l, &post, None)?;
            Ok((post, arrivals))
        })
        .await?;
    Ok(PersonFormPage {
        layout,
        post,
        form: PersonForm::default(),
        form_key: new_form_key(),
        errors: FieldErrors::new(),
        editing: None,
        candidates: Vec::new(),
        newer: Vec::new(),
        arrivals,
    })
}

/// Registers the person (303 to them); re-shows the form with messages (422), or with the
/// records that may be the same person (409) until the officer opens one or confirms.
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    code: web::Path<String>,
    HtmlForm(input): HtmlForm<PersonInput>,
) -> AppResult<HttpResponse> {
    let layout = Layout::for_user(&who, Section::People);
    let (viewer, l) = (who.clone(), layout.clone());
    let chosen = input.form.inbound_event_id.trim().parse().ok();
    let (scoped, arrivals) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?;
            let arrivals = arrival_choices(conn, &l, &post, chosen)?;
            Ok((post, arrivals))
        })
        .await?;
    let post = scoped.clone().into_post();
    let now = state.clock.now();
    let today = now.with_timezone(&zone_of(&post)).date_naive();
    let mut key = input.form_key.trim().to_owned();
    let parsed = input.form.parse(today);
    let mut errors = match &parsed {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors.clone(),
    };
    if !crate::routes::events::well_formed_key(&key) {
        key = new_form_key();
        errors.push(FieldError::new(
            "form_key",
            "form-expired",
            "This form had expired; check it and submit it again.",
        ));
    }
    let reshow = |errors: FieldErrors, candidates: Vec<CandidateLine>, key: String, status| {
        let page = PersonFormPage {
            layout: layout.clone(),
            post: post.clone(),
            form: input.form.clone(),
            form_key: key,
            errors,
            editing: None,
            candidates,
            newer: Vec::new(),
            arrivals: arrivals.clone(),
        };
        crate::views::render(&page, status)
    };
    let fields = match parsed {
        Ok(fields) if errors.is_empty() => fields,
        _ => {
            return Ok(reshow(
                errors,
                Vec::new(),
                key,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let (principal, stored_key, viewer) = (who.principal(), key.clone(), who.clone());
    let not_duplicate = input.not_duplicate();
    let created = state
        .db(move |conn| {
            let created = people::create(
                conn,
                &actor,
                &principal,
                now,
                &scoped,
                &fields,
                &stored_key,
                not_duplicate,
            );
            if let Ok(id) = created
                && let Some(person) = crate::db::people::find(conn, id)?
            {
                notice::leave_about(conn, &viewer, "notice-person-registered", &person.reference)?;
            }
            Ok(created)
        })
        .await?;
    match created {
        Ok(id) | Err(PersonError::Duplicate(id)) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/people/{id}")))
            .finish()),
        Err(PersonError::Candidates(found)) => {
            let lines = found
                .iter()
                .map(|c| CandidateLine::of(&layout, c))
                .collect();
            Ok(reshow(FieldErrors::new(), lines, key, StatusCode::CONFLICT))
        }
        Err(PersonError::Refused(Refused::Invalid(errors))) => {
            let key = if errors.get("form_key").is_some() {
                new_form_key()
            } else {
                key
            };
            Ok(reshow(
                errors,
                Vec::new(),
                key,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(PersonError::Refused(other)) => Err(other.into()),
        Err(PersonError::Stale(_) | PersonError::Unchanged) => Err(AppError::internal(
            "registering a person",
            "unexpected outcome",
        )),
    }
}
