//! `GET /`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db::{self, scope::ScopedPost};
use crate::domain::event::Category;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::dashboard::{DashboardPage, PostCard};
use crate::views::layout::{Layout, Section};

/// The dashboard: a card per post in scope with who is present and what awaits verification.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<DashboardPage> {
    let principal = who.principal();
    let posts = state
        .db(move |conn| {
            let posts = ScopedPost::all(conn, &principal)?;
            let pending = db::event_lists::pending_capped(conn, &posts)?;
            let uncited = db::event_lists::uncited_capped(conn, &posts)?;
            let mut cards = Vec::with_capacity(posts.len());
            for post in posts {
                cards.push(PostCard {
                    military: crate::reports::present_now(conn, &post, Category::Military)?,
                    civilian: crate::reports::present_now(conn, &post, Category::Civilian)?,
                    pending: pending.get(&post.id).copied().unwrap_or(0),
                    uncited: uncited.get(&post.id).copied().unwrap_or(0),
                    post: post.into_post(),
                });
            }
            Ok(cards)
        })
        .await?;
    Ok(DashboardPage {
        layout: Layout::for_user(&who, Section::Dashboard),
        display_name: who.display_name,
        posts,
    })
}
