//! `GET /reports/headcount` and `GET /reports/headcount.csv`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::db::{self, ledger};
use crate::domain::FieldErrors;
use crate::domain::figures::Figure;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::reports::{HeadcountQuery, filter_for, series};
use crate::state::AppState;
use crate::views::chart::{self, ChartDay};
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};
use crate::views::reports::{HeadcountPage, PostReport, ReportDay};

/// The report.
pub async fn page(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    query: web::Query<HeadcountQuery>,
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
                let mut parts = Vec::new();
                for post in &filter.posts {
                    let mut per_category = Vec::new();
                    for category in &filter.categories {
                        per_category.push(series(conn, post, *category, filter.from, filter.to)?);
                    }
                    let closed: std::collections::HashSet<chrono::NaiveDate> =
                        ledger::closures_between(conn, post, filter.from, filter.to)?
                            .into_iter()
                            .map(|c| c.day)
                            .collect();
                    parts.push(((**post).clone(), per_category, closed));
                }
                let stamp = crate::audit::receipt::Stamp::read(conn)?;
                Ok((posts, Ok((filter, parts, stamp))))
            })
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Reports);
    let post_choices = posts
        .iter()
        .map(|p| (p.code.clone(), post_name(&layout, p)))
        .collect();
    let (filter, parts, stamp) = match outcome {
        Ok(found) => found,
        Err(errors) => {
            let page = HeadcountPage {
                layout,
                query,
                errors,
                posts: post_choices,
                categories: Vec::new(),
                period: (String::new(), String::new()),
                reports: Vec::new(),
                stamp: None,
            };
            return Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let rtl = layout.dir() == "rtl";
    let reports = parts
        .into_iter()
        .map(|(post, per_category, closed)| {
            let days_count = per_category.first().map_or(0, Vec::len);
            let days = (0..days_count)
                .map(|i| {
                    let day = per_category[0][i].day;
                    ReportDay {
                        label: layout.tr.date(day),
                        cells: per_category
                            .iter()
                            .map(|s| {
                                [
                                    s[i].inbound_figure(),
                                    s[i].outbound_figure(),
                                    s[i].present_figure(),
                                ]
                            })
                            .collect(),
                        verified: per_category.iter().all(|s| s[i].verified()),
                        closed: closed.contains(&day),
                    }
                })
                .collect();
            let totals = per_category
                .iter()
                .map(|s| {
                    let sum = |f: fn(&ChartDay) -> Figure| {
                        s.iter().map(f).fold(Figure::default(), |a, b| a + b)
                    };
                    [
                        sum(ChartDay::inbound_figure),
                        sum(ChartDay::outbound_figure),
                        s.last().map_or(Figure::default(), ChartDay::present_figure),
                    ]
                })
                .collect();
            let together: Vec<ChartDay> = (0..days_count)
                .map(|i| {
                    per_category
                        .iter()
                        .skip(1)
                        .fold(per_category[0][i], |acc, s| acc.plus(&s[i]))
                })
                .collect();
            PostReport {
                code: post.code.clone(),
                name: post_name(&layout, &post),
                days,
                totals,
                chart: chart::layout(&together, rtl).with_id(format!("chart-{}", post.code)),
            }
        })
        .collect();
    let page = HeadcountPage {
        categories: filter
            .categories
            .iter()
            .map(|c| layout.t(&format!("category-{}", c.as_str())))
            .collect(),
        period: (filter.from.to_string(), filter.to.to_string()),
        layout,
        query,
        errors: FieldErrors::new(),
        posts: post_choices,
        reports,
        stamp: Some(stamp),
    };
    Ok(crate::views::render(&page, StatusCode::OK))
}

/// The report as CSV, with exactly the page's filters.
pub async fn csv(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<HeadcountQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let principal = who.principal();
    let today = state.clock.now().date_naive();
    let q = query.clone();
    let filter = state
        .db(move |conn| {
            filter_for(conn, &principal, &q, today)?
                .map_err(|_| AppError::Unprocessable("headcount report filters".into()))
        })
        .await?;
    let export = Export {
        name: "headcount",
        file_name: export::file_name(
            "headcount",
            &query.post.to_uppercase(),
            &filter.from.to_string(),
            &filter.to.to_string(),
        ),
        filters: query.query_string(),
        bom: query.bom.as_deref() == Some("1"),
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::headcount::COLUMNS,
        move |conn, sink| export::headcount::rows(conn, &filter, sink),
    )
    .await
}
