//! Server-side sessions. The cookie holds only a random token; the database keeps its SHA-256
//! with the user, so ending a session (logout, deactivation, role change) takes effect on every
//! instance at the next request.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use chrono::Duration;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::Identity;
use super::identity::PendingSignIn;
use crate::auth::notice::Notice;
use crate::db;
use crate::domain::ids::{PostId, SessionId, UserId};
use crate::domain::policy::{Act, Principal};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "repatrack_session";
/// How stale `last_seen_at` may get before a request refreshes it (saves a write per request):
/// at most a minute, and at most a sixtieth of the idle limit.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The refresh interval for an idle limit of `idle`. The stored time lags the last use by less
/// than this, so a session ends once unused for `idle` plus this: never before `idle` of real
/// idleness, at most a sixtieth of it (and a minute) after.
fn touch_every(idle: Duration) -> Duration {
    (idle / 60).min(TOUCH_EVERY)
}

/// 32 random bytes, hex-encoded: the cookie value (and, separately, CSRF tokens).
pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores in place of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The cookie carrying `token`: `HttpOnly`, `SameSite=Lax`, `Secure` when configured. No
/// `Max-Age`: the browser forgets it on close, the server ends it on its own timeouts.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// A cookie that makes the browser drop the session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

/// Why a session ended; stored in `sessions.ended_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The user signed out.
    Logout,
    /// Unused for longer than the idle timeout.
    Idle,
    /// Older than the absolute timeout.
    Expired,
    /// The account was deactivated.
    Deactivated,
    /// The account's role changed.
    RoleChanged,
    /// The password changed (other sessions end).
    PasswordChanged,
    /// A new sign-in from the same browser replaced it.
    Replaced,
    /// An administrator removed the account's second factor.
    SecondFactorReset,
    /// The password was right but the second factor was not given in time.
    SecondFactorNotGiven,
}

impl EndReason {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Idle => "idle",
            Self::Expired => "expired",
            Self::Deactivated => "deactivated",
            Self::RoleChanged => "role_changed",
            Self::PasswordChanged => "password_changed",
            Self::Replaced => "replaced",
            Self::SecondFactorReset => "second_factor_reset",
            Self::SecondFactorNotGiven => "second_factor_not_given",
        }
    }
}

/// How long the second step of a sign-in waits for its code.
pub const SECOND_STEP_LIMIT: Duration = Duration::minutes(10);

/// What a session cookie stands for.
enum Loaded {
    /// A signed-in person.
    Full(Box<Identity>),
    /// A password given, the second factor still asked for.
    Pending(PendingSignIn),
    /// Nothing (any more).
    Nothing,
}

/// Looks the token up and applies the timeouts: an identity, a sign-in waiting for its second
/// factor, or nothing (and the session, if there was one, is ended with the reason).
fn load_identity(
    conn: &mut db::DbConn,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
    (idle, absolute): (Duration, Duration),
    shows_page: bool,
) -> AppResult<Loaded> {
    let Some((session, user)) = db::sessions::find_open(conn, &token_hash(token))? else {
        return Ok(Loaded::Nothing);
    };
    let now_naive = now.naive_utc();
    let ended = if !user.active {
        Some(EndReason::Deactivated)
    } else if session.second_factor_pending && now_naive - session.created_at >= SECOND_STEP_LIMIT {
        Some(EndReason::SecondFactorNotGiven)
    } else if now_naive - session.created_at >= absolute {
        Some(EndReason::Expired)
    } else if now_naive - session.last_seen_at >= idle + touch_every(idle) {
        Some(EndReason::Idle)
    } else {
        None
    };
    if let Some(reason) = ended {
        db::sessions::end(conn, SessionId(session.id), reason.as_str(), now_naive)?;
        return Ok(Loaded::Nothing);
    }
    if session.second_factor_pending {
        return Ok(Loaded::Pending(PendingSignIn {
            session_id: SessionId(session.id),
            user_id: UserId(user.id),
            username: user.username,
            language: crate::i18n::Lang::parse(&user.language).unwrap_or(crate::i18n::Lang::En),
            digits: crate::i18n::Digits::parse(&user.digits)
                .unwrap_or(crate::i18n::Digits::Western),
        }));
    }
    if now_naive - session.last_seen_at >= touch_every(idle) {
        db::sessions::touch(conn, SessionId(session.id), now_naive)?;
    }
    let Ok(role) = Role::parse(&user.role) else {
        // The CHECK constraint makes this unreachable; refuse rather than guess a role.
        return Err(AppError::internal(
            "reading a user's role",
            format!("unknown role {}", user.role),
        ));
    };
    let scope = if user.all_posts {
        Vec::new()
    } else {
        db::users::post_scope(conn, UserId(user.id))?
    };
    let (posts, post_codes): (Vec<PostId>, Vec<String>) = scope.into_iter().unzip();
    // A page takes the message the last action left; a POST leaves it for the page after.
    let notice = match session.notice.as_deref() {
        Some(json) if shows_page => {
            db::sessions::set_notice(conn, SessionId(session.id), None)?;
            Notice::from_json(json)
        }
        _ => None,
    };
    let principal = Principal::user(UserId(user.id), role, user.all_posts, &posts);
    let queue_count = if shows_page && principal.may(Act::VerifyEvent) {
        Some(crate::services::queue::waiting_count(conn, &principal)?)
    } else {
        None
    };
    let must_enrol = crate::domain::policy::second_factor_required(role)
        && !db::two_factor::is_enabled(conn, UserId(user.id))?;
    Ok(Loaded::Full(Box::new(Identity {
        session_id: SessionId(session.id),
        user_id: UserId(user.id),
        username: user.username,
        display_name: user.display_name,
        role,
        all_posts: user.all_posts,
        posts,
        post_codes,
        csrf_token: session.csrf_token,
        language: crate::i18n::Lang::parse(&user.language).unwrap_or(crate::i18n::Lang::En),
        digits: crate::i18n::Digits::parse(&user.digits).unwrap_or(crate::i18n::Digits::Western),
        notice,
        queue_count,
        must_enrol,
    })))
}

/// Middleware: resolves the session cookie into an [`Identity`] in the request's extensions.
/// An unknown or ended session is treated as anonymous and its cookie removed.
pub async fn resolve<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let path = req.path();
    // Static files and health checks need no identity; skip the database for them.
    let needs_identity = !(path.starts_with("/static/") || path == "/healthz");
    // A GET of a page (not an export) shows the message an action left, and the queue's count.
    let shows_page = req.method() == actix_web::http::Method::GET && !path.ends_with(".csv");
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut drop_cookie = None;
    if let (true, Some(token), Some(state)) = (needs_identity, token, state) {
        let now = state.clock.now();
        let (idle, absolute) = (state.settings.session_idle, state.settings.session_absolute);
        match state
            .db(move |conn| load_identity(conn, &token, now, (idle, absolute), shows_page))
            .await?
        {
            Loaded::Full(identity) => {
                req.extensions_mut().insert(*identity);
            }
            Loaded::Pending(pending) => {
                req.extensions_mut().insert(pending);
            }
            Loaded::Nothing => {
                // This browser was signed in: its POST is kept through a new sign-in. The ended
                // cookie stays until a page is shown, so a second window's POST is kept too.
                if shows_page {
                    drop_cookie = Some(state.settings.cookie_secure);
                }
                req.extensions_mut().insert(super::resume::SessionEnded);
            }
        }
    }
    let mut response = next.call(req).await?.map_into_left_body();
    if let Some(secure) = drop_cookie {
        // A response that set a new session (a sign-in) keeps it.
        let replaced = response
            .response()
            .cookies()
            .any(|c| c.name() == SESSION_COOKIE);
        if !replaced {
            let _ = response.response_mut().add_cookie(&removal_cookie(secure));
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_when_asked() {
        let cookie = session_cookie("t".into(), true).to_string();
        assert_eq!(
            cookie,
            "repatrack_session=t; HttpOnly; SameSite=Lax; Secure; Path=/"
        );
        assert!(
            !session_cookie("t".into(), false)
                .to_string()
                .contains("Secure")
        );
    }
}
