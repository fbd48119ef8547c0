//! A post's scope as a type: a [`ScopedPost`] can only be had by checking the person's posts, and
//! every service and query that reads or writes one post's data (its ledger, totals, pending
//! counts, latest events) takes one. Lists and exports across posts take the person's
//! [`PostScope`](crate::domain::policy::PostScope) (from their [`Principal`]), which filters the query itself.

use std::ops::Deref;

use super::posts::Post;
use super::{self as db, DbConn};
use crate::domain::ids::PostId;
use crate::domain::policy::Principal;
use crate::domain::post::PostCode;

/// A border post that the person asking may see.
#[derive(Debug, Clone)]
pub struct ScopedPost(Post);

impl ScopedPost {
    /// The post with `code`, if `who` may see it: `None` for an unknown code, a malformed one and
    /// a post outside their posts alike, so scope cannot be probed.
    pub fn by_code(
        conn: &mut DbConn,
        who: &Principal,
        code: &str,
    ) -> diesel::QueryResult<Option<Self>> {
        // Not even asked of the database unless it could be a code: stray bytes (NUL) would make
        // PostgreSQL refuse the query, and an unknown post is simply not found.
        let Ok(code) = PostCode::parse(code) else {
            return Ok(None);
        };
        Ok(db::posts::find_by_code(conn, code.as_str())?.and_then(|p| Self::admit(who, p)))
    }

    /// The post with `id`, if `who` may see it.
    pub fn by_id(
        conn: &mut DbConn,
        who: &Principal,
        id: PostId,
    ) -> diesel::QueryResult<Option<Self>> {
        Ok(db::posts::find(conn, id)?.and_then(|p| Self::admit(who, p)))
    }

    /// The posts `who` may see, by code.
    pub fn all(conn: &mut DbConn, who: &Principal) -> diesel::QueryResult<Vec<Self>> {
        Ok(db::posts::list(conn, who.scope())?
            .into_iter()
            .map(Self)
            .collect())
    }

    /// `post`, if `who` may see it.
    pub fn admit(who: &Principal, post: Post) -> Option<Self> {
        who.scope().admits(post.id).then_some(Self(post))
    }

    /// The stored post.
    pub fn into_post(self) -> Post {
        self.0
    }
}

impl Deref for ScopedPost {
    type Target = Post;

    fn deref(&self) -> &Post {
        &self.0
    }
}
