//! The trail proves the tables (issue 17, point 2) and receipts name a cut or rewritten tail
//! (point 3), on both databases, through the library and through the command line.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use repatrack::audit::receipt::{Against, Receipt};
use repatrack::audit::state::verify_state;
use repatrack::db::schema::{audit_head, audit_log, crossing_events};

use crate::helpers::*;

/// Runs the binary against the app's database; (exit code, stdout, stderr).
fn cli(app: &TestApp, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The demo's posts, users and Qaim story, written through the services by the command line.
fn demo(app: &TestApp) {
    let (code, _, stderr) = cli(app, &["demo"]);
    assert_eq!(code, Some(0), "{stderr}");
}

both_databases! {
    async fn a_direct_sql_change_to_an_event_a_post_an_agreement_and_a_user_is_named(app) {
        demo(&app);
        let report = verify_state(&mut app.conn()).unwrap();
        assert!(report.consistent(), "the story, written through the services, matches its trail: {:?}", report.differences);
        let events: i64 = app.query(|c| crossing_events::table.count().get_result(c));
        let tables: Vec<(&str, usize)> = report.rows.clone();
        assert_eq!(tables, [("border_posts", 3), ("crossing_events", events as usize), ("agreements", 1), ("users", 4)]);
        let (code, stdout, stderr) = cli(&app, &["audit", "verify", "--state"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(
            stdout.lines().last().unwrap(),
            format!("tables match the audit trail: {} rows (border_posts 3, crossing_events {events}, agreements 1, users 4)", events + 8)
        );

        // Changes made around the application, as someone with the database's password could.
        let (event_id, reference, headcount): (i64, String, i32) = app.query(|c| {
            crossing_events::table
                .order(crossing_events::id)
                .select((crossing_events::id, crossing_events::reference, crossing_events::headcount))
                .first(c)
        });
        app.conn().batch_execute(&format!(
            "UPDATE crossing_events SET headcount = headcount + 1000 WHERE id = {event_id};
             UPDATE border_posts SET name_en = 'Qaim (edited)' WHERE code = 'QAIM';
             UPDATE agreements SET status = 'draft';
             UPDATE users SET role = 'admin' WHERE username = 'officer';
             INSERT INTO user_posts (user_id, post_id) SELECT u.id, p.id FROM users u, border_posts p WHERE u.username = 'officer' AND p.code = 'RABIA';
             INSERT INTO users (username, display_name, password_hash, role, all_posts, active, language, digits, password_changed_at, created_at, updated_at, version)
               VALUES ('ghost', 'Ghost', 'x', 'admin', TRUE, TRUE, 'en', 'western', '2024-12-20 00:00:00', '2024-12-20 00:00:00', '2024-12-20 00:00:00', 1);"
        )).unwrap();
        let (post_id, agreement_id, officer_id, ghost_id): (i64, i64, i64, i64) = app.query(|c| {
            use repatrack::db::schema::{agreements, border_posts, users};
            Ok((
                border_posts::table.filter(border_posts::code.eq("QAIM")).select(border_posts::id).first(c)?,
                agreements::table.select(agreements::id).first(c)?,
                users::table.filter(users::username.eq("officer")).select(users::id).first(c)?,
                users::table.filter(users::username.eq("ghost")).select(users::id).first(c)?,
            ))
        });
        let agreement: String = app.query(|c| repatrack::db::schema::agreements::table.select(repatrack::db::schema::agreements::reference).first(c));
        let expected = [
            format!("border_posts id {post_id} (QAIM): name_en is \"Qaim (edited)\", the audit trail says \"Al-Qaim\""),
            format!("crossing_events id {event_id} ({reference}): headcount is {}, the audit trail says {headcount}", headcount + 1000),
            format!("agreements id {agreement_id} ({agreement}): status is \"draft\", the audit trail says \"active\""),
            format!("users id {officer_id} (officer): posts is [\"QAIM\",\"RABIA\"], the audit trail says [\"QAIM\"]"),
            format!("users id {officer_id} (officer): role is \"admin\", the audit trail says \"officer\""),
            format!("users id {ghost_id} (ghost): no audit entry ever gave this row its values"),
        ];
        let report = verify_state(&mut app.conn()).unwrap();
        let lines: Vec<String> = report.differences.iter().map(|d| d.line()).collect();
        assert_eq!(lines, expected);
        // The chain itself is intact: only the tables tell.
        assert!(repatrack::audit::verify::verify(&mut app.conn()).unwrap().intact());

        let (code, stdout, stderr) = cli(&app, &["audit", "verify", "--state"]);
        assert_eq!(code, Some(1));
        let named: Vec<&str> = stdout.lines().skip(1).collect();
        assert_eq!(named, expected.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            stderr,
            format!("repatrack: tables differ from the audit trail: 6 differences in {} rows (border_posts 3, crossing_events {events}, agreements 1, users 5)\n", events + 9)
        );

        // The page: a reviewer of every post sees which rows; one of some posts, how many.
        app.create_user("reviewer", "auditor", &[], true);
        let reviewer = app.new_client();
        reviewer.login("reviewer", PASSWORD).await;
        let page = reviewer.get_html("/audit/verify").await;
        assert!(page.contains("6 differences from the audit trail"), "{page}");
        assert_eq!(page.matches("<tr class=\"state-difference\">").count(), 6);
        assert!(page.contains(&format!("<td><bdi>{reference}</bdi></td><td>Headcount differs from the trail</td>")), "{page}");
        assert!(page.contains("<td><bdi>ghost</bdi></td><td>No audit entry ever gave it its values</td>"));
        app.create_user("scoped", "auditor", &["QAIM"], false);
        let scoped = app.new_client();
        scoped.login("scoped", PASSWORD).await;
        let page = scoped.get_html("/audit/verify").await;
        assert!(page.contains("6 differences from the audit trail"));
        assert_eq!(page.matches("<tr class=\"state-difference\">").count(), 0, "which rows is for a reviewer of every post");

        // A record the trail describes that the table lost (and the ghost gone too).
        let leaver = app.create_user("leaver", "auditor", &[], true);
        app.conn().batch_execute("DELETE FROM users WHERE username IN ('ghost', 'leaver')").unwrap();
        let lines: Vec<String> = verify_state(&mut app.conn()).unwrap().differences.iter().map(|d| d.line()).collect();
        assert_eq!(lines[5..], [format!("users id {leaver}: in the audit trail, missing from the table")]);
        assert_eq!(lines[..5], expected[..5]);
    }

    async fn a_receipt_kept_elsewhere_names_a_cut_or_rewritten_tail(app) {
        demo(&app);
        // A fresh receipt from the command line (signs the head now)…
        let (code, receipt_text, stderr) = cli(&app, &["audit", "receipt"]);
        assert_eq!(code, Some(0), "{stderr}");
        let receipt = Receipt::parse(&receipt_text).unwrap();
        let (head_seq, head_hash): (i64, String) = app.query(|c| audit_head::table.select((audit_head::seq, audit_head::hash)).first(c));
        assert_eq!((receipt.seq, receipt.hash.as_str()), (head_seq, head_hash.as_str()));
        assert!(receipt.signature_valid());
        // The page signs the head too (it moved: the reviewer signed in) and offers its receipt,
        // to reviewers only.
        app.create_user("reviewer", "auditor", &[], true);
        let reviewer = app.new_client();
        reviewer.login("reviewer", PASSWORD).await;
        let response = reviewer.get("/audit/checkpoints/latest").await;
        assert_eq!(response.status().as_u16(), 200);
        let (now_seq, now_hash): (i64, String) = app.query(|c| audit_head::table.select((audit_head::seq, audit_head::hash)).first(c));
        assert!(now_seq > head_seq);
        assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
        assert_eq!(response.headers()["content-disposition"], format!("attachment; filename=\"repatrack-receipt-{now_seq}.txt\"").as_str());
        let from_page = Receipt::parse(&response.text().await.unwrap()).unwrap();
        assert_eq!((from_page.seq, from_page.hash.as_str()), (now_seq, now_hash.as_str()));
        assert!(from_page.signature_valid());
        assert_eq!(from_page.public_key, receipt.public_key);
        app.create_user("clerk", "officer", &["QAIM"], false);
        let clerk = app.new_client();
        clerk.login("clerk", PASSWORD).await;
        assert_eq!(clerk.get("/audit/checkpoints/latest").await.status().as_u16(), 403);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("receipt.txt");
        std::fs::write(&file, &receipt_text).unwrap();
        let path = file.display().to_string();
        let (code, stdout, _) = cli(&app, &["audit", "verify", "--receipt", &path]);
        assert_eq!(code, Some(0));
        assert_eq!(stdout.lines().nth(1).unwrap(), format!("receipt holds: entry {head_seq} still has hash {head_hash}"));
        assert_eq!(repatrack::audit::receipt::check(&mut app.conn(), &receipt).unwrap(), Against::Holds);

        // The last three entries cut and the head rewound: the chain alone says intact.
        let (new_head,): (String,) = app.query(|c| audit_log::table.find(head_seq - 3).select((audit_log::hash,)).first(c));
        app.conn().batch_execute(&format!(
            "DELETE FROM audit_log WHERE seq > {}; DELETE FROM audit_checkpoints WHERE seq > {}; UPDATE audit_head SET seq = {}, hash = '{new_head}'",
            head_seq - 3, head_seq - 3, head_seq - 3
        )).unwrap();
        assert!(repatrack::audit::verify::verify(&mut app.conn()).unwrap().intact(), "a clean cut is invisible from inside");
        let (code, _, stderr) = cli(&app, &["audit", "verify", "--receipt", &path]);
        assert_eq!(code, Some(1));
        assert_eq!(stderr, format!("repatrack: audit trail cut: the receipt covers seq {head_seq}, the database ends at seq {}\n", head_seq - 3));

        // New entries written over the cut: the entry at the receipt's seq now differs.
        for _ in 0..3 {
            app.create_user(&format!("filler{}", rand_suffix()), "officer", &["QAIM"], false);
        }
        assert!(repatrack::audit::verify::verify(&mut app.conn()).unwrap().intact());
        let (code, _, stderr) = cli(&app, &["audit", "verify", "--receipt", &path]);
        assert_eq!(code, Some(1));
        assert_eq!(stderr, format!("repatrack: audit trail rewritten: entry {head_seq} differs from the receipt\n"));

        // A receipt edited by hand is refused before anything is compared.
        let forged = receipt_text.replace(&format!("seq: {head_seq}"), &format!("seq: {}", head_seq - 5));
        std::fs::write(&file, forged).unwrap();
        let (code, _, stderr) = cli(&app, &["audit", "verify", "--receipt", &path]);
        assert_eq!(code, Some(1));
        assert_eq!(stderr, format!("repatrack: {path}: the receipt's signature is not valid: it was altered or is not a receipt\n"));
    }

    async fn reports_and_exports_say_where_the_chain_stood(app) {
        demo(&app);
        app.create_user("reviewer", "auditor", &[], true);
        let reviewer = app.new_client();
        reviewer.login("reviewer", PASSWORD).await;
        let html = reviewer.get_html("/reports/headcount?post=QAIM&from=2024-12-07&to=2024-12-20").await;
        let (seq, hash): (i64, String) = app.query(|c| audit_head::table.select((audit_head::seq, audit_head::hash)).first(c));
        assert_eq!(element_text(&html, "id=\"audit-stamp\"").unwrap(), format!("Audit seq {seq}, head {hash}"));
        let response = reviewer.get("/events.csv?post=QAIM").await;
        assert_eq!(response.headers()["repatrack-audit"], format!("audit seq {seq}, head {hash}").as_str());
        response.bytes().await.unwrap();
        let details: String = app.query(|c| audit_log::table.order(audit_log::seq.desc()).select(audit_log::details).first(c));
        assert!(details.contains(&format!("\"as_of_seq\":{seq},")), "{details}");
    }
}

fn rand_suffix() -> u32 {
    rand::random::<u32>() % 1_000_000
}
