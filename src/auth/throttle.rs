//! Sign-in throttling policy, as pure functions of the failure count and `now`.
//!
//! Two counters: one per user name (kept for names that do not exist too, so that a lock reveals
//! nothing about which accounts exist) and one per client address.

use chrono::{DateTime, Duration, Utc};

/// Consecutive failures allowed for a user name before it must wait.
pub const USER_FREE_FAILURES: i32 = 5;
/// The longest wait a user name is given.
pub const USER_MAX_LOCK: Duration = Duration::minutes(15);
/// Failed sign-ins allowed from one address per window.
pub const ADDRESS_LIMIT: i32 = 30;
/// The address window.
pub const ADDRESS_WINDOW: Duration = Duration::minutes(10);

/// How long a user name must wait after its `failures`-th consecutive failure: nothing for the
/// first four, then 1 minute, doubling with each further failure, capped at 15 minutes.
pub fn user_lock(failures: i32) -> Option<Duration> {
    if failures < USER_FREE_FAILURES {
        return None;
    }
    let doublings = u32::try_from(failures - USER_FREE_FAILURES)
        .unwrap_or(0)
        .min(4);
    Some((Duration::minutes(1) * 2_i32.pow(doublings)).min(USER_MAX_LOCK))
}

/// Whole minutes left until `until`, at least 1, for messages ("wait 3 minutes").
pub fn minutes_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let seconds = (until - now).num_seconds().max(1);
    (seconds + 59) / 60
}

/// The key of a user name's counter.
pub fn user_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

/// The key of an address's counter.
pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_at_the_fifth_failure_and_doubles_to_fifteen_minutes() {
        let waits: Vec<Option<i64>> = (1..=10)
            .map(|n| user_lock(n).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(
            waits,
            [
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(15),
                Some(15)
            ]
        );
    }

    #[test]
    fn minutes_left_rounds_up() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(minutes_left(now + Duration::seconds(61), now), 2);
        assert_eq!(minutes_left(now + Duration::seconds(60), now), 1);
        assert_eq!(minutes_left(now, now), 1);
    }
}
