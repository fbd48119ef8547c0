//! Every column of every table, classified: which export carries it (and under what name), or
//! why none does. A test fails when a table gains a column that is not listed here, so a new
//! field is never exported — or left out — by accident.

/// What becomes of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Carried by an export: `(export, column)`, e.g. `("events", "occurred_at_utc")`.
    Exported(&'static str, &'static str),
    /// Not exported, and why.
    Withheld(&'static str),
}

use Use::{Exported as E, Withheld as W};

const INTERNAL_KEY: Use = W("internal key; the export names the record by its reference");
const SECRET: Use = W("a secret: never leaves the server");
const SESSION: Use =
    W("session bookkeeping, personal and short-lived; sign-ins are in the audit trail");
const SECOND_FACTOR: Use =
    W("second-factor bookkeeping of an account; enrolment, use and resets are in the audit trail");
const THROTTLE: Use = W("sign-in throttling counters; failures are in the audit trail");
const LEDGER: Use = W("derived from events; the headcount report exports it day by day");
const DERIVED_KEY: Use = W("search keys derived from the names and numbers exported");
const STATEMENT: Use =
    W("each statement is on the person's page and in the audit trail; the export has the latest");

/// `(table, column, use)` for every column (tables in migration order).
pub const CLASSIFIED: &[(&str, &str, Use)] = &[
    ("border_posts", "id", INTERNAL_KEY),
    ("border_posts", "code", E("events", "post")),
    (
        "border_posts",
        "name_en",
        W("reference data shown on the post's page"),
    ),
    (
        "border_posts",
        "name_ar",
        W("reference data shown on the post's page"),
    ),
    (
        "border_posts",
        "country",
        W("reference data shown on the post's page"),
    ),
    (
        "border_posts",
        "neighbour_country",
        W("reference data shown on the post's page"),
    ),
    (
        "border_posts",
        "governorate",
        W("reference data shown on the post's page"),
    ),
    (
        "border_posts",
        "counterpart_name",
        W("reference data shown on the post's page"),
    ),
    ("border_posts", "timezone", E("events", "occurred_at_local")),
    (
        "border_posts",
        "active",
        W("administrative state, in the audit trail"),
    ),
    (
        "border_posts",
        "created_at",
        W("administrative; in the audit trail"),
    ),
    (
        "border_posts",
        "updated_at",
        W("administrative; in the audit trail"),
    ),
    ("border_posts", "version", W("optimistic-locking counter")),
    ("users", "id", INTERNAL_KEY),
    ("users", "username", E("events", "recorded_by")),
    (
        "users",
        "display_name",
        W("personal data of staff; exports name users by user name"),
    ),
    ("users", "password_hash", SECRET),
    (
        "users",
        "role",
        W("account administration, in the audit trail"),
    ),
    (
        "users",
        "all_posts",
        W("account administration, in the audit trail"),
    ),
    (
        "users",
        "active",
        W("account administration, in the audit trail"),
    ),
    ("users", "language", W("a personal preference")),
    ("users", "digits", W("a personal preference")),
    ("users", "password_changed_at", SECRET),
    ("users", "last_login_at", SESSION),
    (
        "users",
        "created_at",
        W("account administration, in the audit trail"),
    ),
    (
        "users",
        "updated_at",
        W("account administration, in the audit trail"),
    ),
    ("users", "version", W("optimistic-locking counter")),
    (
        "user_posts",
        "user_id",
        W("account administration, in the audit trail"),
    ),
    (
        "user_posts",
        "post_id",
        W("account administration, in the audit trail"),
    ),
    ("sessions", "id", SESSION),
    ("sessions", "token_hash", SECRET),
    ("sessions", "user_id", SESSION),
    ("sessions", "csrf_token", SECRET),
    ("sessions", "created_at", SESSION),
    ("sessions", "last_seen_at", SESSION),
    ("sessions", "ip", SESSION),
    ("sessions", "user_agent", SESSION),
    ("sessions", "ended_at", SESSION),
    ("sessions", "ended_reason", SESSION),
    ("sessions", "notice", SESSION),
    ("sessions", "second_factor_pending", SESSION),
    ("sessions", "enrolling_secret", SECRET),
    ("user_totp", "user_id", SECOND_FACTOR),
    ("user_totp", "secret", SECRET),
    ("user_totp", "enabled_at", SECOND_FACTOR),
    ("user_totp", "last_step", SECOND_FACTOR),
    ("user_recovery_codes", "id", SECOND_FACTOR),
    ("user_recovery_codes", "user_id", SECOND_FACTOR),
    ("user_recovery_codes", "code_hash", SECRET),
    ("user_recovery_codes", "created_at", SECOND_FACTOR),
    ("user_recovery_codes", "used_at", SECOND_FACTOR),
    ("login_throttle", "throttle_key", THROTTLE),
    ("login_throttle", "failures", THROTTLE),
    ("login_throttle", "window_start", THROTTLE),
    ("login_throttle", "locked_until", THROTTLE),
    ("audit_log", "seq", E("audit", "seq")),
    ("audit_log", "at", E("audit", "at_utc")),
    ("audit_log", "actor_id", E("audit", "actor_id")),
    ("audit_log", "actor", E("audit", "actor")),
    ("audit_log", "action", E("audit", "action")),
    ("audit_log", "entity", E("audit", "entity")),
    ("audit_log", "entity_id", E("audit", "entity_id")),
    ("audit_log", "post", E("audit", "post")),
    ("audit_log", "ip", E("audit", "ip")),
    ("audit_log", "details", E("audit", "details")),
    ("audit_log", "prev_hash", E("audit", "prev_hash")),
    ("audit_log", "hash", E("audit", "hash")),
    ("audit_log", "format", E("audit", "format")),
    (
        "audit_head",
        "id",
        W("the one-row chain head; its seq and hash are the last entry's"),
    ),
    (
        "audit_head",
        "seq",
        W("the one-row chain head; its seq and hash are the last entry's"),
    ),
    (
        "audit_head",
        "hash",
        W("the one-row chain head; its seq and hash are the last entry's"),
    ),
    ("audit_checkpoints", "seq", E("audit_checkpoints", "seq")),
    ("audit_checkpoints", "hash", E("audit_checkpoints", "hash")),
    ("audit_checkpoints", "at", E("audit_checkpoints", "at_utc")),
    (
        "audit_checkpoints",
        "public_key",
        E("audit_checkpoints", "public_key"),
    ),
    (
        "audit_checkpoints",
        "signature",
        E("audit_checkpoints", "signature"),
    ),
    ("crossing_events", "id", E("events", "event_id")),
    ("crossing_events", "post_id", E("events", "post")),
    ("crossing_events", "reference", E("events", "reference")),
    ("crossing_events", "ref_year", W("part of the reference")),
    ("crossing_events", "ref_number", W("part of the reference")),
    (
        "crossing_events",
        "occurred_at",
        E("events", "occurred_at_utc"),
    ),
    (
        "crossing_events",
        "local_day",
        E("events", "occurred_at_local"),
    ),
    ("crossing_events", "direction", E("events", "direction")),
    ("crossing_events", "category", E("events", "category")),
    ("crossing_events", "headcount", E("events", "headcount")),
    ("crossing_events", "officers", E("events", "officers")),
    ("crossing_events", "wounded", E("events", "wounded")),
    ("crossing_events", "source", E("events", "source")),
    (
        "crossing_events",
        "source_reference",
        E("events", "source_reference"),
    ),
    ("crossing_events", "notes", E("events", "notes")),
    ("crossing_events", "status", E("events", "status")),
    ("crossing_events", "void_reason", E("events", "void_reason")),
    ("crossing_events", "recorded_by", E("events", "recorded_by")),
    (
        "crossing_events",
        "recorded_at",
        E("events", "recorded_at_utc"),
    ),
    ("crossing_events", "verified_by", E("events", "verified_by")),
    (
        "crossing_events",
        "verified_at",
        E("events", "verified_at_utc"),
    ),
    (
        "crossing_events",
        "voided_by",
        W("who voided is in the audit trail, with when and why"),
    ),
    (
        "crossing_events",
        "voided_at",
        W("when it was voided is in the audit trail"),
    ),
    (
        "crossing_events",
        "updated_at",
        W("every change is in the audit trail"),
    ),
    (
        "crossing_events",
        "version",
        W("optimistic-locking counter"),
    ),
    (
        "crossing_events",
        "form_key",
        W("double-submit guard of the form that created it"),
    ),
    ("crossing_events", "agreement_id", E("events", "agreement")),
    (
        "crossing_events",
        "changers",
        W("who changed what is in the audit trail; kept on the row for the four-eyes rule"),
    ),
    (
        "crossing_events",
        "changed_by",
        W("who changed what is in the audit trail; kept on the row for the four-eyes rule"),
    ),
    ("post_days", "post_id", E("headcount", "post")),
    ("post_days", "day", E("headcount", "date")),
    ("post_days", "category", E("headcount", "category")),
    ("post_days", "inbound", E("headcount", "inbound")),
    ("post_days", "outbound", E("headcount", "outbound")),
    ("post_days", "closing", E("headcount", "present_end_of_day")),
    ("post_days", "low", LEDGER),
    (
        "day_closures",
        "post_id",
        W("closing and reopening days are in the audit trail"),
    ),
    ("day_closures", "day", E("headcount", "day_closed")),
    (
        "day_closures",
        "closed_by",
        W("closing and reopening days are in the audit trail"),
    ),
    (
        "day_closures",
        "closed_at",
        W("closing and reopening days are in the audit trail"),
    ),
    (
        "day_closures",
        "military_closing",
        W("equal to the headcount report's present_end_of_day"),
    ),
    (
        "day_closures",
        "civilian_closing",
        W("equal to the headcount report's present_end_of_day"),
    ),
    ("agreements", "id", E("agreements", "agreement_id")),
    ("agreements", "reference", E("agreements", "reference")),
    ("agreements", "title", E("agreements", "title")),
    ("agreements", "parties", E("agreements", "parties")),
    ("agreements", "signed_on", E("agreements", "signed_on")),
    (
        "agreements",
        "effective_from",
        E("agreements", "effective_from"),
    ),
    (
        "agreements",
        "effective_to",
        E("agreements", "effective_to"),
    ),
    ("agreements", "status", E("agreements", "status")),
    ("agreements", "terms", E("agreements", "terms")),
    (
        "agreements",
        "planned_headcount",
        E("agreements", "planned_headcount"),
    ),
    (
        "agreements",
        "proposed_by",
        W("a request in progress; in the audit trail"),
    ),
    ("agreements", "created_by", E("agreements", "created_by")),
    (
        "agreements",
        "created_at",
        E("agreements", "created_at_utc"),
    ),
    (
        "agreements",
        "updated_at",
        E("agreements", "updated_at_utc"),
    ),
    ("agreements", "version", W("optimistic-locking counter")),
    (
        "agreements",
        "edited_by",
        W("who edited is in the audit trail; kept on the row for the four-eyes rule"),
    ),
    (
        "agreements",
        "confirmed_by",
        W("who confirmed is in the audit trail (agreement.confirm)"),
    ),
    ("agreement_posts", "agreement_id", E("agreements", "posts")),
    ("agreement_posts", "post_id", E("agreements", "posts")),
    ("agreement_clauses", "id", INTERNAL_KEY),
    (
        "agreement_clauses",
        "agreement_id",
        E("agreements", "clauses"),
    ),
    ("agreement_clauses", "position", E("agreements", "clauses")),
    ("agreement_clauses", "kind", E("agreements", "clauses")),
    ("agreement_clauses", "text", E("agreements", "clauses")),
    (
        "agreement_observations",
        "id",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "agreement_id",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "clause_id",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "finding",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "observed_on",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "source",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "text",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "recorded_by",
        W("observations are in the agreement's audit history"),
    ),
    (
        "agreement_observations",
        "recorded_at",
        W("observations are in the agreement's audit history"),
    ),
    ("people", "id", E("people", "person_id")),
    ("people", "post_id", E("people", "post")),
    ("people", "reference", E("people", "reference")),
    ("people", "ref_year", INTERNAL_KEY),
    ("people", "ref_number", INTERNAL_KEY),
    ("people", "name_ar", E("people", "name_ar")),
    ("people", "name_latin", E("people", "name_latin")),
    ("people", "father_name", E("people", "father_name")),
    (
        "people",
        "grandfather_name",
        E("people", "grandfather_name"),
    ),
    ("people", "family_name", E("people", "family_name")),
    ("people", "mother_name", E("people", "mother_name")),
    ("people", "birth_date", E("people", "birth_date")),
    ("people", "birth_year", E("people", "birth_year")),
    ("people", "sex", E("people", "sex")),
    ("people", "rank", E("people", "rank")),
    ("people", "unit", E("people", "unit")),
    ("people", "service_number", E("people", "service_number")),
    (
        "people",
        "id_document_type",
        E("people", "id_document_type"),
    ),
    (
        "people",
        "id_document_number",
        E("people", "id_document_number"),
    ),
    ("people", "nationality", E("people", "nationality")),
    ("people", "medical", E("people", "medical")),
    ("people", "vulnerabilities", E("people", "vulnerabilities")),
    ("people", "inbound_event_id", E("people", "inbound_event")),
    ("people", "notes", E("people", "notes")),
    ("people", "status", E("people", "status")),
    ("people", "transferred_to", E("people", "transferred_to")),
    (
        "people",
        "merged_into",
        W("a merged record is left out of the export; its page points to the kept one"),
    ),
    ("people", "recorded_by", E("people", "recorded_by")),
    ("people", "recorded_at", E("people", "recorded_at_utc")),
    ("people", "updated_at", E("people", "updated_at_utc")),
    ("people", "version", W("optimistic-locking counter")),
    ("people", "form_key", W("double-submit guard")),
    ("person_name_keys", "person_id", DERIVED_KEY),
    ("person_name_keys", "kind", DERIVED_KEY),
    ("person_name_keys", "name_key", DERIVED_KEY),
    ("person_statements", "id", STATEMENT),
    ("person_statements", "person_id", STATEMENT),
    ("person_statements", "wish", STATEMENT),
    (
        "person_statements",
        "stated_on",
        E("people", "last_statement_on"),
    ),
    (
        "person_statements",
        "heard_by",
        E("people", "last_statement_heard_by"),
    ),
    (
        "person_statements",
        "how",
        E("people", "last_statement_how"),
    ),
    ("person_statements", "recorded_by", STATEMENT),
    ("person_statements", "recorded_at", STATEMENT),
    (
        "person_distinct",
        "person_low",
        W("duplicate-review bookkeeping; each decision is in the audit trail"),
    ),
    (
        "person_distinct",
        "person_high",
        W("duplicate-review bookkeeping; each decision is in the audit trail"),
    ),
    (
        "person_distinct",
        "decided_by",
        W("duplicate-review bookkeeping; each decision is in the audit trail"),
    ),
    (
        "person_distinct",
        "decided_at",
        W("duplicate-review bookkeeping; each decision is in the audit trail"),
    ),
    (
        "person_merges",
        "id",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "kept_id",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "merged_id",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "choices",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "status",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "proposed_by",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "proposed_at",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "decided_by",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "person_merges",
        "decided_at",
        W("merge proposals; each step is in the audit trail"),
    ),
    (
        "return_manifest",
        "event_id",
        W("the manifest export is of one event, named in its file name"),
    ),
    ("return_manifest", "person_id", E("manifest", "reference")),
    ("return_manifest", "position", E("manifest", "position")),
    (
        "return_manifest",
        "status_before",
        W("bookkeeping to undo a return; each change is in the audit trail"),
    ),
    (
        "return_manifest",
        "added_by",
        W("who named whom is in the audit trail (manifest.add)"),
    ),
    (
        "return_manifest",
        "added_at",
        W("who named whom is in the audit trail (manifest.add)"),
    ),
    ("person_followups", "id", INTERNAL_KEY),
    (
        "person_followups",
        "person_id",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "observed_on",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "source",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "finding",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "text",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "agreement_observation_id",
        W("the observation is on the agreement's page"),
    ),
    (
        "person_followups",
        "recorded_by",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    (
        "person_followups",
        "recorded_at",
        W("follow-ups are on the person's page and in the audit trail"),
    ),
    ("people_imports", "id", INTERNAL_KEY),
    (
        "people_imports",
        "post_id",
        W("an import's post is in its audit entry"),
    ),
    (
        "people_imports",
        "file_name",
        W(
            "the received file is kept for the record; its name, hash and rows are in the audit trail",
        ),
    ),
    (
        "people_imports",
        "sha256",
        W("in the audit trail (import.upload, import.confirm)"),
    ),
    (
        "people_imports",
        "content",
        W("the received file itself: personal data kept for the record, never exported"),
    ),
    (
        "people_imports",
        "event_id",
        W("the event is named in the import's audit entry"),
    ),
    (
        "people_imports",
        "status",
        W("bookkeeping: preview until confirmed"),
    ),
    (
        "people_imports",
        "uploaded_by",
        W("in the audit trail (import.upload)"),
    ),
    (
        "people_imports",
        "uploaded_at",
        W("in the audit trail (import.upload)"),
    ),
    (
        "import_mappings",
        "post_id",
        W("a post's remembered column mapping, configuration"),
    ),
    (
        "import_mappings",
        "headers",
        W("a post's remembered column mapping, configuration"),
    ),
    (
        "import_mappings",
        "mapping",
        W("a post's remembered column mapping, configuration"),
    ),
    ("reconciliations", "id", INTERNAL_KEY),
    (
        "reconciliations",
        "event_id",
        E("reconciliation", "reference"),
    ),
    (
        "reconciliations",
        "file_name",
        W("in the audit trail (reconcile)"),
    ),
    (
        "reconciliations",
        "sha256",
        W("in the audit trail (reconcile)"),
    ),
    (
        "reconciliations",
        "result",
        E("reconciliation", "match_reason"),
    ),
    (
        "reconciliations",
        "created_by",
        W("in the audit trail (reconcile)"),
    ),
    (
        "reconciliations",
        "created_at",
        W("in the audit trail (reconcile)"),
    ),
    (
        "reconciliation_resolutions",
        "reconciliation_id",
        W("the export is of the latest reconciliation"),
    ),
    (
        "reconciliation_resolutions",
        "item",
        E("reconciliation", "reference"),
    ),
    (
        "reconciliation_resolutions",
        "note",
        E("reconciliation", "resolved_note"),
    ),
    (
        "reconciliation_resolutions",
        "resolved_by",
        W("in the audit trail (reconcile.resolve)"),
    ),
    (
        "reconciliation_resolutions",
        "resolved_at",
        W("in the audit trail (reconcile.resolve)"),
    ),
];

/// The exports that carry people's personal data: each is for supervisors, administrators and
/// auditors only (`policy::export_people`).
pub const PEOPLE_EXPORTS: &[&str] = &["people", "manifest", "reconciliation"];

/// The tables of people's personal data: the most sensitive data repatrack holds (names,
/// documents, health, vulnerabilities, wishes about returning, what was heard of them after
/// their return). Only the [`PEOPLE_EXPORTS`] carry any of it (supervisors, administrators and
/// auditors, within their posts); lists show names and status only, and every view of a
/// person's page is audited.
pub const MOST_SENSITIVE: &[&str] = &[
    "people",
    "person_name_keys",
    "person_statements",
    "person_distinct",
    "person_merges",
    "return_manifest",
    "person_followups",
    "people_imports",
    "reconciliations",
    "reconciliation_resolutions",
];

/// The columns of each export, by name.
pub fn export_columns(export: &str) -> Option<&'static [&'static str]> {
    match export {
        "events" => Some(super::events::COLUMNS),
        "agreements" => Some(super::agreements::COLUMNS),
        "audit" => Some(super::audit::COLUMNS),
        "audit_checkpoints" => Some(super::checkpoints::COLUMNS),
        "headcount" => Some(super::headcount::COLUMNS),
        "totals" => Some(super::totals::COLUMNS),
        "people" => Some(super::people::COLUMNS),
        "manifest" => Some(super::manifest::COLUMNS),
        "reconciliation" => Some(crate::routes::events::reconcile::COLUMNS),
        _ => None,
    }
}
