//! Border posts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::border_posts;
use crate::audit::Writer;
use crate::domain::ids::PostId;
use crate::domain::policy::PostScope;
use crate::domain::post::{NewPost, PostFields};

/// A border post as stored.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = border_posts)]
pub struct Post {
    /// Key.
    #[diesel(deserialize_as = i64)]
    pub id: PostId,
    /// e.g. `QAIM`.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// Host country, ISO alpha-2.
    pub country: String,
    /// Country across the border.
    pub neighbour_country: String,
    /// Governorate.
    pub governorate: String,
    /// The post on the other side.
    pub counterpart_name: String,
    /// IANA zone.
    pub timezone: String,
    /// Takes new records.
    pub active: bool,
    /// UTC.
    pub created_at: NaiveDateTime,
    /// UTC.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter, from 1.
    pub version: i32,
}

/// Posts in `scope`, by code.
pub fn list(conn: &mut DbConn, scope: &PostScope) -> QueryResult<Vec<Post>> {
    let mut query = border_posts::table
        .select(Post::as_select())
        .order(border_posts::code)
        .into_boxed();
    if let Some(ids) = scope.posts() {
        query =
            query.filter(border_posts::id.eq_any(ids.iter().map(|id| id.0).collect::<Vec<_>>()));
    }
    query.load(conn)
}

/// Locks the post's row until the transaction ends, serializing writers of its events, ledger,
/// days and people (see [`super::row_lock`] for the lock's strength), and returns the post as it
/// stands under that lock, in one statement: writers need both, and on PostgreSQL each statement
/// is a round trip made while the post's other writers wait.
pub fn lock(w: &mut Writer<'_>, id: PostId) -> QueryResult<Option<Post>> {
    let row = border_posts::table.find(id.0);
    match w.conn() {
        // `BEGIN IMMEDIATE` already made this transaction the database's only writer.
        DbConn::Sqlite(conn) => row.select(Post::as_select()).first(conn).optional(),
        DbConn::Postgres(conn) => row
            .select(Post::as_select())
            .for_no_key_update()
            .first(conn)
            .optional(),
    }
}

/// The post with `id`, if any.
pub fn find(conn: &mut DbConn, id: PostId) -> QueryResult<Option<Post>> {
    border_posts::table
        .find(id.0)
        .select(Post::as_select())
        .first(conn)
        .optional()
}

/// The post with `code`, if any.
pub fn find_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Post>> {
    border_posts::table
        .filter(border_posts::code.eq(code))
        .select(Post::as_select())
        .first(conn)
        .optional()
}

/// The post a list's `post` filter names, among `scope`: `None` when the
/// filter is blank, and `PostId(-1)`, which matches nothing, when the code is malformed, unknown
/// or out of scope (so the list is empty, without telling anyone which other posts exist).
pub fn filter_by_code(
    conn: &mut DbConn,
    scope: &PostScope,
    raw: &str,
) -> QueryResult<Option<PostId>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let Ok(code) = crate::domain::post::PostCode::parse(raw) else {
        return Ok(Some(PostId(-1)));
    };
    let visible = |id: PostId| scope.admits(id);
    Ok(Some(
        find_by_code(conn, code.as_str())?
            .filter(|p| visible(p.id))
            .map_or(PostId(-1), |p| p.id),
    ))
}

/// The posts with these codes; unknown codes are simply absent.
pub fn find_by_codes(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<Post>> {
    border_posts::table
        .filter(border_posts::code.eq_any(codes))
        .select(Post::as_select())
        .order(border_posts::code)
        .load(conn)
}

/// Whether a post with `code` exists.
pub fn code_taken(conn: &mut DbConn, code: &str) -> QueryResult<bool> {
    Ok(find_by_code(conn, code)?.is_some())
}

/// Inserts a post (audited: only a [`Writer`] may write).
pub fn insert(w: &mut Writer<'_>, post: &NewPost) -> QueryResult<PostId> {
    let now = w.now();
    let f = &post.fields;
    diesel::insert_into(border_posts::table)
        .values((
            border_posts::code.eq(post.code.as_str()),
            border_posts::name_en.eq(&f.name_en),
            border_posts::name_ar.eq(&f.name_ar),
            border_posts::country.eq(f.country.as_str()),
            border_posts::neighbour_country.eq(f.neighbour_country.as_str()),
            border_posts::governorate.eq(&f.governorate),
            border_posts::counterpart_name.eq(&f.counterpart_name),
            border_posts::timezone.eq(f.timezone.as_str()),
            border_posts::active.eq(true),
            border_posts::created_at.eq(now),
            border_posts::updated_at.eq(now),
            border_posts::version.eq(1),
        ))
        .returning(border_posts::id)
        .get_result::<i64>(w.conn())
        .map(PostId)
}

/// Changes a post's editable fields (the code never changes: references are built from it) if
/// it is still at `version`, and bumps the version. Returns the rows changed: 0 when someone
/// changed the post since `version` was read.
pub fn update(
    w: &mut Writer<'_>,
    id: PostId,
    version: i32,
    f: &PostFields,
    active: bool,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(
        border_posts::table
            .find(id.0)
            .filter(border_posts::version.eq(version)),
    )
    .set((
        border_posts::name_en.eq(&f.name_en),
        border_posts::name_ar.eq(&f.name_ar),
        border_posts::country.eq(f.country.as_str()),
        border_posts::neighbour_country.eq(f.neighbour_country.as_str()),
        border_posts::governorate.eq(&f.governorate),
        border_posts::counterpart_name.eq(&f.counterpart_name),
        border_posts::timezone.eq(f.timezone.as_str()),
        border_posts::active.eq(active),
        border_posts::updated_at.eq(now),
        border_posts::version.eq(version + 1),
    ))
    .execute(w.conn())
}
