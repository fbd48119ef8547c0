//! `GET /agreements`.

use actix_web::web;

use crate::auth::{CurrentUser, Identity};
use crate::db::{self, agreements::ListFilter};
use crate::domain::agreement::AgreementStatus;
use crate::domain::ids::PostId;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::agreements::{
    AgreementLine, AgreementListPage, AgreementQuery, status_label, window,
};
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};

/// The filter `query` asks for, within the posts `who` may see.
pub fn filter_for(
    conn: &mut db::DbConn,
    who: &Identity,
    query: &AgreementQuery,
) -> AppResult<ListFilter> {
    filter_in(conn, who.post_filter(), query)
}

/// The filter `query` asks for among agreements covering `scope` (`None`: every post). A post
/// that does not exist or is out of scope matches nothing (as on `/events`); an unknown status
/// is no filter, as an unknown direction is on `/events`.
pub fn filter_in(
    conn: &mut db::DbConn,
    scope: Option<&[PostId]>,
    query: &AgreementQuery,
) -> AppResult<ListFilter> {
    Ok(ListFilter {
        scope: scope.map(<[_]>::to_vec),
        post: db::posts::filter_by_code(conn, scope, &query.post)?,
        status: AgreementStatus::from_str_opt(&query.status),
    })
}

/// Agreements covering the user's posts, filtered by post and status, with status and progress.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    query: web::Query<AgreementQuery>,
) -> AppResult<AgreementListPage> {
    let query = query.into_inner();
    let (viewer, q) = (who.clone(), query.clone());
    let (agreements, returned, posts) = state
        .db(move |conn| {
            let filter = filter_for(conn, &viewer, &q)?;
            let agreements = db::agreements::list(conn, &filter)?;
            let returned = db::agreements::returned_totals(conn)?;
            let posts = db::posts::list(conn, viewer.post_filter())?;
            Ok((agreements, returned, posts))
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
        posts: posts
            .iter()
            .map(|p| (p.code.clone(), post_name(&layout, p)))
            .collect(),
        layout,
        query,
        rows,
        can_manage: matches!(who.role, Role::Admin | Role::Supervisor),
    })
}
