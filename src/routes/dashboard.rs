//! `GET /`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::dashboard::DashboardPage;
use crate::views::layout::{Layout, Section};

/// The dashboard: the user's posts (later issues add balances and what awaits them).
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<DashboardPage> {
    let scope = who.post_filter().map(<[_]>::to_vec);
    let posts = state
        .db(move |conn| Ok(db::posts::list(conn, scope.as_deref())?))
        .await?;
    Ok(DashboardPage {
        layout: Layout::for_user(&who, Section::Dashboard),
        display_name: who.display_name,
        posts,
    })
}
