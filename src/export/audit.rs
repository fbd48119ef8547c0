//! `/audit.csv`: the trail as CSV, with the same filters as `/audit`. An unfiltered export holds
//! everything a third party needs to recompute the chain (`scripts/verify_audit_csv.py`).
//! `actor_id` and `format` came later than the other columns, so they are last.

use super::safe_cell;
use crate::db::{self, DbConn, audit::Filter};
use crate::error::AppError;

/// The columns, in order (documented in the README; stable).
pub const COLUMNS: &[&str] = &[
    "seq",
    "at_utc",
    "actor",
    "action",
    "entity",
    "entity_id",
    "post",
    "ip",
    "details",
    "prev_hash",
    "hash",
    "actor_id",
    "format",
];

/// Writes every matching entry, oldest first.
pub fn rows(
    conn: &mut DbConn,
    filter: &Filter,
    sink: &mut super::stream::Sink,
) -> Result<(), AppError> {
    db::audit::for_each(conn, filter, |row| {
        let seq = row.seq.to_string();
        let actor_id = row.actor_id.map(|id| id.to_string()).unwrap_or_default();
        let format = row.format.to_string();
        // Always six fractional digits: the hash covers integer microseconds.
        let at = row
            .at
            .and_utc()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        sink.row([
            seq.as_str(),
            at.as_str(),
            &safe_cell(&row.actor),
            &safe_cell(&row.action),
            &safe_cell(&row.entity),
            &safe_cell(&row.entity_id),
            &safe_cell(&row.post),
            &safe_cell(&row.ip),
            &safe_cell(&row.details),
            row.prev_hash.as_str(),
            row.hash.as_str(),
            actor_id.as_str(),
            format.as_str(),
        ])
    })?;
    Ok(())
}
