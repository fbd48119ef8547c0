//! `GET /admin/users/new` and `POST /admin/users`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{UserInput, post_choices};
use crate::audit::RequestActor;
use crate::auth::{Admins, Identity, RequireRole};
use crate::domain::FieldErrors;
use crate::domain::account::AccountForm;
use crate::error::{AppResult, Context};
use crate::routes::form::HtmlForm;
use crate::services::accounts::{self, AccountError};
use crate::state::AppState;
use crate::views::admin_users::UserFormPage;
use crate::views::layout::{Layout, Section};

async fn page(
    state: &AppState,
    who: &Identity,
    form: AccountForm,
    errors: FieldErrors,
) -> AppResult<UserFormPage> {
    let tr = Layout::for_user(who, Section::Admin).tr;
    let posts = state.db(move |conn| Ok(post_choices(conn, tr)?)).await?;
    Ok(UserFormPage {
        layout: Layout::for_user(who, Section::Admin),
        form,
        active: true,
        posts,
        errors,
        password_errors: FieldErrors::new(),
        editing: None,
        notice: None,
        version: 0,
        newer: Vec::new(),
        reset_conflict: false,
        two_factor_since: None,
        two_factor_resettable: false,
    })
}

/// The empty form.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
) -> AppResult<UserFormPage> {
    let form = AccountForm {
        role: "officer".into(),
        ..AccountForm::default()
    };
    page(&state, &who, form, FieldErrors::new()).await
}

/// Creates the account, or re-shows the form (422).
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<UserInput>,
) -> AppResult<HttpResponse> {
    let form = input.form();
    // parse() checks the password whenever one is passed, so a valid form always has it.
    let (fields, password) = match form.parse(Some(&input.password)) {
        Ok((fields, Some(password))) => (fields, password),
        Ok((_, None)) => {
            return Err(crate::error::AppError::Unprocessable(
                "password missing".into(),
            ));
        }
        Err(errors) => {
            let page = page(&state, &who, form, errors).await?;
            return Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let hash = state
        .hasher
        .hash(password.expose().to_owned())
        .await
        .context("hashing a password")?;
    let now = state.clock.now();
    let created = state
        .db(
            move |conn| match accounts::create(conn, &actor, now, &fields, &hash) {
                Ok(id) => Ok(Ok(id)),
                Err(AccountError::Invalid(errors)) => Ok(Err(errors)),
                Err(other) => Err(other.into()),
            },
        )
        .await?;
    match created {
        Ok(id) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/admin/users/{id}")))
            .finish()),
        Err(errors) => {
            let page = page(&state, &who, form, errors).await?;
            Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}
