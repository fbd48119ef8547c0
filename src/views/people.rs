//! People pages: the register and its search, the form (with probable duplicates), one person,
//! the duplicates a supervisor reviews, and a merge.

use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::Layout;
use crate::db::people::{Candidate, Likeness, Listed, PersonRow, StatementRow};
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::names::Match;
use crate::domain::person::{
    DocumentType, How, Medical, PersonForm, PersonStatus, Sex, StatusForm,
};

/// Options of a select or radio group: (value, label, chosen).
pub type Choices = Vec<(String, String, bool)>;
/// A difference found by a reconciliation: (item, what, the note and who looked into it).
pub type Difference = (String, String, Option<(String, String)>);
/// The agreement a return cites: reference, title, parties, and its clauses (kind in both
/// languages, wording, whether it is the no-reprisals assurance).
pub type Cited = (
    String,
    String,
    String,
    Vec<((String, String), String, bool)>,
);

/// A person's status in words.
pub fn status_label(layout: &Layout, status: &str) -> String {
    layout.t(&format!("person-status-{}", status.replace('_', "-")))
}

/// The label of a choice's value (`medical-needs-care`), or empty for none.
fn choice_label(layout: &Layout, prefix: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        layout.t(&format!("{prefix}-{}", value.replace('_', "-")))
    }
}

/// The label of a person's field.
pub fn field_label(layout: &Layout, field: &str) -> String {
    layout.t(&format!("person-field-{}", field.replace('_', "-")))
}

/// A field's value as a page shows it: choices in words, the rest as stored.
pub fn shown_value(layout: &Layout, field: &str, value: &str) -> String {
    match field {
        "sex" => choice_label(layout, Sex::LABELS, value),
        "id_document_type" => choice_label(layout, DocumentType::LABELS, value),
        "medical" => choice_label(layout, Medical::LABELS, value),
        "nationality" if !value.is_empty() => layout.country(value),
        // In the reader's digits.
        "birth_year" => value
            .parse()
            .map_or_else(|_| value.to_owned(), |y| layout.tr.year(y)),
        "birth_date" => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map_or_else(|_| value.to_owned(), |d| layout.tr.date(d)),
        _ => value.to_owned(),
    }
}

/// `GET /people` and `/people.csv` parameters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PeopleQuery {
    /// Words searched in names, in either script.
    pub q: String,
    /// Post code.
    pub post: String,
    /// A status.
    pub status: String,
    /// Keyset cursor `RANK.ID`.
    pub after: String,
    /// `1`: a UTF-8 BOM first (CSV).
    pub bom: String,
}

impl PeopleQuery {
    /// The filters as a query string (no cursor).
    pub fn query_string(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", &self.q),
            ("post", &self.post),
            ("status", &self.status),
        ] {
            if !value.trim().is_empty() {
                s.append_pair(name, value.trim());
            }
        }
        s.finish()
    }
}

/// One person in a list: names and status, never documents.
#[derive(Debug, Clone)]
pub struct PersonLine {
    /// Key.
    pub id: i64,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// Post code.
    pub post_code: String,
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Year of birth, in the user's digits.
    pub birth_year: String,
    /// Status code.
    pub status: String,
    /// Status in words.
    pub status_label: String,
    /// They decline to return: marked wherever they appear.
    pub declines: bool,
    /// How a search matched them, in words (empty when unsearched).
    pub matched: String,
}

impl PersonLine {
    /// The line for `l`.
    pub fn of(layout: &Layout, l: &Listed) -> Self {
        Self {
            id: l.id.0,
            reference: l.reference.clone(),
            post_code: l.post_code.clone(),
            name_ar: l.name_ar.clone(),
            name_latin: l.name_latin.clone(),
            father_name: l.father_name.clone(),
            birth_year: l.birth_year.map(|y| layout.tr.year(y)).unwrap_or_default(),
            status: l.status.clone(),
            status_label: status_label(layout, &l.status),
            declines: l.status == PersonStatus::DeclinesReturn.as_str(),
            matched: match l.matched {
                Some(Match::Exact) => layout.t("match-exact"),
                Some(Match::Folded) => layout.t("match-folded"),
                Some(Match::Cross) => layout.t("match-cross"),
                None => String::new(),
            },
        }
    }
}

/// `GET /people`.
#[derive(Template, WebTemplate)]
#[template(path = "people/list.html")]
pub struct PeopleListPage {
    /// The frame.
    pub layout: Layout,
    /// The filters.
    pub query: PeopleQuery,
    /// Messages beside the filters.
    pub errors: FieldErrors,
    /// Posts in scope: (code, name).
    pub posts: Vec<(String, String)>,
    /// Posts where this person may register people: (code, name).
    pub record_at: Vec<(String, String)>,
    /// The page's people.
    pub rows: Vec<PersonLine>,
    /// The next page's cursor.
    pub next: Option<String>,
    /// Whether the CSV export is offered.
    pub can_export: bool,
    /// Whether the duplicates page is offered.
    pub can_review_duplicates: bool,
}

impl PeopleListPage {
    /// The statuses, for the filter: (value, label, chosen).
    pub fn statuses(&self) -> Vec<(&'static str, String, bool)> {
        PersonStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    status_label(&self.layout, s.as_str()),
                    self.query.status == s.as_str(),
                )
            })
            .collect()
    }

    /// The export link with the page's filters.
    pub fn export_link(&self, bom: bool) -> String {
        super::export_href("/people.csv", &self.query.query_string(), bom)
    }

    /// The next page's link.
    pub fn next_link(&self, cursor: &str) -> String {
        let q = self.query.query_string();
        let after = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("after", cursor)
            .finish();
        if q.is_empty() {
            format!("/people?{after}")
        } else {
            format!("/people?{q}&{after}")
        }
    }
}

/// One input of the person form.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// The form field's name (and element id).
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// What is expected, or empty.
    pub hint: String,
    /// `text`, `date`, `textarea` or `select`.
    pub kind: &'static str,
    /// The value typed.
    pub value: String,
    /// For a select: (value, label, chosen); the first is "not recorded" where that is allowed.
    pub options: Vec<(String, String, bool)>,
    /// `auto` for names and free text (either script), `ltr` for numbers and codes.
    pub dir: &'static str,
    /// The most characters accepted.
    pub max: usize,
    /// The message beside it.
    pub error: Option<String>,
}

/// A possible duplicate, as the form shows it.
#[derive(Debug, Clone)]
pub struct CandidateLine {
    /// The person.
    pub person: PersonLine,
    /// Certain or probable, in words.
    pub likeness: String,
    /// Whether certain.
    pub certain: bool,
    /// What matched, in words.
    pub reason: String,
}

impl CandidateLine {
    /// The line for `c`.
    pub fn of(layout: &Layout, c: &Candidate) -> Self {
        Self {
            person: PersonLine::of(layout, &c.person),
            likeness: layout.t(match c.likeness {
                Likeness::Certain => "duplicate-certain",
                Likeness::Probable => "duplicate-probable",
            }),
            certain: c.likeness == Likeness::Certain,
            reason: layout.t(&format!("duplicate-reason-{}", c.reason.replace('_', "-"))),
        }
    }
}

/// The person being edited.
#[derive(Debug, Clone)]
pub struct PersonEditing {
    /// Key.
    pub id: i64,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// The version the form is based on.
    pub version: i32,
}

/// `GET /posts/{code}/people/new`, `GET /people/{id}/edit`, and both re-shown (422; 409 with
/// probable duplicates or the newer values).
#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    /// The frame.
    pub layout: Layout,
    /// The post.
    pub post: Post,
    /// What was typed.
    pub form: PersonForm,
    /// The key that makes a double submit harmless (new people only).
    pub form_key: String,
    /// Messages beside the fields.
    pub errors: FieldErrors,
    /// `Some` when editing.
    pub editing: Option<PersonEditing>,
    /// Records that may be this person.
    pub candidates: Vec<CandidateLine>,
    /// After a conflict: the values saved meanwhile, as (label, value).
    pub newer: Vec<(String, String)>,
    /// Arrivals at the post the person may have come with: (id, description).
    pub arrivals: Vec<(String, String)>,
}

impl PersonFormPage {
    /// Where the form posts to.
    pub fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("/people/{}", e.id),
            None => format!("/posts/{}/people", self.post.code),
        }
    }

    /// The post's name in the page's language.
    pub fn post_name(&self) -> String {
        super::events::post_name(&self.layout, &self.post)
    }

    fn options<T: Copy>(
        &self,
        all: &[T],
        value: fn(T) -> &'static str,
        prefix: &str,
        chosen: &str,
        none: Option<&str>,
    ) -> Vec<(String, String, bool)> {
        let mut out: Vec<(String, String, bool)> = none
            .map(|key| (String::new(), self.layout.t(key), chosen.is_empty()))
            .into_iter()
            .collect();
        out.extend(all.iter().map(|v| {
            let v = value(*v);
            (
                v.to_owned(),
                choice_label(&self.layout, prefix, v),
                chosen == v,
            )
        }));
        out
    }

    /// The form's inputs, in order.
    pub fn fields(&self) -> Vec<FieldView> {
        use crate::domain::person::{NAME_MAX, SHORT_MAX, TEXT_MAX};
        let f = &self.form;
        let l = &self.layout;
        let field = |name: &'static str, kind: &'static str, value: &str, dir, max| FieldView {
            name,
            label: field_label(l, name),
            hint: {
                let key = format!("person-hint-{}", name.replace('_', "-"));
                if l.tr.has(&key) {
                    l.t(&key)
                } else {
                    String::new()
                }
            },
            kind,
            value: value.to_owned(),
            options: Vec::new(),
            dir,
            max,
            error: self.errors.get(name).map(|e| l.field_error(e)),
        };
        let select = |name, value: &str, options| FieldView {
            options,
            ..field(name, "select", value, "auto", 0)
        };
        let mut arrivals = vec![(
            String::new(),
            l.t("person-arrival-none"),
            f.inbound_event_id.trim().is_empty(),
        )];
        arrivals.extend(
            self.arrivals
                .iter()
                .map(|(id, text)| (id.clone(), text.clone(), f.inbound_event_id.trim() == id)),
        );
        vec![
            field("name_ar", "text", &f.name_ar, "rtl", NAME_MAX),
            field("name_latin", "text", &f.name_latin, "ltr", NAME_MAX),
            field("father_name", "text", &f.father_name, "auto", NAME_MAX),
            field(
                "grandfather_name",
                "text",
                &f.grandfather_name,
                "auto",
                NAME_MAX,
            ),
            field("family_name", "text", &f.family_name, "auto", NAME_MAX),
            field("mother_name", "text", &f.mother_name, "auto", NAME_MAX),
            field("birth_date", "date", &f.birth_date, "ltr", 10),
            field("birth_year", "text", &f.birth_year, "ltr", 4),
            select(
                "sex",
                &f.sex,
                self.options(
                    Sex::ALL,
                    Sex::as_str,
                    Sex::LABELS,
                    &f.sex,
                    Some("not-recorded"),
                ),
            ),
            field("rank", "text", &f.rank, "auto", SHORT_MAX),
            field("unit", "text", &f.unit, "auto", SHORT_MAX),
            field(
                "service_number",
                "text",
                &f.service_number,
                "ltr",
                SHORT_MAX,
            ),
            select(
                "id_document_type",
                &f.id_document_type,
                self.options(
                    DocumentType::ALL,
                    DocumentType::as_str,
                    DocumentType::LABELS,
                    &f.id_document_type,
                    Some("not-recorded"),
                ),
            ),
            field(
                "id_document_number",
                "text",
                &f.id_document_number,
                "ltr",
                SHORT_MAX,
            ),
            field("nationality", "text", &f.nationality, "ltr", 2),
            select(
                "medical",
                &f.medical,
                self.options(
                    Medical::ALL,
                    Medical::as_str,
                    Medical::LABELS,
                    if f.medical.is_empty() {
                        "none"
                    } else {
                        &f.medical
                    },
                    None,
                ),
            ),
            field(
                "vulnerabilities",
                "textarea",
                &f.vulnerabilities,
                "auto",
                TEXT_MAX,
            ),
            select("inbound_event_id", &f.inbound_event_id, arrivals),
            field("notes", "textarea", &f.notes, "auto", TEXT_MAX),
        ]
    }
}

/// A statement of the person's wish, as their page shows it.
#[derive(Debug, Clone)]
pub struct StatementLine {
    /// The wish, in words.
    pub wish: String,
    /// When, as a date in the page's language.
    pub stated_on: String,
    /// Who heard it.
    pub heard_by: String,
    /// How, in words.
    pub how: String,
    /// Who recorded it.
    pub recorded_by: String,
}

impl StatementLine {
    /// The line for `s`.
    pub fn of(layout: &Layout, s: &StatementRow) -> Self {
        Self {
            wish: status_label(layout, &s.wish),
            stated_on: layout.tr.date(s.stated_on),
            heard_by: s.heard_by.clone(),
            how: choice_label(layout, How::LABELS, &s.how),
            recorded_by: s.recorded_by.clone(),
        }
    }
}

/// `GET /people/{id}` (and re-shown after a refused status change).
#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    /// The frame.
    pub layout: Layout,
    /// The person.
    pub person: PersonRow,
    /// Their post.
    pub post: Post,
    /// Their status in words.
    pub status: String,
    /// Whether they decline to return.
    pub declines: bool,
    /// The fields with a value: (label, value, field name).
    pub facts: Vec<(String, String, &'static str)>,
    /// The arrival they came with: (id, reference).
    pub inbound: Option<(i64, String)>,
    /// The record this one was merged into: (id, reference).
    pub merged_into: Option<(i64, String)>,
    /// Statements of their wish, oldest first.
    pub statements: Vec<StatementLine>,
    /// Whether the viewer may edit.
    pub can_edit: bool,
    /// The statuses the viewer may move them to: (value, label, chosen).
    pub next_statuses: Vec<(String, String, bool)>,
    /// The ways a statement is heard: (value, label, chosen).
    pub hows: Vec<(String, String, bool)>,
    /// What was typed into the status form.
    pub status_form: StatusForm,
    /// Messages beside the status form.
    pub errors: FieldErrors,
    /// Whether the viewer may read the history.
    pub can_review: bool,
    /// The return that named them: (event id, reference).
    pub return_event: Option<(i64, String)>,
    /// What was heard of them after their return, in order.
    pub followups: Vec<FollowupLine>,
    /// Whether the viewer may record a follow-up now (they were returned).
    pub can_follow_up: bool,
    /// What was typed into the follow-up form.
    pub followup_form: crate::domain::person::FollowupForm,
    /// Sources and findings for the follow-up form: (value, label, chosen).
    pub followup_choices: (Choices, Choices),
}

/// A follow-up as a person's page lists it.
#[derive(Debug, Clone)]
pub struct FollowupLine {
    /// When, as a date in the page's language.
    pub observed_on: String,
    /// Who told, in words.
    pub source: String,
    /// What, in words.
    pub finding: String,
    /// `finding` as stored (to mark reprisals).
    pub finding_code: String,
    /// What was heard.
    pub text: String,
    /// Who recorded it.
    pub recorded_by: String,
}

impl FollowupLine {
    /// The line for `f`.
    pub fn of(layout: &Layout, f: &crate::db::followups::FollowupRow) -> Self {
        Self {
            observed_on: layout.tr.date(f.observed_on),
            source: choice_label(layout, "followup-source", &f.source),
            finding: choice_label(layout, "finding", &f.finding),
            finding_code: f.finding.clone(),
            text: f.text.clone(),
            recorded_by: f.recorded_by.clone(),
        }
    }
}

/// `GET /people/duplicates`.
#[derive(Template, WebTemplate)]
#[template(path = "people/duplicates.html")]
pub struct DuplicatesPage {
    /// The frame.
    pub layout: Layout,
    /// Probable pairs in scope.
    pub pairs: Vec<(PersonLine, PersonLine)>,
    /// Merges awaiting a second supervisor: (id, kept, merged, proposed by).
    pub proposals: Vec<(i64, PersonLine, PersonLine, String)>,
}

/// One field of a merge: which value each record holds and which one is chosen.
#[derive(Debug, Clone)]
pub struct MergeField {
    /// The field.
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// The kept record's value, shown.
    pub kept: String,
    /// The merged record's value, shown.
    pub merged: String,
    /// Whether the merged record's value is chosen.
    pub take_merged: bool,
}

/// `GET /people/merge?kept=&merged=` (a proposal being made) and `GET /people/merges/{id}` (one
/// awaiting confirmation).
#[derive(Template, WebTemplate)]
#[template(path = "people/merge.html")]
pub struct MergePage {
    /// The frame.
    pub layout: Layout,
    /// The record kept.
    pub kept: PersonLine,
    /// The record merged into it.
    pub merged: PersonLine,
    /// The fields that differ.
    pub fields: Vec<MergeField>,
    /// `Some((id, proposed by, status))` for a stored proposal.
    pub proposal: Option<(i64, String, String)>,
    /// Whether the viewer may confirm it (a second supervisor).
    pub can_confirm: bool,
    /// Why the viewer may not confirm it, in words.
    pub why_not: String,
    /// Messages.
    pub errors: FieldErrors,
}

/// A person on an event's list, or offered to be added, with the reason they cannot be.
#[derive(Debug, Clone)]
pub struct ManifestLine {
    /// The person.
    pub person: PersonLine,
    /// Their rank.
    pub rank: String,
    /// Their medical state, in words (empty for none).
    pub medical: String,
    /// Why they cannot be added (or were refused), in words.
    pub refused: Option<String>,
}

/// `GET /events/{id}/manifest` (and re-shown after a refused change).
#[derive(Template, WebTemplate)]
#[template(path = "people/manifest.html")]
pub struct ManifestPage {
    /// The frame.
    pub layout: Layout,
    /// The event.
    pub event: crate::db::events::EventRow,
    /// Its post.
    pub post: Post,
    /// Whether it is a return (else an arrival).
    pub is_return: bool,
    /// "named: 12 of 600".
    pub named_count: String,
    /// The people it names, in order.
    pub named: Vec<ManifestLine>,
    /// People of the post found by the search, not yet named.
    pub candidates: Vec<ManifestLine>,
    /// The search.
    pub q: String,
    /// Whether the viewer may change the list now.
    pub can_edit: bool,
    /// Why the list cannot change, in words (verified, void).
    pub locked: String,
    /// Messages.
    pub errors: FieldErrors,
}

/// A text in both languages: (English, Arabic).
pub type Both = (String, String);

/// One person on the handover list.
#[derive(Debug, Clone)]
pub struct HandoverLine {
    /// Position on the list.
    pub n: usize,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Rank.
    pub rank: String,
    /// Document type in both languages and number.
    pub document: (Both, String),
    /// Medical needs in both languages (empty when none).
    pub medical: Both,
}

/// `GET /events/{id}/handover`: the document both sides sign.
#[derive(Template, WebTemplate)]
#[template(path = "people/handover.html")]
pub struct HandoverPage {
    /// The stylesheet's URL.
    pub stylesheet: String,
    /// The event's reference.
    pub reference: String,
    /// The event's id.
    pub event_id: i64,
    /// The post: (English name, Arabic name, code).
    pub post: (String, String, String),
    /// The other side: the counterpart post's name and the country across the border.
    pub counterpart: (String, Both),
    /// The host country in both languages.
    pub country: Both,
    /// Date and time at the post, in both languages.
    pub when: Both,
    /// The agreement cited: reference, title, parties; and its clauses (kind in both
    /// languages, wording as recorded, whether it is the no-reprisals assurance).
    pub agreement: Option<Cited>,
    /// The list.
    pub lines: Vec<HandoverLine>,
    /// Named, headcount, unnamed.
    pub totals: (usize, i32, i64),
    /// The list's SHA-256 (of its CSV), first 16 hex digits.
    pub short_hash: String,
    /// This printing's own audit entry.
    pub stamp: crate::audit::receipt::Stamp,
    /// Labels: message id → (English, Arabic).
    pub labels: std::collections::HashMap<&'static str, Both>,
}

impl HandoverPage {
    /// The label `key` in English.
    pub fn en(&self, key: &str) -> &str {
        self.labels.get(key).map_or("", |(en, _)| en.as_str())
    }

    /// The label `key` in Arabic.
    pub fn ar(&self, key: &str) -> &str {
        self.labels.get(key).map_or("", |(_, ar)| ar.as_str())
    }
}

/// `GET /posts/{code}/people/import`: the upload form (and re-shown with its message).
#[derive(Template, WebTemplate)]
#[template(path = "people/import.html")]
pub struct ImportPage {
    /// The frame.
    pub layout: Layout,
    /// The post.
    pub post: Post,
    /// Events whose list the rows may join: (id, description).
    pub events: Vec<(String, String)>,
    /// Messages.
    pub errors: FieldErrors,
}

/// One row of an import's preview.
#[derive(Debug, Clone)]
pub struct ImportLine {
    /// Row number.
    pub n: usize,
    /// The mapped values, one per mapped field: (label, value).
    pub cells: Vec<String>,
    /// Its errors, in words.
    pub errors: Vec<String>,
    /// The record it matches: (id, reference, likeness in words, certain).
    pub matched: Option<(i64, String, String, bool)>,
    /// Ticked: create a new record although it matches one.
    pub create_anyway: bool,
}

/// `GET /people/imports/{id}`: the preview.
#[derive(Template, WebTemplate)]
#[template(path = "people/import_preview.html")]
pub struct ImportPreviewPage {
    /// The frame.
    pub layout: Layout,
    /// The import's id.
    pub id: i64,
    /// The file's name and SHA-256.
    pub file: (String, String),
    /// The post's code.
    pub post_code: String,
    /// The event the rows join, if any: (id, reference).
    pub event: Option<(i64, String)>,
    /// Per column: (index, header, chosen field, the choices (value, label)).
    pub columns: Vec<(usize, String, String)>,
    /// The fields a column may fill: (value, label).
    pub fields: Vec<(String, String)>,
    /// The labels of the mapped fields, in column order (the preview table's header).
    pub mapped: Vec<String>,
    /// The rows shown.
    pub lines: Vec<ImportLine>,
    /// "600 rows: 598 new, 2 match records held; 0 with errors".
    pub summary: String,
    /// Rows with errors.
    pub with_errors: usize,
    /// "400 more rows are not shown", or empty.
    pub hidden: String,
    /// Already imported.
    pub done: bool,
    /// Messages.
    pub errors: FieldErrors,
}

/// `GET /events/{id}/reconcile`: the upload form and the latest reconciliation's three lists.
#[derive(Template, WebTemplate)]
#[template(path = "people/reconcile.html")]
pub struct ReconcilePage {
    /// The frame.
    pub layout: Layout,
    /// The event: (id, reference).
    pub event: (i64, String),
    /// The latest reconciliation: file name, SHA-256, who and when.
    pub kept: Option<(String, String, String)>,
    /// On both lists: (ours, theirs, row, reason in words).
    pub matched: Vec<(String, String, String, String)>,
    /// Differences: (item, what, resolved note and who).
    pub ours_only: Vec<Difference>,
    /// Differences on their side: (item, what, resolved note and who).
    pub theirs_only: Vec<Difference>,
    /// Whether the viewer may mark differences looked into.
    pub can_resolve: bool,
    /// Messages.
    pub errors: FieldErrors,
}
