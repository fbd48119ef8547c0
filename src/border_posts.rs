//! Creating and changing border posts (audited), for the admin pages and `repatrack demo`.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DbError};

use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::{self, DbConn};
use crate::domain::ids::PostId;
use crate::domain::post::NewPost;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppError;

fn code_taken() -> AppError {
    let mut errors = FieldErrors::new();
    errors.push(FieldError::new(
        "code",
        "post-code-taken",
        "A border post with this code already exists.",
    ));
    AppError::Invalid(errors)
}

/// Creates a post; a taken code is `AppError::Invalid` with the message beside `code`.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    post: &NewPost,
) -> Result<PostId, AppError> {
    audit::write(conn, actor, now, |w| {
        if db::posts::code_taken(w.conn(), post.code.as_str())? {
            return Err(code_taken());
        }
        let id = match w.savepoint(|w| db::posts::insert(w, post)) {
            Ok(id) => id,
            // Created by someone else between our check and our insert.
            Err(DbError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                return Err(code_taken());
            }
            Err(other) => return Err(other.into()),
        };
        let f = &post.fields;
        let details = Details::new()
            .created("code", post.code.as_str())
            .created("name_en", f.name_en.as_str())
            .created("name_ar", f.name_ar.as_str())
            .created("country", f.country.as_str())
            .created("neighbour_country", f.neighbour_country.as_str())
            .created("governorate", f.governorate.as_str())
            .created("counterpart_name", f.counterpart_name.as_str())
            .created("timezone", f.timezone.as_str());
        let entry = Entry {
            action: Action::PostCreate,
            entity: "post",
            entity_id: id.to_string(),
            post: Some(post.code.as_str().to_owned()),
            details,
        };
        w.record(entry)?;
        Ok(id)
    })
}
