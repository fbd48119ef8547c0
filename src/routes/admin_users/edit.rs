//! `GET /admin/users/{id}`, `POST /admin/users/{id}` and `POST /admin/users/{id}/password`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{UserInput, post_choices};
use crate::accounts::{self, AccountError};
use crate::audit::{Action, RequestActor};
use crate::auth::{Admins, Identity, RequireRole};
use crate::db::{self, users::User};
use crate::domain::account::AccountForm;
use crate::domain::ids::UserId;
use crate::domain::password::Password;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult, Context};
use crate::routes::form::HtmlForm;
use crate::state::AppState;
use crate::views::admin_users::UserFormPage;
use crate::views::layout::{Layout, Section};

/// `?saved=1` / `?reset=1` after a change.
#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    reset: Option<String>,
}

async fn load(state: &AppState, id: i64) -> AppResult<(User, Vec<String>)> {
    state
        .db(move |conn| {
            let user = db::users::find(conn, UserId(id))?.ok_or(AppError::NotFound)?;
            let codes = db::users::post_scope(conn, UserId(id))?
                .into_iter()
                .map(|(_, c)| c)
                .collect();
            Ok((user, codes))
        })
        .await
}

async fn page(
    state: &AppState,
    who: &Identity,
    user: &User,
    form: AccountForm,
    active: bool,
    (errors, password_errors): (FieldErrors, FieldErrors),
) -> AppResult<UserFormPage> {
    let tr = Layout::for_user(who, Section::Admin).tr;
    let posts = state.db(move |conn| Ok(post_choices(conn, tr)?)).await?;
    Ok(UserFormPage {
        layout: Layout::for_user(who, Section::Admin),
        form,
        active,
        posts,
        errors,
        password_errors,
        editing: Some(user.id),
        notice: None,
    })
}

/// The account form re-shown (422) with messages beside the profile fields.
async fn reshow(
    state: &AppState,
    who: &Identity,
    user: &User,
    form: AccountForm,
    active: bool,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let page = page(state, who, user, form, active, (errors, FieldErrors::new())).await?;
    Ok(crate::views::render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

fn stored_form(user: &User, codes: Vec<String>) -> AccountForm {
    AccountForm {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.clone(),
        all_posts: user.all_posts,
        post_codes: codes,
    }
}

/// The form filled with the account.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    notice: web::Query<Notice>,
) -> AppResult<UserFormPage> {
    let (user, codes) = load(&state, *id).await?;
    let form = stored_form(&user, codes);
    let mut page = page(&state, &who, &user, form, user.active, Default::default()).await?;
    page.notice = match (&notice.saved, &notice.reset) {
        (Some(_), _) => Some("notice-saved"),
        (_, Some(_)) => Some("notice-password-reset"),
        _ => None,
    };
    Ok(page)
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Saves role, scope, name and activity. Deactivation or a role change ends the user's sessions
/// at once. Administrators cannot demote or deactivate themselves (nobody could undo it).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<UserInput>,
) -> AppResult<HttpResponse> {
    let (user, codes) = load(&state, *id).await?;
    let mut form = input.form();
    form.username.clone_from(&user.username);
    let active = input.active.is_some();
    let mut parsed = form.parse(None).map(|(fields, _)| fields);
    if user.id == who.user_id.0 && (!active || form.role != user.role) {
        let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
        errors.push(FieldError::new(
            "role",
            "own-account",
            "You cannot change your own role or deactivate yourself. Ask another administrator.",
        ));
        parsed = Err(errors);
    }
    let fields = match parsed {
        Ok(fields) => fields,
        Err(errors) => return reshow(&state, &who, &user, form, active, errors).await,
    };
    let before = accounts::Before {
        display_name: user.display_name.clone(),
        role: user.role.clone(),
        all_posts: user.all_posts,
        active: user.active,
        posts: codes.join(","),
    };
    let (now, user_id) = (state.clock.now(), UserId(user.id));
    let saved = state
        .db(move |conn| {
            match accounts::update(conn, &actor, now, user_id, &before, &fields, active) {
                Ok(()) => Ok(Ok(())),
                Err(AccountError::Invalid(errors)) => Ok(Err(errors)),
                Err(other) => Err(other.into()),
            }
        })
        .await?;
    match saved {
        Ok(()) => Ok(see_other(format!("/admin/users/{}?saved=1", user.id))),
        Err(errors) => reshow(&state, &who, &user, form, active, errors).await,
    }
}

/// The reset form.
#[derive(Deserialize)]
pub struct ResetInput {
    #[serde(default)]
    password: String,
}

/// Sets a new password and signs the user out everywhere.
pub async fn reset_password(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<ResetInput>,
) -> AppResult<HttpResponse> {
    let (user, codes) = load(&state, *id).await?;
    let password = match Password::parse(&input.password, &user.username) {
        Ok(password) => password,
        Err(error) => {
            let mut errors = FieldErrors::new();
            errors.push(error);
            let form = stored_form(&user, codes);
            let page = page(
                &state,
                &who,
                &user,
                form,
                user.active,
                (FieldErrors::new(), errors),
            )
            .await?;
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
    let (now, user_id) = (state.clock.now(), UserId(user.id));
    state
        .db(move |conn| {
            accounts::replace_password(
                conn,
                &actor,
                now,
                user_id,
                &hash,
                None,
                Action::UserPasswordReset,
                None,
            )
        })
        .await?;
    Ok(see_other(format!("/admin/users/{}?reset=1", user.id)))
}
