//! Audit pages: the review list, the verification, a record's history.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::audit::details::{FieldChange, changes_of, reason_of};
use crate::db::audit::AuditRow;
use crate::domain::FieldErrors;

/// One entry as the pages show it.
pub struct EntryView {
    /// Position.
    pub seq: i64,
    /// When, formatted (UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Action code (for `data-` attributes and links).
    pub action: String,
    /// Action in words.
    pub action_label: String,
    /// Kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: String,
    /// Post code or empty.
    pub post: String,
    /// Client address.
    pub ip: String,
    /// Changed fields.
    pub changes: Vec<FieldChange>,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Other facts, as canonical JSON, for the curious.
    pub details: String,
    /// Where the record lives, if it has a page this user may open.
    pub link: Option<String>,
    /// The record's human name: an event's or agreement's reference, "QAIM · 7 Dec 2024" for a
    /// day, a user name, a post's code.
    pub name: String,
    /// Entries the viewer may not see lie between this one and the one above it.
    pub hidden_before: bool,
}

impl EntryView {
    /// Builds the view of a stored row; `names` are the human names of the records (see
    /// `db::audit::record_names`).
    pub fn of(
        row: AuditRow,
        layout: &Layout,
        can_see_users: bool,
        names: &std::collections::HashMap<(String, String), String>,
    ) -> Self {
        let key = format!("action-{}", row.action.replace(['.', '_'], "-"));
        let action_label = if layout.tr.has(&key) {
            layout.t(&key)
        } else {
            row.action.clone()
        };
        let link = match row.entity.as_str() {
            "post" if !row.post.is_empty() => Some(format!("/posts/{}", row.post)),
            "user" if can_see_users && !row.entity_id.is_empty() => {
                Some(format!("/admin/users/{}", row.entity_id))
            }
            "event" if !row.entity_id.is_empty() => Some(format!("/events/{}", row.entity_id)),
            "agreement" if !row.entity_id.is_empty() => {
                Some(format!("/agreements/{}", row.entity_id))
            }
            "person" if !row.entity_id.is_empty() => Some(format!("/people/{}", row.entity_id)),
            "post_day" => row
                .entity_id
                .split_once('/')
                .map(|(code, day)| format!("/posts/{code}?to={day}")),
            _ => None,
        };
        let name = match row.entity.as_str() {
            "post_day" => row.entity_id.split_once('/').map_or_else(
                || row.entity_id.clone(),
                |(code, day)| {
                    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                        .map_or_else(|_| day.to_owned(), |d| layout.tr.date(d));
                    format!("{code} · {day}")
                },
            ),
            "post" => row.post.clone(),
            _ => names
                .get(&(row.entity.clone(), row.entity_id.clone()))
                .cloned()
                .unwrap_or_else(|| {
                    if row.post.is_empty() {
                        row.entity_id.clone()
                    } else {
                        format!("{} {}", row.post, row.entity_id)
                    }
                }),
        };
        Self {
            name,
            hidden_before: false,
            seq: row.seq,
            at: layout.tr.datetime_utc(row.at),
            changes: changes_of(&row.details),
            reason: reason_of(&row.details),
            actor: row.actor,
            action: row.action,
            action_label,
            entity: row.entity,
            entity_id: row.entity_id,
            post: row.post,
            ip: row.ip,
            details: row.details,
            link,
        }
    }
}

/// The filter form's values as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    /// Actor name.
    #[serde(default)]
    pub actor: String,
    /// Action code.
    #[serde(default)]
    pub action: String,
    /// Entity kind.
    #[serde(default)]
    pub entity: String,
    /// Entity id.
    #[serde(default)]
    pub entity_id: String,
    /// Post code.
    #[serde(default)]
    pub post: String,
    /// First day, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive.
    #[serde(default)]
    pub to: String,
    /// Show entries older than this seq (the "older" link).
    #[serde(default)]
    pub before: Option<i64>,
    /// `1`: prefix the CSV export with a UTF-8 byte-order mark (for spreadsheet programs).
    #[serde(default)]
    pub bom: Option<String>,
}

impl AuditQuery {
    /// The query string for the same filters (for the export link and the next page).
    pub fn query_string(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("entity", &self.entity),
            ("entity_id", &self.entity_id),
            ("post", &self.post),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            if !value.is_empty() {
                out.append_pair(name, value);
            }
        }
        out.finish()
    }
}

/// `GET /audit`.
#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
pub struct AuditListPage {
    /// The frame.
    pub layout: Layout,
    /// The filters as typed.
    pub query: AuditQuery,
    /// Problems with the filters.
    pub errors: FieldErrors,
    /// Entries, newest first.
    pub entries: Vec<EntryView>,
    /// The seq to continue from for older entries, if there are more.
    pub older: Option<i64>,
    /// Every action code with its label, for the filter's select.
    pub actions: Vec<(&'static str, String)>,
}

impl AuditListPage {
    /// The link to the next (older) page.
    pub fn older_link(&self, before: &i64) -> String {
        let query = self.query.query_string();
        if query.is_empty() {
            format!("/audit?before={before}")
        } else {
            format!("/audit?{query}&before={before}")
        }
    }

    /// The export link with the same filters.
    pub fn export_link(&self) -> String {
        super::export_href("/audit.csv", &self.query.query_string(), false)
    }

    /// The same, with a byte-order mark so spreadsheet programs read Arabic correctly.
    pub fn export_link_bom(&self) -> String {
        super::export_href("/audit.csv", &self.query.query_string(), true)
    }
}

/// `GET /audit/verify`.
#[derive(Template, WebTemplate)]
#[template(path = "audit/verify.html")]
pub struct AuditVerifyPage {
    /// The frame.
    pub layout: Layout,
    /// Entries read.
    pub entries: i64,
    /// The head hash.
    pub head_hash: String,
    /// The first broken seq.
    pub first_broken: Option<i64>,
    /// The latest checkpoints, newest first: seq, hash, when (formatted), valid.
    pub checkpoints: Vec<(i64, String, String, bool)>,
    /// How many checkpoints exist in all.
    pub checkpoint_count: usize,
    /// The public key that signs checkpoints (hex).
    pub public_key: String,
    /// Rows compared with the trail, per table (named in the page's language).
    pub state_rows: Vec<(String, usize)>,
    /// How many rows differ from the trail.
    pub state_difference_count: usize,
    /// Which (for a reviewer of every post): table, record, what differs.
    pub state_differences: Vec<StateLine>,
}

/// One row that differs from the trail, as `/audit/verify` names it (no values: the page is not
/// the place to read records of every post), in the page's language.
#[derive(Debug, Clone)]
pub struct StateLine {
    /// The table.
    pub table: String,
    /// A code, reference or user name, else the id.
    pub record: String,
    /// What differs.
    pub problem: String,
}

/// `GET /posts/{code}/history`, `GET /admin/users/{id}/history`.
#[derive(Template, WebTemplate)]
#[template(path = "audit/history.html")]
pub struct HistoryPage {
    /// The frame.
    pub layout: Layout,
    /// What the history is of (a code or a user name).
    pub subject: String,
    /// Where the record's page is.
    pub back: String,
    /// Every change, oldest first.
    pub entries: Vec<EntryView>,
}

/// A field's name in the page's language (its form label), or the name itself.
pub fn field_label(layout: &Layout, field: &str) -> String {
    // A form's label, or a person's field's (their form labels its own).
    let dashed = field.replace('_', "-");
    [format!("field-{dashed}"), format!("person-field-{dashed}")]
        .into_iter()
        .find(|key| layout.tr.has(key))
        .map_or_else(|| field.to_owned(), |key| layout.t(&key))
}

/// A field's value in the page's language: choices by their label, instants as dates and
/// times, yes/no by words; anything else (names, numbers, free text) as recorded.
pub fn field_value(layout: &Layout, field: &str, value: &str) -> String {
    match field {
        "sex" | "id_document_type" | "medical" | "nationality" => {
            super::people::shown_value(layout, field, value)
        }
        "direction" | "category" | "status" | "finding" => {
            // Event statuses, then agreement statuses, then people's (the same field name on
            // each record).
            let keys = [
                format!("{field}-{value}"),
                format!("agreement-status-{}", value.replace('_', "-")),
                format!("{field}-{}", value.replace('_', "-")),
                format!("person-status-{}", value.replace('_', "-")),
            ];
            keys.iter()
                .find(|k| layout.tr.has(k))
                .map_or_else(|| value.to_owned(), |k| layout.t(k))
        }
        // Clauses are recorded as `kind: wording` lines; the kind is shown by its label.
        "clauses" | "clause" => value
            .lines()
            .map(|line| match line.split_once(": ") {
                Some((kind, text))
                    if layout.tr.has(&format!("clause-{}", kind.replace('_', "-"))) =>
                {
                    format!(
                        "{}: {text}",
                        layout.t(&format!("clause-{}", kind.replace('_', "-")))
                    )
                }
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        "occurred_at" => chrono::DateTime::parse_from_rfc3339(value)
            .map(|at| layout.tr.datetime_utc(at.naive_utc()))
            .unwrap_or_else(|_| value.to_owned()),
        "closed" | "active" | "all_posts" => match value {
            "true" => layout.t("value-yes"),
            "false" => layout.t("value-no"),
            other => other.to_owned(),
        },
        _ => value.to_owned(),
    }
}
