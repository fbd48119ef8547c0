//! `/events.csv`: crossing events with the filters of `/events`, oldest first.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use super::safe_cell;
use crate::db::schema::{agreements, border_posts, users};
use crate::db::{self, DbConn, events::Filter};
use crate::error::AppError;
use crate::views::events::uncited;

/// The columns, in order (documented in the README; stable). `flags` follows the list of the
/// exports issue: `no_agreement_cited` marks a military return that cites no agreement.
pub const COLUMNS: &[&str] = &[
    "event_id",
    "reference",
    "post",
    "occurred_at_utc",
    "occurred_at_local",
    "direction",
    "category",
    "headcount",
    "officers",
    "wounded",
    "agreement",
    "source",
    "source_reference",
    "notes",
    "status",
    "recorded_by",
    "recorded_at_utc",
    "verified_by",
    "verified_at_utc",
    "void_reason",
    "flags",
];

/// An instant as ISO 8601 UTC, to the second: `2024-12-19T07:00:00Z`.
pub fn utc(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An instant at a post, ISO 8601 with the offset: `2024-12-19T10:00:00+03:00`.
pub fn local(at: NaiveDateTime, zone: Tz) -> String {
    at.and_utc()
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Writes every matching event.
pub fn rows(conn: &mut DbConn, filter: &Filter, sink: &mut super::Sink) -> Result<(), AppError> {
    // The small tables, once: codes and zones of posts, user names, agreement references.
    let posts: HashMap<i64, (String, Tz)> = border_posts::table
        .select((border_posts::id, border_posts::code, border_posts::timezone))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, tz)| (id, (code, tz.parse().unwrap_or(chrono_tz::UTC))))
        .collect();
    let names: HashMap<i64, String> = users::table
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let references: HashMap<i64, String> = agreements::table
        .select((agreements::id, agreements::reference))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let count = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    db::events::for_each(conn, filter, |e| {
        let (code, zone) = posts
            .get(&e.post_id.0)
            .cloned()
            .unwrap_or((String::new(), chrono_tz::UTC));
        let agreement = e
            .agreement_id
            .and_then(|a| references.get(&a).cloned())
            .unwrap_or_default();
        sink.row([
            e.id.0.to_string().as_str(),
            &safe_cell(&e.reference),
            &safe_cell(&code),
            &utc(e.occurred_at),
            &local(e.occurred_at, zone),
            &e.direction,
            &e.category,
            &e.headcount.to_string(),
            &count(e.officers),
            &count(e.wounded),
            &safe_cell(&agreement),
            &safe_cell(&e.source),
            &safe_cell(&e.source_reference),
            &safe_cell(&e.notes),
            &e.status,
            &safe_cell(&name(Some(e.recorded_by))),
            &utc(e.recorded_at),
            &safe_cell(&name(e.verified_by)),
            &e.verified_at.map(utc).unwrap_or_default(),
            &safe_cell(e.void_reason.as_deref().unwrap_or_default()),
            if uncited(e) { "no_agreement_cited" } else { "" },
        ]) && !sink.gone()
    })?;
    Ok(())
}
