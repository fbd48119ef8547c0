//! Failed sign-in counters (policy in `auth::throttle`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::login_throttle;

/// One counter.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = login_throttle, treat_none_as_null = true)]
pub struct Counter {
    /// `user:NAME` or `ip:ADDRESS`.
    pub throttle_key: String,
    /// Failures counted.
    pub failures: i32,
    /// When the counting window began.
    pub window_start: NaiveDateTime,
    /// No attempt is checked before this.
    pub locked_until: Option<NaiveDateTime>,
}

/// The counter for `key`, if any.
pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<Counter>> {
    login_throttle::table
        .find(key)
        .select(Counter::as_select())
        .first(conn)
        .optional()
}

/// Stores `counter`, creating or replacing it. Callers run inside a write transaction (an
/// upsert would be shorter, but `ON CONFLICT` does not compile on diesel's multi-connection).
pub fn put(conn: &mut DbConn, counter: &Counter) -> QueryResult<()> {
    let updated = diesel::update(login_throttle::table.find(&counter.throttle_key))
        .set(counter)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_throttle::table)
            .values(counter)
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets `key` (a successful sign-in clears its user counter).
pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}
