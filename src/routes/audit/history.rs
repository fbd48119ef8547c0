//! `GET /posts/{code}/history`, `/events/{id}/history`, `/agreements/{id}/history` and
//! `/admin/users/{id}/history`: every change of one record.

use actix_web::web;

use crate::auth::{Admins, Identity, RequireRole, Reviewers};
use crate::db::{self, audit::AuditRow};
use crate::domain::ids::UserId;
use crate::domain::policy::Act;
use crate::error::{AppError, AppResult};
use crate::routes::posts::find_in_scope;
use crate::state::AppState;
use crate::views::audit::{EntryView, HistoryPage};
use crate::views::layout::{Layout, Section};

/// The history page of one record: its entries, the way back to it, and its name. Only
/// administrators see links to accounts.
fn page(
    who: &Identity,
    section: Section,
    rows: Vec<AuditRow>,
    back: String,
    subject: String,
) -> HistoryPage {
    let layout = Layout::for_user(who, section);
    let can_see_users = who.may(Act::ManageUsers);
    let entries = rows
        .into_iter()
        .map(|row| EntryView::of(row, &layout, can_see_users, &Default::default()))
        .collect();
    HistoryPage {
        layout,
        back,
        subject,
        entries,
    }
}

/// A post's history (within the viewer's scope).
pub async fn post(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    code: web::Path<String>,
) -> AppResult<HistoryPage> {
    let viewer = who.clone();
    let (post, rows) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?;
            let rows = db::audit::history(conn, "post", &post.id.to_string())?;
            Ok((post, rows))
        })
        .await?;
    Ok(page(
        &who,
        Section::Posts,
        rows,
        format!("/posts/{}", post.code),
        post.code.clone(),
    ))
}

/// An event's history (within the viewer's scope).
pub async fn event(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    id: web::Path<String>,
) -> AppResult<HistoryPage> {
    let viewer = who.clone();
    let (event, rows) = state
        .db(move |conn| {
            let (event, _) = crate::routes::events::find_in_scope(conn, &viewer, &id)?;
            let rows = db::audit::history(conn, "event", &event.id.to_string())?;
            Ok((event, rows))
        })
        .await?;
    Ok(page(
        &who,
        Section::Events,
        rows,
        format!("/events/{}", event.id),
        event.reference,
    ))
}

/// An agreement's history (if it covers one of the viewer's posts).
pub async fn agreement(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    id: web::Path<String>,
) -> AppResult<HistoryPage> {
    let viewer = who.clone();
    let (agreement, rows) = state
        .db(move |conn| {
            let agreement = crate::routes::agreements::find_in_scope(conn, &viewer, &id)?;
            let rows = db::audit::history(conn, "agreement", &agreement.id.to_string())?;
            Ok((agreement, rows))
        })
        .await?;
    Ok(page(
        &who,
        Section::Agreements,
        rows,
        format!("/agreements/{}", agreement.id),
        agreement.reference,
    ))
}

/// A person's history (within the viewer's scope): every change, and every view of their page.
pub async fn person(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    id: web::Path<String>,
) -> AppResult<HistoryPage> {
    let viewer = who.clone();
    let (person, rows) = state
        .db(move |conn| {
            let (person, _) = crate::routes::people::find_in_scope(conn, &viewer, &id)?;
            let rows = db::audit::history(conn, "person", &person.id.to_string())?;
            Ok((person, rows))
        })
        .await?;
    Ok(page(
        &who,
        Section::People,
        rows,
        format!("/people/{}", person.id),
        person.reference,
    ))
}

/// An account's history (administrators).
pub async fn user(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
    id: web::Path<i64>,
) -> AppResult<HistoryPage> {
    let id = id.into_inner();
    let (user, rows) = state
        .db(move |conn| {
            let user = db::users::find(conn, UserId(id))?.ok_or(AppError::NotFound)?;
            let rows = db::audit::history(conn, "user", &id.to_string())?;
            Ok((user, rows))
        })
        .await?;
    Ok(page(
        &who,
        Section::Admin,
        rows,
        format!("/admin/users/{id}"),
        user.username,
    ))
}
