//! Creating and changing accounts: the one place that turns a valid account form into rows,
//! used by the command line (`user add`, `demo`) and the admin pages alike. Every change is
//! audited.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::audit::{self, Action, Actor, AuditError, Details, Entry};
use crate::auth::session::EndReason;
use crate::db::{self, DbConn};
use crate::domain::account::AccountFields;
use crate::domain::ids::{PostId, SessionId, UserId};
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppError;

/// Why an account could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Something the person can fix (shown beside the field).
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Anything else.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// The audit entry could not be written.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl crate::db::TxError for AccountError {
    fn retryable(&self) -> bool {
        match self {
            Self::Database(e) => e.retryable(),
            Self::Audit(e) => e.retryable(),
            Self::Invalid(_) => false,
        }
    }
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(_) => AppError::Unprocessable("account form".into()),
            AccountError::Database(e) => e.into(),
            AccountError::Audit(e) => AppError::internal("writing the audit entry", e),
        }
    }
}

/// The ids of the posts named in `fields`, or a field error naming the unknown ones.
pub fn resolve_posts(
    conn: &mut DbConn,
    fields: &AccountFields,
) -> Result<Vec<PostId>, AccountError> {
    let codes: Vec<String> = fields
        .post_codes
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let found = db::posts::find_by_codes(conn, &codes)?;
    let missing: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|c| !found.iter().any(|p| p.code == *c))
        .collect();
    if !missing.is_empty() {
        let mut errors = FieldErrors::new();
        errors.push(
            FieldError::new(
                "posts",
                "post-unknown",
                format!("There is no border post with code {}.", missing.join(", ")),
            )
            .with_arg("codes", missing.join(", ")),
        );
        return Err(AccountError::Invalid(errors));
    }
    Ok(found.into_iter().map(|p| p.id).collect())
}

fn taken() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.push(FieldError::new(
        "username",
        "username-taken",
        "This user name is already taken.",
    ));
    errors
}

fn codes(fields: &AccountFields) -> String {
    fields
        .post_codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Creates an account with an already computed password hash.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    fields: &AccountFields,
    password_hash: &str,
) -> Result<UserId, AccountError> {
    audit::write(conn, actor, now, |w| {
        if db::users::find_by_username(w.conn(), fields.username.as_str())?.is_some() {
            return Err(AccountError::Invalid(taken()));
        }
        let posts = resolve_posts(w.conn(), fields)?;
        let new = db::users::NewUser {
            username: fields.username.as_str(),
            display_name: fields.display_name.as_str(),
            password_hash,
            role: fields.role.as_str(),
            all_posts: fields.all_posts,
        };
        let id = match db::users::insert(w, &new, &posts) {
            Ok(id) => id,
            // Another request created the same name between our check and our insert.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                return Err(AccountError::Invalid(taken()));
            }
            Err(other) => return Err(other.into()),
        };
        let details = Details::new()
            .created("username", fields.username.as_str())
            .created("display_name", fields.display_name.as_str())
            .created("role", fields.role.as_str())
            .created("all_posts", fields.all_posts)
            .created("posts", codes(fields));
        w.record(Entry::about_user(Action::UserCreate, id, details))?;
        Ok(id)
    })
}

/// An account as it was before a change, for the entry's before/after.
pub struct Before {
    /// Shown name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Sees every post.
    pub all_posts: bool,
    /// May sign in.
    pub active: bool,
    /// Assigned codes, comma-separated.
    pub posts: String,
}

/// Applies an administrator's change. Deactivation or a role change ends the user's sessions.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    user: UserId,
    before: &Before,
    fields: &AccountFields,
    active: bool,
) -> Result<(), AccountError> {
    audit::write(conn, actor, now, |w| {
        let posts = resolve_posts(w.conn(), fields)?;
        let change = db::users::UserChange {
            display_name: fields.display_name.as_str(),
            role: fields.role.as_str(),
            all_posts: fields.all_posts,
            active,
        };
        db::users::update(w, user, &change)?;
        db::users::set_posts(w, user, &posts)?;
        let ended = if before.active && !active {
            Some(EndReason::Deactivated)
        } else if before.role != fields.role.as_str() {
            Some(EndReason::RoleChanged)
        } else {
            None
        };
        let mut details = Details::new()
            .change(
                "display_name",
                before.display_name.as_str(),
                fields.display_name.as_str(),
            )
            .change("role", before.role.as_str(), fields.role.as_str())
            .change("all_posts", before.all_posts, fields.all_posts)
            .change("active", before.active, active)
            .change("posts", before.posts.as_str(), codes(fields));
        if let Some(reason) = ended {
            let count = db::sessions::end_all_for_user(w, user, None, reason.as_str())?;
            details = details.fact("sessions_ended", Value::from(count));
        }
        w.record(Entry::about_user(Action::UserUpdate, user, details))?;
        Ok(())
    })
}

/// Stores a new password, ends sessions — all of them (an administrator's reset, `keep` none)
/// or all but `keep` (one's own change) — and records `action`, with an optional reason.
#[allow(clippy::too_many_arguments)] // each is one fact of the change; a struct would only rename them
pub fn replace_password(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    user: UserId,
    hash: &str,
    keep: Option<SessionId>,
    action: Action,
    reason: Option<&str>,
) -> Result<(), AppError> {
    audit::write(conn, actor, now, |w| {
        db::users::set_password(w, user, hash)?;
        let ended =
            db::sessions::end_all_for_user(w, user, keep, EndReason::PasswordChanged.as_str())?;
        let fact = if keep.is_some() {
            "other_sessions_ended"
        } else {
            "sessions_ended"
        };
        let mut details = Details::new().fact(fact, ended);
        if let Some(reason) = reason {
            details = details.fact("reason", reason);
        }
        w.record(Entry::about_user(action, user, details))?;
        Ok(())
    })
}

/// Stores a user's language and digits (codes) and records the change; writes nothing when
/// both are as they were. Returns whether anything changed.
pub fn set_preferences(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    user: UserId,
    (old_language, old_digits): (&str, &str),
    (language, digits): (&str, &str),
) -> Result<bool, AppError> {
    let details = Details::new()
        .change("language", old_language, language)
        .change("digits", old_digits, digits);
    if !details.has_changes() {
        return Ok(false);
    }
    audit::write(conn, actor, now, |w| {
        db::users::set_preferences(w, user, language, digits)?;
        w.record(Entry::about_user(
            Action::AccountPreferences,
            user,
            details.clone(),
        ))?;
        Ok(true)
    })
}
