//! Server-side sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{sessions, users};
use super::users::User;
use crate::audit::Writer;
use crate::domain::ids::{SessionId, UserId};

/// A session as stored.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sessions)]
pub struct Session {
    /// Key.
    pub id: i64,
    /// SHA-256 of the cookie token.
    pub token_hash: String,
    /// Whose.
    pub user_id: i64,
    /// The CSRF token of its forms.
    pub csrf_token: String,
    /// UTC.
    pub created_at: NaiveDateTime,
    /// UTC.
    pub last_seen_at: NaiveDateTime,
    /// Address at sign-in.
    pub ip: String,
    /// Browser at sign-in.
    pub user_agent: String,
    /// UTC.
    pub ended_at: Option<NaiveDateTime>,
    /// Why it ended.
    pub ended_reason: Option<String>,
    /// The message the next page shows once (JSON of `auth::notice::Notice`).
    pub notice: Option<String>,
    /// The password was right; the second factor is still asked for.
    pub second_factor_pending: bool,
    /// A TOTP secret shown for enrolment, waiting for its first code.
    pub enrolling_secret: Option<String>,
}

/// A new session.
pub struct NewSession<'a> {
    /// SHA-256 of the cookie token.
    pub token_hash: &'a str,
    /// Whose.
    pub user: UserId,
    /// The CSRF token of its forms.
    pub csrf_token: &'a str,
    /// Address at sign-in.
    pub ip: &'a str,
    /// Browser at sign-in.
    pub user_agent: &'a str,
    /// The second factor is still to be given: the session reaches only the code step.
    pub second_factor_pending: bool,
}

/// Starts a session.
pub fn insert(w: &mut Writer<'_>, new: &NewSession<'_>) -> QueryResult<SessionId> {
    let now = w.now();
    let conn = w.conn();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(new.token_hash),
            sessions::user_id.eq(new.user.0),
            sessions::csrf_token.eq(new.csrf_token),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::ip.eq(new.ip),
            sessions::user_agent.eq(new.user_agent),
            sessions::second_factor_pending.eq(new.second_factor_pending),
        ))
        .returning(sessions::id)
        .get_result::<i64>(conn)
        .map(SessionId)
}

/// The open (not ended) session with this token hash, with its user.
pub fn find_open(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<(Session, User)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::ended_at.is_null())
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

/// Leaves `notice` (or nothing) for the next page of this session.
pub fn set_notice(conn: &mut DbConn, id: SessionId, notice: Option<&str>) -> QueryResult<usize> {
    super::write_statement(conn, |c| {
        diesel::update(sessions::table.find(id.0))
            .set(sessions::notice.eq(notice))
            .execute(c)
    })
}

/// Refreshes the idle timer.
pub fn touch(conn: &mut DbConn, id: SessionId, now: NaiveDateTime) -> QueryResult<usize> {
    super::write_statement(conn, |c| {
        diesel::update(sessions::table.find(id.0))
            .set(sessions::last_seen_at.eq(now))
            .execute(c)
    })
}

/// Ends one session.
pub fn end(
    conn: &mut DbConn,
    id: SessionId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    super::write_statement(conn, |c| {
        diesel::update(
            sessions::table
                .find(id.0)
                .filter(sessions::ended_at.is_null()),
        )
        .set((
            sessions::ended_at.eq(now),
            sessions::ended_reason.eq(reason),
        ))
        .execute(c)
    })
}

/// Ends every open session of a user, except `keep`; returns how many ended.
pub fn end_all_for_user(
    w: &mut Writer<'_>,
    user: UserId,
    keep: Option<SessionId>,
    reason: &str,
) -> QueryResult<usize> {
    let now = w.now();
    let conn = w.conn();
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user.0))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id.ne(keep.map_or(-1, |k| k.0))),
    )
    .set((
        sessions::ended_at.eq(now),
        sessions::ended_reason.eq(reason),
    ))
    .execute(conn)
}

/// A user's open sessions, newest first.
pub fn list_open_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::user_id.eq(user.0))
        .filter(sessions::ended_at.is_null())
        .select(Session::as_select())
        .order(sessions::created_at.desc())
        .load(conn)
}
