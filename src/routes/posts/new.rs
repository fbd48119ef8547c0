//! `GET /posts/new` and `POST /posts` (administrators).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::PostInput;
use crate::audit::RequestActor;
use crate::auth::{Admins, RequireRole};
use crate::domain::FieldErrors;
use crate::domain::post::PostForm;
use crate::error::AppResult;
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::border_posts;
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::PostFormPage;

/// The empty form.
pub async fn form(RequireRole(who, _): RequireRole<Admins>) -> PostFormPage {
    PostFormPage {
        layout: Layout::for_user(&who, Section::Posts),
        form: PostForm {
            timezone: crate::domain::post::DEFAULT_TIMEZONE.to_owned(),
            ..PostForm::default()
        },
        active: true,
        errors: FieldErrors::new(),
        editing: None,
        version: 0,
        newer: Vec::new(),
    }
}

/// Creates the post, or re-shows the form (422) with a message beside each wrong field.
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<PostInput>,
) -> AppResult<HttpResponse> {
    let (form, _) = input.into_form();
    let reshow = |form: PostForm, errors: FieldErrors| {
        let page = PostFormPage {
            layout: Layout::for_user(&who, Section::Posts),
            form,
            active: true,
            errors,
            editing: None,
            version: 0,
            newer: Vec::new(),
        };
        crate::views::render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let post = match form.parse_new() {
        Ok(post) => post,
        Err(errors) => return Ok(reshow(form, errors)),
    };
    let (now, code) = (state.clock.now(), post.code.as_str().to_owned());
    let created = state
        .db(move |conn| Ok(border_posts::create(conn, &actor, now, &post)))
        .await;
    match created {
        Ok(Ok(_)) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/posts/{code}")))
            .finish()),
        Ok(Err(Refused::Invalid(errors))) => Ok(reshow(form, errors)),
        Ok(Err(other)) => Err(other.into()),
        Err(other) => Err(other),
    }
}
