//! `GET /posts/new` and `POST /posts` (administrators).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::PostInput;
use crate::auth::{Admins, RequireRole};
use diesel::Connection;

use crate::db::{self, write_tx};
use crate::domain::post::PostForm;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppResult;
use crate::routes::form::HtmlForm;
use crate::startup::AppState;
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
    }
}

/// Creates the post, or re-shows the form (422) with a message beside each wrong field.
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
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
        };
        crate::views::render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let post = match form.parse_new() {
        Ok(post) => post,
        Err(errors) => return Ok(reshow(form, errors)),
    };
    let now = state.clock.now().naive_utc();
    let code = post.code.as_str().to_owned();
    let created = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if db::posts::code_taken(conn, post.code.as_str())? {
                    return Ok(false);
                }
                // In a savepoint: on PostgreSQL a failed statement would otherwise spoil the
                // whole transaction.
                match conn.transaction(|conn| db::posts::insert(conn, &post, now)) {
                    Ok(_) => Ok(true),
                    // Created by someone else between our check and our insert.
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => Ok(false),
                    Err(other) => Err(other.into()),
                }
            })
        })
        .await?;
    if !created {
        let mut errors = FieldErrors::new();
        errors.push(FieldError::new(
            "code",
            "post-code-taken",
            format!("A border post with code {code} already exists."),
        ));
        return Ok(reshow(form, errors));
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/posts/{code}")))
        .finish())
}
