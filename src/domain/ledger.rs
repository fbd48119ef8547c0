//! The ledger's arithmetic (DESIGN.md §3, invariant 1): replaying one post and category's
//! movements in time order, and finding where more people would leave than are present. Pure;
//! `db::ledger` keeps the stored days in step with it.

use chrono::{DateTime, Utc};

use super::event::Direction;

/// One non-voided event of a single post and category, reduced to what the
/// balance needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Entering or leaving.
    pub direction: Direction,
    /// Number of people (positive).
    pub headcount: i32,
}

/// The first point where more people would leave than are present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    /// Instant of the overdrawing outbound movement.
    pub at: DateTime<Utc>,
    /// Headcount of that outbound movement.
    pub leaving: i64,
    /// Balance just before it.
    pub present: i64,
}

/// One day of one post and category, after replaying its movements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    /// People in.
    pub inbound: i64,
    /// People out.
    pub outbound: i64,
    /// Present at the end of the day.
    pub closing: i64,
    /// Lowest balance reached during the day, opening included.
    pub low: i64,
}

/// Replays one day's movements from the `opening` balance: the day's totals, or the first
/// moment more people would leave than are present.
pub fn replay_day(opening: i64, movements: &[Movement]) -> Result<DayTotals, Shortfall> {
    let mut totals = DayTotals {
        inbound: 0,
        outbound: 0,
        closing: opening,
        low: opening,
    };
    for m in replay_order(movements) {
        let next = totals.closing + delta(&m);
        if next < 0 {
            return Err(Shortfall {
                at: m.at,
                leaving: i64::from(m.headcount),
                present: totals.closing,
            });
        }
        match m.direction {
            Direction::Inbound => totals.inbound += i64::from(m.headcount),
            Direction::Outbound => totals.outbound += i64::from(m.headcount),
        }
        totals.closing = next;
        totals.low = totals.low.min(next);
    }
    Ok(totals)
}

/// The day's totals after one more arrival of `headcount`, without replaying it, when that is
/// certain: `day` is the day's stored totals before the arrival (`None`: no movement yet) and
/// `opening` its opening balance. An arrival raises every balance from its instant on and none
/// before, so no balance can go negative. When the day's lowest balance is its opening (no
/// departure ever took it lower, the usual day of arrivals), the lowest stays the opening,
/// wherever in the day the arrival falls. Otherwise it depends on where the arrival falls
/// against the departures, and `None` says the day must be replayed.
pub fn with_arrival(opening: i64, day: Option<DayTotals>, headcount: i64) -> Option<DayTotals> {
    let before = day.unwrap_or(DayTotals {
        inbound: 0,
        outbound: 0,
        closing: opening,
        low: opening,
    });
    (before.low == opening).then_some(DayTotals {
        inbound: before.inbound + headcount,
        closing: before.closing + headcount,
        ..before
    })
}

/// Order in which movements are replayed: by time, and at the same instant
/// arrivals first, so that a simultaneous in-and-out never fails spuriously.
fn replay_order(movements: &[Movement]) -> Vec<Movement> {
    let mut sorted = movements.to_vec();
    // Stable sort keeps the caller's order among otherwise equal movements.
    sorted.sort_by_key(|m| (m.at, m.direction == Direction::Outbound));
    sorted
}

/// Signed contribution of one movement to the balance.
fn delta(m: &Movement) -> i64 {
    match m.direction {
        Direction::Inbound => i64::from(m.headcount),
        Direction::Outbound => -i64::from(m.headcount),
    }
}

/// Checks a post+category's movements (any order; sorted here by `at`, inbound before outbound at the same instant) and returns the first moment the balance would go negative.
///
/// The balance starts at zero. Because later inbound movements cannot repair
/// an earlier deficit, a back-dated outbound is reported at its own instant.
pub fn first_shortfall(movements: &[Movement]) -> Option<Shortfall> {
    let mut balance: i64 = 0;
    for m in replay_order(movements) {
        let next = balance + delta(&m);
        if next < 0 {
            return Some(Shortfall {
                at: m.at,
                leaving: i64::from(m.headcount),
                present: balance,
            });
        }
        balance = next;
    }
    None
}

/// The balance including every movement at or before `at`, in any order.
pub fn balance_after(movements: &[Movement], at: DateTime<Utc>) -> i64 {
    movements.iter().filter(|m| m.at <= at).map(delta).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test timestamp")
            .with_timezone(&Utc)
    }

    fn mv(at: &str, direction: Direction, headcount: i32) -> Movement {
        Movement {
            at: utc(at),
            direction,
            headcount,
        }
    }

    #[test]
    fn a_day_replays_from_its_opening_balance() {
        let moves = [
            mv("2024-12-19T08:00:00Z", Direction::Outbound, 300),
            mv("2024-12-19T07:00:00Z", Direction::Inbound, 50),
            mv("2024-12-19T09:00:00Z", Direction::Inbound, 10),
        ];
        assert_eq!(
            replay_day(1000, &moves),
            Ok(DayTotals {
                inbound: 60,
                outbound: 300,
                closing: 760,
                low: 750,
            })
        );
        assert_eq!(
            replay_day(200, &moves),
            Err(Shortfall {
                at: utc("2024-12-19T08:00:00Z"),
                leaving: 300,
                present: 250,
            })
        );
        let empty = replay_day(7, &[]).expect("no movement");
        assert_eq!((empty.closing, empty.low, empty.inbound), (7, 7, 0));
    }

    /// `with_arrival` agrees with a replay wherever the arrival falls, and declines exactly
    /// when a departure took the day below its opening.
    #[test]
    fn an_arrival_is_added_without_a_replay_only_when_the_low_is_the_opening() {
        let arrival = |at: &str| mv(at, Direction::Inbound, 4);
        let arrivals_only = [
            mv("2024-12-08T06:00:00Z", Direction::Inbound, 3),
            mv("2024-12-08T12:00:00Z", Direction::Inbound, 2),
        ];
        // The day's low is its opening (10): any arrival adds 4 in and to the close.
        let before = replay_day(10, &arrivals_only).ok();
        for at in [
            "2024-12-08T01:00:00Z",
            "2024-12-08T09:00:00Z",
            "2024-12-08T23:00:00Z",
        ] {
            let mut all = arrivals_only.to_vec();
            all.push(arrival(at));
            assert_eq!(with_arrival(10, before, 4), replay_day(10, &all).ok());
        }
        assert_eq!(
            with_arrival(10, before, 4),
            Some(DayTotals {
                inbound: 9,
                outbound: 0,
                closing: 19,
                low: 10
            })
        );
        // A departure that stayed at or above the opening keeps the low at the opening.
        let above = [
            mv("2024-12-08T06:00:00Z", Direction::Inbound, 3),
            mv("2024-12-08T07:00:00Z", Direction::Outbound, 3),
        ];
        let mut all = above.to_vec();
        all.push(arrival("2024-12-08T06:30:00Z"));
        assert_eq!(
            with_arrival(10, replay_day(10, &above).ok(), 4),
            replay_day(10, &all).ok()
        );
        // A first movement of the day.
        assert_eq!(
            with_arrival(7, None, 4),
            Some(DayTotals {
                inbound: 4,
                outbound: 0,
                closing: 11,
                low: 7
            })
        );
        // A departure took the day to 5, below its opening: where the arrival falls decides
        // the new low (5 if after it, 9 if before), so the day must be replayed.
        let dipped = [mv("2024-12-08T08:00:00Z", Direction::Outbound, 5)];
        let before = replay_day(10, &dipped).ok();
        assert_eq!(before.map(|t| t.low), Some(5));
        assert_eq!(with_arrival(10, before, 4), None);
    }

    #[test]
    fn simple_overdraw() {
        let moves = [
            mv("2024-12-07T08:00:00Z", Direction::Inbound, 1100),
            mv("2024-12-19T08:00:00Z", Direction::Outbound, 1905),
        ];
        assert_eq!(
            first_shortfall(&moves),
            Some(Shortfall {
                at: utc("2024-12-19T08:00:00Z"),
                leaving: 1905,
                present: 1100,
            })
        );
    }

    #[test]
    fn back_dated_outbound_is_reported_at_its_own_instant() {
        // Given out of order; the later inbound cannot cover the earlier day.
        let moves = [
            mv("2024-12-20T08:00:00Z", Direction::Inbound, 5000),
            mv("2024-12-19T08:00:00Z", Direction::Outbound, 1905),
            mv("2024-12-07T08:00:00Z", Direction::Inbound, 1100),
        ];
        assert_eq!(
            first_shortfall(&moves),
            Some(Shortfall {
                at: utc("2024-12-19T08:00:00Z"),
                leaving: 1905,
                present: 1100,
            })
        );
        assert_eq!(balance_after(&moves, utc("2024-12-19T08:00:00Z")), -805);
        assert_eq!(balance_after(&moves, utc("2024-12-20T08:00:00Z")), 4195);
    }

    #[test]
    fn same_instant_inbound_counts_first() {
        let t = "2024-12-19T08:00:00Z";
        // Outbound listed first, but arrivals at the same instant replay first.
        let moves = [
            mv(t, Direction::Outbound, 50),
            mv(t, Direction::Inbound, 50),
        ];
        assert_eq!(first_shortfall(&moves), None);
        assert_eq!(balance_after(&moves, utc(t)), 0);

        let moves = [
            mv(t, Direction::Outbound, 51),
            mv(t, Direction::Inbound, 50),
        ];
        assert_eq!(
            first_shortfall(&moves),
            Some(Shortfall {
                at: utc(t),
                leaving: 51,
                present: 50,
            })
        );
    }

    #[test]
    fn balanced_history_and_reporting_only_the_first() {
        assert_eq!(first_shortfall(&[]), None);
        let moves = [
            mv("2024-12-01T00:00:00Z", Direction::Inbound, 10),
            mv("2024-12-02T00:00:00Z", Direction::Outbound, 10),
            mv("2024-12-03T00:00:00Z", Direction::Outbound, 1),
            mv("2024-12-04T00:00:00Z", Direction::Outbound, 7),
        ];
        assert_eq!(
            first_shortfall(&moves),
            Some(Shortfall {
                at: utc("2024-12-03T00:00:00Z"),
                leaving: 1,
                present: 0,
            })
        );
        assert_eq!(balance_after(&moves, utc("2024-11-30T00:00:00Z")), 0);
        assert_eq!(balance_after(&moves, utc("2024-12-01T00:00:00Z")), 10);
    }
}
