//! Crossing-event pages: the form, one event, the list.

use askama::Template;
use askama_web::WebTemplate;
use chrono_tz::Tz;

use super::Layout;
use crate::db::event_lists::Listed;
use crate::db::events::EventRow;
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::event::{Category, Direction, EventForm, Status};

/// Whether `e` is a return of military personnel that cites no agreement: allowed, but flagged
/// wherever events are shown (DESIGN.md invariant 5 concerns only cited agreements).
pub fn uncited(e: &EventRow) -> bool {
    crate::db::events::uncited_return(&e.direction, &e.category, e.agreement_id, &e.status)
}

/// "3 events await verification", or "More than 1,000 …" past the per-post count limit.
pub fn capped(layout: &Layout, key: &str, n: i64) -> String {
    let cap = crate::db::event_lists::PER_POST_CAP;
    if n > cap {
        layout.t1(&format!("{key}-more"), "count", &layout.num(cap))
    } else {
        layout.n(key, usize::try_from(n).unwrap_or(0))
    }
}

/// Label of a direction, category or status in the page's language.
pub fn label(layout: &Layout, kind: &str, value: &str) -> String {
    layout.t(&format!("{kind}-{value}"))
}

/// The post's name in the page's language.
pub fn post_name(layout: &Layout, post: &Post) -> String {
    if layout.lang() == "ar" {
        post.name_ar.clone()
    } else {
        post.name_en.clone()
    }
}

/// An event being edited.
#[derive(Debug, Clone)]
pub struct Editing {
    /// Key.
    pub id: i64,
    /// `QAIM-2024-0042`.
    pub reference: String,
    /// The version the form is based on.
    pub version: i32,
    /// A verified event needs a reason to change.
    pub verified: bool,
}

/// `GET /posts/{code}/events/new`, `GET /events/{id}/edit`, and both re-shown (422, or 409 with
/// the newer values).
#[derive(Template, WebTemplate)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    /// The frame.
    pub layout: Layout,
    /// The post.
    pub post: Post,
    /// What was typed.
    pub form: EventForm,
    /// The server-issued key that makes a double submit harmless (new events only).
    pub form_key: String,
    /// Messages beside the fields.
    pub errors: FieldErrors,
    /// `Some` when editing.
    pub editing: Option<Editing>,
    /// The reason typed for a correction.
    pub reason: String,
    /// After a conflict: the values someone else saved meanwhile, as (label, value).
    pub newer: Vec<(String, String)>,
    /// Agreements a return here may cite: (id, reference and title).
    pub agreements: Vec<(String, String)>,
}

impl EventFormPage {
    /// Where the form posts to.
    pub fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("/events/{}", e.id),
            None => format!("/posts/{}/events", self.post.code),
        }
    }

    /// The directions with labels, and whether each is chosen.
    pub fn directions(&self) -> Vec<(&'static str, String, bool)> {
        Direction::ALL
            .iter()
            .map(|d| {
                (
                    d.as_str(),
                    label(&self.layout, "direction", d.as_str()),
                    self.form.direction == d.as_str(),
                )
            })
            .collect()
    }

    /// The categories with labels, and whether each is chosen.
    pub fn categories(&self) -> Vec<(&'static str, String, bool)> {
        Category::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str(),
                    label(&self.layout, "category", c.as_str()),
                    self.form.category == c.as_str(),
                )
            })
            .collect()
    }

    /// The post's name in the page's language.
    pub fn post_name(&self) -> String {
        post_name(&self.layout, &self.post)
    }
}

/// The form filled with a stored event, times in the post's zone.
pub fn form_of(row: &EventRow, zone: Tz) -> EventForm {
    let count = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    EventForm {
        occurred_at: row
            .occurred_at
            .and_utc()
            .with_timezone(&zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        direction: row.direction.clone(),
        category: row.category.clone(),
        headcount: row.headcount.to_string(),
        officers: count(row.officers),
        wounded: count(row.wounded),
        source: row.source.clone(),
        reference: row.source_reference.clone(),
        notes: row.notes.clone(),
        agreement_id: row.agreement_id.map(|a| a.to_string()).unwrap_or_default(),
    }
}

/// An event's values as (label, value) lines, for the conflict box.
pub fn value_lines(layout: &Layout, row: &EventRow, zone: Tz) -> Vec<(String, String)> {
    let count = |v: Option<i32>| v.map(|n| layout.num(i64::from(n))).unwrap_or_default();
    vec![
        (
            layout.t("field-occurred-at"),
            layout.tr.datetime_at_post(row.occurred_at.and_utc(), zone),
        ),
        (
            layout.t("field-direction"),
            label(layout, "direction", &row.direction),
        ),
        (
            layout.t("field-category"),
            label(layout, "category", &row.category),
        ),
        (
            layout.t("field-headcount"),
            layout.num(i64::from(row.headcount)),
        ),
        (layout.t("field-officers"), count(row.officers)),
        (layout.t("field-wounded"), count(row.wounded)),
        (layout.t("field-source"), row.source.clone()),
        (layout.t("field-reference"), row.source_reference.clone()),
        (layout.t("field-notes"), row.notes.clone()),
        (
            layout.t("event-status"),
            label(layout, "status", &row.status),
        ),
    ]
}

/// `GET /events/{id}`.
#[derive(Template, WebTemplate)]
#[template(path = "events/show.html")]
pub struct EventPage {
    /// The frame.
    pub layout: Layout,
    /// Its post.
    pub post: Post,
    /// The event.
    pub event: EventRow,
    /// When it happened, at the post.
    pub when: String,
    /// Recorder's user name.
    pub recorded_by: String,
    /// The agreement cited: (id, reference), if any.
    pub agreement: Option<(i64, String)>,
    /// When recorded (UTC).
    pub recorded_at: String,
    /// Verifier and when, if verified.
    pub verified: Option<(String, String)>,
    /// Who voided it and when, if voided.
    pub voided: Option<(String, String)>,
    /// Shows the edit link.
    pub can_edit: bool,
    /// Shows the verify button.
    pub can_verify: bool,
    /// Why a supervisor is not offered the verify button on a pending event (the message id:
    /// they recorded it or made its latest change).
    pub verify_blocked: Option<&'static str>,
    /// Shows the void form.
    pub can_void: bool,
    /// Shows the history link.
    pub can_review: bool,
    /// Its day is closed.
    pub day_closed: bool,
    /// Messages from a refused verify or void.
    pub errors: FieldErrors,
    /// What was typed as the void reason.
    pub reason: String,
    /// "named: 12 of 600": the people its list names.
    pub named: String,
}

impl EventPage {
    /// Label of the event's status.
    pub fn status_label(&self) -> String {
        // Only a correction leaves an event pending past its first version (verifying and
        // voiding change the status), so this one was corrected and awaits verification again.
        if self.event.status() == crate::domain::event::Status::Pending && self.event.version > 1 {
            self.layout.t("status-corrected-pending")
        } else {
            label(&self.layout, "status", &self.event.status)
        }
    }

    /// Label of the direction.
    pub fn direction_label(&self) -> String {
        label(&self.layout, "direction", &self.event.direction)
    }

    /// Label of the category.
    pub fn category_label(&self) -> String {
        label(&self.layout, "category", &self.event.category)
    }

    /// An optional count, or a dash.
    pub fn count(&self, v: &Option<i32>) -> String {
        v.map(|n| self.layout.num(i64::from(n)))
            .unwrap_or_else(|| "—".to_owned())
    }

    /// The headcount, formatted.
    pub fn headcount(&self) -> String {
        self.layout.num(i64::from(self.event.headcount))
    }

    /// A return of military personnel that cites no agreement (flagged for review).
    pub fn uncited(&self) -> bool {
        uncited(&self.event)
    }

    /// Whether the event is pending.
    pub fn pending(&self) -> bool {
        self.event.status() == Status::Pending
    }

    /// The post's name in the page's language.
    pub fn post_name(&self) -> String {
        post_name(&self.layout, &self.post)
    }
}

/// One event in a list.
#[derive(Debug, Clone)]
pub struct EventLine {
    /// Key.
    pub id: i64,
    /// `QAIM-2024-0042`.
    pub reference: String,
    /// Post code.
    pub post: String,
    /// When, at the post.
    pub when: String,
    /// `inbound` / `outbound`.
    pub direction: String,
    /// Its label.
    pub direction_label: String,
    /// Its category's label.
    pub category_label: String,
    /// Formatted headcount.
    pub headcount: String,
    /// `pending` / `verified` / `voided`.
    pub status: String,
    /// Its label.
    pub status_label: String,
    /// Recorder.
    pub recorded_by: String,
    /// Who reported it.
    pub source: String,
    /// A military return citing no agreement.
    pub uncited: bool,
}

impl EventLine {
    /// A listed event for `layout`'s language.
    pub fn of(layout: &Layout, listed: &Listed) -> Self {
        let zone: Tz = listed.timezone.parse().unwrap_or(chrono_tz::UTC);
        let e = &listed.event;
        Self {
            id: e.id.0,
            reference: e.reference.clone(),
            post: listed.post_code.clone(),
            when: layout.tr.datetime_at_post(e.occurred_at.and_utc(), zone),
            direction: e.direction.clone(),
            direction_label: label(layout, "direction", &e.direction),
            category_label: label(layout, "category", &e.category),
            headcount: layout.num(i64::from(e.headcount)),
            status: e.status.clone(),
            status_label: label(layout, "status", &e.status),
            recorded_by: listed.recorded_by.clone(),
            source: e.source.clone(),
            uncited: uncited(e),
        }
    }
}

/// The filters of `/events`, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EventQuery {
    /// Post code.
    pub post: String,
    /// `inbound` / `outbound`.
    pub direction: String,
    /// `military` / `civilian`.
    pub category: String,
    /// `pending` / `verified` / `voided`.
    pub status: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Search words.
    pub q: String,
    /// Keyset cursor: `MICROS.ID` of the last row shown.
    pub after: String,
    /// `1`: the CSV export starts with a BOM.
    pub bom: String,
}

impl EventQuery {
    /// The filters as a query string (without the cursor).
    pub fn query_string(&self) -> String {
        let pairs = [
            ("post", &self.post),
            ("direction", &self.direction),
            ("category", &self.category),
            ("status", &self.status),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
        ];
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if !v.trim().is_empty() {
                out.append_pair(k, v.trim());
            }
        }
        out.finish()
    }
}

/// `GET /events`.
#[derive(Template, WebTemplate)]
#[template(path = "events/list.html")]
pub struct EventListPage {
    /// The frame.
    pub layout: Layout,
    /// The filters.
    pub query: EventQuery,
    /// Messages beside bad filters.
    pub errors: FieldErrors,
    /// Posts in scope, for the filter: (code, name).
    pub posts: Vec<(String, String)>,
    /// This page's events.
    pub rows: Vec<EventLine>,
    /// "1,234 events" or "more than 10,000 events".
    pub count: String,
    /// The cursor of the next page, if any.
    pub older: Option<String>,
}

impl EventListPage {
    /// The CSV export of exactly these filters.
    pub fn export_link(&self, bom: bool) -> String {
        super::export_href("/events.csv", &self.query.query_string(), bom)
    }

    /// The next page's link.
    pub fn older_link(&self, cursor: &str) -> String {
        let q = self.query.query_string();
        let after = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("after", cursor)
            .finish();
        if q.is_empty() {
            format!("/events?{after}")
        } else {
            format!("/events?{q}&{after}")
        }
    }

    /// The choices of a select: (value, label, selected).
    pub fn choices(&self, kind: &str) -> Vec<(&'static str, String, bool)> {
        let (values, current): (Vec<&'static str>, &str) = match kind {
            "direction" => (
                Direction::ALL.iter().map(|d| d.as_str()).collect(),
                &self.query.direction,
            ),
            "category" => (
                Category::ALL.iter().map(|c| c.as_str()).collect(),
                &self.query.category,
            ),
            _ => (
                Status::ALL.iter().map(|s| s.as_str()).collect(),
                &self.query.status,
            ),
        };
        values
            .into_iter()
            .map(|v| (v, label(&self.layout, kind, v), current == v))
            .collect()
    }
}
