//! Periods for roll-ups: ISO weeks (Monday to Sunday) and calendar months, and a range of days
//! cut into them. The first and last periods are clipped to the range, so a period's figures
//! always cover exactly the days it names.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

use super::FieldError;

/// How a roll-up groups days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grain {
    /// ISO weeks, Monday to Sunday.
    #[default]
    Week,
    /// Calendar months.
    Month,
}

/// The longest weekly roll-up, in days (as the headcount report's).
pub const MAX_WEEKLY_DAYS: i64 = 366;
/// The longest monthly roll-up, in years.
pub const MAX_MONTHLY_YEARS: u32 = 5;
/// Periods shown when no first day is chosen, the current one included.
const DEFAULT_WEEKS: i64 = 13;
const DEFAULT_MONTHS: u32 = 12;

impl Grain {
    /// Every grain, in the order a form offers them.
    pub const ALL: [Grain; 2] = [Grain::Week, Grain::Month];

    /// The stored and typed code: `week`, `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Week => "week",
            Grain::Month => "month",
        }
    }

    /// Reads `by`: `week`, `month`, or empty for weeks.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "" | "week" => Ok(Grain::Week),
            "month" => Ok(Grain::Month),
            _ => Err(FieldError::new("by", "by-unknown", "Choose week or month.")),
        }
    }

    /// The first day of the period holding `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Grain::Week => day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday())),
            Grain::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The last day of the period starting on `start` (`None` past chrono's last date).
    fn end_of(self, start: NaiveDate) -> Option<NaiveDate> {
        let next = match self {
            Grain::Week => start.checked_add_signed(TimeDelta::days(7)),
            Grain::Month => start.checked_add_months(Months::new(1)),
        };
        next.and_then(|n| n.pred_opt())
    }

    /// The first day of a roll-up ending on `to` when none is chosen: 13 whole weeks or 12
    /// whole months, the last one running up to `to`, so only the last is clipped.
    pub fn default_from(self, to: NaiveDate) -> NaiveDate {
        let start = self.start_of(to);
        match self {
            Grain::Week => start
                .checked_sub_signed(TimeDelta::weeks(DEFAULT_WEEKS - 1))
                .unwrap_or(start),
            Grain::Month => start
                .checked_sub_months(Months::new(DEFAULT_MONTHS - 1))
                .unwrap_or(start),
        }
    }

    /// The error beside `from` when `from..=to` is longer than one roll-up may be: 366 days
    /// weekly (a year of weeks, as the headcount report), five years monthly.
    pub fn too_long(self, from: NaiveDate, to: NaiveDate) -> Option<FieldError> {
        match self {
            Grain::Week if (to - from).num_days() >= MAX_WEEKLY_DAYS => Some(
                FieldError::new("from", "period-too-long", "At most 366 days at a time.")
                    .with_arg("count", MAX_WEEKLY_DAYS.to_string()),
            ),
            Grain::Month
                if from
                    .checked_add_months(Months::new(12 * MAX_MONTHLY_YEARS))
                    .is_some_and(|limit| limit <= to) =>
            {
                Some(
                    FieldError::new(
                        "from",
                        "period-too-long-years",
                        "At most 5 years at a time.",
                    )
                    .with_arg("count", MAX_MONTHLY_YEARS.to_string()),
                )
            }
            _ => None,
        }
    }
}

/// One period of a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The period's own first day (a Monday, or the 1st): its label.
    pub start: NaiveDate,
    /// The first day counted (later than `start` when clipped to the range).
    pub from: NaiveDate,
    /// The last day counted (earlier than the period's end when clipped).
    pub to: NaiveDate,
    /// Whether the range cut off some of the period's days.
    pub clipped: bool,
}

/// `from..=to` cut into periods of `grain`, in order; empty when `from` is after `to`.
pub fn periods(grain: Grain, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = grain.start_of(from);
    while start <= to {
        let end = grain.end_of(start);
        let last = end.map_or(to, |e| e.min(to));
        out.push(Period {
            start,
            from: start.max(from),
            to: last,
            clipped: start < from || end.is_none_or(|e| e > to),
        });
        match end.and_then(|e| e.succ_opt()) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_the_ends_are_clipped() {
        // 4 Dec 2024 is a Wednesday; 29 Dec a Sunday.
        let weeks = periods(Grain::Week, d(2024, 11, 27), d(2024, 12, 11));
        let spans: Vec<_> = weeks
            .iter()
            .map(|p| (p.start, p.from, p.to, p.clipped))
            .collect();
        assert_eq!(
            spans,
            vec![
                (d(2024, 11, 25), d(2024, 11, 27), d(2024, 12, 1), true),
                (d(2024, 12, 2), d(2024, 12, 2), d(2024, 12, 8), false),
                (d(2024, 12, 9), d(2024, 12, 9), d(2024, 12, 11), true),
            ]
        );
    }

    #[test]
    fn months_are_calendar_months() {
        let months = periods(Grain::Month, d(2024, 1, 15), d(2024, 3, 31));
        let spans: Vec<_> = months
            .iter()
            .map(|p| (p.start, p.from, p.to, p.clipped))
            .collect();
        assert_eq!(
            spans,
            vec![
                (d(2024, 1, 1), d(2024, 1, 15), d(2024, 1, 31), true),
                (d(2024, 2, 1), d(2024, 2, 1), d(2024, 2, 29), false),
                (d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 31), false),
            ]
        );
        assert!(periods(Grain::Month, d(2024, 2, 1), d(2024, 1, 1)).is_empty());
    }

    #[test]
    fn the_default_range_is_13_weeks_or_12_months_ending_today() {
        let today = d(2024, 12, 18); // a Wednesday
        let from = Grain::Week.default_from(today);
        assert_eq!(from, d(2024, 9, 23));
        assert_eq!(periods(Grain::Week, from, today).len(), 13);
        let from = Grain::Month.default_from(today);
        assert_eq!(from, d(2024, 1, 1));
        assert_eq!(periods(Grain::Month, from, today).len(), 12);
    }

    #[test]
    fn a_roll_up_is_at_most_366_days_weekly_or_5_years_monthly() {
        assert!(
            Grain::Week
                .too_long(d(2024, 1, 1), d(2024, 12, 31))
                .is_none()
        );
        assert!(Grain::Week.too_long(d(2024, 1, 1), d(2025, 1, 1)).is_some());
        assert!(
            Grain::Month
                .too_long(d(2020, 1, 1), d(2024, 12, 31))
                .is_none()
        );
        let error = Grain::Month.too_long(d(2020, 1, 1), d(2025, 1, 1));
        assert_eq!(error.map(|e| e.key), Some("period-too-long-years"));
    }

    #[test]
    fn by_is_week_month_or_empty() {
        assert_eq!(Grain::parse(""), Ok(Grain::Week));
        assert_eq!(Grain::parse("month"), Ok(Grain::Month));
        assert_eq!(Grain::parse("year").map_err(|e| e.field), Err("by"));
    }
}
