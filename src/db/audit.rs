//! Reading the audit trail (writing is `crate::audit`'s alone).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::audit_log;

/// One entry as stored.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Position.
    pub seq: i64,
    /// UTC.
    pub at: NaiveDateTime,
    /// Acting account.
    pub actor_id: Option<i64>,
    /// Who.
    pub actor: String,
    /// Action code.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: String,
    /// Post code or empty.
    pub post: String,
    /// Client address.
    pub ip: String,
    /// Canonical JSON.
    pub details: String,
    /// Previous hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
    /// The canonical encoding hashed (`audit::chain::Format`).
    pub format: i32,
}

impl AuditRow {
    /// The fields its hash covers.
    pub fn fields(&self) -> crate::audit::chain::Fields<'_> {
        crate::audit::chain::Fields {
            seq: self.seq,
            at_micros: self.at.and_utc().timestamp_micros(),
            actor_id: self.actor_id,
            actor: &self.actor,
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            post: &self.post,
            ip: &self.ip,
            details: &self.details,
        }
    }
}

/// What to show: every field optional; `posts` restricts to a user's scope.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Exact actor name.
    pub actor: Option<String>,
    /// Exact action code.
    pub action: Option<String>,
    /// Exact entity kind.
    pub entity: Option<String>,
    /// Exact entity id (with `entity`).
    pub entity_id: Option<String>,
    /// Exact post code.
    pub post: Option<String>,
    /// From this instant (UTC, inclusive).
    pub from: Option<NaiveDateTime>,
    /// Before this instant (UTC, exclusive).
    pub until: Option<NaiveDateTime>,
    /// Entries of these posts only (`None`: no restriction). A user limited to some posts sees
    /// only what happened at them — not other people's sign-ins or account changes.
    pub posts: Option<Vec<String>>,
}

/// The entries from `from` (inclusive) until `until` (exclusive) as a range of `seq`, found with
/// two index look-ups: `at` never decreases along the chain (the append guarantees it), so the
/// first entry at or after `from` and the last before `until` bound the range. `Some(None)`:
/// no entry in that time.
fn seq_range(conn: &mut DbConn, filter: &Filter) -> QueryResult<Option<Option<(i64, i64)>>> {
    if filter.from.is_none() && filter.until.is_none() {
        return Ok(None);
    }
    let first = match filter.from {
        Some(from) => audit_log::table
            .filter(audit_log::at.ge(from))
            .order((audit_log::at.asc(), audit_log::seq.asc()))
            .select(audit_log::seq)
            .first::<i64>(conn)
            .optional()?,
        None => Some(i64::MIN),
    };
    let last = match filter.until {
        Some(until) => audit_log::table
            .filter(audit_log::at.lt(until))
            .order((audit_log::at.desc(), audit_log::seq.desc()))
            .select(audit_log::seq)
            .first::<i64>(conn)
            .optional()?,
        None => Some(i64::MAX),
    };
    Ok(Some(match (first, last) {
        (Some(first), Some(last)) if first <= last => Some((first, last)),
        _ => None,
    }))
}

fn filtered(
    filter: &Filter,
    bounds: Option<(i64, i64)>,
) -> audit_log::BoxedQuery<'static, <DbConn as diesel::Connection>::Backend> {
    let mut query = audit_log::table.into_boxed();
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_log::entity.eq(entity.clone()));
    }
    if let Some(entity_id) = &filter.entity_id {
        query = query.filter(audit_log::entity_id.eq(entity_id.clone()));
    }
    if let Some(post) = &filter.post {
        query = query.filter(audit_log::post.eq(post.clone()));
    }
    // Dates become a range of `seq` (see `seq_range`), so every listing walks the primary key.
    if let Some((first, last)) = bounds {
        query = query
            .filter(audit_log::seq.ge(first))
            .filter(audit_log::seq.le(last));
    }
    if let Some(posts) = &filter.posts {
        query = query.filter(audit_log::post.eq_any(posts.clone()));
    }
    query
}

/// A page of entries, newest first, older than `before` (keyset pagination on the primary key:
/// the database seeks straight to the place, so page 1,000 costs what page 1 does).
pub fn page(
    conn: &mut DbConn,
    filter: &Filter,
    before: Option<i64>,
    size: i64,
) -> QueryResult<Vec<AuditRow>> {
    let bounds = match seq_range(conn, filter)? {
        Some(None) => return Ok(Vec::new()),
        Some(range) => range,
        None => None,
    };
    let mut query = filtered(filter, bounds)
        .select(AuditRow::as_select())
        .order(audit_log::seq.desc())
        .limit(size);
    if let Some(before) = before {
        query = query.filter(audit_log::seq.lt(before));
    }
    query.load(conn)
}

/// Every matching entry, oldest first, streamed to `each` (memory stays flat); returns how many.
pub fn for_each(
    conn: &mut DbConn,
    filter: &Filter,
    mut each: impl FnMut(AuditRow) -> bool,
) -> QueryResult<u64> {
    let bounds = match seq_range(conn, filter)? {
        Some(None) => return Ok(0),
        Some(range) => range,
        None => None,
    };
    // In batches by `seq`: PostgreSQL's driver would load a whole result before the first row,
    // and between batches a client that has gone stops the export.
    const BATCH: i64 = 5_000;
    let mut count = 0;
    let mut after = i64::MIN;
    loop {
        let rows = filtered(filter, bounds)
            .filter(audit_log::seq.gt(after))
            .select(AuditRow::as_select())
            .order(audit_log::seq.asc())
            .limit(BATCH)
            .load(conn)?;
        let Some(last) = rows.last() else {
            return Ok(count);
        };
        after = last.seq;
        for row in rows {
            count += 1;
            if !each(row) {
                return Ok(count);
            }
        }
    }
}

/// The history of one record, oldest first.
pub fn history(conn: &mut DbConn, entity: &str, entity_id: &str) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .filter(audit_log::entity_id.eq(entity_id))
        .select(AuditRow::as_select())
        .order(audit_log::seq.asc())
        .load(conn)
}

/// The human names of the records `rows` are about: `(entity, entity_id)` → an event's
/// reference, an agreement's reference, an account's user name (a day and a post are named from
/// the entry itself).
pub fn record_names(
    conn: &mut DbConn,
    rows: &[AuditRow],
) -> QueryResult<std::collections::HashMap<(String, String), String>> {
    use super::schema::{agreements, crossing_events, people};
    let ids = |entity: &str| -> Vec<i64> {
        rows.iter()
            .filter(|r| r.entity == entity)
            .filter_map(|r| r.entity_id.parse().ok())
            .collect()
    };
    let mut names = std::collections::HashMap::new();
    let events: Vec<(i64, String)> = crossing_events::table
        .filter(crossing_events::id.eq_any(ids("event")))
        .select((crossing_events::id, crossing_events::reference))
        .load(conn)?;
    let agreements: Vec<(i64, String)> = agreements::table
        .filter(agreements::id.eq_any(ids("agreement")))
        .select((agreements::id, agreements::reference))
        .load(conn)?;
    let people: Vec<(i64, String)> = people::table
        .filter(people::id.eq_any(ids("person")))
        .select((people::id, people::reference))
        .load(conn)?;
    let users = super::users::names(conn, &ids("user"))?;
    for (entity, list) in [
        ("event", events),
        ("agreement", agreements),
        ("person", people),
    ] {
        for (id, name) in list {
            names.insert((entity.to_owned(), id.to_string()), name);
        }
    }
    for (id, name) in users {
        names.insert(("user".to_owned(), id.to_string()), name);
    }
    Ok(names)
}
