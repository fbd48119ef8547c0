//! `GET /posts/{code}`.

use actix_web::web;

use super::find_in_scope;
use crate::auth::CurrentUser;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::posts::PostPage;

/// A post's page (later issues add its balance, days and events).
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    code: web::Path<String>,
) -> AppResult<PostPage> {
    let viewer = who.clone();
    let post = state
        .db(move |conn| find_in_scope(conn, &viewer, &code))
        .await?;
    Ok(PostPage {
        layout: Layout::for_user(&who, Section::Posts),
        post,
        can_manage: who.role == Role::Admin,
        can_review: matches!(who.role, Role::Admin | Role::Supervisor | Role::Auditor),
    })
}
