//! Signing in and out: `GET /login`, `POST /login`, `POST /logout`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::audit::{self, Action, Actor, Details, Entry, RequestActor};
use crate::auth::resume::Resume;
use crate::auth::session::{self, EndReason};
use crate::auth::throttle::{self, Verdict};
use crate::auth::{CurrentUser, safe_next};
use crate::db;
use crate::domain::ids::{SessionId, UserId};
use crate::domain::username::Username;
use crate::error::{AppError, AppResult, Context};
use crate::i18n::{Arg, Tr};
use crate::state::AppState;
use crate::views::Layout;
use crate::views::auth::{ResumePage, sign_in_response};

/// `?next=` on the sign-in page.
#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    /// A submission kept because the session had ended: where it went.
    #[serde(default)]
    resume_path: String,
    /// Its fields, URL-encoded.
    #[serde(default)]
    resume_body: String,
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `GET /login`.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
    user: Option<CurrentUser>,
) -> HttpResponse {
    let next = safe_next(&query.next).unwrap_or("/").to_owned();
    if user.is_some() {
        return see_other(&next);
    }
    render(&req, &state, String::new(), next, None, StatusCode::OK)
}

/// Renders the sign-in page (see [`sign_in_response`]).
fn render(
    req: &HttpRequest,
    state: &AppState,
    username: String,
    next: String,
    message: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    sign_in_response(
        req,
        state.settings.cookie_secure,
        (username, next),
        message,
        None,
        status,
    )
}

/// The message for a lock, with the wait in words ("2 minutes", "دقيقتان").
fn locked_message(tr: &Tr, key: &str, minutes: i64) -> String {
    tr.ta(key, &[("wait", Arg::Text(tr.n("minutes", minutes)))])
}

/// The entry for a failed sign-in, if this one should be recorded: a lock is always recorded;
/// other failures are grouped per address — the first in its window, then every tenth — so an
/// attack does not bury the trail.
fn failure_entry(account: String, user_failures: i32, address_failures: i32) -> Option<Entry> {
    let entity_id = account;
    if let Some(wait) = throttle::user_lock(user_failures) {
        let details = Details::new()
            .fact("consecutive_failures", user_failures)
            .fact("locked_minutes", wait.num_minutes());
        return Some(Entry {
            action: Action::Lockout,
            entity: "user",
            entity_id,
            post: None,
            details,
        });
    }
    (address_failures == 1 || address_failures % 10 == 0).then(|| {
        let details = Details::new().fact("failures_from_address", address_failures);
        Entry {
            action: Action::LoginFailed,
            entity: "user",
            entity_id,
            post: None,
            details,
        }
    })
}

/// `POST /login`.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let tr = Tr::for_request(&req);
    let next = safe_next(&form.next).unwrap_or("/").to_owned();
    let ip = crate::auth::client_ip(&req, state.settings.trust_forwarded_for);
    let (user_key, ip_key) = (
        throttle::user_key(&form.username),
        throttle::address_key(&ip),
    );
    let now = state.clock.now();
    let resume = (!form.resume_path.is_empty())
        .then(|| Resume::from_submission(&form.resume_path, form.resume_body.as_bytes()))
        .flatten();
    let retry = |message: String, status| {
        sign_in_response(
            &req,
            state.settings.cookie_secure,
            (form.username.clone(), next.clone()),
            Some(message),
            resume.clone(),
            status,
        )
    };

    // Counted before the password is checked, in one transaction with the lock check.
    let (uk, ik) = (user_key.clone(), ip_key.clone());
    let (user_failures, address_failures) = match state
        .db(move |conn| throttle::reserve(conn, &uk, Some(&ik), now))
        .await?
    {
        Verdict::Check {
            user_failures,
            address_failures,
        } => (user_failures, address_failures),
        Verdict::AddressLocked(minutes) => {
            return Ok(retry(
                locked_message(&tr, "login-locked-network", minutes),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        Verdict::UserLocked(minutes) => {
            return Ok(retry(
                locked_message(&tr, "login-locked-user", minutes),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
    };
    // A name that cannot exist is never looked up (it could hold bytes the database refuses),
    // but costs the same work as any other.
    let user = match Username::parse(&form.username) {
        Ok(name) => {
            state
                .db(move |conn| Ok(db::users::find_by_username(conn, name.as_str())?))
                .await?
        }
        Err(_) => None,
    };
    let phc = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.clone());
    let valid = state
        .hasher
        .verify(phc, form.password.clone())
        .await
        .context("checking a password")?;
    let account = user.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
    let Some(user) = user.filter(|_| valid) else {
        let failure = failure_entry(account, user_failures, address_failures);
        if let Some(entry) = failure {
            let actor = Actor::anonymous(&ip);
            state
                .db(move |conn| Ok(audit::record_event(conn, &actor, now, entry)?))
                .await?;
        }
        return Ok(retry(tr.t("login-invalid"), StatusCode::UNAUTHORIZED));
    };

    // A fresh token at every sign-in, so a token planted before sign-in is worthless after.
    let token = session::new_token();
    let (hash, csrf_token) = (session::token_hash(&token), session::new_token());
    let session_csrf = csrf_token.clone();
    let previous = req
        .cookie(session::SESSION_COOKIE)
        .map(|c| session::token_hash(c.value()));
    let user_agent = crate::auth::user_agent(&req);
    // A language chosen on the sign-in page is the person's choice: it becomes their preference
    // (recorded in the sign-in's audit entry), so signing in does not undo it.
    let chosen_language = req
        .cookie(crate::i18n::LANGUAGE_CHOSEN_COOKIE)
        .and_then(|_| req.cookie(crate::i18n::LANGUAGE_COOKIE))
        .and_then(|c| crate::i18n::Lang::parse(c.value()))
        .map(|l| l.code())
        .filter(|l| *l != user.language);
    let (language_now, digits_now) = (
        chosen_language.map_or_else(|| user.language.clone(), str::to_owned),
        user.digits.clone(),
    );

    let actor = Actor {
        user_id: Some(UserId(user.id)),
        name: user.username.clone(),
        ip: ip.clone(),
    };
    state
        .db(move |conn| {
            audit::write(conn, &actor, now, |w| {
                throttle::release(w.conn(), &user_key, Some(&ip_key), now)?;
                let mut details = Details::new().fact("user_agent", user_agent.as_str());
                if let Some(previous) = &previous
                    && let Some((old, _)) = db::sessions::find_open(w.conn(), previous)?
                {
                    db::sessions::end(
                        w.conn(),
                        SessionId(old.id),
                        EndReason::Replaced.as_str(),
                        now.naive_utc(),
                    )?;
                    details = details.fact("replaced_session", old.id);
                }
                let new = db::sessions::NewSession {
                    token_hash: &hash,
                    user: UserId(user.id),
                    csrf_token: &csrf_token,
                    ip: &ip,
                    user_agent: &user_agent,
                };
                let session = db::sessions::insert(w, &new)?;
                db::users::record_login(w, UserId(user.id))?;
                if let Some(language) = chosen_language {
                    db::users::set_preferences(w, UserId(user.id), language, &user.digits)?;
                    details = details.change("language", user.language.as_str(), language);
                }
                w.record(Entry {
                    action: Action::Login,
                    entity: "session",
                    entity_id: session.to_string(),
                    post: None,
                    details,
                })?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    // Signed in again with something kept: show it, to be sent now with the new session.
    let mut response = match resume.clone() {
        Some(resume) => {
            let tr = Tr {
                lang: crate::i18n::Lang::parse(&language_now).unwrap_or(crate::i18n::Lang::En),
                digits: crate::i18n::Digits::parse(&digits_now)
                    .unwrap_or(crate::i18n::Digits::Western),
            };
            ResumePage {
                layout: Layout::anonymous(tr).with_csrf(&session_csrf),
                resume,
                intro: "resume-intro",
            }
            .into_response(StatusCode::OK)
        }
        None => see_other(&next),
    };
    let _ = response.add_cookie(&session::session_cookie(
        token,
        state.settings.cookie_secure,
    ));
    // The choice made before signing in is now the person's preference; it is not carried to
    // the next sign-in on this browser.
    let mut spent = actix_web::cookie::Cookie::new(crate::i18n::LANGUAGE_CHOSEN_COOKIE, "");
    spent.set_path("/");
    spent.make_removal();
    let _ = response.add_cookie(&spent);
    Ok(response)
}

/// `POST /logout`.
pub async fn logout(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    state
        .db(move |conn| {
            audit::write(conn, &actor, now, |w| {
                let at = w.now();
                db::sessions::end(w.conn(), who.session_id, EndReason::Logout.as_str(), at)?;
                let entry = Entry {
                    action: Action::Logout,
                    entity: "session",
                    entity_id: who.session_id.to_string(),
                    post: None,
                    details: Details::new(),
                };
                w.record(entry)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    let mut response = see_other("/login");
    let _ = response.add_cookie(&session::removal_cookie(state.settings.cookie_secure));
    Ok(response)
}
