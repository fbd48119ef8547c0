//! `GET /posts/{code}/edit` and `POST /posts/{code}` (administrators), with optimistic locking.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{PostInput, find_in_scope, form_of};
use crate::audit::RequestActor;
use crate::auth::{Admins, Identity, RequireRole};
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::post::PostForm;
use crate::error::AppResult;
use crate::routes::form::{HtmlForm, version_of};
use crate::services::Refused;
use crate::services::border_posts::{self, PostEditError};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::{PostFormPage, value_lines};

/// The edit page: `form` based on `version`; `newer` is the post as it stands when someone
/// saved first.
fn page(
    who: &Identity,
    code: String,
    form: PostForm,
    active: bool,
    version: i32,
    errors: FieldErrors,
    newer: Option<&Post>,
) -> PostFormPage {
    let layout = Layout::for_user(who, Section::Posts);
    let newer = newer.map(|p| value_lines(&layout, p)).unwrap_or_default();
    PostFormPage {
        layout,
        form,
        active,
        errors,
        editing: Some(code),
        version,
        newer,
    }
}

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
    let form = form_of(&post);
    Ok(page(
        &who,
        post.code.clone(),
        form,
        post.active,
        post.version,
        FieldErrors::new(),
        None,
    ))
}

/// Saves the change (303 to the post); re-shows the form with messages (422), or beside the
/// newer values when someone saved first (409).
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
    let version = version_of(&input.version);
    let (mut form, active) = input.into_form();
    form.code.clone_from(&post.code);
    let render = |form, version, errors, status, newer| {
        let page = page(
            &who,
            post.code.clone(),
            form,
            active,
            version,
            errors,
            newer,
        );
        crate::views::render(&page, status)
    };
    // Mistakes in the form are answered first: only a valid form is checked against the
    // stored version.
    let fields = match form.parse_fields() {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(render(
                form,
                version,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ));
        }
    };
    let (now, id) = (state.clock.now(), post.id);
    let outcome = state
        .db(move |conn| {
            Ok(border_posts::update(
                conn, &actor, now, id, version, &fields, active,
            ))
        })
        .await?;
    match outcome {
        Ok(()) | Err(PostEditError::Unchanged) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/posts/{}", post.code)))
            .finish()),
        // The form as typed, now based on the newer version, beside the newer values.
        Err(PostEditError::Stale(current)) => Ok(render(
            form,
            current.version,
            FieldErrors::new(),
            StatusCode::CONFLICT,
            Some(&current),
        )),
        Err(PostEditError::Refused(Refused::Invalid(errors))) => Ok(render(
            form,
            version,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )),
        Err(PostEditError::Refused(other)) => Err(other.into()),
    }
}
