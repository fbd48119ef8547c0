//! `GET /events`: events of the posts in scope, newest first, filtered, paged by keyset.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate};

use crate::auth::{CurrentUser, Identity};
use crate::db::{self, event_lists::Cursor, event_lists::Filter};
use crate::domain::FieldErrors;
use crate::domain::event::{Category, Direction, Status};
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::events::{EventLine, EventListPage, EventQuery, post_name};
use crate::views::layout::{Layout, Section};

/// Events per page.
const PAGE: i64 = 50;
/// Counted exactly up to here; beyond, the page says "more than". Counting costs a step per
/// event counted on every page shown: at 10,000 it was a fifth of the list's time at a million
/// events (BENCHMARKS.md, issue 19). Past a thousand, nobody pages through the list; the
/// headcount report and the export give the totals.
const COUNT_CAP: i64 = 1_000;

/// A `YYYY-MM-DD` day (Arabic digits accepted), years 1 to 9999.
pub fn day(raw: &str, field: &'static str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    crate::domain::collect(errors, crate::domain::parse_date(raw, field)).flatten()
}

/// Reads `MICROS.ID`.
pub fn cursor(raw: &str) -> Option<Cursor> {
    let (micros, id) = raw.split_once('.')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    Some((at, id.parse().ok()?))
}

/// The filter for `query` as `who` may see it. Unknown choices are ignored (a select cannot
/// produce them); a post outside the user's scope matches nothing.
pub fn filter_for(
    conn: &mut db::DbConn,
    who: &Identity,
    query: &EventQuery,
    errors: &mut FieldErrors,
) -> AppResult<Filter> {
    filter_in(conn, who.principal().scope(), query, errors)
}

/// The filter for `query` over the events of `scope`.
pub fn filter_in(
    conn: &mut db::DbConn,
    scope: &crate::domain::policy::PostScope,
    query: &EventQuery,
    errors: &mut FieldErrors,
) -> AppResult<Filter> {
    let post = db::posts::filter_by_code(conn, scope, &query.post)?;
    let choice = |raw: &str, all: &[&'static str]| all.iter().copied().find(|v| *v == raw.trim());
    let direction = choice(&query.direction, &["inbound", "outbound"]).map(|d| {
        if d == "inbound" {
            Direction::Inbound
        } else {
            Direction::Outbound
        }
    });
    let category = choice(&query.category, &["military", "civilian"]).map(|c| {
        if c == "military" {
            Category::Military
        } else {
            Category::Civilian
        }
    });
    let q = query.q.trim();
    Ok(Filter {
        scope: scope.clone(),
        post,
        direction,
        category,
        status: Status::from_str_opt(query.status.trim()),
        from: day(&query.from, "from", errors),
        to: day(&query.to, "to", errors),
        q: (!q.is_empty()).then(|| q.chars().take(100).collect()),
        agreement: None,
    })
}

/// The list.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    query: web::Query<EventQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let viewer = who.clone();
    let q = query.clone();
    let (posts, rows, count, errors) = state
        .db(move |conn| {
            let mut errors = FieldErrors::new();
            let filter = filter_for(conn, &viewer, &q, &mut errors)?;
            let posts = db::posts::list(conn, viewer.principal().scope())?;
            if !errors.is_empty() {
                return Ok((posts, Vec::new(), 0, errors));
            }
            let rows = db::event_lists::page(conn, &filter, cursor(&q.after), PAGE)?;
            let count = db::event_lists::count_capped(conn, &filter, COUNT_CAP)?;
            Ok((posts, rows, count, errors))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Events);
    let more = rows.len() as i64 > PAGE;
    let older = if more {
        rows.get(PAGE as usize - 1).map(|l| {
            format!(
                "{}.{}",
                l.event.occurred_at.and_utc().timestamp_micros(),
                l.event.id.0
            )
        })
    } else {
        None
    };
    let lines = rows
        .iter()
        .take(PAGE as usize)
        .map(|l| EventLine::of(&layout, l))
        .collect();
    let count = if count > COUNT_CAP {
        layout.tr.ta(
            "events-count-more",
            &[("count", crate::i18n::Arg::Text(layout.num(COUNT_CAP)))],
        )
    } else {
        layout.n("events-count", usize::try_from(count).unwrap_or(0))
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EventListPage {
        posts: posts
            .iter()
            .map(|p| (p.code.clone(), post_name(&layout, p)))
            .collect(),
        layout,
        query,
        errors,
        rows: lines,
        count,
        older,
    };
    Ok(crate::views::render(&page, status))
}
