//! Signing in and out: `GET /login`, `POST /login`, `POST /logout`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::auth::session::{self, EndReason};
use crate::auth::throttle::{self, ADDRESS_LIMIT, ADDRESS_WINDOW};
use crate::auth::{CurrentUser, csrf, safe_next};
use crate::db::{self, DbConn, throttle::Counter, write_tx};
use crate::domain::ids::{SessionId, UserId};
use crate::error::{AppResult, Context};
use crate::startup::AppState;
use crate::views::auth::LoginPage;

/// The one message for every failed sign-in: it must not tell which part was wrong.
pub const INVALID: &str = "Invalid username or password";

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
) -> AppResult<HttpResponse> {
    let next = safe_next(&query.next).unwrap_or("/").to_owned();
    if user.is_some() {
        return Ok(see_other(&next));
    }
    Ok(render(
        &req,
        &state,
        LoginPage::new(String::new(), next, None),
        actix_web::http::StatusCode::OK,
    ))
}

/// Renders the sign-in page, giving the browser an anonymous CSRF token if it has none.
fn render(
    req: &HttpRequest,
    state: &AppState,
    mut page: LoginPage,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    let (token, is_new) = match csrf::anonymous_token(req) {
        Some(token) => (token, false),
        None => (session::new_token(), true),
    };
    page.csrf_token.clone_from(&token);
    let mut response = page.into_response(status);
    if is_new {
        let _ = response.add_cookie(&csrf::anonymous_cookie(token, state.settings.cookie_secure));
    }
    response
}

/// Whether either counter is locked now; the message to show if so.
fn locked(
    conn: &mut DbConn,
    user_key: &str,
    ip_key: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<String>> {
    let now_naive = now.naive_utc();
    if let Some(until) = db::throttle::get(conn, ip_key)?
        .and_then(|c| c.locked_until)
        .filter(|u| *u > now_naive)
    {
        let minutes = throttle::minutes_left(until.and_utc(), now);
        return Ok(Some(format!(
            "Too many failed sign-ins from this network. Wait {minutes} minute{}, then try again.",
            if minutes == 1 { "" } else { "s" }
        )));
    }
    if let Some(until) = db::throttle::get(conn, user_key)?
        .and_then(|c| c.locked_until)
        .filter(|u| *u > now_naive)
    {
        let minutes = throttle::minutes_left(until.and_utc(), now);
        return Ok(Some(format!(
            "Too many failed sign-ins for this user name. Wait {minutes} minute{}, then try again.",
            if minutes == 1 { "" } else { "s" }
        )));
    }
    Ok(None)
}

/// Counts a failure against the user name and the address.
fn record_failure(
    conn: &mut DbConn,
    user_key: &str,
    ip_key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let now_naive = now.naive_utc();
    write_tx(conn, |conn| {
        let failures = db::throttle::get(conn, user_key)?.map_or(0, |c| c.failures) + 1;
        db::throttle::put(
            conn,
            &Counter {
                throttle_key: user_key.to_owned(),
                failures,
                window_start: now_naive,
                locked_until: throttle::user_lock(failures).map(|wait| now_naive + wait),
            },
        )?;
        let mut address = match db::throttle::get(conn, ip_key)? {
            Some(c) if now_naive - c.window_start < ADDRESS_WINDOW => c,
            _ => Counter {
                throttle_key: ip_key.to_owned(),
                failures: 0,
                window_start: now_naive,
                locked_until: None,
            },
        };
        address.failures += 1;
        if address.failures >= ADDRESS_LIMIT {
            address.locked_until = Some(address.window_start + ADDRESS_WINDOW);
        }
        db::throttle::put(conn, &address)?;
        Ok(())
    })
}

/// `POST /login`.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let username = form.username.trim().to_lowercase();
    let next = safe_next(&form.next).unwrap_or("/").to_owned();
    let ip = crate::auth::client_ip(&req, state.settings.trust_forwarded_for);
    let (user_key, ip_key) = (throttle::user_key(&username), throttle::address_key(&ip));
    let now = state.clock.now();
    let retry = |message: String, status| {
        let page = LoginPage::new(form.username.clone(), next.clone(), Some(message));
        render(&req, &state, page, status)
    };

    let (uk, ik) = (user_key.clone(), ip_key.clone());
    if let Some(message) = state.db(move |conn| locked(conn, &uk, &ik, now)).await? {
        return Ok(retry(
            message,
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let name = username.clone();
    let user = state
        .db(move |conn| Ok(db::users::find_by_username(conn, &name)?))
        .await?;
    let phc = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.clone());
    let valid = state
        .hasher
        .verify(phc, form.password.clone())
        .await
        .context("checking a password")?;
    let Some(user) = user.filter(|_| valid) else {
        state
            .db(move |conn| record_failure(conn, &user_key, &ip_key, now))
            .await?;
        return Ok(retry(
            INVALID.to_owned(),
            actix_web::http::StatusCode::UNAUTHORIZED,
        ));
    };

    // A fresh token at every sign-in, so a token planted before sign-in is worthless after.
    let token = session::new_token();
    let (hash, csrf_token) = (session::token_hash(&token), session::new_token());
    let previous = req
        .cookie(session::SESSION_COOKIE)
        .map(|c| session::token_hash(c.value()));
    let user_agent = crate::auth::user_agent(&req);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let now = now.naive_utc();
                if let Some(previous) = previous
                    && let Some((old, _)) = db::sessions::find_open(conn, &previous)?
                {
                    db::sessions::end(conn, SessionId(old.id), EndReason::Replaced.as_str(), now)?;
                }
                db::throttle::clear(conn, &user_key)?;
                let new = db::sessions::NewSession {
                    token_hash: &hash,
                    user: UserId(user.id),
                    csrf_token: &csrf_token,
                    ip: &ip,
                    user_agent: &user_agent,
                };
                db::sessions::insert(conn, &new, now)?;
                db::users::record_login(conn, UserId(user.id), now)?;
                Ok(())
            })
        })
        .await?;
    let mut response = see_other(&next);
    let _ = response.add_cookie(&session::session_cookie(
        token,
        state.settings.cookie_secure,
    ));
    Ok(response)
}

/// `POST /logout`.
pub async fn logout(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<HttpResponse> {
    let now = state.clock.now().naive_utc();
    state
        .db(move |conn| {
            Ok(db::sessions::end(
                conn,
                who.session_id,
                EndReason::Logout.as_str(),
                now,
            )?)
        })
        .await?;
    let mut response = see_other("/login");
    let _ = response.add_cookie(&session::removal_cookie(state.settings.cookie_secure));
    Ok(response)
}
