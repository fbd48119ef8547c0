//! `GET /reports/totals` and `GET /reports/totals.csv`: the roll-up per week or month.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::reports::totals::{TotalsQuery, filter_for, roll_up};
use crate::state::AppState;
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};
use crate::views::totals::TotalsPage;

/// The roll-up's page.
pub async fn page(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    query: web::Query<TotalsQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let principal = who.principal();
    let today = state.clock.now().date_naive();
    let q = query.clone();
    let (posts, outcome) = state
        // One snapshot: the figures and the stamp at the foot describe the same moment.
        .db(move |conn| {
            db::read_tx(conn, |conn| {
                let posts = db::posts::list(conn, principal.scope())?;
                let filter = match filter_for(conn, &principal, &q, today)? {
                    Ok(filter) => filter,
                    Err(errors) => return Ok((posts, Err(errors))),
                };
                let lines = roll_up(conn, &filter)?;
                let stamp = crate::audit::receipt::Stamp::read(conn)?;
                Ok((posts, Ok((filter, lines, stamp))))
            })
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Reports);
    let choices = posts
        .iter()
        .map(|p| (p.code.clone(), post_name(&layout, p)))
        .collect();
    let (page, status) = match outcome {
        Ok((filter, lines, stamp)) => (
            TotalsPage::new(layout, query, choices, &filter, &lines, stamp),
            StatusCode::OK,
        ),
        Err(errors) => (
            TotalsPage::refused(layout, query, choices, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    Ok(crate::views::render(&page, status))
}

/// The roll-up as CSV, with exactly the page's filters.
pub async fn csv(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<TotalsQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let principal = who.principal();
    let today = state.clock.now().date_naive();
    let q = query.clone();
    let filter = state
        .db(move |conn| {
            filter_for(conn, &principal, &q, today)?
                .map_err(|_| AppError::Unprocessable("totals report filters".into()))
        })
        .await?;
    let (from, to) = (filter.report.from.to_string(), filter.report.to.to_string());
    let export = Export {
        name: "totals",
        file_name: export::file_name_of(
            "totals",
            &[
                filter.grain.as_str(),
                &query.post.to_uppercase(),
                &from,
                &format!("to-{to}"),
            ],
        ),
        filters: query.query_string(),
        bom: query.bom.as_deref() == Some("1"),
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::totals::COLUMNS,
        move |conn, sink| export::totals::rows(conn, &filter, sink),
    )
    .await
}
