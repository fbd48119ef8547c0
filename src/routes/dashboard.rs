//! `GET /`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::event::Category;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::dashboard::{DashboardPage, PostCard};
use crate::views::layout::{Layout, Section};

/// The dashboard: a card per post in scope with who is present and what awaits verification.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<DashboardPage> {
    let scope = who.post_filter().map(<[_]>::to_vec);
    let posts = state
        .db(move |conn| {
            let posts = db::posts::list(conn, scope.as_deref())?;
            let ids: Vec<_> = posts.iter().map(|p| p.id).collect();
            let pending = db::events::pending_capped(conn, &ids)?;
            let uncited = db::events::uncited_capped(conn, &ids)?;
            let mut cards = Vec::with_capacity(posts.len());
            for post in posts {
                cards.push(PostCard {
                    military: db::ledger::present(conn, post.id, Category::Military)?,
                    civilian: db::ledger::present(conn, post.id, Category::Civilian)?,
                    pending: pending.get(&post.id).copied().unwrap_or(0),
                    uncited: uncited.get(&post.id).copied().unwrap_or(0),
                    post,
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
