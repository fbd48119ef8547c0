//! Signing in and out: `GET /login`, `POST /login`, `POST /logout`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::audit::{self, Action, Actor, Details, Entry, RequestActor};
use crate::auth::resume::Resume;
use crate::auth::session::{self, EndReason};
use crate::auth::throttle::{self, Verdict};
use crate::auth::{EnrollingUser, Identity, PendingSignIn, safe_next};
use crate::db;
use crate::domain::ids::{SessionId, UserId};
use crate::domain::username::Username;
use crate::error::{AppError, AppResult, Context};
use crate::i18n::{Arg, Tr};
use crate::services::two_factor;
use crate::state::AppState;
use crate::views::Layout;
use crate::views::auth::{ResumePage, second_step_response, sign_in_response};

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

/// `GET /login`: the sign-in form, or, after a right password, the second step asking for the
/// code.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let next = safe_next(&query.next).unwrap_or("/").to_owned();
    if req.extensions().get::<Identity>().is_some() {
        return see_other(&next);
    }
    let pending = req.extensions().get::<PendingSignIn>().cloned();
    if let Some(pending) = pending {
        return second_step_response(
            &req,
            state.settings.cookie_secure,
            &pending,
            next,
            None,
            StatusCode::OK,
        );
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

/// The throttle's verdict for a password or a code: the failures so far when it may be checked,
/// else the message saying how long the account or the address is locked.
fn checked_or_locked(tr: &Tr, verdict: Verdict) -> Result<(i32, i32), String> {
    match verdict {
        Verdict::Check {
            user_failures,
            address_failures,
        } => Ok((user_failures, address_failures)),
        Verdict::AddressLocked(minutes) => Err(locked_message(tr, "login-locked-network", minutes)),
        Verdict::UserLocked(minutes) => Err(locked_message(tr, "login-locked-user", minutes)),
    }
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
    let verdict = state
        .db(move |conn| throttle::reserve(conn, &uk, Some(&ik), now))
        .await?;
    let (user_failures, address_failures) = match checked_or_locked(&tr, verdict) {
        Ok(failures) => failures,
        Err(message) => return Ok(retry(message, StatusCode::TOO_MANY_REQUESTS)),
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

    let user_id = UserId(user.id);
    let second_factor = state
        .db(move |conn| Ok(db::two_factor::is_enabled(conn, user_id)?))
        .await?;

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
                if second_factor {
                    // The user name's failures stand until the code is given too.
                    throttle::release_address(w.conn(), &ip_key, now)?;
                } else {
                    throttle::release(w.conn(), &user_key, Some(&ip_key), now)?;
                }
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
                    second_factor_pending: second_factor,
                };
                let session = db::sessions::insert(w, &new)?;
                if !second_factor {
                    db::users::record_login(w, UserId(user.id))?;
                }
                if let Some(language) = chosen_language {
                    db::users::set_preferences(w, UserId(user.id), language, &user.digits)?;
                    details = details.change("language", user.language.as_str(), language);
                }
                w.record(Entry {
                    action: if second_factor {
                        Action::SecondFactorAsked
                    } else {
                        Action::Login
                    },
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
    // With a second factor, the code is asked first (what was kept is not carried further).
    let mut response = match resume.clone().filter(|_| !second_factor) {
        _ if second_factor => {
            let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            see_other(&format!("/login?next={encoded}"))
        }
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

/// The second step's form.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// `POST /login/code`: the second factor of a sign-in whose password was right. A wrong code
/// counts against the same throttle as a wrong password and is recorded the same way.
pub async fn submit_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let next = safe_next(&form.next).unwrap_or("/").to_owned();
    let pending = req.extensions().get::<PendingSignIn>().cloned();
    let Some(pending) = pending else {
        // Signed in already, or the pending sign-in ended: start again.
        return Ok(see_other("/login"));
    };
    let tr = Tr {
        lang: pending.language,
        digits: pending.digits,
    };
    let ip = crate::auth::client_ip(&req, state.settings.trust_forwarded_for);
    let (user_key, ip_key) = (
        throttle::user_key(&pending.username),
        throttle::address_key(&ip),
    );
    let now = state.clock.now();
    let retry = |message: String, status| {
        second_step_response(
            &req,
            state.settings.cookie_secure,
            &pending,
            next.clone(),
            Some(message),
            status,
        )
    };
    let (uk, ik) = (user_key.clone(), ip_key.clone());
    let verdict = state
        .db(move |conn| throttle::reserve(conn, &uk, Some(&ik), now))
        .await?;
    let (user_failures, address_failures) = match checked_or_locked(&tr, verdict) {
        Ok(failures) => failures,
        Err(message) => return Ok(retry(message, StatusCode::TOO_MANY_REQUESTS)),
    };
    let actor = Actor {
        user_id: Some(pending.user_id),
        name: pending.username.clone(),
        ip: ip.clone(),
    };
    let (code, session, user) = (form.code.clone(), pending.session_id, pending.user_id);
    let user_agent = crate::auth::user_agent(&req);
    let outcome = state
        .db(move |conn| {
            let step = two_factor::SecondStep {
                session,
                user,
                code: &code,
                throttle_keys: (&user_key, &ip_key),
                user_agent: &user_agent,
            };
            Ok(two_factor::complete_sign_in(conn, &actor, now, &step)?)
        })
        .await?;
    if outcome == two_factor::Outcome::SignedIn {
        return Ok(see_other(&next));
    }
    if let Some(mut entry) = failure_entry(user.to_string(), user_failures, address_failures) {
        entry.details = entry.details.fact("step", "second_factor");
        let actor = Actor::anonymous(&ip);
        state
            .db(move |conn| Ok(audit::record_event(conn, &actor, now, entry)?))
            .await?;
    }
    Ok(retry(tr.t("error-code-wrong"), StatusCode::UNAUTHORIZED))
}

/// `POST /login/cancel`: gives up a sign-in waiting for its second factor (another account, or
/// no phone at hand); the pending session ends.
pub async fn cancel(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let pending = req.extensions().get::<PendingSignIn>().cloned();
    let Some(pending) = pending else {
        // Nothing waits for a code here: a signed-in browser keeps its session.
        return Ok(see_other("/login"));
    };
    {
        let at = state.clock.now().naive_utc();
        state
            .db(move |conn| {
                Ok(db::sessions::end(
                    conn,
                    pending.session_id,
                    EndReason::Logout.as_str(),
                    at,
                )?)
            })
            .await?;
    }
    let mut response = see_other("/login");
    let _ = response.add_cookie(&session::removal_cookie(state.settings.cookie_secure));
    Ok(response)
}

/// `POST /logout`.
pub async fn logout(
    state: web::Data<AppState>,
    EnrollingUser(who): EnrollingUser,
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
