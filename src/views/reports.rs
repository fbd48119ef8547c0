//! `/reports/headcount`.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use super::chart::Chart;
use crate::domain::FieldErrors;
use crate::domain::figures::Figure;
use crate::reports::HeadcountQuery;

/// One day of one post: per category (in, out, present at the end, verified and pending), and
/// whether it is closed and verified.
pub struct ReportDay {
    /// The day in the page's language.
    pub label: String,
    /// Per category, in the report's category order: in, out, present at the end.
    pub cells: Vec<[Figure; 3]>,
    /// None of the day's events awaits verification.
    pub verified: bool,
    /// Closed.
    pub closed: bool,
}

/// One post's part of the report.
pub struct PostReport {
    /// Code.
    pub code: String,
    /// Name in the page's language.
    pub name: String,
    /// Every day of the period.
    pub days: Vec<ReportDay>,
    /// Per category: total in, total out, present at the end of the period.
    pub totals: Vec<[Figure; 3]>,
    /// The chart of the categories reported together.
    pub chart: Chart,
}

/// `GET /reports/headcount`.
#[derive(Template, WebTemplate)]
#[template(path = "reports/headcount.html")]
pub struct HeadcountPage {
    /// The frame.
    pub layout: Layout,
    /// The filters as typed.
    pub query: HeadcountQuery,
    /// Messages beside bad filters.
    pub errors: FieldErrors,
    /// Posts in scope for the filter: (code, name).
    pub posts: Vec<(String, String)>,
    /// The labels of the categories reported.
    pub categories: Vec<String>,
    /// The first and last day, as shown.
    pub period: (String, String),
    /// The report, one part per post.
    pub reports: Vec<PostReport>,
    /// Where the audit chain stood when the figures were read.
    pub stamp: Option<crate::audit::receipt::Stamp>,
}

impl HeadcountPage {
    /// The CSV export of exactly these filters.
    pub fn export_link(&self, bom: bool) -> String {
        super::export_href("/reports/headcount.csv", &self.query.query_string(), bom)
    }

    /// The category choices: (value, label, selected).
    pub fn category_choices(&self) -> Vec<(&'static str, String, bool)> {
        crate::domain::event::Category::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str(),
                    self.layout.t(&format!("category-{}", c.as_str())),
                    self.query.category == c.as_str(),
                )
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
}
