//! `GET /audit`: the review list, newest first, filtered, paged by `seq`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::{Identity, RequireRole, Reviewers};
use crate::db::{self, audit::Filter};
use crate::domain::FieldErrors;
use crate::domain::policy::Act;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::audit::{AuditListPage, AuditQuery, EntryView};
use crate::views::layout::{Layout, Section};

/// Entries per page.
const PAGE: i64 = 50;

/// A `YYYY-MM-DD` day (Arabic digits accepted) as the instant it starts (UTC).
fn day(raw: &str, field: &'static str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    crate::domain::collect(errors, crate::domain::parse_date(raw, field)).flatten()
}

fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// The filter for `query` as seen by `who` (scoped users see only their posts' entries).
pub fn filter_for(who: &Identity, query: &AuditQuery, errors: &mut FieldErrors) -> Filter {
    let posts = (!who.all_posts).then(|| who.post_codes.clone());
    filter_in(posts, query, errors)
}

/// The filter for `query` over the entries of `posts` (codes; `None`: every entry).
pub fn filter_in(
    posts: Option<Vec<String>>,
    query: &AuditQuery,
    errors: &mut FieldErrors,
) -> Filter {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let from = day(&query.from, "from", errors).map(start_of);
    let until = day(&query.to, "to", errors)
        .and_then(|d| d.succ_opt())
        .map(start_of);
    Filter {
        actor: text(&query.actor).map(|a| a.to_lowercase()),
        action: text(&query.action),
        entity: text(&query.entity),
        entity_id: text(&query.entity_id),
        post: text(&query.post).map(|p| p.to_uppercase()),
        from,
        until,
        posts,
    }
}

/// The list.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let layout = Layout::for_user(&who, Section::Audit);
    let mut errors = FieldErrors::new();
    let filter = filter_for(&who, &query, &mut errors);
    let (rows, names, status) = if errors.is_empty() {
        let before = query.before;
        let (rows, names) = state
            .db(move |conn| {
                let rows = db::audit::page(conn, &filter, before, PAGE + 1)?;
                let names = db::audit::record_names(conn, &rows)?;
                Ok((rows, names))
            })
            .await?;
        (rows, names, StatusCode::OK)
    } else {
        (
            Vec::new(),
            Default::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let more = rows.len() as i64 > PAGE;
    let can_see_users = who.may(Act::ManageUsers);
    let mut entries: Vec<EntryView> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|row| EntryView::of(row, &layout, can_see_users, &names))
        .collect();
    // A reviewer limited to some posts sees gaps in the numbering: say why, where they are
    // (with filters of their own, gaps are what they asked for).
    if !who.all_posts && query.query_string().is_empty() {
        for i in 1..entries.len() {
            if entries[i - 1].seq - entries[i].seq > 1 {
                entries[i].hidden_before = true;
            }
        }
    }
    let older = if more {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    let actions = super::action_choices(&layout);
    let page = AuditListPage {
        layout,
        query,
        errors,
        entries,
        older,
        actions,
    };
    Ok(crate::views::render(&page, status))
}
