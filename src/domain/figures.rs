//! Figures as people are shown them: everything recorded (what the ledger and the balance rule
//! count, pending entries included), and what of it still awaits verification, so that "1,000
//! verified, 1,200 including 200 pending" can be read at a glance and a figure that includes
//! pending entries is never shown without saying so.

use chrono::NaiveDate;

/// A headcount: all non-void entries, and the part pending entries add to it (negative when
/// pending departures take people away).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figure {
    /// Every non-void entry counted.
    pub all: i64,
    /// What pending entries add to `all` (signed).
    pub pending: i64,
}

impl Figure {
    /// A figure of `all`, `pending` of which awaits verification.
    pub fn new(all: i64, pending: i64) -> Self {
        Self { all, pending }
    }

    /// The figure from verified entries only.
    pub fn verified(self) -> i64 {
        self.all - self.pending
    }

    /// Whether pending entries change it.
    pub fn has_pending(self) -> bool {
        self.pending != 0
    }
}

impl std::ops::Add for Figure {
    type Output = Figure;

    fn add(self, other: Figure) -> Figure {
        Figure::new(self.all + other.all, self.pending + other.pending)
    }
}

/// The pending entries of one post, category and day: people in and out awaiting verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingDay {
    /// Post-local day.
    pub day: NaiveDate,
    /// Pending arrivals.
    pub inbound: i64,
    /// Pending departures.
    pub outbound: i64,
}

/// What pending entries add to the balance at the end of `day`: pending arrivals less pending
/// departures on every day up to it.
pub fn pending_balance_at(pending: &[PendingDay], day: NaiveDate) -> i64 {
    pending
        .iter()
        .filter(|p| p.day <= day)
        .map(|p| p.inbound - p.outbound)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 12, day).expect("date")
    }

    #[test]
    fn the_verified_figure_is_all_less_what_pending_entries_add() {
        let present = Figure::new(1_200, 200);
        assert_eq!(present.verified(), 1_000);
        assert!(present.has_pending());
        let after_a_pending_return = Figure::new(1_000, -100);
        assert_eq!(after_a_pending_return.verified(), 1_100);
        assert!(!Figure::new(5, 0).has_pending());
    }

    #[test]
    fn pending_entries_add_to_the_balance_from_their_day_on() {
        let pending = [
            PendingDay {
                day: d(7),
                inbound: 200,
                outbound: 0,
            },
            PendingDay {
                day: d(18),
                inbound: 0,
                outbound: 50,
            },
        ];
        assert_eq!(pending_balance_at(&pending, d(6)), 0);
        assert_eq!(pending_balance_at(&pending, d(7)), 200);
        assert_eq!(pending_balance_at(&pending, d(18)), 150);
    }
}
