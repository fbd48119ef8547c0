//! `GET /posts/{code}`: the post, its balances now, what awaits verification, its latest events,
//! and its days over a chosen period (table and chart), all read from the ledger.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, TimeDelta};

use super::find_in_scope;
use crate::auth::{CurrentUser, Identity};
use crate::db;
use crate::db::ledger;
use crate::domain::FieldErrors;
use crate::domain::event::Category;
use crate::domain::policy::Act;
use crate::error::AppResult;
use crate::routes::events::list::day;
use crate::services::events::{local_day, zone_of};
use crate::state::AppState;
use crate::views::chart::{self, ChartDay};
use crate::views::events::{EventLine, label};
use crate::views::layout::{Layout, Section};
use crate::views::posts::{DayLine, PostPage};

/// Days shown when no period is chosen.
const DEFAULT_DAYS: i64 = 14;
/// The longest period one page shows.
const MAX_DAYS: i64 = 366;

/// `?from=&to=` of the post page.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct Period {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// Builds the post page for `code`; `errors` come from a refused close or reopen.
pub async fn page(
    state: &AppState,
    who: &Identity,
    code: String,
    period: Period,
    mut errors: FieldErrors,
) -> AppResult<PostPage> {
    let viewer = who.clone();
    let today_of = state.clock.now();
    let p = period.clone();
    let mut period_errors = FieldErrors::new();
    let from_raw = day(&p.from, "from", &mut period_errors);
    let to_raw = day(&p.to, "to", &mut period_errors);
    for e in period_errors.iter() {
        errors.push(e.clone());
    }
    let (post, balances, pending, uncited, latest, military, civilian, closures, today) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?;
            let today = local_day(today_of, zone_of(&post));
            // By default the period ends at the post's latest day with events (an old post shows
            // its last activity, not an empty fortnight), or today if that is nearer.
            let latest = ledger::latest_day(conn, &post)?;
            let default_to = match latest {
                Some(day) if day < today - TimeDelta::days(DEFAULT_DAYS - 1) => day,
                _ => today,
            };
            let to = to_raw.unwrap_or(default_to);
            let from = from_raw
                .filter(|f| *f <= to && (to - *f).num_days() < MAX_DAYS)
                .unwrap_or(to - TimeDelta::days(DEFAULT_DAYS - 1));
            let mut balances = Vec::new();
            for category in Category::ALL {
                let (present, inbound, outbound) = crate::reports::standing(conn, &post, category)?;
                balances.push((category, present, inbound, outbound));
            }
            let pending = db::event_lists::pending_capped(conn, std::slice::from_ref(&post))?
                .get(&post.id)
                .copied()
                .unwrap_or(0);
            let uncited = db::event_lists::uncited_capped(conn, std::slice::from_ref(&post))?
                .get(&post.id)
                .copied()
                .unwrap_or(0);
            let latest =
                db::event_lists::latest_of_post(conn, viewer.principal().scope(), post.id, 20)?;
            let military = crate::reports::series(conn, &post, Category::Military, from, to)?;
            let civilian = crate::reports::series(conn, &post, Category::Civilian, from, to)?;
            let closures = ledger::closures_between(conn, &post, from, to)?;
            Ok((
                post.into_post(),
                balances,
                pending,
                uncited,
                latest,
                military,
                civilian,
                closures,
                today,
            ))
        })
        .await?;
    let layout = Layout::for_user(who, Section::Posts);
    let closed: std::collections::HashSet<NaiveDate> = closures.iter().map(|c| c.day).collect();
    let days = military
        .iter()
        .zip(&civilian)
        .map(|(m, c)| DayLine {
            iso: m.day.to_string(),
            label: layout.tr.date(m.day),
            military: *m,
            civilian: *c,
            verified: m.verified() && c.verified(),
            closed: closed.contains(&m.day),
            begun: m.day <= today,
        })
        .collect();
    // The chart adds both categories: the people present at the post.
    let both: Vec<ChartDay> = military
        .iter()
        .zip(&civilian)
        .map(|(m, c)| m.plus(c))
        .collect();
    let chart = chart::layout(&both, layout.dir() == "rtl");
    Ok(PostPage {
        balances: balances
            .into_iter()
            .map(|(c, present, inbound, outbound)| {
                (
                    label(&layout, "category", c.as_str()),
                    present,
                    inbound,
                    outbound,
                )
            })
            .collect(),
        latest: latest.iter().map(|l| EventLine::of(&layout, l)).collect(),
        period: (
            military
                .first()
                .map(|d| d.day.to_string())
                .unwrap_or_default(),
            military
                .last()
                .map(|d| d.day.to_string())
                .unwrap_or_default(),
        ),
        can_manage: who.may(Act::ManagePosts),
        can_review: who.may(Act::ReviewAudit),
        can_record: who.may(Act::RecordEvent) && post.active,
        can_supervise: who.may(Act::CloseDay),
        layout,
        post,
        pending,
        uncited,
        errors,
        days,
        chart,
    })
}

/// A post's page.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    code: web::Path<String>,
    period: web::Query<Period>,
) -> AppResult<HttpResponse> {
    let page = page(
        &state,
        &who,
        code.into_inner(),
        period.into_inner(),
        FieldErrors::new(),
    )
    .await?;
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::views::render(&page, status))
}
