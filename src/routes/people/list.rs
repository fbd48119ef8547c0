//! `GET /people`: the register within scope, searched however a name is spelled, paged by keyset.

use actix_web::web;

use crate::auth::{CurrentUser, Identity};
use crate::db::people::{Cursor, Filter};
use crate::db::{self, DbConn};
use crate::domain::names;
use crate::domain::person::PersonStatus;
use crate::domain::policy::{self, Act};
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};
use crate::views::people::{PeopleListPage, PeopleQuery, PersonLine};

/// People per page.
const PAGE: i64 = 50;
/// The most characters of a search that are read.
const QUERY_MAX: usize = 200;

/// Reads `RANK.ID`.
fn cursor(raw: &str) -> Option<Cursor> {
    let (rank, id) = raw.split_once('.')?;
    Some((rank.parse().ok()?, id.parse().ok()?))
}

/// The filter for `query` as `who` may see it: a post outside their scope matches nothing.
pub fn filter_for(conn: &mut DbConn, who: &Identity, query: &PeopleQuery) -> AppResult<Filter> {
    let scope = who.principal().scope().clone();
    let post = db::posts::filter_by_code(conn, &scope, &query.post)?;
    let q: String = query.q.chars().take(QUERY_MAX).collect();
    Ok(Filter {
        post,
        status: PersonStatus::from_str_opt(&query.status),
        words: names::tokens(&q),
        scope,
    })
}

/// The list.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    query: web::Query<PeopleQuery>,
) -> AppResult<PeopleListPage> {
    let query = query.into_inner();
    let (viewer, q) = (who.clone(), query.clone());
    let (posts, rows) = state
        .db(move |conn| {
            let filter = filter_for(conn, &viewer, &q)?;
            let posts = db::posts::list(conn, viewer.principal().scope())?;
            let rows = db::people::page(conn, &filter, cursor(&q.after), PAGE)?;
            Ok((posts, rows))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::People);
    let principal = who.principal();
    let next = if rows.len() as i64 > PAGE {
        rows.get(PAGE as usize - 1).map(|l| {
            let (rank, id) = db::people::cursor_of(l);
            format!("{rank}.{id}")
        })
    } else {
        None
    };
    Ok(PeopleListPage {
        record_at: posts
            .iter()
            .filter(|p| p.active && policy::record_person(&principal, p.id).is_ok())
            .map(|p| (p.code.clone(), post_name(&layout, p)))
            .collect(),
        posts: posts
            .iter()
            .map(|p| (p.code.clone(), post_name(&layout, p)))
            .collect(),
        rows: rows
            .iter()
            .take(PAGE as usize)
            .map(|l| PersonLine::of(&layout, l))
            .collect(),
        can_export: policy::export_people(&principal).is_ok(),
        can_review_duplicates: who.may(Act::MergePeople),
        errors: crate::domain::FieldErrors::new(),
        layout,
        query,
        next,
    })
}
