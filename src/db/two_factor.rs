//! Second factors (`user_totp`), recovery codes (`user_recovery_codes`), and the two session
//! columns of the sign-in's second step.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{sessions, user_recovery_codes, user_totp};
use crate::audit::Writer;
use crate::domain::ids::{SessionId, UserId};

/// An account's confirmed second factor.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = user_totp)]
pub struct Totp {
    /// Whose.
    pub user_id: i64,
    /// The shared secret, base32.
    pub secret: String,
    /// UTC.
    pub enabled_at: NaiveDateTime,
    /// The last time step accepted.
    pub last_step: Option<i64>,
}

/// The second factor of `user`, if enrolled.
pub fn find(conn: &mut DbConn, user: UserId) -> QueryResult<Option<Totp>> {
    user_totp::table
        .find(user.0)
        .select(Totp::as_select())
        .first(conn)
        .optional()
}

/// Whether `user` has a second factor.
pub fn is_enabled(conn: &mut DbConn, user: UserId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(user_totp::table.find(user.0))).get_result(conn)
}

/// Stores a confirmed second factor, `step` being the time step of the code that confirmed it,
/// and the hashes of its recovery codes.
pub fn enable(
    w: &mut Writer<'_>,
    user: UserId,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
) -> QueryResult<()> {
    let now = w.now();
    let conn = w.conn();
    diesel::insert_into(user_totp::table)
        .values((
            user_totp::user_id.eq(user.0),
            user_totp::secret.eq(secret),
            user_totp::enabled_at.eq(now),
            user_totp::last_step.eq(Some(step)),
        ))
        .execute(conn)?;
    // One row at a time: a multi-row insert does not compile on the multi-backend connection
    // (SQLite's batch insert differs), and ten rows cost nothing.
    for hash in recovery_hashes {
        diesel::insert_into(user_recovery_codes::table)
            .values((
                user_recovery_codes::user_id.eq(user.0),
                user_recovery_codes::code_hash.eq(hash.as_str()),
                user_recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Takes time step `step` for `user` if it is later than the last one taken: 1 row, or 0 when
/// that step (or a later one) was taken already — by a parallel request too, since the check
/// and the write are one statement.
pub fn take_step(w: &mut Writer<'_>, user: UserId, step: i64) -> QueryResult<usize> {
    diesel::update(
        user_totp::table.find(user.0).filter(
            user_totp::last_step
                .is_null()
                .or(user_totp::last_step.lt(step)),
        ),
    )
    .set(user_totp::last_step.eq(Some(step)))
    .execute(w.conn())
}

/// Marks the unused recovery code of `user` with this hash used: 1 row, or 0 if there is none.
pub fn use_recovery_code(w: &mut Writer<'_>, user: UserId, hash: &str) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(
        user_recovery_codes::table
            .filter(user_recovery_codes::user_id.eq(user.0))
            .filter(user_recovery_codes::code_hash.eq(hash))
            .filter(user_recovery_codes::used_at.is_null()),
    )
    .set(user_recovery_codes::used_at.eq(Some(now)))
    .execute(w.conn())
}

/// How many unused recovery codes `user` has.
pub fn recovery_codes_left(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    user_recovery_codes::table
        .filter(user_recovery_codes::user_id.eq(user.0))
        .filter(user_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// Removes the second factor of `user` and all their recovery codes; returns whether there was
/// one.
pub fn remove(w: &mut Writer<'_>, user: UserId) -> QueryResult<bool> {
    let conn = w.conn();
    diesel::delete(user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(user.0)))
        .execute(conn)?;
    let removed = diesel::delete(user_totp::table.find(user.0)).execute(conn)?;
    Ok(removed == 1)
}

/// The secret shown for enrolment in this session, if any.
pub fn enrolling_secret(conn: &mut DbConn, session: SessionId) -> QueryResult<Option<String>> {
    sessions::table
        .find(session.0)
        .select(sessions::enrolling_secret)
        .first(conn)
}

/// Keeps (or forgets) the secret shown for enrolment in this session: session bookkeeping, not
/// audited — nothing is enabled until a first code confirms it, which is audited.
pub fn set_enrolling_secret(
    conn: &mut DbConn,
    session: SessionId,
    secret: Option<&str>,
) -> QueryResult<usize> {
    super::write_statement(conn, |c| {
        diesel::update(sessions::table.find(session.0))
            .set(sessions::enrolling_secret.eq(secret))
            .execute(c)
    })
}

/// The second step is passed: the session becomes a full one.
pub fn complete_session(w: &mut Writer<'_>, session: SessionId) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(session.0)
            .filter(sessions::ended_at.is_null())
            .filter(sessions::second_factor_pending.eq(true)),
    )
    .set(sessions::second_factor_pending.eq(false))
    .execute(w.conn())
}
