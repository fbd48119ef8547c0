//! The headcount report: per post, day and category, people in, out and present at the end of
//! the day, from the ledger; days without events appear with zeros (and the balance carried),
//! so a series has no holes. Shared by the post page, `/reports/headcount` and its CSV.

use chrono::{NaiveDate, TimeDelta};

use crate::db::DbConn;
use crate::db::ledger::{self, LedgerDay};
use crate::db::scope::ScopedPost;
use crate::domain::event::Category;
use crate::domain::figures::Figure;
use crate::domain::policy::Principal;
use crate::domain::post::PostCode;
use crate::domain::{FieldError, FieldErrors};
use crate::error::AppResult;
use crate::views::chart::ChartDay;

pub mod totals;

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;
/// The period when none is chosen: the last 31 days.
pub const DEFAULT_DAYS: i64 = 31;

/// One category's series over `from..=to`, a value for every day, from the ledger, with what
/// pending entries add to each figure.
pub fn series(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<ChartDay>> {
    let rows: Vec<LedgerDay> = ledger::days_between(conn, post, category, from, to)?;
    let pending = ledger::pending_days(conn, post, category, Some(from), Some(to))?;
    let mut present = match from.pred_opt() {
        Some(before) => ledger::closing_at(conn, post.id, category, before)?,
        None => 0,
    };
    let (before_in, before_out) = ledger::pending_in_out(conn, post, category, Some(from))?;
    let mut pending_present = before_in - before_out;
    let mut rows = rows.into_iter().peekable();
    let mut pending_days = pending.iter().peekable();
    let mut out = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let (inbound, outbound) = match rows.next_if(|row| row.day == day) {
            Some(row) => {
                present = row.closing;
                (row.inbound, row.outbound)
            }
            None => (0, 0),
        };
        let (pending_in, pending_out) = pending_days
            .next_if(|p| p.day == day)
            .map_or((0, 0), |p| (p.inbound, p.outbound));
        pending_present += pending_in - pending_out;
        out.push(ChartDay {
            day,
            inbound,
            outbound,
            present,
            pending_in,
            pending_out,
            pending_present,
        });
    }
    Ok(out)
}

/// Where a post stands for one category, verified and pending: present now, and the totals in
/// and out over all days (the pending entries are read once for the three).
pub fn standing(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
) -> AppResult<(Figure, Figure, Figure)> {
    let present = ledger::present(conn, post, category)?;
    let (inbound, outbound) = ledger::totals(conn, post, category)?;
    let (pending_in, pending_out) = pending_in_out(conn, post, category)?;
    Ok((
        Figure::new(present, pending_in - pending_out),
        Figure::new(inbound, pending_in),
        Figure::new(outbound, pending_out),
    ))
}

/// Present now at a post, verified and pending, for one category (the dashboard's card).
pub fn present_now(conn: &mut DbConn, post: &ScopedPost, category: Category) -> AppResult<Figure> {
    let present = ledger::present(conn, post, category)?;
    let (pending_in, pending_out) = pending_in_out(conn, post, category)?;
    Ok(Figure::new(present, pending_in - pending_out))
}

/// People in and out in a post's pending entries of one category, all days.
fn pending_in_out(
    conn: &mut DbConn,
    post: &ScopedPost,
    category: Category,
) -> AppResult<(i64, i64)> {
    Ok(ledger::pending_in_out(conn, post, category, None)?)
}

/// The report's filters as typed (`/reports/headcount?post=&from=&to=&category=`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HeadcountQuery {
    /// A post code, or empty for every post in scope.
    pub post: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day.
    pub to: String,
    /// `military`, `civilian`, or empty for both.
    pub category: String,
    /// `1` for a BOM (CSV only).
    pub bom: Option<String>,
}

impl HeadcountQuery {
    /// The filters as a query string (no BOM).
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("post", &self.post),
            ("from", &self.from),
            ("to", &self.to),
            ("category", &self.category),
        ] {
            if !v.trim().is_empty() {
                out.append_pair(k, v.trim());
            }
        }
        out.finish()
    }
}

/// The report's filters, checked.
#[derive(Debug, Clone)]
pub struct HeadcountFilter {
    /// The posts reported, by code.
    pub posts: Vec<ScopedPost>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The categories reported.
    pub categories: Vec<Category>,
}

/// Reads the filters for `who`, among their posts; `today` ends the default period. Bad
/// values are reported beside their fields.
pub fn filter_for(
    conn: &mut DbConn,
    who: &Principal,
    query: &HeadcountQuery,
    today: NaiveDate,
) -> AppResult<Result<HeadcountFilter, FieldErrors>> {
    let rule = PeriodRule {
        default_from: &|to| to - TimeDelta::days(DEFAULT_DAYS - 1),
        too_long: &|from, to| {
            ((to - from).num_days() >= MAX_DAYS).then(|| {
                FieldError::new("from", "period-too-long", "At most 366 days at a time.")
                    .with_arg("count", MAX_DAYS.to_string())
            })
        },
    };
    filter_within(conn, who, query, today, &rule, FieldErrors::new())
}

/// A report's own period: where it starts when no first day is given, and when it is too long
/// (the headcount report's days and the roll-up's weeks and months differ only in this).
pub struct PeriodRule<'a> {
    /// The first day when none is typed, from the last.
    pub default_from: &'a dyn Fn(NaiveDate) -> NaiveDate,
    /// The error beside a field when `from..=to` is longer than the report allows.
    pub too_long: &'a dyn Fn(NaiveDate, NaiveDate) -> Option<FieldError>,
}

/// [`filter_for`] with a report's own period `rule`; `errors` are those already found in the
/// report's other fields, reported together with these.
pub fn filter_within(
    conn: &mut DbConn,
    who: &Principal,
    query: &HeadcountQuery,
    today: NaiveDate,
    rule: &PeriodRule<'_>,
    mut errors: FieldErrors,
) -> AppResult<Result<HeadcountFilter, FieldErrors>> {
    let in_scope = ScopedPost::all(conn, who)?;
    let posts = match query.post.trim() {
        "" => in_scope,
        raw => {
            let code = PostCode::parse(raw)
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default();
            let chosen: Vec<ScopedPost> = in_scope.into_iter().filter(|p| p.code == code).collect();
            if chosen.is_empty() {
                // A post outside the person's scope answers like one that does not exist: the
                // page is not found (README, "Access"), not a form to correct.
                return Err(crate::error::AppError::NotFound);
            }
            chosen
        }
    };
    let date =
        |raw: &str, field: &'static str, errors: &mut FieldErrors| match crate::domain::parse_date(
            raw, field,
        ) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
    let to = date(&query.to, "to", &mut errors).unwrap_or(today);
    let from = date(&query.from, "from", &mut errors).unwrap_or_else(|| (rule.default_from)(to));
    if from > to {
        errors.push(FieldError::new(
            "from",
            "period-reversed",
            "The first day must come before the last.",
        ));
    } else if let Some(error) = (rule.too_long)(from, to) {
        errors.push(error);
    }
    let categories = match query.category.trim() {
        "" => Category::ALL.to_vec(),
        raw => match Category::parse(raw) {
            Ok(c) => vec![c],
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        },
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(HeadcountFilter {
        posts,
        from,
        to,
        categories,
    }))
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    /// Post code.
    pub post: String,
    /// The category.
    pub category: Category,
    /// The day's figures (`day`, every non-void entry, and what pending ones add).
    pub figures: ChartDay,
    /// Whether a supervisor has closed the day.
    pub closed: bool,
}

/// Calls `each` with every line: by post code, then day, then category. Stops when `each`
/// answers `false`.
pub fn for_each_line(
    conn: &mut DbConn,
    filter: &HeadcountFilter,
    mut each: impl FnMut(&ReportLine) -> bool,
) -> AppResult<()> {
    for post in &filter.posts {
        let mut series = Vec::new();
        for category in &filter.categories {
            series.push((
                *category,
                self::series(conn, post, *category, filter.from, filter.to)?,
            ));
        }
        let closed: std::collections::HashSet<NaiveDate> =
            ledger::closures_between(conn, post, filter.from, filter.to)?
                .into_iter()
                .map(|c| c.day)
                .collect();
        let days = series.first().map_or(0, |(_, s)| s.len());
        for i in 0..days {
            for (category, s) in &series {
                let line = ReportLine {
                    post: post.code.clone(),
                    category: *category,
                    figures: s[i],
                    closed: closed.contains(&s[i].day),
                };
                if !each(&line) {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}
