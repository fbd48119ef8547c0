//! `POST /language`: the switch in the header.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::{EnrollingUser, safe_next};
use crate::error::{AppError, AppResult};
use crate::i18n::{LANGUAGE_CHOSEN_COOKIE, LANGUAGE_COOKIE, Lang};
use crate::services::accounts;
use crate::state::AppState;

/// The switch's form.
#[derive(Deserialize)]
pub struct LanguageInput {
    #[serde(default)]
    language: String,
}

/// Where to go back to: the page the switch was pressed on, when it is one of ours.
fn back(req: &HttpRequest) -> String {
    req.headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| {
            let host = crate::auth::request_host(req.headers(), req.uri());
            Some(u.host_str().unwrap_or_default()) == host.split(':').next()
        })
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        })
        .and_then(|path| safe_next(&path).map(str::to_owned))
        .unwrap_or_else(|| "/".to_owned())
}

/// Changes the language at once: stored for a signed-in user (so it follows them to any
/// computer), and in a cookie either way (so the sign-in page keeps it).
pub async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    // Also one who has yet to enrol their second factor: the enrolment page must be readable.
    user: Option<EnrollingUser>,
    web::Form(input): web::Form<LanguageInput>,
) -> AppResult<HttpResponse> {
    let Some(language) = Lang::parse(&input.language) else {
        // What was sent is not echoed into the log.
        return Err(AppError::Unprocessable("unknown language".into()));
    };
    let signed_in = user.is_some();
    if let Some(EnrollingUser(who)) = user
        && who.language != language
    {
        let actor = crate::audit::actor_of(&req);
        let (now, digits) = (state.clock.now(), who.digits.code());
        let before = (who.language.code(), digits);
        state
            .db(move |conn| {
                accounts::set_preferences(
                    conn,
                    &actor,
                    now,
                    who.user_id,
                    before,
                    (language.code(), digits),
                )
            })
            .await?;
    }
    let cookie = actix_web::cookie::Cookie::build(LANGUAGE_COOKIE, language.code())
        .path("/")
        .same_site(actix_web::cookie::SameSite::Lax)
        .secure(state.settings.cookie_secure)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back(&req)))
        .cookie(cookie)
        .finish();
    if !signed_in {
        // Chosen before signing in: the sign-in that follows keeps it (see `login::submit`),
        // while a language left in the cookie by whoever used this browser before does not
        // override the next person's own preference.
        let chosen = actix_web::cookie::Cookie::build(LANGUAGE_CHOSEN_COOKIE, "1")
            .path("/")
            .same_site(actix_web::cookie::SameSite::Lax)
            .secure(state.settings.cookie_secure)
            .http_only(true)
            .finish();
        let _ = response.add_cookie(&chosen);
    }
    Ok(response)
}
