//! Crossing events: `/posts/{code}/events…` and `/events…`.

pub mod actions;
pub mod csv;
pub mod edit;
pub mod handover;
pub mod list;
pub mod manifest;
pub mod new;
pub mod reconcile;
pub mod show;

use rand::RngCore;
use serde::Deserialize;

use crate::auth::Identity;
use crate::db::events::EventRow;
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::event::EventForm;
use crate::domain::ids::EventId;
use crate::domain::policy;
use crate::error::{AppError, AppResult};

/// The event form as the browser sends it.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct EventInput {
    occurred_at: String,
    direction: String,
    category: String,
    headcount: String,
    officers: String,
    wounded: String,
    source: String,
    reference: String,
    notes: String,
    agreement_id: String,
    form_key: String,
    version: String,
    reason: String,
}

impl EventInput {
    fn form(&self) -> EventForm {
        EventForm {
            occurred_at: self.occurred_at.clone(),
            direction: self.direction.clone(),
            category: self.category.clone(),
            headcount: self.headcount.clone(),
            officers: self.officers.clone(),
            wounded: self.wounded.clone(),
            source: self.source.clone(),
            reference: self.reference.clone(),
            notes: self.notes.clone(),
            agreement_id: self.agreement_id.clone(),
        }
    }
}

/// A fresh form key: 128 random bits, hex.
pub fn new_form_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `key` looks like one we issued.
pub fn well_formed_key(key: &str) -> bool {
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The `version` field; anything unreadable is treated as a version that never existed, so it
/// answers as a conflict showing the current values.
fn version_of(raw: &str) -> i32 {
    raw.trim().parse().unwrap_or(-1)
}

/// The event with `id` and its post, if the user may see that post (else 404, like a missing
/// event, so scope cannot be probed).
pub fn find_in_scope(conn: &mut DbConn, who: &Identity, id: &str) -> AppResult<(EventRow, Post)> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let event = db::events::find(conn, EventId(id))?.ok_or(AppError::NotFound)?;
    policy::see_event(&who.principal(), &event.facts()).map_err(|_| AppError::NotFound)?;
    let post = db::posts::find(conn, event.post_id)?.ok_or(AppError::NotFound)?;
    Ok((event, post))
}

/// The agreements a return at `post` may cite: those in force covering it, plus the one the
/// event already cites (`cited`, as stored), so a correction keeps it selectable after a
/// suspension. Never an agreement named only by the request.
pub fn agreement_choices(
    conn: &mut DbConn,
    post: &Post,
    cited: Option<i64>,
) -> AppResult<Vec<(String, String)>> {
    use crate::domain::agreement::AgreementStatus;
    let mut list = db::agreements::covering(conn, post.id, AgreementStatus::Active)?;
    if let Some(id) = cited
        && !list.iter().any(|a| a.id.0 == id)
        && let Some(a) = db::agreements::find(conn, crate::domain::ids::AgreementId(id))?
    {
        list.push(a);
    }
    Ok(list
        .into_iter()
        .map(|a| (a.id.to_string(), format!("{} · {}", a.reference, a.title)))
        .collect())
}
