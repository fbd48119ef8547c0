//! Sign-in throttling.
//!
//! Two counters: one per user name (kept for names that do not exist too, so that a lock reveals
//! nothing about which accounts exist; keyed by a hash, so mistyped passwords entered in the
//! name field are not stored) and one per client address.
//!
//! An attempt is *reserved* — counted as a failure — before its password is checked, in one
//! transaction with the lock check. Requests racing in parallel therefore cannot all slip past
//! a lock that only the first of them would have set; a success gives its reservation back.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{self, DbConn, write_tx};
use crate::error::AppResult;

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
    let normalised = username.trim().to_lowercase();
    format!(
        "user:{}",
        hex::encode(&Sha256::digest(normalised.as_bytes())[..16])
    )
}

/// The key of an address's counter. IPv6 clients usually hold a whole /64, so they are
/// counted by that prefix.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => format!("ip:{ip}"),
    }
}

/// What the counters say about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go on and check the password (the attempt is counted already, as these failures).
    Check {
        /// Consecutive failures of the user name, this attempt included.
        user_failures: i32,
        /// Failures from the address in its window, this attempt included.
        address_failures: i32,
    },
    /// The address is locked for this many more minutes.
    AddressLocked(i64),
    /// The user name is locked for this many more minutes.
    UserLocked(i64),
}

fn locked_for(until: Option<NaiveDateTime>, now: DateTime<Utc>) -> Option<i64> {
    until
        .filter(|u| *u > now.naive_utc())
        .map(|u| minutes_left(u.and_utc(), now))
}

/// Checks both counters and, unless one is locked, counts this attempt as a failure.
pub fn reserve(
    conn: &mut DbConn,
    user_key: &str,
    address_key: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Verdict> {
    let at = now.naive_utc();
    write_tx(conn, |conn| {
        let address = match address_key {
            Some(key) => Some(db::throttle::lock(conn, key, at)?),
            None => None,
        };
        let mut user = db::throttle::lock(conn, user_key, at)?;
        if let Some(minutes) = address
            .as_ref()
            .and_then(|a| locked_for(a.locked_until, now))
        {
            return Ok(Verdict::AddressLocked(minutes));
        }
        if let Some(minutes) = locked_for(user.locked_until, now) {
            return Ok(Verdict::UserLocked(minutes));
        }
        user.failures += 1;
        user.window_start = at;
        user.locked_until = user_lock(user.failures).map(|wait| at + wait);
        db::throttle::save(conn, &user)?;
        let mut address_failures = 0;
        if let Some(mut address) = address {
            if at - address.window_start >= ADDRESS_WINDOW {
                address.failures = 0;
                address.window_start = at;
                address.locked_until = None;
            }
            address.failures += 1;
            if address.failures >= ADDRESS_LIMIT {
                address.locked_until = Some(address.window_start + ADDRESS_WINDOW);
            }
            db::throttle::save(conn, &address)?;
            address_failures = address.failures;
        }
        Ok(Verdict::Check {
            user_failures: user.failures,
            address_failures,
        })
    })
}

/// After a successful check: the user name starts afresh, and the address gets its reserved
/// attempt back. Runs inside the caller's write transaction.
pub fn release(
    conn: &mut DbConn,
    user_key: &str,
    address_key: Option<&str>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    db::throttle::clear(conn, user_key)?;
    if let Some(key) = address_key {
        release_address(conn, key, now)?;
    }
    Ok(())
}

/// Gives the address its reserved attempt back, leaving the user name's count as it is: a right
/// password whose second factor is still to come. The name's failures go on counting through the
/// code step (a code is checked under the same lock as a password), so knowing the password
/// buys no fresh tries at the code; only a full sign-in clears them.
pub fn release_address(
    conn: &mut DbConn,
    key: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    let mut address = db::throttle::lock(conn, key, now.naive_utc())?;
    if address.failures > 0 {
        address.failures -= 1;
        if address.failures < ADDRESS_LIMIT {
            address.locked_until = None;
        }
        db::throttle::save(conn, &address)?;
    }
    Ok(())
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

    #[test]
    fn user_keys_are_hashed_and_case_blind_and_ipv6_counts_by_prefix() {
        assert_eq!(user_key(" Sara "), user_key("sara"));
        assert!(!user_key("sara").contains("sara"));
        assert_eq!(user_key("sara").len(), 5 + 32);
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "ip:2001:db8:1:2::/64");
        assert_eq!(
            address_key("2001:db8:1:2:bbbb::9"),
            address_key("2001:db8:1:2:aaaa::1")
        );
        assert_eq!(address_key("10.0.0.7"), "ip:10.0.0.7");
    }
}
