//! The second factor: enrolling one, giving it at sign-in, and an administrator removing it.
//! Each change commits with its audit entry; a code is taken (its time step, or the recovery
//! code) by one conditional write in the same transaction, so no code counts twice, even sent
//! twice at once.

use chrono::{DateTime, Utc};

use super::Refused;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::auth::second_factor::{self, Given};
use crate::auth::session::EndReason;
use crate::auth::throttle;
use crate::db::{self, DbConn};
use crate::domain::FieldError;
use crate::domain::ids::{SessionId, UserId};
use crate::domain::policy::{self, Principal};

/// The message beside the field `code` when the code is not right.
pub fn wrong_code() -> FieldError {
    FieldError::new(
        "code",
        "code-wrong",
        "This code is not right, or was used already. Type the code your app shows now.",
    )
}

/// Enables a second factor for `user` with `secret` (the one shown to them, kept server-side),
/// if `code` is its code now (or a step either side). Returns the ten recovery codes, to be
/// shown once: only their hashes are kept. `session`'s enrolment secret is forgotten.
pub fn enable(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    (user, session): (UserId, Option<SessionId>),
    secret: &str,
    code: &str,
) -> Result<Vec<String>, Refused> {
    let step = match Given::parse(code) {
        Some(Given::Totp(digits)) => {
            second_factor::matching_step(secret, &digits, now.timestamp(), None)
        }
        _ => None,
    };
    let Some(step) = step else {
        return Err(Refused::field(wrong_code()));
    };
    let codes = second_factor::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| second_factor::recovery_hash(c))
        .collect();
    audit::write(conn, actor, now, |w| {
        db::users::lock(w, user)?;
        if db::two_factor::is_enabled(w.conn(), user)? {
            return Err(Refused::field(FieldError::new(
                "code",
                "two-factor-already",
                "A second factor is already set up for this account.",
            )));
        }
        db::two_factor::enable(w, user, secret, step, &hashes)?;
        if let Some(session) = session {
            db::two_factor::set_enrolling_secret(w.conn(), session, None)?;
        }
        let details = Details::new()
            .fact("method", "totp")
            .fact("recovery_codes", second_factor::RECOVERY_CODES);
        w.record(Entry::about_user(Action::TwoFactorEnable, user, details))?;
        Ok(())
    })?;
    Ok(codes)
}

/// The second step of a sign-in whose password was right.
pub struct SecondStep<'a> {
    /// The pending session.
    pub session: SessionId,
    /// Whose.
    pub user: UserId,
    /// What was typed in `code`.
    pub code: &'a str,
    /// The throttle's keys: the user name's and the address's.
    pub throttle_keys: (&'a str, &'a str),
    /// The browser's `User-Agent`, for the entry.
    pub user_agent: &'a str,
}

/// How a sign-in's second step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Signed in: the session is a full one.
    SignedIn,
    /// Not the code (or one used already): nothing changed.
    Wrong,
}

/// Checks the code of a pending sign-in. If it is right and unused, in one audited transaction:
/// the code is taken (its time step, or the recovery code marked used), the session becomes a
/// full one, the throttle forgets the user name's failures, and `auth.login` is recorded with
/// the factor used.
pub fn complete_sign_in(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    step: &SecondStep<'_>,
) -> Result<Outcome, Refused> {
    let Some(given) = Given::parse(step.code) else {
        return Ok(Outcome::Wrong);
    };
    let Some(totp) = db::two_factor::find(conn, step.user)? else {
        return Ok(Outcome::Wrong);
    };
    let recovery_hash = match &given {
        Given::Recovery(code) => Some(second_factor::recovery_hash(code)),
        Given::Totp(_) => None,
    };
    let result = audit::write(conn, actor, now, |w| {
        let factor = match (&given, &recovery_hash) {
            (Given::Totp(digits), _) => {
                let matched = second_factor::matching_step(
                    &totp.secret,
                    digits,
                    now.timestamp(),
                    totp.last_step,
                );
                // The conditional write refuses a step taken meanwhile by a parallel request.
                match matched {
                    Some(s) if db::two_factor::take_step(w, step.user, s)? == 1 => "totp",
                    _ => return Err(Refused::field(wrong_code())),
                }
            }
            (Given::Recovery(_), Some(hash)) => {
                if db::two_factor::use_recovery_code(w, step.user, hash)? != 1 {
                    return Err(Refused::field(wrong_code()));
                }
                "recovery_code"
            }
            (Given::Recovery(_), None) => return Err(Refused::field(wrong_code())),
        };
        if db::two_factor::complete_session(w, step.session)? != 1 {
            return Err(Refused::NotFound);
        }
        let (user_key, address_key) = step.throttle_keys;
        throttle::release(w.conn(), user_key, Some(address_key), now)?;
        db::users::record_login(w, step.user)?;
        let mut details = Details::new()
            .fact("user_agent", step.user_agent)
            .fact("second_factor", factor);
        if factor == "recovery_code" {
            let left = db::two_factor::recovery_codes_left(w.conn(), step.user)?;
            details = details.fact("recovery_codes_left", left);
        }
        w.record(Entry {
            action: Action::Login,
            entity: "session",
            entity_id: step.session.to_string(),
            post: None,
            details,
        })?;
        Ok(())
    });
    match result {
        Ok(()) => Ok(Outcome::SignedIn),
        Err(Refused::Invalid(_)) => Ok(Outcome::Wrong),
        Err(other) => Err(other),
    }
}

/// An administrator removes `target`'s second factor (a lost phone): the factor and its recovery
/// codes go, every session of theirs ends, and the entry says how many. Someone whose role needs
/// one enrols again at their next sign-in. Returns the sessions ended.
pub fn reset(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    who: &Principal,
    target: UserId,
) -> Result<usize, Refused> {
    policy::reset_second_factor(who, target)?;
    audit::write(conn, actor, now, |w| {
        if db::users::lock(w, target)? != 1 {
            return Err(Refused::NotFound);
        }
        if !db::two_factor::remove(w, target)? {
            return Err(Refused::field(FieldError::new(
                "two_factor",
                "two-factor-none",
                "This account has no second factor.",
            )));
        }
        let ended =
            db::sessions::end_all_for_user(w, target, None, EndReason::SecondFactorReset.as_str())?;
        let details = Details::new()
            .change("two_factor", "totp", "none")
            .fact("sessions_ended", ended);
        w.record(Entry::about_user(Action::TwoFactorReset, target, details))?;
        Ok(ended)
    })
}
