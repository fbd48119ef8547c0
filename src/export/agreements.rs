//! `/agreements.csv`: the agreements covering the user's posts, as `/agreements` lists them.

use std::collections::HashMap;

use diesel::prelude::*;

use super::events::utc;
use super::safe_cell;
use crate::db::schema::users;
use crate::db::{self, DbConn};
use crate::error::AppError;

/// The columns, in order (documented in the README; stable).
pub const COLUMNS: &[&str] = &[
    "agreement_id",
    "reference",
    "title",
    "parties",
    "signed_on",
    "effective_from",
    "effective_to",
    "status",
    "terms",
    "planned_headcount",
    "returned",
    "posts",
    "clauses",
    "created_by",
    "created_at_utc",
    "updated_at_utc",
    "returned_pending",
];

/// Writes every agreement `filter` selects, newest first.
pub fn rows(
    conn: &mut DbConn,
    filter: &db::agreements::ListFilter,
    sink: &mut super::Sink,
) -> Result<(), AppError> {
    let names: HashMap<i64, String> = users::table
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let returned = db::agreements::returned_totals(conn, &filter.scope)?;
    for a in db::agreements::list(conn, filter)? {
        // Only the covered posts the exporter may see: a code outside their scope is never
        // told (everywhere else it is answered like an unknown one).
        let posts: Vec<String> = db::agreements::posts_of(conn, a.id)?
            .into_iter()
            .filter(|(post, _)| filter.scope.admits(*post))
            .map(|(_, code)| code)
            .collect();
        let clauses: Vec<String> = db::agreements::clauses_of(conn, a.id)?
            .into_iter()
            .map(|c| format!("{}: {}", c.kind, c.text))
            .collect();
        let written = sink.row([
            a.id.0.to_string().as_str(),
            &safe_cell(&a.reference),
            &safe_cell(&a.title),
            &safe_cell(&a.parties),
            &a.signed_on.to_string(),
            &a.effective_from.to_string(),
            &a.effective_to.map(|d| d.to_string()).unwrap_or_default(),
            &a.status,
            &safe_cell(&a.terms),
            &a.planned_headcount
                .map(|n| n.to_string())
                .unwrap_or_default(),
            &returned
                .get(&a.id.0)
                .copied()
                .unwrap_or_default()
                .all
                .to_string(),
            &posts.join(" "),
            &safe_cell(&clauses.join("\n")),
            &safe_cell(names.get(&a.created_by).map_or("", String::as_str)),
            &utc(a.created_at),
            &utc(a.updated_at),
            &returned
                .get(&a.id.0)
                .copied()
                .unwrap_or_default()
                .pending
                .to_string(),
        ]);
        if !written {
            break;
        }
    }
    Ok(())
}
