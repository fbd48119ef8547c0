//! `repatrack demo --scale N` (issue 19, point 1): the scaled demo goes through the audited
//! write path, so its chain verifies and its tables match the trail, on both databases; it
//! holds what it says it loaded, and reports its progress.

use diesel::prelude::*;
use repatrack::db::schema::{agreements, crossing_events, day_closures, people};

use crate::backup::{run as run_binary, succeeded, text};

both_databases! {
    async fn a_scaled_demo_holds_what_it_says_and_its_trail_proves_its_tables(app) {
        let database = app.database_url();
        let out = tokio::task::spawn_blocking(move || run_binary(&["demo", "--scale", "900"], &database, &[]))
            .await
            .unwrap();
        let stdout = succeeded(&out);
        let summary = stdout.lines().last().unwrap().to_owned();
        assert!(summary.starts_with("Scaled demo: 900 events at QAIM, RABIA, WALEED from "), "{summary}");
        assert!(summary.contains(" awaiting verification), 90 people, agreements DEMO/RET-01 and DEMO/RET-02"), "{summary}");
        // Progress on standard error: one line per tenth off a terminal, ending complete.
        let stderr = text(&out.stderr);
        assert!(stderr.lines().any(|l| l.contains(" 990/990 (100%), ") && l.ends_with(" s left")), "{stderr}");

        let (events, pending, people_count, active, closed): (i64, i64, i64, i64, i64) = app.query(|c| {
            Ok((
                crossing_events::table.count().get_result(c)?,
                crossing_events::table.filter(crossing_events::status.eq("pending")).count().get_result(c)?,
                people::table.count().get_result(c)?,
                agreements::table.filter(agreements::status.eq("active")).count().get_result(c)?,
                day_closures::table.count().get_result(c)?,
            ))
        });
        assert_eq!((events, people_count, active), (900, 90, 2));
        assert!(summary.contains(&format!("({pending} awaiting verification)")), "{summary}");
        assert!(pending > 0 && pending < 10, "{pending} pending");
        assert!(closed > 300, "{closed} days closed");
        let cited: i64 = app.query(|c| {
            crossing_events::table
                .filter(crossing_events::agreement_id.is_not_null())
                .count()
                .get_result(c)
        });
        assert!(cited > 50, "military returns cite the agreement in force: {cited}");

        let database = app.database_url();
        let verified = tokio::task::spawn_blocking(move || run_binary(&["audit", "verify", "--state"], &database, &[]))
            .await
            .unwrap();
        let said = succeeded(&verified);
        assert!(said.starts_with("audit chain intact: "), "{said}");
        assert!(
            said.lines().last().unwrap().starts_with("tables match the audit trail: ")
                && said.contains("crossing_events 900"),
            "{said}"
        );
    }
}
