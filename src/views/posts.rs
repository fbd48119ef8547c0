//! Border post pages.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use super::chart::ChartDay;
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::figures::Figure;
use crate::domain::post::PostForm;

/// `GET /posts`.
#[derive(Template, WebTemplate)]
#[template(path = "posts/list.html")]
pub struct PostListPage {
    /// The frame.
    pub layout: Layout,
    /// Posts in scope.
    pub posts: Vec<Post>,
    /// Shows the "New post" link.
    pub can_manage: bool,
}

/// `GET /posts/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "posts/show.html")]
pub struct PostPage {
    /// The frame.
    pub layout: Layout,
    /// The post.
    pub post: Post,
    /// Shows the "Edit" link.
    pub can_manage: bool,
    /// Shows the "History" link.
    pub can_review: bool,
    /// Shows "Record an event".
    pub can_record: bool,
    /// Shows the close and reopen controls.
    pub can_supervise: bool,
    /// Per category: label, present now, total in, total out (verified and pending).
    pub balances: Vec<(String, Figure, Figure, Figure)>,
    /// Events awaiting verification.
    pub pending: i64,
    /// Military returns citing no agreement.
    pub uncited: i64,
    /// The last 20 events.
    pub latest: Vec<super::events::EventLine>,
    /// The chosen period, as typed: `from`, `to`.
    pub period: (String, String),
    /// Messages beside the period's fields or from a refused close/reopen.
    pub errors: crate::domain::FieldErrors,
    /// The period's days, oldest first.
    pub days: Vec<DayLine>,
    /// The chart of the period.
    pub chart: super::chart::Chart,
}

/// One day of a post's ledger as the post page shows it.
#[derive(Debug, Clone)]
pub struct DayLine {
    /// `YYYY-MM-DD`, for links and forms.
    pub iso: String,
    /// The day in the page's language.
    pub label: String,
    /// Military in, out, present at the end, verified and pending.
    pub military: ChartDay,
    /// Civilians in, out, present at the end, verified and pending.
    pub civilian: ChartDay,
    /// None of the day's events awaits verification.
    pub verified: bool,
    /// Closed.
    pub closed: bool,
    /// Has begun at the post (only such days can be closed).
    pub begun: bool,
}

impl PostPage {
    /// The cells of a day's row: military in, out, present at the end, then the same for
    /// civilians; each with whether it is a present count.
    pub fn day_cells(&self, d: &DayLine) -> Vec<(Figure, bool)> {
        [d.military, d.civilian]
            .iter()
            .flat_map(|c| {
                [
                    (c.inbound_figure(), false),
                    (c.outbound_figure(), false),
                    (c.present_figure(), true),
                ]
            })
            .collect()
    }

    /// The chart's day label.
    pub fn tick(&self, day: &chrono::NaiveDate) -> String {
        self.layout.tr.short_date(*day)
    }

    /// A tooltip: "19 Dec 2024: 1,100".
    pub fn tip(&self, day: &chrono::NaiveDate, value: &i64) -> String {
        format!("{}: {}", self.layout.tr.date(*day), self.layout.num(*value))
    }

    /// "3 events await verification".
    pub fn pending_label(&self) -> String {
        super::events::capped(&self.layout, "events-pending", self.pending)
    }

    /// "2 military returns cite no agreement".
    pub fn uncited_label(&self) -> String {
        super::events::capped(&self.layout, "returns-uncited", self.uncited)
    }

    /// Whether the period's fields hold an error.
    pub fn period_error(&self) -> bool {
        self.errors.get("from").is_some() || self.errors.get("to").is_some()
    }
}

/// The new-post and edit-post form (`GET /posts/new`, `GET /posts/{code}/edit`, and both
/// re-shown with errors).
#[derive(Template, WebTemplate)]
#[template(path = "posts/form.html")]
pub struct PostFormPage {
    /// The frame.
    pub layout: Layout,
    /// What was typed.
    pub form: PostForm,
    /// Whether the post takes new records (edit only).
    pub active: bool,
    /// Messages beside the fields.
    pub errors: FieldErrors,
    /// `Some(code)` when editing an existing post (the code is then fixed).
    pub editing: Option<String>,
    /// The version the form is based on (edit only).
    pub version: i32,
    /// The newer stored values as (label, value) lines, when someone saved first (409).
    pub newer: Vec<(String, String)>,
}

/// A post's editable values as (label, value) lines, for the conflict box.
pub fn value_lines(layout: &Layout, post: &Post) -> Vec<(String, String)> {
    let yes_no = |b: bool| layout.t(if b { "value-yes" } else { "value-no" });
    vec![
        (layout.t("field-name-en"), post.name_en.clone()),
        (layout.t("field-name-ar"), post.name_ar.clone()),
        (layout.t("field-country"), post.country.clone()),
        (
            layout.t("field-neighbour-country"),
            post.neighbour_country.clone(),
        ),
        (layout.t("field-governorate"), post.governorate.clone()),
        (
            layout.t("field-counterpart-name"),
            post.counterpart_name.clone(),
        ),
        (layout.t("field-timezone"), post.timezone.clone()),
        (layout.t("field-post-active"), yes_no(post.active)),
    ]
}

impl PostFormPage {
    /// Where the form posts to.
    pub fn action(&self) -> String {
        match &self.editing {
            Some(code) => format!("/posts/{code}"),
            None => "/posts".to_owned(),
        }
    }
}
