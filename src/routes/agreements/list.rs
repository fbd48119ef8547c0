//! `GET /agreements`.

use actix_web::web;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::agreements::{AgreementLine, AgreementListPage, status_label, window};
use crate::views::layout::{Layout, Section};

/// Agreements covering the user's posts, with status and progress.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
) -> AppResult<AgreementListPage> {
    let scope = who.post_filter().map(<[_]>::to_vec);
    let (agreements, returned) = state
        .db(move |conn| {
            let agreements = db::agreements::list(conn, scope.as_deref())?;
            let returned = db::agreements::returned_totals(conn)?;
            Ok((agreements, returned))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Agreements);
    let rows = agreements
        .iter()
        .map(|a| AgreementLine {
            id: a.id.0,
            reference: a.reference.clone(),
            title: a.title.clone(),
            status: a.status.clone(),
            status_label: status_label(&layout, &a.status),
            window: window(&layout, a),
            returned: returned.get(&a.id.0).copied().unwrap_or(0),
            planned: a.planned_headcount.map(i64::from),
        })
        .collect();
    Ok(AgreementListPage {
        layout,
        rows,
        can_manage: matches!(who.role, Role::Admin | Role::Supervisor),
    })
}
