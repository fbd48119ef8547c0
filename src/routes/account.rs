//! `GET /account` and `POST /account/password`: anyone's own account.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit::{Action, RequestActor};
use crate::auth::throttle::{self, Verdict};
use crate::auth::{CurrentUser, Identity};
use crate::db::{self, write_tx};
use crate::domain::password::Password;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult, Context};
use crate::i18n::{Digits, Lang, Tr};
use crate::routes::form::HtmlForm;
use crate::services::accounts;
use crate::state::AppState;
use crate::views::account::{AccountPage, SessionRow};
use crate::views::layout::{Layout, Section, role_label};

/// `?changed=1` after a password change, `?saved=1` after preferences.
#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    changed: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

async fn page(state: &AppState, who: &Identity, errors: FieldErrors) -> AppResult<AccountPage> {
    let (user, current) = (who.user_id, who.session_id.0);
    let (sessions, two_factor) = state
        .db(move |conn| {
            Ok((
                db::sessions::list_open_for_user(conn, user)?,
                db::two_factor::is_enabled(conn, user)?,
            ))
        })
        .await?;
    let layout = Layout::for_user(who, Section::Account);
    let tr = layout.tr;
    let format = |at: chrono::NaiveDateTime| tr.datetime_utc(at);
    Ok(AccountPage {
        role: role_label(&tr, who.role),
        arabic_indic: who.digits == Digits::ArabicIndic,
        layout,
        username: who.username.clone(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                created: format(s.created_at),
                last_seen: format(s.last_seen_at),
                current: s.id == current,
                ip: s.ip,
                user_agent: s.user_agent,
            })
            .collect(),
        errors,
        notice: None,
        two_factor,
    })
}

/// The account page.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    notice: web::Query<Notice>,
) -> AppResult<AccountPage> {
    let mut page = page(&state, &who, FieldErrors::new()).await?;
    page.notice = match (&notice.changed, &notice.saved) {
        (Some(_), _) => Some("notice-password-changed"),
        (_, Some(_)) => Some("notice-preferences-saved"),
        _ => None,
    };
    Ok(page)
}

/// The password change form.
#[derive(Deserialize)]
pub struct PasswordInput {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
}

/// Changes the user's own password (the current one is required) and signs out their other
/// sessions; this one stays.
pub async fn change_password(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<PasswordInput>,
) -> AppResult<HttpResponse> {
    let user_id = who.user_id;
    // Guesses at the current password count against the same lock as sign-in, so a stolen
    // session cannot be used to find the password by trying.
    let (key, now) = (throttle::user_key(&who.username), state.clock.now());
    let reserve_key = key.clone();
    if let Verdict::UserLocked(minutes) = state
        .db(move |conn| throttle::reserve(conn, &reserve_key, None, now))
        .await?
    {
        let mut errors = FieldErrors::new();
        let wait = Tr {
            lang: who.language,
            digits: who.digits,
        }
        .n("minutes", minutes);
        errors.push(
            FieldError::new(
                "current_password",
                "locked",
                format!("Too many wrong tries. Wait {wait}."),
            )
            .with_arg("wait", wait),
        );
        let page = page(&state, &who, errors).await?;
        return Ok(crate::views::render(&page, StatusCode::TOO_MANY_REQUESTS));
    }
    let stored = state
        .db(move |conn| db::users::find(conn, user_id)?.ok_or(AppError::NotFound))
        .await?;
    let current_ok = state
        .hasher
        .verify(Some(stored.password_hash), input.current_password)
        .await
        .context("checking a password")?;
    if current_ok {
        state
            .db(move |conn| write_tx(conn, |conn| Ok(throttle::release(conn, &key, None, now)?)))
            .await?;
    }
    let mut errors = FieldErrors::new();
    if !current_ok {
        errors.push(FieldError::new(
            "current_password",
            "current-password-wrong",
            "This is not your current password.",
        ));
    }
    let password = match Password::parse(&input.password, &who.username) {
        Ok(password) => Some(password),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        let page = page(&state, &who, errors).await?;
        return Ok(crate::views::render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let hash = state
        .hasher
        .hash(password.expose().to_owned())
        .await
        .context("hashing a password")?;
    let keep = Some(who.session_id);
    state
        .db(move |conn| {
            accounts::replace_password(
                conn,
                &actor,
                now,
                user_id,
                &hash,
                keep,
                Action::AccountPasswordChange,
                None,
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account?changed=1"))
        .finish())
}

/// The preferences form.
#[derive(Deserialize)]
pub struct PreferencesInput {
    #[serde(default)]
    language: String,
    #[serde(default)]
    digits: String,
}

/// Saves the user's language and digits; the next page is shown with them.
pub async fn save_preferences(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<PreferencesInput>,
) -> AppResult<HttpResponse> {
    let (Some(language), Some(digits)) =
        (Lang::parse(&input.language), Digits::parse(&input.digits))
    else {
        // What was sent is not echoed into the log.
        return Err(AppError::Unprocessable(
            "preferences: unknown language or digits".into(),
        ));
    };
    let (now, user) = (state.clock.now(), who.user_id);
    let before = (who.language.code(), who.digits.code());
    state
        .db(move |conn| {
            accounts::set_preferences(
                conn,
                &actor,
                now,
                user,
                before,
                (language.code(), digits.code()),
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account?saved=1"))
        .finish())
}
