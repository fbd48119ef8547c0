//! People: `/people…` and `/posts/{code}/people…`.

pub mod csv;
pub mod edit;
pub mod import;
pub mod list;
pub mod merge;
pub mod new;
pub mod show;

use serde::Deserialize;

use crate::auth::Identity;
use crate::db::people::PersonRow;
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::ids::PersonId;
use crate::domain::person::PersonForm;
use crate::domain::policy;
use crate::error::{AppError, AppResult};

/// The person form as the browser sends it.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct PersonInput {
    #[serde(flatten)]
    form: PersonForm,
    form_key: String,
    version: String,
    confirm_not_duplicate: String,
}

impl PersonInput {
    /// Whether the officer ticked "not the same person as the records shown".
    fn not_duplicate(&self) -> bool {
        self.confirm_not_duplicate.trim() == "1"
    }
}

/// The person with `id` and their post, if the user may see that post (else 404, like a missing
/// person, so scope cannot be probed). Not audited: the page that shows a person audits the view.
pub fn find_in_scope(conn: &mut DbConn, who: &Identity, id: &str) -> AppResult<(PersonRow, Post)> {
    let id = parse_id(id)?;
    let person = db::people::find(conn, id)?.ok_or(AppError::NotFound)?;
    policy::see_person(&who.principal(), person.facts()).map_err(|_| AppError::NotFound)?;
    let post = db::posts::find(conn, person.post_id)?.ok_or(AppError::NotFound)?;
    Ok((person, post))
}

/// A person id from a path (anything else is not found).
pub fn parse_id(raw: &str) -> AppResult<PersonId> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(PersonId)
        .ok_or(AppError::NotFound)
}

/// The arrivals at `post` a person may have come with (its latest inbound events, not void),
/// plus the one already chosen: (id, "QAIM-2024-0001 · 7 Dec 2024 · 600").
pub fn arrival_choices(
    conn: &mut DbConn,
    layout: &crate::views::layout::Layout,
    post: &Post,
    chosen: Option<i64>,
) -> AppResult<Vec<(String, String)>> {
    let mut rows = db::event_lists::arrivals(conn, post.id, 200)?;
    if let Some(id) = chosen
        && !rows.iter().any(|e| e.id.0 == id)
        && let Some(e) = db::events::find(conn, crate::domain::ids::EventId(id))?
        && e.post_id == post.id
    {
        rows.push(e);
    }
    Ok(rows
        .into_iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!(
                    "{} · {} · {}",
                    e.reference,
                    layout.tr.date(e.local_day),
                    layout.num(i64::from(e.headcount))
                ),
            )
        })
        .collect())
}

/// The `version` field; anything unreadable is a version that never existed (a conflict).
fn version_of(raw: &str) -> i32 {
    raw.trim().parse().unwrap_or(-1)
}
