//! Roll-ups (`/reports/totals`): the headcount report's days summed per week or month and
//! across posts. Built from [`super::series`] alone, so a period's in and out are the sum of the
//! report's days and its present at the end is the report's present on the period's last day
//! summed over the posts, by construction: there is no second reading of the ledger to drift.

use chrono::NaiveDate;

use super::{HeadcountFilter, HeadcountQuery, PeriodRule, filter_within, series};
use crate::db::DbConn;
use crate::domain::FieldErrors;
use crate::domain::period::{Grain, Period, periods};
use crate::domain::policy::Principal;
use crate::error::AppResult;
use crate::views::chart::ChartDay;

/// The roll-up's filters as typed (`/reports/totals?from=&to=&by=&post=&category=`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TotalsQuery {
    /// A post code, or empty for every post in scope.
    pub post: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day.
    pub to: String,
    /// `week` (the default) or `month`.
    pub by: String,
    /// `military`, `civilian`, or empty for both.
    pub category: String,
    /// `1` for a BOM (CSV only).
    pub bom: Option<String>,
}

impl TotalsQuery {
    /// The filters the roll-up shares with the headcount report.
    pub fn headcount(&self) -> HeadcountQuery {
        HeadcountQuery {
            post: self.post.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            category: self.category.clone(),
            bom: None,
        }
    }

    /// The filters as a query string (no BOM).
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("by", &self.by),
            ("post", &self.post),
            ("category", &self.category),
        ] {
            if !v.trim().is_empty() {
                out.append_pair(k, v.trim());
            }
        }
        out.finish()
    }
}

/// The roll-up's filters, checked.
#[derive(Debug, Clone)]
pub struct TotalsFilter {
    /// Posts, period and categories, read as the headcount report reads them.
    pub report: HeadcountFilter,
    /// Weeks or months.
    pub grain: Grain,
}

/// Reads the filters for `who` as the headcount report does (a post out of scope is not
/// found), with the roll-up's own default period and limit; bad values beside their fields.
pub fn filter_for(
    conn: &mut DbConn,
    who: &Principal,
    query: &TotalsQuery,
    today: NaiveDate,
) -> AppResult<Result<TotalsFilter, FieldErrors>> {
    let mut errors = FieldErrors::new();
    // A bad `by` is reported, and the other fields are still checked (against weeks' limit),
    // so every problem reaches the person at once.
    let grain = crate::domain::collect(&mut errors, Grain::parse(&query.by)).unwrap_or_default();
    let rule = PeriodRule {
        default_from: &|to| grain.default_from(to),
        too_long: &|from, to| grain.too_long(from, to),
    };
    let checked = filter_within(conn, who, &query.headcount(), today, &rule, errors)?;
    Ok(checked.map(|report| TotalsFilter { report, grain }))
}

/// One period of the roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodLine {
    /// Its days.
    pub period: Period,
    /// Per category, in the filter's order, summed over the posts: `day` is the period's first
    /// day, in and out (and their pending parts) are summed over the days counted, present (and
    /// what pending entries add to it) is as at the last day counted.
    pub figures: Vec<ChartDay>,
}

/// The roll-up: one line per period, in order.
pub fn roll_up(conn: &mut DbConn, filter: &TotalsFilter) -> AppResult<Vec<PeriodLine>> {
    let (from, to) = (filter.report.from, filter.report.to);
    let categories = &filter.report.categories;
    let mut lines: Vec<PeriodLine> = periods(filter.grain, from, to)
        .into_iter()
        .map(|period| PeriodLine {
            period,
            figures: vec![
                ChartDay {
                    day: period.start,
                    ..ChartDay::default()
                };
                categories.len()
            ],
        })
        .collect();
    for post in &filter.report.posts {
        for (c, category) in categories.iter().enumerate() {
            let days = series(conn, post, *category, from, to)?;
            for line in &mut lines {
                let first = usize::try_from((line.period.from - from).num_days()).unwrap_or(0);
                let last = usize::try_from((line.period.to - from).num_days()).unwrap_or(0);
                if let Some(counted) = days.get(first..=last) {
                    line.figures[c] = line.figures[c].plus(&summed(counted));
                }
            }
        }
    }
    Ok(lines)
}

/// One post's consecutive days as one: in and out added up, present as at the last day.
fn summed(days: &[ChartDay]) -> ChartDay {
    let mut total = days.last().copied().unwrap_or_default();
    total.inbound = days.iter().map(|d| d.inbound).sum();
    total.outbound = days.iter().map(|d| d.outbound).sum();
    total.pending_in = days.iter().map(|d| d.pending_in).sum();
    total.pending_out = days.iter().map(|d| d.pending_out).sum();
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, inbound: i64, outbound: i64, present: i64, pending_in: i64) -> ChartDay {
        ChartDay {
            day: NaiveDate::from_ymd_opt(2024, 12, d).expect("date"),
            inbound,
            outbound,
            present,
            pending_in,
            pending_out: 0,
            pending_present: pending_in,
        }
    }

    #[test]
    fn days_add_up_and_the_present_is_the_last_days() {
        let week = [
            day(2, 100, 0, 100, 0),
            day(3, 20, 50, 70, 20),
            day(4, 0, 0, 70, 0),
        ];
        let total = summed(&week);
        assert_eq!(
            (total.inbound, total.outbound, total.present),
            (120, 50, 70)
        );
        assert_eq!((total.pending_in, total.pending_present), (20, 0));
        assert_eq!(total.day, week[2].day);
    }
}
