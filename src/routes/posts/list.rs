//! `GET /posts`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::PostListPage;

/// The posts in the user's scope.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<PostListPage> {
    let scope = who.post_filter().map(<[_]>::to_vec);
    let posts = state
        .db(move |conn| Ok(db::posts::list(conn, scope.as_deref())?))
        .await?;
    Ok(PostListPage {
        layout: Layout::for_user(&who, Section::Posts),
        posts,
        can_manage: who.role == Role::Admin,
    })
}
