//! The plans SQLite chooses for the figures every post page and dashboard card reads: what
//! pending entries add must be read from the pending index alone, never by visiting every event
//! of the post. (A `GROUP BY direction` once made SQLite walk the post-and-direction index
//! instead: seconds per page at a million events, correct figures all the same, so only the
//! plan shows it.) The statements are caught as diesel sends them and explained unbound, as
//! SQLite plans them without statistics.

use std::sync::{Arc, Mutex};

use diesel::connection::InstrumentationEvent;
use diesel::prelude::*;
use diesel::sql_types::Text;
use repatrack::db::DbConn;
use repatrack::db::scope::ScopedPost;
use repatrack::domain::event::Category;

use crate::helpers::{Backend, TestApp};

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[tokio::test]
async fn pending_figures_are_read_from_the_pending_index_alone() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.create_post("QAIM");
    app.create_user("planner", "officer", &["QAIM"], false);
    let mut pooled = app.conn();
    let conn: &mut DbConn = &mut pooled;
    let who = repatrack::demo_story::principal_of(conn, "planner").unwrap();
    let post = ScopedPost::by_code(conn, &who, "QAIM").unwrap().unwrap();

    let sent: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&sent);
    let DbConn::Sqlite(inner) = &mut *conn else {
        panic!("SQLite")
    };
    inner.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            log.lock().unwrap().push(query.to_string());
        }
    });
    let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 12, d).unwrap();
    for category in Category::ALL {
        repatrack::reports::standing(conn, &post, category).unwrap();
        repatrack::reports::present_now(conn, &post, category).unwrap();
        repatrack::reports::series(conn, &post, category, day(1), day(19)).unwrap();
    }
    if let DbConn::Sqlite(inner) = &mut *conn {
        inner.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    }

    let pending: Vec<String> = sent
        .lock()
        .unwrap()
        .iter()
        .filter(|sql| sql.contains("FROM `crossing_events`"))
        .map(|sql| sql.split(" -- binds:").next().unwrap_or(sql).to_owned())
        .collect();
    // Standing (in and out, all days), present now (the same), and the series (the days shown,
    // and the balance before them): two categories, two sums each, and one list of days.
    assert_eq!(pending.len(), 14, "{pending:#?}");
    for sql in &pending {
        let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanRow>(conn)
            .unwrap()
            .into_iter()
            .map(|row| row.detail)
            .filter(|detail| detail.contains("crossing_events"))
            .collect();
        assert_eq!(plan.len(), 1, "{sql}\n{plan:#?}");
        assert!(
            plan[0].starts_with("SEARCH crossing_events USING COVERING INDEX crossing_events_pending_days (post_id=? AND status=? AND category=?"),
            "{sql}\n{plan:#?}"
        );
    }
}
