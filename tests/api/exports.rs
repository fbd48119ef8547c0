//! CSV exports and the headcount report: columns, a real parser's view of the bytes, the BOM,
//! filters equal to the pages', scope, the audit record of each export, the command line, and
//! a client that goes away.

use std::collections::BTreeSet;

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, crossing_events};
use repatrack::export::columns::{CLASSIFIED, MOST_SENSITIVE, PEOPLE_EXPORTS, Use, export_columns};
use sha2::{Digest, Sha256};

use crate::events::{record, record_with_key};
use crate::helpers::*;

pub async fn get_bytes(client: &TestClient, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = client.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

/// The last export entry's details.
pub fn last_export(app: &TestApp) -> serde_json::Value {
    let details: String = app.query(|c| {
        audit_log::table
            .filter(audit_log::action.eq("export"))
            .order(audit_log::seq.desc())
            .select(audit_log::details)
            .first(c)
    });
    serde_json::from_str(&details).unwrap()
}

/// Records an event with awkward text in its source and notes.
async fn awkward(client: &TestClient, source: &str, notes: &str, key: u32) {
    let response = client
        .post_form(
            "/posts/QAIM/events",
            &[
                ("occurred_at", "2024-12-07T10:00"),
                ("direction", "inbound"),
                ("category", "civilian"),
                ("headcount", "3"),
                ("source", source),
                ("reference", "=HYPERLINK(\"http://x\")"),
                ("notes", notes),
                ("form_key", &format!("{:032x}", 8_000_000 + key)),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
}

/// Runs `scripts/check_events_csv.py` on an SQLite file and an unfiltered events export of it.
fn same_as_independent_writer(database: &str, exported: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.csv");
    std::fs::write(&file, exported).unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check_events_csv.py");
    match std::process::Command::new("python3")
        .arg(&script)
        .arg(database)
        .arg(&file)
        .output()
    {
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{said}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                said.replace(',', "")
                    .starts_with(&format!("equal: {} bytes", exported.len())),
                "{said}"
            );
        }
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("python3 is needed in CI")
        }
        Err(_) => eprintln!("python3 not found: the independent CSV writer was not run"),
    }
}

/// Writes `count` events at `post` directly, as a bulk fixture (the tests using it read events,
/// they do not exercise recording): every third at `early`, the others at `late`, so instants
/// tie across the export's batches.
fn bulk_events(
    app: &TestApp,
    post: i64,
    recorder: i64,
    count: i64,
    early: chrono::NaiveDateTime,
    late: chrono::NaiveDateTime,
) {
    let inserted = app.query(|c| {
        use diesel::sql_types::{BigInt, Date, Timestamp};
        diesel::sql_query(
            "INSERT INTO crossing_events (post_id, reference, ref_year, ref_number, occurred_at, local_day, direction, category, headcount, source, source_reference, notes, status, recorded_by, recorded_at, updated_at, version, form_key)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
             SELECT $2, 'BULK-' || i, 2024, i, CASE WHEN i % 3 = 0 THEN $3 ELSE $4 END, $5, 'inbound', 'civilian', 1, 'Gate log with a long enough source text', '', 'Padding so that each row is a little over two hundred bytes long in the CSV file that is being streamed.', 'pending', $6, $3, $3, 1, 'bulk-' || i FROM n",
        )
        // SQLite numbers `$N` parameters in order of first appearance: keep them in that order.
        .bind::<BigInt, _>(count)
        .bind::<BigInt, _>(post)
        .bind::<Timestamp, _>(early)
        .bind::<Timestamp, _>(late)
        .bind::<Date, _>(early.date())
        .bind::<BigInt, _>(recorder)
        .execute(c)
    });
    assert_eq!(inserted, usize::try_from(count).unwrap());
}

both_databases! {
    async fn every_column_of_every_table_is_classified(app) {
        let columns = app.query(repatrack::db::introspect::columns);
        let in_database: BTreeSet<(String, String)> = columns.iter().map(|c| (c.table.clone(), c.column.clone())).collect();
        let classified: BTreeSet<(String, String)> = CLASSIFIED.iter().map(|(t, c, _)| ((*t).to_owned(), (*c).to_owned())).collect();
        let unclassified: Vec<_> = in_database.difference(&classified).collect();
        assert!(unclassified.is_empty(), "columns nobody decided about: {unclassified:?} (add them to src/export/columns.rs)");
        let gone: Vec<_> = classified.difference(&in_database).collect();
        assert!(gone.is_empty(), "classified columns that no longer exist: {gone:?}");
        for (table, column, use_) in CLASSIFIED {
            if let Use::Exported(export, name) = use_ {
                let names = export_columns(export).unwrap_or_else(|| panic!("{table}.{column}: no export {export}"));
                assert!(names.contains(name), "{table}.{column}: {export} has no column {name}");
                // People's personal data leaves only through the people export, and that export
                // carries nothing else's columns besides references to other records.
                if MOST_SENSITIVE.contains(table) {
                    assert!(PEOPLE_EXPORTS.contains(export), "{table}.{column} is personal data exported by {export}");
                }
            }
        }
        let people_tables: BTreeSet<&str> = columns.iter().map(|c| c.table.as_str()).filter(|t| t.starts_with("person") || *t == "return_manifest").collect();
        for table in people_tables {
            assert!(MOST_SENSITIVE.contains(&table), "{table} holds people's data but is not classified most sensitive");
        }
    }

    async fn the_events_export_round_trips_through_a_csv_parser(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("officer", &[]).await;
        awkward(&app.client, "نقطة التفتيش، البوابة الشمالية", "said \"we were told to leave\",\nthen crossed", 1).await;
        awkward(&app.client, "+964 770 000 0000", "@all -3 people =SUM(A1)", 2).await;
        awkward(&app.client, "-5 returned to the gate", "", 3).await;
        record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "civilian", "2").await;
        let (headers, bytes) = get_bytes(&app.client, "/events.csv").await;
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(headers["content-disposition"], "attachment; filename=\"events.csv\"");
        assert!(!bytes.starts_with("\u{feff}".as_bytes()), "no BOM unless asked");
        let (header, rows) = parse_csv(&bytes);
        assert_eq!(header.join(","), "event_id,reference,post,occurred_at_utc,occurred_at_local,direction,category,headcount,officers,wounded,agreement,source,source_reference,notes,status,recorded_by,recorded_at_utc,verified_by,verified_at_utc,void_reason,flags");
        assert_eq!(rows.len(), 4);
        let first = &rows[0];
        assert_eq!(&first[1..8], ["QAIM-2024-0001", "QAIM", "2024-12-07T07:00:00Z", "2024-12-07T10:00:00+03:00", "inbound", "civilian", "3"]);
        assert_eq!(first[11], "نقطة التفتيش، البوابة الشمالية");
        assert_eq!(first[12], "'=HYPERLINK(\"http://x\")", "formula-like cells are defused");
        assert_eq!(first[13], "said \"we were told to leave\",\nthen crossed");
        assert_eq!((first[14].as_str(), first[15].as_str(), first[16].as_str()), ("pending", "officer", "2024-12-18T09:00:00Z"));
        assert_eq!(rows[1][11], "'+964 770 000 0000");
        assert_eq!(rows[1][13], "'@all -3 people =SUM(A1)");
        assert_eq!(rows[2][11], "'-5 returned to the gate");
        assert_eq!(rows[3][5], "outbound");
        assert_eq!(rows[3][20], "", "civilian returns are not flagged");
        // RFC 4180: every record ends in CRLF; a line break inside a quoted cell stays as typed.
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.matches("\r\n").count(), 5, "a header and four records");
        assert!(text.ends_with("\r\n"));
        assert!(text.contains("leave\"\",\nthen crossed\""));
        // With a BOM for spreadsheet programs: the same rows after three bytes.
        let (_, with_bom) = get_bytes(&app.client, "/events.csv?bom=1").await;
        assert_eq!(&with_bom[..3], [0xEF, 0xBB, 0xBF]);
        assert_eq!(&with_bom[3..], &bytes[..]);
        // An independent writer (Python's sqlite3, zoneinfo and csv modules) reading the same
        // SQLite file must produce the same bytes.
        if app.backend == Backend::Sqlite {
            let total: i64 = app.query(|c| crossing_events::table.count().get_result(c));
            assert_eq!(i64::try_from(rows.len()).unwrap(), total, "the export holds every event");
            same_as_independent_writer(&app.database_url(), &bytes);
        }
    }

    async fn an_export_holds_exactly_what_the_page_lists_and_its_record_matches_the_bytes(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("officer", &[]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "RABIA", "2024-12-07T10:00", "inbound", "military", "40").await;
        record(&app.client, "QAIM", "2024-12-15T10:00", "outbound", "military", "100").await;
        record(&app.client, "QAIM", "2024-12-16T10:00", "inbound", "civilian", "7").await;
        record(&app.client, "QAIM", "2024-12-17T10:00", "outbound", "military", "5").await;
        let query = "post=QAIM&direction=outbound&from=2024-12-01&to=2024-12-31";
        let page = app.client.get_html(&format!("/events?{query}")).await;
        assert!(page.replace("&#38;", "&").contains(&format!("href=\"/events.csv?{query}\"")), "the page links its own export");
        let listed: BTreeSet<String> = page.split("dir=\"ltr\">QAIM-2024-").skip(1).map(|s| format!("QAIM-2024-{}", &s[..4])).collect();
        let (headers, bytes) = get_bytes(&app.client, &format!("/events.csv?{query}")).await;
        assert_eq!(headers["content-disposition"], "attachment; filename=\"events-QAIM-2024-12-01-to-2024-12-31.csv\"");
        let (_, rows) = parse_csv(&bytes);
        let exported: BTreeSet<String> = rows.iter().map(|r| r[1].clone()).collect();
        assert_eq!(exported, listed);
        assert_eq!(exported.len(), 2);
        assert!(rows.iter().all(|r| r[20] == "no_agreement_cited"), "military returns without agreement are flagged");
        // The trail holds the export: who, which, its filters, the rows and the bytes' SHA-256.
        let record = last_export(&app);
        assert_eq!(record["export"], "events");
        assert_eq!(record["filters"], query);
        assert_eq!(record["rows"], 2);
        assert_eq!(record["complete"], true);
        assert_eq!(record["sha256"], hex::encode(Sha256::digest(&bytes)));
        // Scope: an officer of Rabia only gets Rabia's events.
        let rabia = app.new_client();
        app.create_user("rabia.officer", "officer", &["RABIA"], false);
        rabia.login("rabia.officer", PASSWORD).await;
        let (_, bytes) = get_bytes(&rabia, "/events.csv").await;
        let (_, rows) = parse_csv(&bytes);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][2], "RABIA");
        let (_, bytes) = get_bytes(&rabia, "/events.csv?post=QAIM").await;
        assert_eq!(parse_csv(&bytes).1.len(), 0, "another post's code finds nothing");
        // Bad filters are refused, not ignored.
        assert_eq!(app.client.get("/events.csv?from=yesterday").await.status().as_u16(), 422);
    }

    async fn the_headcount_report_has_every_day_totals_and_the_same_numbers_in_csv(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &[], true);
        app.login_as("officer", &["QAIM"]).await;
        let arrival = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "QAIM", "2024-12-08T10:00", "inbound", "civilian", "30").await;
        record(&app.client, "QAIM", "2024-12-10T10:00", "outbound", "military", "400").await;
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        chief.post_form(&format!("/events/{arrival}/verify"), &[("version", "1")]).await;
        assert_eq!(chief.post_form("/posts/QAIM/days/2024-12-07/close", &[]).await.status().as_u16(), 303);
        let query = "post=QAIM&from=2024-12-06&to=2024-12-11";
        let page = app.client.get_html(&format!("/reports/headcount?{query}")).await;
        let section = page.split("id=\"report-QAIM\"").nth(1).unwrap();
        assert_eq!(section.matches("<th scope=\"row\"><bdi>").count(), 6, "six days, none missing");
        assert!(section.contains("<tr class=\"closed\"><th scope=\"row\"><bdi>7 Dec 2024</bdi>"));
        // Verified figures, and beside them what pending entries add (the civilians and the
        // return await verification).
        let quiet = section.split("<bdi>9 Dec 2024</bdi></th>").nth(1).unwrap().split("</tr>").next().unwrap();
        assert_eq!(text_of_html(quiet), "0 0 1,100 0 0 0 +30 pending Open · verified");
        let return_day = section.split("<bdi>10 Dec 2024</bdi></th>").nth(1).unwrap().split("</tr>").next().unwrap();
        assert_eq!(text_of_html(return_day), "0 0 +400 pending 1,100 −400 pending 0 0 0 +30 pending Open · awaiting verification");
        let totals = section.split("class=\"totals\"").nth(1).unwrap().split("</tr>").next().unwrap();
        assert_eq!(text_of_html(&totals[totals.find('>').unwrap() + 1..]), "Totals 1,100 0 +400 pending 1,100 −400 pending 0 +30 pending 0 0 +30 pending");
        assert!(section.contains("<svg viewBox="));
        let (headers, bytes) = get_bytes(&app.client, &format!("/reports/headcount.csv?{query}")).await;
        assert_eq!(headers["content-disposition"], "attachment; filename=\"headcount-QAIM-2024-12-06-to-2024-12-11.csv\"");
        let (header, rows) = parse_csv(&bytes);
        assert_eq!(header.join(","), "post,date,category,inbound,outbound,present_end_of_day,inbound_pending,outbound_pending,present_end_of_day_verified,day_closed");
        assert_eq!(rows.len(), 12);
        let line = |i: usize| rows[i].join(",");
        assert_eq!(line(0), "QAIM,2024-12-06,military,0,0,0,0,0,0,no");
        assert_eq!(line(2), "QAIM,2024-12-07,military,1100,0,1100,0,0,1100,yes");
        assert_eq!(line(3), "QAIM,2024-12-07,civilian,0,0,0,0,0,0,yes");
        assert_eq!(line(5), "QAIM,2024-12-08,civilian,30,0,30,30,0,0,no");
        assert_eq!(line(6), "QAIM,2024-12-09,military,0,0,1100,0,0,1100,no");
        assert_eq!(line(8), "QAIM,2024-12-10,military,0,400,700,0,400,1100,no");
        assert_eq!(line(11), "QAIM,2024-12-11,civilian,0,0,30,0,0,0,no");
        let (_, military) = get_bytes(&app.client, &format!("/reports/headcount.csv?{query}&category=military")).await;
        assert_eq!(parse_csv(&military).1.len(), 6);
        assert_eq!(app.client.get("/reports/headcount?from=2024-12-10&to=2024-12-01").await.status().as_u16(), 422);
        assert_eq!(app.client.get("/reports/headcount?from=2023-01-01&to=2024-12-01").await.status().as_u16(), 422);
    }

    async fn the_command_line_writes_the_same_bytes_as_the_pages_export(app) {
        app.create_post("QAIM");
        let (chief, deputy) = (app.new_client(), app.new_client());
        app.create_user("chief", "supervisor", &[], true);
        app.create_user("deputy", "supervisor", &[], true);
        chief.login("chief", PASSWORD).await;
        deputy.login("deputy", PASSWORD).await;
        app.login_as("admin", &[]).await;
        awkward(&app.client, "سجل البوابة, \"north\"", "=1+1", 1).await;
        record(&app.client, "QAIM", "2024-12-15T10:00", "outbound", "civilian", "1").await;
        let response = chief.post_form("/agreements", &[
            ("reference", "IQ-SY-2024-12"), ("title", "عودة"), ("parties", "Iraq, Syria"), ("signed_on", "2024-12-18"),
            ("effective_from", "2024-12-18"), ("post_codes", "QAIM"), ("clause_kind", "no_reprisals"), ("clause_text", "-no reprisals"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let cli = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_repatrack"))
                .args(args)
                .env("DATABASE_URL", app.database_url())
                .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
                .env("RUST_LOG", "warn")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        for (args, path) in [
            (vec!["export", "events", "--post", "QAIM", "--from", "2024-12-01", "--to", "2024-12-31", "--bom"], "/events.csv?post=QAIM&from=2024-12-01&to=2024-12-31&bom=1"),
            (vec!["export", "events"], "/events.csv"),
            (vec!["export", "agreements"], "/agreements.csv"),
            (vec!["export", "agreements", "--post", "QAIM"], "/agreements.csv?post=QAIM"),
            (vec!["export", "headcount", "--from", "2024-12-01", "--to", "2024-12-20"], "/reports/headcount.csv?from=2024-12-01&to=2024-12-20"),
            // The command line's own export entries are dated now, after this window.
            (vec!["export", "audit", "--from", "2024-12-01", "--to", "2024-12-31"], "/audit.csv?from=2024-12-01&to=2024-12-31"),
        ] {
            let from_cli = cli(&args);
            let (_, from_http) = get_bytes(&app.client, path).await;
            assert!(from_http.len() > 100, "{path} is not empty");
            assert_eq!(String::from_utf8_lossy(&from_cli), String::from_utf8_lossy(&from_http), "{args:?} vs {path}");
        }
        let exports: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("export")).filter(audit_log::actor.eq("system")).count().get_result(c));
        assert_eq!(exports, 6, "the command line's exports are recorded too");
        // A filter the export does not have is refused, not ignored.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_repatrack"))
            .args(["export", "agreements", "--from", "2024-12-01"])
            .env("DATABASE_URL", app.database_url())
            .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "repatrack: --from and --to do not apply to agreements (only --post)\n");
    }

    async fn a_command_line_export_that_cannot_be_recorded_fails_and_says_why(app) {
        use diesel::connection::SimpleConnection;
        app.create_post("QAIM");
        app.login_as("admin", &[]).await;
        record(&app.client, "QAIM", "2024-12-15T10:00", "inbound", "civilian", "3").await;
        // The database refuses export entries (as a full disk or a broken chain would).
        let refuse = match &mut *app.conn() {
            repatrack::db::DbConn::Sqlite(c) => c.batch_execute(
                "CREATE TRIGGER refuse_exports BEFORE INSERT ON audit_log WHEN NEW.action = 'export' \
                 BEGIN SELECT RAISE(ABORT, 'exports refused by this test'); END;",
            ),
            repatrack::db::DbConn::Postgres(c) => c.batch_execute(
                "CREATE FUNCTION refuse_exports() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'exports refused by this test'; END $$; \
                 CREATE TRIGGER refuse_exports BEFORE INSERT ON audit_log FOR EACH ROW \
                 WHEN (NEW.action = 'export') EXECUTE FUNCTION refuse_exports();",
            ),
        };
        refuse.unwrap();
        let out = crate::backup::run(&["export", "events"], &app.database_url(), &[]);
        assert_eq!(out.status.code(), Some(1), "an export missing from the trail is a failure");
        let (_, rows) = parse_csv(&out.stdout);
        assert_eq!(rows.len(), 1, "the bytes were written before the record was tried");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("repatrack: the export was written but could not be recorded in the audit trail: ")
                && stderr.contains("exports refused by this test"),
            "{stderr}"
        );
        let exports: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("export")).count().get_result(c));
        assert_eq!(exports, 0);
    }

    async fn a_long_export_holds_every_row_once_in_order(app) {
        app.create_post("QAIM");
        let admin = app.login_as("admin", &[]).await;
        let post = app.query(|c| repatrack::db::posts::find_by_code(c, "QAIM")).unwrap();
        // Several batches (read on one thread, written on another), cut inside runs of equal
        // instants: a third of the rows at 07:00, the rest at 06:00.
        let day = chrono::NaiveDate::from_ymd_opt(2024, 12, 7).unwrap();
        bulk_events(&app, post.id.0, admin, 12_345, day.and_hms_opt(7, 0, 0).unwrap(), day.and_hms_opt(6, 0, 0).unwrap());
        let (_, bytes) = get_bytes(&app.client, "/events.csv").await;
        let (_, rows) = parse_csv(&bytes);
        assert_eq!(rows.len(), 12_345);
        let order: Vec<(String, i64)> = rows.iter().map(|r| (r[3].clone(), r[0].parse().unwrap())).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "oldest first, then by id, each once");
        assert_eq!(order.iter().filter(|(at, _)| at == "2024-12-07T06:00:00Z").count(), 8_230);
        assert_eq!(order[8_229].0, "2024-12-07T06:00:00Z");
        assert_eq!(order[8_230].0, "2024-12-07T07:00:00Z");
        assert_eq!(rows[0][4], "2024-12-07T09:00:00+03:00");
        let record = last_export(&app);
        assert_eq!(record["rows"], 12_345);
        assert_eq!(record["complete"], true);
        assert_eq!(record["sha256"], hex::encode(Sha256::digest(&bytes)));
    }

    async fn reading_events_on_two_threads_stops_cleanly_however_the_writer_ends(app) {
        use repatrack::db::event_lists::{Filter, for_each};
        app.create_post("QAIM");
        let admin = app.create_user("bulk.admin", "admin", &[], true);
        let post = app.query(|c| repatrack::db::posts::find_by_code(c, "QAIM")).unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2024, 12, 7).unwrap().and_hms_opt(7, 0, 0).unwrap();
        // Four batches, so the reader is blocked handing one over when the writer ends.
        bulk_events(&app, post.id.0, admin, 20_000, at, at);
        let run = |stop_after: Option<usize>, panic_after: Option<usize>| {
            let pool = app.pool.clone();
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut seen = 0usize;
                    let mut conn = pool.get().unwrap();
                    for_each(&mut conn, &Filter::within(repatrack::domain::policy::Principal::operator().scope().clone()), |_| {
                        seen += 1;
                        assert_ne!(Some(seen), panic_after, "the writer fails");
                        Some(seen) != stop_after
                    })
                    .unwrap();
                    seen
                }));
                let _ = done.send(outcome.ok());
            });
            // A hang here would be the reader waiting for ever on a writer that is gone.
            finished.recv_timeout(std::time::Duration::from_secs(60)).expect("for_each returned")
        };
        assert_eq!(run(None, None), Some(20_000), "every row once");
        assert_eq!(run(Some(7_500), None), Some(7_500), "stops when told");
        assert_eq!(run(None, Some(7_500)), None, "a panic in the writer reaches the caller");
        // The pool still works afterwards: no connection was left held by a stuck reader.
        let total: i64 = app.query(|c| crossing_events::table.count().get_result(c));
        assert_eq!(total, 20_000);
    }

    async fn an_export_that_breaks_part_way_is_recorded_as_incomplete(app) {
        use repatrack::export::{Export, write_csv};
        let mut conn = app.conn();
        let export = Export { name: "events", file_name: "events.csv".into(), filters: String::new(), bom: false };
        // A bug while writing rows: the export ends, and the trail says how far it got.
        let outcome = write_csv(&mut conn, &repatrack::audit::Actor::system(), &app.clock, export, &["n"], Box::new(std::io::sink()), |_, sink| {
            assert!(sink.row(["1"]));
            assert!(sink.row(["2"]));
            panic!("a bug while writing rows (this panic is part of the test)");
        });
        assert!(!outcome.complete);
        assert_eq!(outcome.rows, 2);
        let record = last_export(&app);
        assert_eq!(record["export"], "events");
        assert_eq!(record["rows"], 2);
        assert_eq!(record["complete"], false);
        assert_eq!(record["sha256"], outcome.sha256);
    }

    async fn a_client_that_goes_away_stops_the_export(app) {
        app.create_post("QAIM");
        let admin = app.login_as("admin", &[]).await;
        let post = app.query(|c| repatrack::db::posts::find_by_code(c, "QAIM")).unwrap();
        // Enough rows to outlast the channel's few chunks.
        let at = chrono::NaiveDate::from_ymd_opt(2024, 12, 7).unwrap().and_hms_opt(7, 0, 0).unwrap();
        bulk_events(&app, post.id.0, admin, 30_000, at, at);
        let mut response = app.client.get("/events.csv").await;
        assert_eq!(response.status().as_u16(), 200);
        let first = response.chunk().await.unwrap().unwrap();
        assert!(first.starts_with(b"event_id,reference"));
        drop(response);
        // The export notices at its next chunk and records how far it got.
        let mut record = serde_json::Value::Null;
        for _ in 0..100 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let found: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("export")).count().get_result(c));
            if found == 1 {
                record = last_export(&app);
                break;
            }
        }
        assert_eq!(record["complete"], false, "{record}");
        let rows = record["rows"].as_u64().unwrap();
        assert!(rows < 30_000, "stopped early: {rows} rows");
        let total: i64 = app.query(|c| crossing_events::table.count().get_result(c));
        assert_eq!(total, 30_000);
    }
}

#[test]
fn an_unknown_export_has_no_columns() {
    assert_eq!(export_columns("passwords"), None);
    let _ = record_with_key;
}
