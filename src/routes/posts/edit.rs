//! `GET /posts/{code}/edit` and `POST /posts/{code}` (administrators).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{PostInput, find_in_scope, form_of};
use crate::auth::{Admins, RequireRole};
use crate::db::{self, write_tx};
use crate::domain::FieldErrors;
use crate::error::AppResult;
use crate::routes::form::HtmlForm;
use crate::startup::AppState;
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
        editing: Some(post.code),
    })
}

/// Saves the change, or re-shows the form (422).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    code: web::Path<String>,
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
                editing: Some(post.code),
            };
            return Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let now = state.clock.now().naive_utc();
    let id = post.id;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                Ok(db::posts::update(conn, id, &fields, active, now)?)
            })
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/posts/{}", post.code)))
        .finish())
}
