//! Accounts and their post scope.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{user_posts, users};
use crate::audit::Writer;
use crate::domain::ids::{PostId, UserId};

/// An account as stored. `Debug` leaves the password hash out.
#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = users)]
pub struct User {
    /// Key.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role code.
    pub role: String,
    /// Sees every post.
    pub all_posts: bool,
    /// May sign in.
    pub active: bool,
    /// Interface language code.
    pub language: String,
    /// Digit style code.
    pub digits: String,
    /// UTC.
    pub password_changed_at: NaiveDateTime,
    /// UTC.
    pub last_login_at: Option<NaiveDateTime>,
    /// UTC.
    pub created_at: NaiveDateTime,
    /// UTC.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter, from 1: bumped by an administrator's change or reset.
    pub version: i32,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A new account.
pub struct NewUser<'a> {
    /// Sign-in name (already normalised).
    pub username: &'a str,
    /// Shown name.
    pub display_name: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
    /// Role code.
    pub role: &'a str,
    /// Sees every post.
    pub all_posts: bool,
}

/// How many accounts exist.
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Every account, by user name.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .select(User::as_select())
        .order(users::username)
        .load(conn)
}

/// The account with this id.
pub fn find(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id.0)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The account with this (normalised) user name.
pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Inserts an account and its posts.
pub fn insert(w: &mut Writer<'_>, user: &NewUser<'_>, posts: &[PostId]) -> QueryResult<UserId> {
    let now = w.now();
    let id = diesel::insert_into(users::table)
        .values((
            users::username.eq(user.username),
            users::display_name.eq(user.display_name),
            users::password_hash.eq(user.password_hash),
            users::role.eq(user.role),
            users::all_posts.eq(user.all_posts),
            users::active.eq(true),
            users::password_changed_at.eq(now),
            users::created_at.eq(now),
            users::updated_at.eq(now),
            users::version.eq(1),
        ))
        .returning(users::id)
        .get_result::<i64>(w.conn())
        .map(UserId)?;
    set_posts(w, id, posts)?;
    Ok(id)
}

/// The posts assigned to a user, in id order.
pub fn post_ids(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<PostId>> {
    Ok(user_posts::table
        .filter(user_posts::user_id.eq(user.0))
        .select(user_posts::post_id)
        .order(user_posts::post_id)
        .load::<i64>(conn)?
        .into_iter()
        .map(PostId)
        .collect())
}

/// The posts assigned to a user with their codes, by code.
pub fn post_scope(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<(PostId, String)>> {
    use super::schema::border_posts;
    Ok(user_posts::table
        .inner_join(border_posts::table)
        .filter(user_posts::user_id.eq(user.0))
        .select((border_posts::id, border_posts::code))
        .order(border_posts::code)
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, code)| (PostId(id), code))
        .collect())
}

/// Replaces a user's assigned posts.
pub fn set_posts(w: &mut Writer<'_>, user: UserId, posts: &[PostId]) -> QueryResult<()> {
    let conn = w.conn();
    diesel::delete(user_posts::table.filter(user_posts::user_id.eq(user.0))).execute(conn)?;
    // One row at a time: batch inserts do not compile on diesel's multi-connection, and a
    // user has a handful of posts.
    for post in posts {
        diesel::insert_into(user_posts::table)
            .values((
                user_posts::user_id.eq(user.0),
                user_posts::post_id.eq(post.0),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What an administrator may change about an account.
pub struct UserChange<'a> {
    /// Shown name.
    pub display_name: &'a str,
    /// Role code.
    pub role: &'a str,
    /// Sees every post.
    pub all_posts: bool,
    /// May sign in.
    pub active: bool,
}

/// Serializes administrators' changes to one account until the transaction ends (see
/// [`super::row_lock`]).
pub fn lock(w: &mut Writer<'_>, id: UserId) -> QueryResult<usize> {
    super::row_lock::lock(w, super::row_lock::Locked::User, id.0)
}

/// Applies an administrator's change if the account is still at `version`, and bumps the
/// version. Returns the rows changed: 0 when someone changed the account since.
pub fn update(
    w: &mut Writer<'_>,
    id: UserId,
    version: i32,
    change: &UserChange<'_>,
) -> QueryResult<usize> {
    let now = w.now();
    let conn = w.conn();
    diesel::update(users::table.find(id.0).filter(users::version.eq(version)))
        .set((
            users::display_name.eq(change.display_name),
            users::role.eq(change.role),
            users::all_posts.eq(change.all_posts),
            users::active.eq(change.active),
            users::updated_at.eq(now),
            users::version.eq(version + 1),
        ))
        .execute(conn)
}

/// Bumps an account's version (a password reset: forms based on the account before it are
/// stale).
pub fn bump_version(w: &mut Writer<'_>, id: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(id.0))
        .set(users::version.eq(users::version + 1))
        .execute(w.conn())
}

/// Stores a new password hash.
pub fn set_password(w: &mut Writer<'_>, id: UserId, hash: &str) -> QueryResult<usize> {
    let now = w.now();
    let conn = w.conn();
    diesel::update(users::table.find(id.0))
        .set((
            users::password_hash.eq(hash),
            users::password_changed_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Notes a successful sign-in.
pub fn record_login(w: &mut Writer<'_>, id: UserId) -> QueryResult<usize> {
    let now = w.now();
    let conn = w.conn();
    diesel::update(users::table.find(id.0))
        .set(users::last_login_at.eq(now))
        .execute(conn)
}

/// Stores a user's language and digit preferences.
pub fn set_preferences(
    w: &mut Writer<'_>,
    id: UserId,
    language: &str,
    digits: &str,
) -> QueryResult<usize> {
    let now = w.now();
    let conn = w.conn();
    diesel::update(users::table.find(id.0))
        .set((
            users::language.eq(language),
            users::digits.eq(digits),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// User names of `ids`, for pages that show who did what.
pub fn names(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}
