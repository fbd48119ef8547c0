//! `/reports/totals`: the roll-up per week or month.

use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};

use super::Layout;
use super::chart::{self, Chart, ChartDay};
use crate::domain::FieldErrors;
use crate::domain::figures::Figure;
use crate::domain::period::{Grain, Period};
use crate::i18n::Arg;
use crate::reports::totals::{PeriodLine, TotalsFilter, TotalsQuery};

/// One period's row: per category, in, out and present at the end, verified and pending.
pub struct TotalsRow {
    /// "Week of 2 Dec 2024", "Dec 2024".
    pub label: String,
    /// For a period the chosen days cut short, the days it counts ("4 Dec to 8 Dec only").
    pub clipped: Option<String>,
    /// Per category, in the report's category order: in, out, present at the end.
    pub cells: Vec<[Figure; 3]>,
    /// None of the period's entries awaits verification.
    pub verified: bool,
}

/// `GET /reports/totals`.
#[derive(Template, WebTemplate)]
#[template(path = "reports/totals.html")]
pub struct TotalsPage {
    /// The frame.
    pub layout: Layout,
    /// The filters as typed.
    pub query: TotalsQuery,
    /// Messages beside bad filters.
    pub errors: FieldErrors,
    /// Posts in scope for the filter: (code, name).
    pub posts: Vec<(String, String)>,
    /// Weeks or months (as chosen, or the default when the choice was refused).
    pub grain: Grain,
    /// The first and last day, as shown in the form.
    pub period: (String, String),
    /// The labels of the categories reported.
    pub categories: Vec<String>,
    /// One row per period.
    pub rows: Vec<TotalsRow>,
    /// Per category: in and out over the whole range, present at its end.
    pub totals: Vec<[Figure; 3]>,
    /// The categories together, one point per period.
    pub chart: Option<Chart>,
    /// The codes of the posts summed.
    pub counted: Vec<String>,
    /// Said when the first or last period is cut short by the chosen days.
    pub clipped_note: Option<String>,
    /// Where the audit chain stood when the figures were read.
    pub stamp: Option<crate::audit::receipt::Stamp>,
}

impl TotalsPage {
    /// The form re-shown with `errors` beside its fields.
    pub fn refused(
        layout: Layout,
        query: TotalsQuery,
        posts: Vec<(String, String)>,
        errors: FieldErrors,
    ) -> Self {
        Self {
            grain: Grain::parse(&query.by).unwrap_or_default(),
            layout,
            query,
            errors,
            posts,
            period: (String::new(), String::new()),
            categories: Vec::new(),
            rows: Vec::new(),
            totals: Vec::new(),
            chart: None,
            counted: Vec::new(),
            clipped_note: None,
            stamp: None,
        }
    }

    /// The roll-up `lines` of `filter`, read with `stamp`.
    pub fn new(
        layout: Layout,
        query: TotalsQuery,
        posts: Vec<(String, String)>,
        filter: &TotalsFilter,
        lines: &[PeriodLine],
        stamp: crate::audit::receipt::Stamp,
    ) -> Self {
        let grain = filter.grain;
        let cells = |figures: &[ChartDay]| -> Vec<[Figure; 3]> {
            figures
                .iter()
                .map(|d| [d.inbound_figure(), d.outbound_figure(), d.present_figure()])
                .collect()
        };
        let rows = lines
            .iter()
            .map(|line| TotalsRow {
                label: period_label(&layout, grain, line.period.start),
                clipped: line
                    .period
                    .clipped
                    .then(|| days_counted(&layout, &line.period)),
                cells: cells(&line.figures),
                verified: line.figures.iter().all(ChartDay::verified),
            })
            .collect();
        let totals = (0..filter.report.categories.len())
            .map(|c| {
                let sum = |f: fn(&ChartDay) -> Figure| {
                    lines
                        .iter()
                        .map(|l| f(&l.figures[c]))
                        .fold(Figure::default(), |a, b| a + b)
                };
                [
                    sum(ChartDay::inbound_figure),
                    sum(ChartDay::outbound_figure),
                    lines
                        .last()
                        .map_or(Figure::default(), |l| l.figures[c].present_figure()),
                ]
            })
            .collect();
        let together: Vec<ChartDay> = lines
            .iter()
            .filter_map(|l| {
                let (first, rest) = l.figures.split_first()?;
                Some(rest.iter().fold(*first, |acc, d| acc.plus(d)))
            })
            .collect();
        let chart =
            chart::layout(&together, layout.dir() == "rtl").with_title("chart-title-periods");
        let clipped_note = lines.iter().any(|l| l.period.clipped).then(|| {
            layout.tr.ta(
                "totals-clipped-note",
                &[
                    ("from", Arg::Text(layout.tr.date(filter.report.from))),
                    ("to", Arg::Text(layout.tr.date(filter.report.to))),
                ],
            )
        });
        Self {
            categories: filter
                .report
                .categories
                .iter()
                .map(|c| layout.t(&format!("category-{}", c.as_str())))
                .collect(),
            period: (filter.report.from.to_string(), filter.report.to.to_string()),
            counted: filter.report.posts.iter().map(|p| p.code.clone()).collect(),
            grain,
            rows,
            totals,
            chart: Some(chart),
            clipped_note,
            stamp: Some(stamp),
            layout,
            query,
            errors: FieldErrors::new(),
            posts,
        }
    }

    /// The CSV export of exactly these filters.
    pub fn export_link(&self, bom: bool) -> String {
        super::export_href("/reports/totals.csv", &self.query.query_string(), bom)
    }

    /// The period choices: (value, label, selected).
    pub fn grain_choices(&self) -> Vec<(&'static str, String, bool)> {
        Grain::ALL
            .iter()
            .map(|g| {
                let key = format!("totals-by-{}", g.as_str());
                (g.as_str(), self.layout.t(&key), *g == self.grain)
            })
            .collect()
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

    /// The chart's label of a period (its first day): "2 Dec", "Dec 2024".
    pub fn tick(&self, day: &NaiveDate) -> String {
        match self.grain {
            Grain::Week => self.layout.tr.short_date(*day),
            Grain::Month => period_label(&self.layout, Grain::Month, *day),
        }
    }

    /// A tooltip: "Week of 2 Dec 2024: 1,100".
    pub fn tip(&self, day: &NaiveDate, value: &i64) -> String {
        let label = period_label(&self.layout, self.grain, *day);
        format!("{label}: {}", self.layout.num(*value))
    }
}

/// A period named by its first day in the page's language: "Week of 2 Dec 2024", "Dec 2024".
fn period_label(layout: &Layout, grain: Grain, start: NaiveDate) -> String {
    match grain {
        Grain::Week => layout.t1("totals-week-of", "date", &layout.tr.date(start)),
        Grain::Month => layout.tr.ta(
            "totals-month-of",
            &[
                (
                    "month",
                    Arg::Text(layout.t(&format!("month-{}", start.month()))),
                ),
                ("year", Arg::Text(layout.tr.year(start.year()))),
            ],
        ),
    }
}

/// The days a cut-short period counts: "4 Dec to 8 Dec only".
fn days_counted(layout: &Layout, period: &Period) -> String {
    layout.tr.ta(
        "totals-days-counted",
        &[
            ("from", Arg::Text(layout.tr.short_date(period.from))),
            ("to", Arg::Text(layout.tr.short_date(period.to))),
        ],
    )
}
