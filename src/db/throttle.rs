//! Failed sign-in counters (policy in `auth::throttle`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::DbConn;
use super::schema::login_throttle;

/// One counter.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = login_throttle, treat_none_as_null = true)]
pub struct Counter {
    /// `user:HASH` or `ip:ADDRESS`.
    pub throttle_key: String,
    /// Failures counted.
    pub failures: i32,
    /// When the counting window began.
    pub window_start: NaiveDateTime,
    /// No attempt is checked before this.
    pub locked_until: Option<NaiveDateTime>,
}

/// The counter for `key`, created if missing, with its row locked until the surrounding write
/// transaction ends, so concurrent sign-ins for one key are counted one after the other.
///
/// Portable on purpose: the insert runs in a savepoint and a unique violation (another request
/// created the row first) is ignored; the no-op UPDATE then takes PostgreSQL's row lock (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers). `ON CONFLICT` and `FOR UPDATE` do not compile
/// on diesel's multi-connection.
pub fn lock(conn: &mut DbConn, key: &str, now: NaiveDateTime) -> QueryResult<Counter> {
    let fresh = Counter {
        throttle_key: key.to_owned(),
        failures: 0,
        window_start: now,
        locked_until: None,
    };
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(login_throttle::table)
            .values(&fresh)
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(other) => return Err(other),
    }
    diesel::update(login_throttle::table.find(key))
        .set(login_throttle::throttle_key.eq(login_throttle::throttle_key))
        .execute(conn)?;
    login_throttle::table
        .find(key)
        .select(Counter::as_select())
        .first(conn)
}

/// Stores a counter read with [`lock`].
pub fn save(conn: &mut DbConn, counter: &Counter) -> QueryResult<usize> {
    diesel::update(login_throttle::table.find(&counter.throttle_key))
        .set(counter)
        .execute(conn)
}

/// The counter for `key`, if any (read only).
pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<Counter>> {
    login_throttle::table
        .find(key)
        .select(Counter::as_select())
        .first(conn)
        .optional()
}

/// Forgets `key` (a successful sign-in clears its user counter).
pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}
