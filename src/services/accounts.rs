//! Creating and changing accounts: the one place that turns a valid account form into rows,
//! used by the command line (`user add`, `demo`) and the admin pages alike. Every change is
//! audited.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::audit::{self, Action, Actor, AuditError, Details, Entry};
use crate::auth::session::EndReason;
use crate::db::{self, DbConn, users::User};
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
    /// The form was based on an older version; here is the account as it stands now.
    #[error("the account was changed meanwhile")]
    Stale(Box<StoredAccount>),
}

/// An account as stored, with its assigned post codes.
#[derive(Debug, Clone)]
pub struct StoredAccount {
    /// The row.
    pub user: User,
    /// Assigned post codes, by code.
    pub posts: Vec<String>,
}

impl StoredAccount {
    /// The account with `id` and its post codes (`NotFound` if there is none).
    pub fn load(conn: &mut DbConn, id: UserId) -> diesel::QueryResult<Self> {
        let user = db::users::find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        let posts = db::users::post_scope(conn, id)?
            .into_iter()
            .map(|(_, code)| code)
            .collect();
        Ok(Self { user, posts })
    }
}

/// The account under its lock, if it is still at `version` (the one the form was based on;
/// anything else, including a version that never existed, is `Stale`).
fn current(
    w: &mut audit::Writer<'_>,
    id: UserId,
    version: i32,
) -> Result<StoredAccount, AccountError> {
    db::users::lock(w, id)?;
    let stored = StoredAccount::load(w.conn(), id)?;
    if stored.user.version != version {
        return Err(AccountError::Stale(Box::new(stored)));
    }
    Ok(stored)
}

impl crate::db::TxError for AccountError {
    fn retryable(&self) -> bool {
        match self {
            Self::Database(e) => e.retryable(),
            Self::Audit(e) => e.retryable(),
            Self::Invalid(_) | Self::Stale(_) => false,
        }
    }
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(_) => AppError::Unprocessable("account form".into()),
            AccountError::Database(e) => e.into(),
            AccountError::Audit(e) => AppError::internal("writing the audit entry", e),
            AccountError::Stale(_) => AppError::Unprocessable("account changed meanwhile".into()),
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

/// Applies an administrator's change, if the account is still at `version`; the entry's
/// "before" is the account as read under its lock in the same transaction. Deactivation or a
/// role change ends the user's sessions.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    user: UserId,
    version: i32,
    fields: &AccountFields,
    active: bool,
) -> Result<(), AccountError> {
    audit::write(conn, actor, now, |w| {
        let StoredAccount {
            user: before,
            posts: before_posts,
        } = current(w, user, version)?;
        let posts = resolve_posts(w.conn(), fields)?;
        let change = db::users::UserChange {
            display_name: fields.display_name.as_str(),
            role: fields.role.as_str(),
            all_posts: fields.all_posts,
            active,
        };
        if db::users::update(w, user, version, &change)? != 1 {
            // Not reached while the lock is held; kept so a lost lock can never overwrite.
            let stored = StoredAccount::load(w.conn(), user)?;
            return Err(AccountError::Stale(Box::new(stored)));
        }
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
            .change("posts", before_posts.join(","), codes(fields));
        if let Some(reason) = ended {
            let count = db::sessions::end_all_for_user(w, user, None, reason.as_str())?;
            details = details.fact("sessions_ended", Value::from(count));
        }
        w.record(Entry::about_user(Action::UserUpdate, user, details))?;
        Ok(())
    })
}

/// An administrator sets a user's password, if the account is still at `version`, and signs
/// the user out everywhere.
pub fn reset_password(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    user: UserId,
    version: i32,
    hash: &str,
) -> Result<(), AccountError> {
    audit::write(conn, actor, now, |w| {
        current(w, user, version)?;
        store_password(w, user, hash, None, Action::UserPasswordReset, None)
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
        store_password(w, user, hash, keep, action, reason)
    })
}

/// The body of a password change or reset, inside its audited transaction. A reset (by an
/// administrator, or `demo --force`) bumps the account's version, so a form opened before it
/// is stale; one's own change does not (the administrators' form does not show it).
fn store_password<E>(
    w: &mut audit::Writer<'_>,
    user: UserId,
    hash: &str,
    keep: Option<SessionId>,
    action: Action,
    reason: Option<&str>,
) -> Result<(), E>
where
    E: From<diesel::result::Error> + From<AuditError>,
{
    db::users::set_password(w, user, hash)?;
    if action == Action::UserPasswordReset {
        db::users::bump_version(w, user)?;
    }
    let ended = db::sessions::end_all_for_user(w, user, keep, EndReason::PasswordChanged.as_str())?;
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
