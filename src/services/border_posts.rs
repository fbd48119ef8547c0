//! Creating and changing border posts (audited), for the admin pages and `repatrack demo`.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DbError};

use super::Refused;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::posts::Post;
use crate::db::{self, DbConn, TxError};
use crate::domain::FieldError;
use crate::domain::ids::PostId;
use crate::domain::post::{NewPost, PostFields};

/// Why a post edit did not happen.
#[derive(Debug)]
pub enum PostEditError {
    /// Not found, invalid (the messages for the form) or failed.
    Refused(Refused),
    /// The form was based on an older version; here is the post as it stands now.
    Stale(Box<Post>),
    /// The form changed nothing; nothing was written (or recorded).
    Unchanged,
}

super::refused_conversions!(PostEditError);

impl TxError for PostEditError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

fn code_taken() -> Refused {
    Refused::field(FieldError::new(
        "code",
        "post-code-taken",
        "A border post with this code already exists.",
    ))
}

/// Creates a post; a taken code is [`Refused::Invalid`] with the message beside `code`.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    post: &NewPost,
) -> Result<PostId, Refused> {
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

/// Field-level before/after of an edit.
fn changes(post: &Post, f: &PostFields, active: bool) -> Details {
    Details::new()
        .change("name_en", post.name_en.as_str(), f.name_en.as_str())
        .change("name_ar", post.name_ar.as_str(), f.name_ar.as_str())
        .change("country", post.country.as_str(), f.country.as_str())
        .change(
            "neighbour_country",
            post.neighbour_country.as_str(),
            f.neighbour_country.as_str(),
        )
        .change(
            "governorate",
            post.governorate.as_str(),
            f.governorate.as_str(),
        )
        .change(
            "counterpart_name",
            post.counterpart_name.as_str(),
            f.counterpart_name.as_str(),
        )
        .change("timezone", post.timezone.as_str(), f.timezone.as_str())
        .change("active", post.active, active)
}

/// Changes a post's editable fields, if it is still at `version` (the one the form was based
/// on; anything else, including a version that never existed, is `Stale` with the post as it
/// stands). The post is read under its lock inside the audited transaction, so the entry's
/// "before" is exactly what the change replaced. An unchanged form writes and records nothing.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    id: PostId,
    version: i32,
    fields: &PostFields,
    active: bool,
) -> Result<(), PostEditError> {
    audit::write(conn, actor, now, |w| {
        // The post's lock (PostgreSQL row lock; SQLite's write transaction already serializes)
        // also orders this edit against events being recorded at the post.
        let post = db::posts::lock(w, id)?.ok_or(Refused::NotFound)?;
        if post.version != version {
            return Err(PostEditError::Stale(Box::new(post)));
        }
        let details = changes(&post, fields, active);
        if !details.has_changes() {
            return Err(PostEditError::Unchanged);
        }
        // Each event's day is fixed in the post's zone when written, and the ledger is kept by
        // those days: moving the zone under them would split the two.
        if post.timezone != fields.timezone.as_str() && db::events::post_has_events(w.conn(), id)? {
            return Err(Refused::field(FieldError::new(
                "timezone",
                "timezone-fixed",
                "This post has events; its time zone can no longer change.",
            ))
            .into());
        }
        if db::posts::update(w, id, version, fields, active)? != 1 {
            // Not reached while the lock is held; kept so a lost lock can never overwrite.
            let current = db::posts::find(w.conn(), id)?.ok_or(Refused::NotFound)?;
            return Err(PostEditError::Stale(Box::new(current)));
        }
        w.record(Entry {
            action: Action::PostUpdate,
            entity: "post",
            entity_id: id.to_string(),
            post: Some(post.code),
            details,
        })?;
        Ok(())
    })
}
