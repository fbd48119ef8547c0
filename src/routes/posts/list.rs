//! `GET /posts`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::policy::Act;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::PostListPage;

/// The posts in the user's scope.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<PostListPage> {
    let scope = who.principal().scope().clone();
    let posts = state
        .db(move |conn| Ok(db::posts::list(conn, &scope)?))
        .await?;
    Ok(PostListPage {
        layout: Layout::for_user(&who, Section::Posts),
        posts,
        can_manage: who.may(Act::ManagePosts),
    })
}
