//! `GET /people/{id}/edit` and `POST /people/{id}`: changes, with optimistic locking and the
//! duplicate check.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{PersonInput, arrival_choices, find_in_scope, version_of};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Writers};
use crate::db::people::PersonRow;
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::person::{FIELDS, PersonForm};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::events::zone_of;
use crate::services::people::{self, PersonError};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{
    CandidateLine, PersonEditing, PersonFormPage, field_label, shown_value,
};

/// The page for editing `person` (based on `version`).
#[allow(clippy::too_many_arguments)] // one page's parts, each named at the call
fn page(
    who: &Identity,
    post: Post,
    person: &PersonRow,
    version: i32,
    form: PersonForm,
    errors: FieldErrors,
    candidates: &[crate::db::people::Candidate],
    arrivals: Vec<(String, String)>,
    newer: bool,
) -> PersonFormPage {
    let layout = Layout::for_user(who, Section::People);
    let newer = if newer {
        let values = person.fields().values();
        FIELDS
            .iter()
            .zip(values)
            .filter(|(_, (_, v))| !v.is_empty())
            .map(|(f, (_, v))| (field_label(&layout, f), shown_value(&layout, f, &v)))
            .collect()
    } else {
        Vec::new()
    };
    PersonFormPage {
        editing: Some(PersonEditing {
            id: person.id.0,
            reference: person.reference.clone(),
            version,
        }),
        candidates: candidates
            .iter()
            .map(|c| CandidateLine::of(&layout, c))
            .collect(),
        layout,
        post,
        form,
        form_key: String::new(),
        errors,
        newer,
        arrivals,
    }
}

/// The form filled with the person as stored (403 if the user may not change them).
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    id: web::Path<String>,
) -> AppResult<PersonFormPage> {
    let (viewer, l) = (who.clone(), Layout::for_user(&who, Section::People));
    let (person, post, arrivals) = state
        .db(move |conn| {
            let (person, post) = find_in_scope(conn, &viewer, &id)?;
            let arrivals = arrival_choices(conn, &l, &post, person.inbound_event_id)?;
            Ok((person, post, arrivals))
        })
        .await?;
    if policy::edit_person(&who.principal(), person.facts()).is_err() {
        return Err(AppError::Forbidden);
    }
    let form = person.fields().form();
    Ok(page(
        &who,
        post,
        &person,
        person.version,
        form,
        FieldErrors::new(),
        &[],
        arrivals,
        false,
    ))
}

/// Saves the change (303 to the person); re-shows the form with messages (422), with possible
/// duplicates or the newer values (409).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<PersonInput>,
) -> AppResult<HttpResponse> {
    let (viewer, l) = (who.clone(), Layout::for_user(&who, Section::People));
    let chosen = input.form.inbound_event_id.trim().parse().ok();
    let (person, post, arrivals) = state
        .db(move |conn| {
            let (person, post) = find_in_scope(conn, &viewer, &id)?;
            let arrivals = arrival_choices(conn, &l, &post, chosen)?;
            Ok((person, post, arrivals))
        })
        .await?;
    let version = version_of(&input.version);
    let now = state.clock.now();
    let today = now.with_timezone(&zone_of(&post)).date_naive();
    let render = |person: &PersonRow, version, errors, candidates: &[_], status, newer| {
        let p = page(
            &who,
            post.clone(),
            person,
            version,
            input.form.clone(),
            errors,
            candidates,
            arrivals.clone(),
            newer,
        );
        crate::views::render(&p, status)
    };
    let fields = match input.form.parse(today) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(render(
                &person,
                version,
                errors,
                &[],
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            ));
        }
    };
    let (principal, person_id, viewer) = (who.principal(), person.id, who.clone());
    let not_duplicate = input.not_duplicate();
    let outcome = state
        .db(move |conn| {
            let outcome = people::update(
                conn,
                &actor,
                &principal,
                now,
                person_id,
                version,
                &fields,
                not_duplicate,
            );
            if outcome.is_ok()
                && let Some(p) = crate::db::people::find(conn, person_id)?
            {
                notice::leave_about(conn, &viewer, "notice-person-saved", &p.reference)?;
            }
            Ok(outcome)
        })
        .await?;
    match outcome {
        Ok(_) | Err(PersonError::Unchanged | PersonError::Duplicate(_)) => {
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/people/{}", person.id)))
                .finish())
        }
        Err(PersonError::Candidates(found)) => Ok(render(
            &person,
            version,
            FieldErrors::new(),
            &found,
            StatusCode::CONFLICT,
            false,
        )),
        Err(PersonError::Stale(current)) => Ok(render(
            &current,
            current.version,
            FieldErrors::new(),
            &[],
            StatusCode::CONFLICT,
            true,
        )),
        Err(PersonError::Refused(Refused::Invalid(errors))) => Ok(render(
            &person,
            version,
            errors,
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        )),
        Err(PersonError::Refused(other)) => Err(other.into()),
    }
}
