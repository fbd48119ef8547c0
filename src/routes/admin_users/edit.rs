//! `GET /admin/users/{id}`, `POST /admin/users/{id}` and `POST /admin/users/{id}/password`, with
//! optimistic locking: both forms carry the version of the account they were based on.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{UserInput, post_choices};
use crate::audit::RequestActor;
use crate::auth::{Admins, Identity, RequireRole};
use crate::domain::account::AccountForm;
use crate::domain::ids::UserId;
use crate::domain::password::Password;
use crate::domain::policy;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppResult, Context};
use crate::i18n::Arg;
use crate::routes::form::{HtmlForm, version_of};
use crate::services::accounts::{self, AccountError, StoredAccount};
use crate::state::AppState;
use crate::views::admin_users::{UserFormPage, value_lines};
use crate::views::layout::{Layout, Section};

/// `?saved=1` / `?reset=1` / `?two_factor_reset=1` after a change.
#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    reset: Option<String>,
    #[serde(default)]
    two_factor_reset: Option<String>,
}

async fn load(state: &AppState, id: i64) -> AppResult<StoredAccount> {
    state
        .db(move |conn| Ok(StoredAccount::load(conn, UserId(id))?))
        .await
}

/// What an edit page shows besides the form.
struct Shown {
    /// The version the forms are based on.
    version: i32,
    /// Messages beside the profile fields and beside the new password.
    errors: (FieldErrors, FieldErrors),
    /// The account as it stands, when someone changed it first (409).
    newer: Option<StoredAccount>,
}

impl Shown {
    fn at(version: i32) -> Self {
        Self {
            version,
            errors: Default::default(),
            newer: None,
        }
    }

    /// Beside the account as it stands, and based on its version.
    fn newer(current: StoredAccount) -> Self {
        Self {
            version: current.user.version,
            errors: Default::default(),
            newer: Some(current),
        }
    }
}

async fn page(
    state: &AppState,
    who: &Identity,
    id: i64,
    form: AccountForm,
    active: bool,
    shown: Shown,
) -> AppResult<UserFormPage> {
    let layout = Layout::for_user(who, Section::Admin);
    let tr = layout.tr;
    let (posts, totp) = state
        .db(move |conn| {
            Ok((
                post_choices(conn, tr)?,
                crate::db::two_factor::find(conn, UserId(id))?,
            ))
        })
        .await?;
    let newer = shown
        .newer
        .map(|a| value_lines(&layout, &a.user, &a.posts))
        .unwrap_or_default();
    let (errors, password_errors) = shown.errors;
    Ok(UserFormPage {
        layout,
        form,
        active,
        posts,
        errors,
        password_errors,
        editing: Some(id),
        notice: None,
        version: shown.version,
        newer,
        reset_conflict: false,
        two_factor_since: totp.map(|t| {
            tr.ta(
                "two-factor-enabled-since",
                &[("since", Arg::Text(tr.datetime_utc(t.enabled_at)))],
            )
        }),
        two_factor_resettable: policy::reset_second_factor(&who.principal(), UserId(id)).is_ok(),
    })
}

async fn render(
    state: &AppState,
    who: &Identity,
    id: i64,
    (form, active): (AccountForm, bool),
    shown: Shown,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let page = page(state, who, id, form, active, shown).await?;
    Ok(crate::views::render(&page, status))
}

fn stored_form(account: &StoredAccount) -> AccountForm {
    AccountForm {
        username: account.user.username.clone(),
        display_name: account.user.display_name.clone(),
        role: account.user.role.clone(),
        all_posts: account.user.all_posts,
        post_codes: account.posts.clone(),
    }
}

/// The form filled with the account.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    notice: web::Query<Notice>,
) -> AppResult<UserFormPage> {
    let account = load(&state, *id).await?;
    let form = stored_form(&account);
    let shown = Shown::at(account.user.version);
    let mut page = page(&state, &who, *id, form, account.user.active, shown).await?;
    page.notice = match (&notice.saved, &notice.reset, &notice.two_factor_reset) {
        (Some(_), _, _) => Some("notice-saved"),
        (_, Some(_), _) => Some("notice-password-reset"),
        (_, _, Some(_)) => Some("notice-two-factor-reset"),
        _ => None,
    };
    Ok(page)
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Saves role, scope, name and activity (303); re-shows the form with messages (422), or beside
/// the newer values when someone changed the account first (409). Deactivation or a role change
/// ends the user's sessions at once. Administrators cannot demote or deactivate themselves
/// (nobody could undo it).
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<UserInput>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let account = load(&state, id).await?;
    let user = &account.user;
    let version = version_of(&input.version);
    let mut form = input.form();
    form.username.clone_from(&user.username);
    let active = input.active.is_some();
    // Mistakes in the form are answered first: only a valid form is checked against the
    // stored version.
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
        Err(errors) => {
            let shown = Shown {
                errors: (errors, FieldErrors::new()),
                ..Shown::at(version)
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, &who, id, (form, active), shown, status).await;
        }
    };
    let now = state.clock.now();
    let saved = state
        .db(move |conn| {
            Ok(accounts::update(
                conn,
                &actor,
                now,
                UserId(id),
                version,
                &fields,
                active,
            ))
        })
        .await?;
    let (shown, status) = match saved {
        Ok(()) => return Ok(see_other(format!("/admin/users/{id}?saved=1"))),
        Err(AccountError::Invalid(errors)) => (
            Shown {
                errors: (errors, FieldErrors::new()),
                ..Shown::at(version)
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // The form as typed, now based on the newer version, beside the newer values.
        Err(AccountError::Stale(current)) => (Shown::newer(*current), StatusCode::CONFLICT),
        Err(other) => return Err(other.into()),
    };
    render(&state, &who, id, (form, active), shown, status).await
}

/// The reset form.
#[derive(Deserialize)]
pub struct ResetInput {
    #[serde(default)]
    password: String,
    /// The version of the account the page was based on.
    #[serde(default)]
    version: String,
}

/// Sets a new password and signs the user out everywhere (303); a password the rules refuse is
/// answered beside the field (422), and a page based on an older version of the account (409)
/// sets nothing and shows the account as it stands.
pub async fn reset_password(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<ResetInput>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let account = load(&state, id).await?;
    let version = version_of(&input.version);
    let password = match Password::parse(&input.password, &account.user.username) {
        Ok(password) => password,
        Err(error) => {
            let mut errors = FieldErrors::new();
            errors.push(error);
            let shown = Shown {
                errors: (FieldErrors::new(), errors),
                ..Shown::at(version)
            };
            let form = (stored_form(&account), account.user.active);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, &who, id, form, shown, status).await;
        }
    };
    let hash = state
        .hasher
        .hash(password.expose().to_owned())
        .await
        .context("hashing a password")?;
    let now = state.clock.now();
    let reset = state
        .db(move |conn| {
            Ok(accounts::reset_password(
                conn,
                &actor,
                now,
                UserId(id),
                version,
                &hash,
            ))
        })
        .await?;
    match reset {
        Ok(()) => Ok(see_other(format!("/admin/users/{id}?reset=1"))),
        // Nothing was set: the page shows the account as it stands, in the form and beside it.
        Err(AccountError::Stale(current)) => {
            let form = stored_form(&current);
            let active = current.user.active;
            let mut page = page(&state, &who, id, form, active, Shown::newer(*current)).await?;
            page.reset_conflict = true;
            Ok(crate::views::render(&page, StatusCode::CONFLICT))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/users/{id}/two-factor`: removes the account's second factor (a lost phone) and
/// ends its sessions; someone whose role needs one enrols again at their next sign-in. Not one's
/// own (another administrator does it). Audited.
pub async fn reset_two_factor(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
    RequestActor(actor): RequestActor,
) -> AppResult<HttpResponse> {
    let (id, now, principal) = (*id, state.clock.now(), who.principal());
    let reset = state
        .db(move |conn| {
            Ok(crate::services::two_factor::reset(
                conn,
                &actor,
                now,
                &principal,
                UserId(id),
            ))
        })
        .await?;
    match reset {
        Ok(_) => Ok(see_other(format!("/admin/users/{id}?two_factor_reset=1"))),
        // Nothing to remove (reset already, perhaps by another administrator): the page says so.
        Err(crate::services::Refused::Invalid(_)) => Ok(see_other(format!("/admin/users/{id}"))),
        Err(other) => Err(other.into()),
    }
}
