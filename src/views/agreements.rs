//! Agreement pages: the list, the form, one agreement.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use super::events::EventLine;
use crate::db::agreements::Agreement;
use crate::domain::FieldErrors;
use crate::domain::agreement::{AgreementForm, AgreementStatus, CLAUSE_KINDS, FINDINGS};
use crate::domain::figures::Figure;

/// A status's label.
pub fn status_label(layout: &Layout, status: &str) -> String {
    layout.t(&format!("agreement-status-{}", status.replace('_', "-")))
}

/// A day in the page's language.
fn day(layout: &Layout, d: chrono::NaiveDate) -> String {
    layout.tr.date(d)
}

/// The effective window: "18 Dec 2024 – 31 Jan 2025" or "from 18 Dec 2024".
pub fn window(layout: &Layout, a: &Agreement) -> String {
    match a.effective_to {
        Some(to) => format!("{} – {}", day(layout, a.effective_from), day(layout, to)),
        None => layout.t1("agreement-from", "day", &day(layout, a.effective_from)),
    }
}

/// One line of the list.
pub struct AgreementLine {
    /// Key.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status spelling.
    pub status: String,
    /// Its label.
    pub status_label: String,
    /// The window.
    pub window: String,
    /// People returned under it, at the viewer's posts, verified and pending.
    pub returned: Figure,
    /// Planned, if set (not shown against `returned` when that is only part of it).
    pub planned: Option<i64>,
    /// It covers posts outside the viewer's: `returned` is "at your posts".
    pub partial: bool,
}

impl AgreementLine {
    /// The progress bar's value (verified returns) and maximum, when a plan is set against them.
    pub fn progress(&self) -> Option<(i64, i64)> {
        self.planned
            .map(|p| (self.returned.verified().clamp(0, p), p))
    }
}

/// The filters of `/agreements` and `/agreements.csv`, as typed.
#[derive(serde::Deserialize, Debug, Clone, Default)]
#[serde(default)]
pub struct AgreementQuery {
    /// A post's code.
    pub post: String,
    /// A status's spelling.
    pub status: String,
    /// `1`: the export starts with a BOM.
    pub bom: String,
}

impl AgreementQuery {
    /// The filters as a query string (empty ones left out), for links and the audit record.
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("post", &self.post), ("status", &self.status)] {
            if !v.trim().is_empty() {
                out.append_pair(k, v.trim());
            }
        }
        out.finish()
    }
}

/// `GET /agreements`.
#[derive(Template, WebTemplate)]
#[template(path = "agreements/list.html")]
pub struct AgreementListPage {
    /// The frame.
    pub layout: Layout,
    /// The filters.
    pub query: AgreementQuery,
    /// Posts in scope, for the filter: (code, name).
    pub posts: Vec<(String, String)>,
    /// The agreements the filters select among those covering the user's posts.
    pub rows: Vec<AgreementLine>,
    /// Shows "New agreement".
    pub can_manage: bool,
}

impl AgreementListPage {
    /// The CSV export of exactly these filters.
    pub fn export_link(&self, bom: bool) -> String {
        super::export_href("/agreements.csv", &self.query.query_string(), bom)
    }

    /// The status filter's choices: (spelling, label, selected).
    pub fn statuses(&self) -> Vec<(&'static str, String, bool)> {
        AgreementStatus::ALL
            .iter()
            .map(|s| {
                let value = s.as_str();
                (
                    value,
                    status_label(&self.layout, value),
                    self.query.status.trim() == value,
                )
            })
            .collect()
    }
}

/// `GET /agreements/new`, `GET /agreements/{id}/edit` and both re-shown.
#[derive(Template, WebTemplate)]
#[template(path = "agreements/form.html")]
pub struct AgreementFormPage {
    /// The frame.
    pub layout: Layout,
    /// What was typed.
    pub form: AgreementForm,
    /// Messages.
    pub errors: FieldErrors,
    /// `Some((id, version))` when editing.
    pub editing: Option<(i64, i32)>,
    /// Posts to choose from: (code, name).
    pub posts: Vec<(String, String)>,
    /// After a conflict: someone saved first.
    pub stale: bool,
}

impl AgreementFormPage {
    /// Where the form posts to.
    pub fn action(&self) -> String {
        match self.editing {
            Some((id, _)) => format!("/agreements/{id}"),
            None => "/agreements".to_owned(),
        }
    }

    /// Whether post `code` is chosen.
    pub fn covers(&self, code: &str) -> bool {
        self.form
            .post_codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case(code))
    }

    /// The clause kinds with labels.
    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        CLAUSE_KINDS
            .iter()
            .map(|k| {
                (
                    *k,
                    self.layout.t(&format!("clause-{}", k.replace('_', "-"))),
                )
            })
            .collect()
    }
}

/// A clause with its observations.
pub struct ClauseView {
    /// Key.
    pub id: i64,
    /// Kind's label.
    pub kind: String,
    /// Wording.
    pub text: String,
    /// Observations: (finding spelling, its label, day, source, text, recorder).
    pub observations: Vec<(String, String, String, String, String, String)>,
}

/// One step of the status timeline.
pub struct TimelineStep {
    /// When (UTC, formatted).
    pub at: String,
    /// Who.
    pub actor: String,
    /// From (label).
    pub from: String,
    /// To (label).
    pub to: String,
    /// Why.
    pub reason: Option<String>,
}

/// `GET /agreements/{id}`.
#[derive(Template, WebTemplate)]
#[template(path = "agreements/show.html")]
pub struct AgreementPage {
    /// The frame.
    pub layout: Layout,
    /// The agreement.
    pub agreement: Agreement,
    /// Its window.
    pub window: String,
    /// Covered posts in the viewer's scope: (code, people returned there).
    pub posts: Vec<(String, Figure)>,
    /// People returned under it, at the posts the viewer may see, verified and pending.
    pub returned: Figure,
    /// It covers posts outside the viewer's scope: `returned` is "in your posts", and the plan
    /// (agreement-wide) is not set against it.
    pub partial: bool,
    /// Clauses.
    pub clauses: Vec<ClauseView>,
    /// Returns made under it, newest first.
    pub returns: Vec<EventLine>,
    /// Status changes, oldest first.
    pub timeline: Vec<TimelineStep>,
    /// Shows edit, status and observation forms.
    pub can_manage: bool,
    /// Shows the confirm button (a supervisor over all its posts, neither its proposer nor its
    /// latest editor).
    pub can_confirm: bool,
    /// Why a supervisor may not confirm or manage it (the message id), if that is so.
    pub blocked: Option<&'static str>,
    /// Shows the history link.
    pub can_review: bool,
    /// Messages from a refused action.
    pub errors: FieldErrors,
    /// Who asked for activation, while pending.
    pub proposed_by: Option<String>,
    /// "Follow-ups: 12 of 600 returnees heard of; last heard safe: 10" (named returnees at the
    /// viewer's posts), when it has any.
    pub monitoring: Option<String>,
}

impl AgreementPage {
    /// The status's label.
    pub fn status_label(&self) -> String {
        status_label(&self.layout, &self.agreement.status)
    }

    /// Whether compliance can be observed: once it has been in force (not a draft, nor one
    /// awaiting its second supervisor).
    pub fn observable(&self) -> bool {
        self.agreement.status().observable()
    }

    /// The statuses a supervisor may ask for: (spelling, label).
    pub fn targets(&self) -> Vec<(&'static str, String)> {
        self.agreement
            .status()
            .targets()
            .into_iter()
            .map(|t| {
                let key = if t == AgreementStatus::Active {
                    "agreement-request-active".to_owned()
                } else {
                    format!("agreement-status-{}", t.as_str().replace('_', "-"))
                };
                (t.as_str(), self.layout.t(&key))
            })
            .collect()
    }

    /// The findings with labels.
    pub fn findings(&self) -> Vec<(&'static str, String)> {
        FINDINGS
            .iter()
            .map(|f| {
                (
                    *f,
                    self.layout.t(&format!("finding-{}", f.replace('_', "-"))),
                )
            })
            .collect()
    }

    /// Planned headcount, formatted, or a dash.
    pub fn planned(&self) -> String {
        self.agreement
            .planned_headcount
            .map(|n| self.layout.num(i64::from(n)))
            .unwrap_or_else(|| "—".to_owned())
    }

    /// People still to return, if a plan is set (never below zero).
    pub fn remaining(&self) -> Option<String> {
        if self.partial {
            return None;
        }
        self.agreement.planned_headcount.map(|p| {
            self.layout
                .num((i64::from(p) - self.returned.verified()).max(0))
        })
    }

    /// The progress bar's value and maximum, if a plan is set.
    pub fn progress(&self) -> Option<(i64, i64)> {
        if self.partial {
            return None;
        }
        self.agreement.planned_headcount.map(|p| {
            (
                self.returned.verified().clamp(0, i64::from(p)),
                i64::from(p),
            )
        })
    }
}
