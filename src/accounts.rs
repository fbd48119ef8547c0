//! Creating and changing accounts: the one place that turns a valid account form into rows,
//! used by the command line (`user add`, `demo`) and the admin pages alike.

use chrono::NaiveDateTime;

use crate::db::{self, DbConn, write_tx};
use crate::domain::account::AccountFields;
use crate::domain::ids::{PostId, UserId};
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
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(_) => AppError::Unprocessable("account form".into()),
            AccountError::Database(e) => e.into(),
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

/// Creates an account with an already computed password hash.
pub fn create(
    conn: &mut DbConn,
    fields: &AccountFields,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<UserId, AccountError> {
    write_tx(conn, |conn| {
        if db::users::find_by_username(conn, fields.username.as_str())?.is_some() {
            return Err(AccountError::Invalid(taken()));
        }
        let posts = resolve_posts(conn, fields)?;
        let new = db::users::NewUser {
            username: fields.username.as_str(),
            display_name: fields.display_name.as_str(),
            password_hash,
            role: fields.role.as_str(),
            all_posts: fields.all_posts,
        };
        match db::users::insert(conn, &new, &posts, now) {
            Ok(id) => Ok(id),
            // Another request created the same name between our check and our insert.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Err(AccountError::Invalid(taken())),
            Err(other) => Err(other.into()),
        }
    })
}
