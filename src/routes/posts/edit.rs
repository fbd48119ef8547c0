//! `GET /posts/{code}/edit` and `POST /posts/{code}` (administrators).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{PostInput, find_in_scope, form_of};
use crate::audit::{self, Action, Details, Entry, RequestActor};
use crate::auth::{Admins, RequireRole};
use crate::db;
use crate::domain::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::PostFormPage;

/// The form filled with the post.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    code: web::Path<String>,
) -> AppResult<PostFormPage> {
    let viewer = who.clone();
    let post = state
        .db(move |conn| find_in_scope(conn, &viewer, &code))
        .await?;
    Ok(PostFormPage {
        layout: Layout::for_user(&who, Section::Posts),
        form: form_of(&post),
        active: post.active,
        errors: FieldErrors::new(),
        editing: Some(post.code.clone()),
    })
}

/// Saves the change, or re-shows the form (422).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    code: web::Path<String>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<PostInput>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let post = state
        .db(move |conn| find_in_scope(conn, &viewer, &code))
        .await?;
    let (mut form, active) = input.into_form();
    form.code.clone_from(&post.code);
    let fields = match form.parse_fields() {
        Ok(fields) => fields,
        Err(errors) => {
            let page = PostFormPage {
                layout: Layout::for_user(&who, Section::Posts),
                form,
                active,
                errors,
                editing: Some(post.code.clone()),
            };
            return Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let details = Details::new()
        .change("name_en", post.name_en.as_str(), fields.name_en.as_str())
        .change("name_ar", post.name_ar.as_str(), fields.name_ar.as_str())
        .change("country", post.country.as_str(), fields.country.as_str())
        .change(
            "neighbour_country",
            post.neighbour_country.as_str(),
            fields.neighbour_country.as_str(),
        )
        .change(
            "governorate",
            post.governorate.as_str(),
            fields.governorate.as_str(),
        )
        .change(
            "counterpart_name",
            post.counterpart_name.as_str(),
            fields.counterpart_name.as_str(),
        )
        .change("timezone", post.timezone.as_str(), fields.timezone.as_str())
        .change("active", post.active, active);
    // Saving an unchanged form changes nothing, so it writes nothing (and records nothing).
    if details.has_changes() {
        let (now, id, code) = (state.clock.now(), post.id, post.code.clone());
        let zone_changes = post.timezone != fields.timezone.as_str();
        let saved_fields = fields.clone();
        let saved = state
            .db(move |conn| {
                audit::write(conn, &actor, now, |w| {
                    // Each event's day is fixed in the post's zone when written, and the ledger
                    // is kept by those days: moving the zone under them would split the two.
                    // Under the post's lock, so an event being recorded meanwhile is seen.
                    db::ledger::lock_post(w, id)?;
                    if zone_changes && db::events::post_has_events(w.conn(), id)? {
                        let mut errors = crate::domain::FieldErrors::new();
                        errors.push(crate::domain::FieldError::new(
                            "timezone",
                            "timezone-fixed",
                            "This post has events; its time zone can no longer change.",
                        ));
                        return Err(AppError::Invalid(errors));
                    }
                    db::posts::update(w, id, &saved_fields, active)?;
                    let entry = Entry {
                        action: Action::PostUpdate,
                        entity: "post",
                        entity_id: id.to_string(),
                        post: Some(code.clone()),
                        details: details.clone(),
                    };
                    w.record(entry)?;
                    Ok(())
                })
            })
            .await;
        if let Err(AppError::Invalid(errors)) = saved {
            let page = PostFormPage {
                layout: Layout::for_user(&who, Section::Posts),
                form,
                active,
                errors,
                editing: Some(post.code.clone()),
            };
            return Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        saved?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/posts/{}", post.code)))
        .finish())
}
