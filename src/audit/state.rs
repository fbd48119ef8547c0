//! The trail proves the tables too: `repatrack audit verify --state` and a section of
//! `/audit/verify`.
//!
//! Every audited change records the changed fields' after-values (`details.changes`). Folding a
//! record's entries in `seq` order rebuilds what its covered columns must hold now; this module
//! compares that with the business tables and names every row that differs, every row that has
//! no audited values at all (written around the application), and every record the trail
//! describes that the table no longer holds.
//!
//! Covered columns (the audit field names, which are also the column names unless said):
//! - `border_posts`: code, name_en, name_ar, country, neighbour_country, governorate,
//!   counterpart_name, timezone, active;
//! - `crossing_events`: reference (`event_reference`), the post (the entries' `post`),
//!   occurred_at, direction, category, headcount, officers, wounded, source, source_reference
//!   (`source_reference`), notes, status;
//! - `agreements`: reference, title, parties, signed_on, effective_from, effective_to, terms,
//!   planned_headcount, status, and its posts (`agreement_posts`, compared as a set of codes);
//! - `users`: username, display_name, role, all_posts, active, language, digits, and their posts
//!   (`user_posts`, compared as a set of codes).
//!
//! Not covered, and why: derived or bookkeeping columns (versions, `*_at`, `*_by`, the ledger's
//! balances, which are recomputed from events); password hashes (never in the trail); an event's
//! cited agreement (recorded by reference, which an agreement edit may change later); an
//! agreement's clauses (recorded as joined text); the people register (see README).

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde_json::Value;

use crate::db::DbConn;
use crate::db::schema::{
    agreement_posts, agreements, audit_log, border_posts, crossing_events, user_posts, users,
};

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A covered column holds something other than the trail's last after-value.
    Differs {
        /// The audit field.
        field: &'static str,
        /// The trail's value (JSON text).
        audited: String,
        /// The table's value (JSON text).
        stored: String,
    },
    /// The row exists, but no audited change ever gave it values.
    NoAuditEntry,
    /// The trail describes the record; the table does not hold it.
    MissingRow,
}

/// One named row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The table.
    pub table: &'static str,
    /// The row's id.
    pub id: i64,
    /// What people call it (a code, a reference, a user name), when the row exists.
    pub label: String,
    /// What is wrong.
    pub problem: Problem,
}

impl Difference {
    /// One line for the command line, values included.
    pub fn line(&self) -> String {
        let row = if self.label.is_empty() {
            format!("{} id {}", self.table, self.id)
        } else {
            format!("{} id {} ({})", self.table, self.id, self.label)
        };
        match &self.problem {
            Problem::Differs {
                field,
                audited,
                stored,
            } => format!("{row}: {field} is {stored}, the audit trail says {audited}"),
            Problem::NoAuditEntry => format!("{row}: no audit entry ever gave this row its values"),
            Problem::MissingRow => format!("{row}: in the audit trail, missing from the table"),
        }
    }
}

/// The outcome of a state check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateReport {
    /// Rows compared, per table, in the order checked.
    pub rows: Vec<(&'static str, usize)>,
    /// Every difference found.
    pub differences: Vec<Difference>,
}

impl StateReport {
    /// Whether every covered column matched the trail.
    pub fn consistent(&self) -> bool {
        self.differences.is_empty()
    }

    /// One line for the command line.
    pub fn summary(&self) -> String {
        let rows: usize = self.rows.iter().map(|(_, n)| n).sum();
        let tables = self
            .rows
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        if self.consistent() {
            format!("tables match the audit trail: {rows} rows ({tables})")
        } else {
            format!(
                "tables differ from the audit trail: {} difference{} in {rows} rows ({tables})",
                self.differences.len(),
                if self.differences.len() == 1 { "" } else { "s" }
            )
        }
    }
}

/// A row as the trail would describe it: covered field → value, in the services' notation.
struct Stored {
    id: i64,
    label: String,
    values: BTreeMap<&'static str, Value>,
}

/// One covered table.
struct Kind {
    table: &'static str,
    /// The audit entries' `entity`.
    entity: &'static str,
    /// The fields the check compares.
    covered: &'static [&'static str],
    /// Values a record has on creation without the creating entry naming them.
    defaults: fn() -> Vec<(&'static str, Value)>,
    /// Rows with `id > after`, in id order, at most `limit`.
    load: fn(&mut DbConn, i64, i64) -> QueryResult<Vec<Stored>>,
    /// The audit field that takes the entry's `post` column (events belong to one post).
    post_field: Option<&'static str>,
    /// Fields recorded as joined post codes, compared as sets (the order typed is not kept).
    sets: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        table: "border_posts",
        entity: "post",
        covered: &[
            "code",
            "name_en",
            "name_ar",
            "country",
            "neighbour_country",
            "governorate",
            "counterpart_name",
            "timezone",
            "active",
        ],
        defaults: || vec![("active", Value::Bool(true))],
        load: load_posts,
        post_field: None,
        sets: &[],
    },
    Kind {
        table: "crossing_events",
        entity: "event",
        covered: &[
            "event_reference",
            "post",
            "occurred_at",
            "direction",
            "category",
            "headcount",
            "officers",
            "wounded",
            "source",
            "source_reference",
            "notes",
            "status",
        ],
        defaults: Vec::new,
        load: load_events,
        post_field: Some("post"),
        sets: &[],
    },
    Kind {
        table: "agreements",
        entity: "agreement",
        covered: &[
            "reference",
            "title",
            "parties",
            "signed_on",
            "effective_from",
            "effective_to",
            "terms",
            "planned_headcount",
            "status",
            "posts",
        ],
        defaults: Vec::new,
        load: load_agreements,
        post_field: None,
        sets: &["posts"],
    },
    Kind {
        table: "users",
        entity: "user",
        covered: &[
            "username",
            "display_name",
            "role",
            "all_posts",
            "active",
            "language",
            "digits",
            "posts",
        ],
        defaults: || {
            vec![
                ("active", Value::Bool(true)),
                ("language", Value::from("en")),
                ("digits", Value::from("western")),
            ]
        },
        load: load_users,
        post_field: None,
        sets: &["posts"],
    },
];

/// Rows compared per round trip.
const BATCH: i64 = 2_000;

/// Compares every covered table with the trail, inside one read-only snapshot.
pub fn verify_state(conn: &mut DbConn) -> QueryResult<StateReport> {
    crate::db::read_tx(conn, |conn| {
        let mut report = StateReport::default();
        for kind in KINDS {
            let rows = check_kind(conn, kind, &mut report.differences)?;
            report.rows.push((kind.table, rows));
        }
        Ok(report)
    })
}

fn check_kind(conn: &mut DbConn, kind: &Kind, out: &mut Vec<Difference>) -> QueryResult<usize> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut after = 0_i64;
    loop {
        let rows = (kind.load)(conn, after, BATCH)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let audited = fold(conn, kind, &ids)?;
        for row in rows {
            let id_text = row.id.to_string();
            match audited.get(&id_text) {
                None => out.push(Difference {
                    table: kind.table,
                    id: row.id,
                    label: row.label.clone(),
                    problem: Problem::NoAuditEntry,
                }),
                Some(values) => {
                    for (field, audited) in values {
                        let stored = row.values.get(field).unwrap_or(&Value::Null);
                        if stored != audited {
                            out.push(Difference {
                                table: kind.table,
                                id: row.id,
                                label: row.label.clone(),
                                problem: Problem::Differs {
                                    field,
                                    audited: audited.to_string(),
                                    stored: stored.to_string(),
                                },
                            });
                        }
                    }
                }
            }
            seen.insert(id_text);
        }
    }
    // Records the trail gave values to that the table no longer holds.
    let described: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq(kind.entity))
        .select(audit_log::entity_id)
        .distinct()
        .load(conn)?;
    let unseen: Vec<String> = described
        .into_iter()
        .filter(|id| !seen.contains(id))
        .collect();
    for chunk in unseen.chunks(BATCH as usize) {
        let mut missing: Vec<i64> = fold(conn, kind, chunk)?
            .into_keys()
            .filter_map(|id| id.parse().ok())
            .collect();
        missing.sort_unstable();
        out.extend(missing.into_iter().map(|id| Difference {
            table: kind.table,
            id,
            label: String::new(),
            problem: Problem::MissingRow,
        }));
    }
    Ok(seen.len())
}

/// The covered values the trail gives each of `ids` (those it gives any values at all).
fn fold(
    conn: &mut DbConn,
    kind: &Kind,
    ids: &[String],
) -> QueryResult<HashMap<String, BTreeMap<&'static str, Value>>> {
    let entries: Vec<(String, String, String)> = audit_log::table
        .filter(audit_log::entity.eq(kind.entity))
        .filter(audit_log::entity_id.eq_any(ids))
        .select((audit_log::entity_id, audit_log::post, audit_log::details))
        .order(audit_log::seq)
        .load(conn)?;
    let mut state: HashMap<String, BTreeMap<&'static str, Value>> = HashMap::new();
    for (id, post, details) in entries {
        let Some(changes) = serde_json::from_str::<Value>(&details)
            .ok()
            .and_then(|d| d.get("changes").and_then(Value::as_object).cloned())
        else {
            continue;
        };
        let values = state
            .entry(id)
            .or_insert_with(|| (kind.defaults)().into_iter().collect());
        for (field, pair) in changes {
            if let Some(covered) = kind.covered.iter().find(|c| **c == field) {
                let after = pair.get("after").cloned().unwrap_or(Value::Null);
                let after = if kind.sets.contains(covered) {
                    code_set(after.as_str().unwrap_or_default().split(','))
                } else {
                    after
                };
                values.insert(covered, after);
            }
        }
        if let Some(field) = kind.post_field
            && !post.is_empty()
        {
            values.insert(field, Value::from(post));
        }
    }
    Ok(state)
}

/// Post codes as a sorted array, whatever order or spacing they were joined with.
fn code_set<'a>(codes: impl Iterator<Item = &'a str>) -> Value {
    let mut codes: Vec<&str> = codes.map(str::trim).filter(|c| !c.is_empty()).collect();
    codes.sort_unstable();
    codes.dedup();
    Value::from(codes)
}

/// The codes of the posts linked to each of `ids` through a link table's rows.
fn linked_codes(links: Vec<(i64, String)>) -> HashMap<i64, Vec<String>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, code) in links {
        out.entry(id).or_default().push(code);
    }
    out
}

fn load_posts(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<Stored>> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        bool,
    );
    let rows: Vec<Row> = border_posts::table
        .filter(border_posts::id.gt(after))
        .order(border_posts::id)
        .limit(limit)
        .select((
            border_posts::id,
            border_posts::code,
            border_posts::name_en,
            border_posts::name_ar,
            border_posts::country,
            border_posts::neighbour_country,
            border_posts::governorate,
            border_posts::counterpart_name,
            border_posts::timezone,
            border_posts::active,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, en, ar, country, neighbour, gov, counterpart, tz, active)| Stored {
                id,
                label: code.clone(),
                values: BTreeMap::from([
                    ("code", Value::from(code)),
                    ("name_en", Value::from(en)),
                    ("name_ar", Value::from(ar)),
                    ("country", Value::from(country)),
                    ("neighbour_country", Value::from(neighbour)),
                    ("governorate", Value::from(gov)),
                    ("counterpart_name", Value::from(counterpart)),
                    ("timezone", Value::from(tz)),
                    ("active", Value::from(active)),
                ]),
            },
        )
        .collect())
}

fn load_events(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<Stored>> {
    type Row = (
        (i64, String, String, chrono::NaiveDateTime, String, String),
        (
            i32,
            Option<i32>,
            Option<i32>,
            String,
            String,
            String,
            String,
        ),
    );
    let rows: Vec<Row> = crossing_events::table
        .inner_join(border_posts::table)
        .filter(crossing_events::id.gt(after))
        .order(crossing_events::id)
        .limit(limit)
        .select((
            (
                crossing_events::id,
                crossing_events::reference,
                border_posts::code,
                crossing_events::occurred_at,
                crossing_events::direction,
                crossing_events::category,
            ),
            (
                crossing_events::headcount,
                crossing_events::officers,
                crossing_events::wounded,
                crossing_events::source,
                crossing_events::source_reference,
                crossing_events::notes,
                crossing_events::status,
            ),
        ))
        .load(conn)?;
    let opt = |v: Option<i32>| v.map_or(Value::Null, Value::from);
    Ok(rows
        .into_iter()
        .map(
            |(
                (id, reference, post, occurred_at, direction, category),
                (headcount, officers, wounded, source, source_reference, notes, status),
            )| Stored {
                id,
                label: reference.clone(),
                values: BTreeMap::from([
                    ("event_reference", Value::from(reference)),
                    ("post", Value::from(post)),
                    // As the services record it (RFC 3339, UTC).
                    (
                        "occurred_at",
                        Value::from(occurred_at.and_utc().to_rfc3339()),
                    ),
                    ("direction", Value::from(direction)),
                    ("category", Value::from(category)),
                    ("headcount", Value::from(headcount)),
                    ("officers", opt(officers)),
                    ("wounded", opt(wounded)),
                    ("source", Value::from(source)),
                    ("source_reference", Value::from(source_reference)),
                    ("notes", Value::from(notes)),
                    ("status", Value::from(status)),
                ]),
            },
        )
        .collect())
}

fn load_agreements(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<Stored>> {
    type Row = (
        i64,
        String,
        String,
        String,
        chrono::NaiveDate,
        chrono::NaiveDate,
        Option<chrono::NaiveDate>,
        String,
        Option<i32>,
        String,
    );
    let rows: Vec<Row> = agreements::table
        .filter(agreements::id.gt(after))
        .order(agreements::id)
        .limit(limit)
        .select((
            agreements::id,
            agreements::reference,
            agreements::title,
            agreements::parties,
            agreements::signed_on,
            agreements::effective_from,
            agreements::effective_to,
            agreements::terms,
            agreements::planned_headcount,
            agreements::status,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut posts = linked_codes(
        agreement_posts::table
            .inner_join(border_posts::table)
            .filter(agreement_posts::agreement_id.eq_any(&ids))
            .select((agreement_posts::agreement_id, border_posts::code))
            .load(conn)?,
    );
    Ok(rows
        .into_iter()
        .map(
            |(id, reference, title, parties, signed, from, to, terms, planned, status)| Stored {
                id,
                label: reference.clone(),
                values: BTreeMap::from([
                    ("reference", Value::from(reference)),
                    ("title", Value::from(title)),
                    ("parties", Value::from(parties)),
                    ("signed_on", Value::from(signed.to_string())),
                    ("effective_from", Value::from(from.to_string())),
                    (
                        "effective_to",
                        to.map_or(Value::Null, |d| d.to_string().into()),
                    ),
                    ("terms", Value::from(terms)),
                    (
                        "planned_headcount",
                        planned.map_or(Value::Null, Value::from),
                    ),
                    ("status", Value::from(status)),
                    (
                        "posts",
                        code_set(
                            posts
                                .remove(&id)
                                .unwrap_or_default()
                                .iter()
                                .map(String::as_str),
                        ),
                    ),
                ]),
            },
        )
        .collect())
}

fn load_users(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<Stored>> {
    type Row = (i64, String, String, String, bool, bool, String, String);
    let rows: Vec<Row> = users::table
        .filter(users::id.gt(after))
        .order(users::id)
        .limit(limit)
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::all_posts,
            users::active,
            users::language,
            users::digits,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut posts = linked_codes(
        user_posts::table
            .inner_join(border_posts::table)
            .filter(user_posts::user_id.eq_any(&ids))
            .select((user_posts::user_id, border_posts::code))
            .load(conn)?,
    );
    Ok(rows
        .into_iter()
        .map(
            |(id, username, display, role, all_posts, active, language, digits)| Stored {
                id,
                label: username.clone(),
                values: BTreeMap::from([
                    ("username", Value::from(username)),
                    ("display_name", Value::from(display)),
                    ("role", Value::from(role)),
                    ("all_posts", Value::from(all_posts)),
                    ("active", Value::from(active)),
                    ("language", Value::from(language)),
                    ("digits", Value::from(digits)),
                    (
                        "posts",
                        code_set(
                            posts
                                .remove(&id)
                                .unwrap_or_default()
                                .iter()
                                .map(String::as_str),
                        ),
                    ),
                ]),
            },
        )
        .collect())
}
