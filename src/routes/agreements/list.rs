//! `GET /agreements`.

use actix_web::web;

use crate::auth::{CurrentUser, Identity};
use crate::db::{self, agreements::ListFilter};
use crate::domain::agreement::AgreementStatus;
use crate::domain::policy::Act;
use crate::domain::policy::PostScope;
use crate::error::AppResult;
use crate::state::AppState;
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
    filter_in(conn, who.principal().scope(), query)
}

/// The filter `query` asks for among agreements covering `scope`. A post
/// that does not exist or is out of scope matches nothing (as on `/events`); an unknown status
/// is no filter, as an unknown direction is on `/events`.
pub fn filter_in(
    conn: &mut db::DbConn,
    scope: &PostScope,
    query: &AgreementQuery,
) -> AppResult<ListFilter> {
    Ok(ListFilter {
        scope: scope.clone(),
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
            let mut agreements = Vec::new();
            for a in db::agreements::list(conn, &filter)? {
                let covered = crate::services::agreements::covered_posts(conn, a.id)?;
                agreements.push((a, !filter.scope.admits_all(&covered)));
            }
            let returned = db::agreements::returned_totals(conn, &filter.scope)?;
            let posts = db::posts::list(conn, &filter.scope)?;
            Ok((agreements, returned, posts))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Agreements);
    let rows = agreements
        .iter()
        .map(|(a, partial)| AgreementLine {
            id: a.id.0,
            reference: a.reference.clone(),
            title: a.title.clone(),
            status: a.status.clone(),
            status_label: status_label(&layout, &a.status),
            window: window(&layout, a),
            returned: returned.get(&a.id.0).copied().unwrap_or_default(),
            // The plan is the agreement's whole; a figure of some of its posts is not set against it.
            planned: a.planned_headcount.map(i64::from).filter(|_| !partial),
            partial: *partial,
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
        can_manage: who.may(Act::ManageAgreement),
    })
}
