//! The only place that reads the current time.
//!
//! Everything else takes a [`Clock`] (or a `now` value), so tests can hold time still or move it
//! forward, e.g. to expire a session without sleeping.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, DurationRound, TimeDelta, Utc};

/// A source of "now", shared by every worker of one application.
#[derive(Clone, Debug)]
pub struct Clock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Self { manual: None }
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(truncate_to_micros(start)))),
        }
    }

    /// The current instant, truncated to whole microseconds: PostgreSQL keeps microseconds and
    /// SQLite would keep nanoseconds, so truncating here makes both backends store the same value.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(cell) => *cell.lock().unwrap_or_else(PoisonError::into_inner),
            #[allow(clippy::disallowed_methods)] // this is the one place allowed to read the clock
            None => truncate_to_micros(Utc::now()),
        }
    }

    /// Moves a manual clock forward; a system clock ignores it.
    pub fn advance(&self, by: Duration) {
        if let Some(cell) = &self.manual {
            let mut now = cell.lock().unwrap_or_else(PoisonError::into_inner);
            *now = truncate_to_micros(*now + by);
        }
    }
}

/// Drops sub-microsecond precision (see [`Clock::now`]).
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let start = Utc.with_ymd_and_hms(2024, 12, 18, 9, 0, 0).unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(31));
        assert_eq!(
            clock.now(),
            Utc.with_ymd_and_hms(2024, 12, 18, 9, 31, 0).unwrap()
        );
    }

    #[test]
    fn now_has_no_sub_microsecond_digits() {
        let at = Utc.timestamp_opt(1_734_512_400, 123_456_789).unwrap();
        assert_eq!(truncate_to_micros(at).timestamp_subsec_nanos(), 123_456_000);
    }
}
