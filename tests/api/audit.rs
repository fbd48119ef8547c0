//! The audit trail: one entry per change in the same transaction, a chain that catches any
//! edit, deletion or reordering at the exact seq, and that holds under concurrent writers.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use repatrack::audit::verify::verify;
use repatrack::audit::{self, Action, Actor, Details, Entry};
use repatrack::db::schema::{audit_log, border_posts};
use repatrack::error::AppError;

use crate::helpers::*;

#[derive(Debug, PartialEq, Eq, Queryable)]
struct Row {
    seq: i64,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    post: String,
    details: String,
}

fn entries(app: &TestApp) -> Vec<Row> {
    app.query(|c| {
        audit_log::table
            .select((
                audit_log::seq,
                audit_log::actor,
                audit_log::action,
                audit_log::entity,
                audit_log::entity_id,
                audit_log::post,
                audit_log::details,
            ))
            .order(audit_log::seq)
            .load(c)
    })
}

fn actions(app: &TestApp) -> Vec<String> {
    entries(app).into_iter().map(|r| r.action).collect()
}

/// Writes `n` audited changes (a trivial preference toggle), at the app's clock.
fn changes(pool: &repatrack::db::Pool, clock: &repatrack::clock::Clock, user: i64, n: usize) {
    let actor = Actor::system();
    for i in 0..n {
        let mut conn = pool.get().unwrap();
        let language = if i % 2 == 0 { "ar" } else { "en" };
        audit::write(&mut conn, &actor, clock.now(), |w| {
            repatrack::db::users::set_preferences(
                w,
                repatrack::domain::ids::UserId(user),
                language,
                "western",
            )?;
            let details = Details::new().fact("language", language);
            w.record(Entry {
                action: Action::AccountPreferences,
                entity: "user",
                entity_id: user.to_string(),
                post: None,
                details,
            })?;
            Ok::<_, AppError>(())
        })
        .unwrap();
    }
}

/// Rewrites the whole chain as a careless (or malicious) operator with the hashing code could:
/// each entry in the format `format_of(seq)` says, hashes recomputed, head moved along.
fn rehash(app: &TestApp, format_of: impl Fn(i64) -> audit::chain::Format) {
    use repatrack::db::audit::AuditRow;
    use repatrack::db::schema::audit_head;
    let rows: Vec<AuditRow> = app.query(|c| {
        audit_log::table
            .select(AuditRow::as_select())
            .order(audit_log::seq)
            .load(c)
    });
    let mut prev = audit::chain::GENESIS.to_owned();
    for row in rows {
        let format = format_of(row.seq);
        let hash = audit::chain::hash(format, &prev, &row.fields());
        app.query(|c| {
            diesel::update(audit_log::table.find(row.seq))
                .set((
                    audit_log::format.eq(format.number()),
                    audit_log::prev_hash.eq(&prev),
                    audit_log::hash.eq(&hash),
                ))
                .execute(c)
        });
        app.query(|c| {
            diesel::update(audit_head::table)
                .set(audit_head::hash.eq(&hash))
                .execute(c)
        });
        prev = hash;
    }
}

both_databases! {
    async fn every_change_through_the_pages_leaves_exactly_one_entry(app) {
        app.login_as("admin", &[]).await;
        let response = app.client.post_form("/posts", &[("code", "QAIM"), ("name_en", "Al-Qaim"), ("name_ar", "القائم"),
            ("country", "IQ"), ("neighbour_country", "SY"), ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "")]).await;
        assert_redirects_to(&response, "/posts/QAIM");
        // Saving the same values again changes nothing and records nothing.
        let same = [("name_en", "Al-Qaim"), ("name_ar", "القائم"), ("country", "IQ"), ("neighbour_country", "SY"),
            ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Asia/Baghdad"), ("active", "1"), ("version", "1")];
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &same).await, "/posts/QAIM");
        let mut renamed = same.to_vec();
        renamed[0] = ("name_en", "Al-Qaim crossing");
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &renamed).await, "/posts/QAIM");
        app.client.post_form("/logout", &[]).await;

        let rows = entries(&app);
        let got: Vec<(i64, &str, &str, &str)> = rows.iter().map(|r| (r.seq, r.actor.as_str(), r.action.as_str(), r.post.as_str())).collect();
        // An administrator has a second factor (set up when the account was made, here by the
        // test as the command line would): the password step, then the sign-in with the code.
        assert_eq!(got, [
            (1, "system", "user.create", ""),
            (2, "system", "account.two_factor_enable", ""),
            (3, "admin", "auth.second_factor_asked", ""),
            (4, "admin", "auth.login", ""),
            (5, "admin", "post.create", "QAIM"),
            (6, "admin", "post.update", "QAIM"),
            (7, "admin", "auth.logout", ""),
        ]);
        assert_eq!(rows[5].details, r#"{"changes":{"name_en":{"after":"Al-Qaim crossing","before":"Al-Qaim"}}}"#);
        assert!(rows[4].details.contains(r#""name_ar":{"after":"القائم","before":null}"#), "{}", rows[4].details);
        let report = verify(&mut app.conn()).unwrap();
        assert!(report.intact(), "{report:?}");
        assert_eq!((report.entries, report.head_seq), (7, 7));
    }

    async fn refused_requests_and_failed_sign_ins_are_recorded_but_grouped(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        assert_eq!(app.get("/posts/new").await.status().as_u16(), 403);
        assert_eq!(app.client.post_raw("/posts", &[("code", "X")]).await.status().as_u16(), 403);
        let other = app.new_client();
        for _ in 0..12 {
            other.login("ghost", "wrong wrong wrong wrong").await;
        }
        let rows = entries(&app);
        let denied: Vec<&str> = rows.iter().filter(|r| r.action == "access.denied").map(|r| r.details.as_str()).collect();
        assert_eq!(denied, [
            r#"{"method":"GET","path":"/posts/new","reason":"role"}"#,
            r#"{"method":"POST","path":"/posts","reason":"csrf"}"#,
        ]);
        // Twelve tries from one address: the first failure and the lock at the fifth are
        // recorded; the seven tries refused while locked are not even checked, nor recorded.
        let failures: Vec<(&str, &str)> = rows.iter()
            .filter(|r| r.action == "auth.login_failed" || r.action == "auth.lockout")
            .map(|r| (r.action.as_str(), r.details.as_str()))
            .collect();
        assert_eq!(failures, [
            ("auth.login_failed", r#"{"failures_from_address":1}"#),
            ("auth.lockout", r#"{"consecutive_failures":5,"locked_minutes":1}"#),
        ]);
        assert!(verify(&mut app.conn()).unwrap().intact());
    }

    async fn the_acting_account_is_hashed_from_format_2_and_older_entries_still_verify(app) {
        let user = app.create_user("sara", "officer", &[], false);
        let id = repatrack::domain::ids::UserId(user);
        let sara = Actor { user_id: Some(id), name: "sara".into(), ip: "10.0.0.7".into() };
        for language in ["ar", "en", "ar"] {
            audit::write(&mut app.conn(), &sara, app.clock.now(), |w| {
                repatrack::db::users::set_preferences(w, id, language, "western")?;
                w.record(Entry::about_user(Action::AccountPreferences, id, Details::new().fact("language", language)))?;
                Ok::<_, AppError>(())
            })
            .unwrap();
        }
        let formats: Vec<(i64, Option<i64>, i32)> =
            app.query(|c| audit_log::table.select((audit_log::seq, audit_log::actor_id, audit_log::format)).order(audit_log::seq).load(c));
        assert_eq!(formats, [(1, None, 2), (2, Some(user), 2), (3, Some(user), 2), (4, Some(user), 2)], "new entries are format 2 and carry the account");
        assert!(verify(&mut app.conn()).unwrap().intact());
        // Finding 3 of issue 17: the acting account is covered by the hash.
        app.conn().batch_execute("UPDATE audit_log SET actor_id = 999 WHERE seq = 3").unwrap();
        assert_eq!(verify(&mut app.conn()).unwrap().summary(), "audit chain broken at seq 3: contents do not match the stored hash");
        app.conn().batch_execute(&format!("UPDATE audit_log SET actor_id = {user} WHERE seq = 3")).unwrap();
        app.conn().batch_execute("UPDATE audit_log SET actor_id = 999 WHERE seq = 1").unwrap();
        assert_eq!(verify(&mut app.conn()).unwrap().first_broken, Some(1), "a system entry given an account");
        app.conn().batch_execute("UPDATE audit_log SET actor_id = NULL WHERE seq = 1").unwrap();
        assert!(verify(&mut app.conn()).unwrap().intact());

        // Entries written before format 2 existed (format 1, no actor_id in the hash) still
        // verify, followed by format 2 ones.
        use audit::chain::Format;
        rehash(&app, |seq| if seq <= 2 { Format::V1 } else { Format::V2 });
        assert!(verify(&mut app.conn()).unwrap().intact());
        // But a format 2 entry cannot be rewritten into format 1 to shed its account.
        rehash(&app, |seq| if seq <= 2 || seq == 4 { Format::V1 } else { Format::V2 });
        assert_eq!(
            verify(&mut app.conn()).unwrap().summary(),
            "audit chain broken at seq 4: the entry's format is older than the entry before it"
        );
        app.conn().batch_execute("UPDATE audit_log SET format = 7 WHERE seq = 4").unwrap();
        assert_eq!(verify(&mut app.conn()).unwrap().summary(), "audit chain broken at seq 4: unknown canonical format 7");
    }

    async fn editing_deleting_or_reordering_one_entry_is_caught_at_that_seq(app) {
        let user = app.create_user("sara", "officer", &[], false);
        changes(&app.pool, &app.clock, user, 9);
        assert_eq!(verify(&mut app.conn()).unwrap().entries, 10);
        // An edit.
        app.conn().batch_execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4").unwrap();
        let report = verify(&mut app.conn()).unwrap();
        assert_eq!(report.first_broken, Some(4), "{report:?}");
        assert_eq!(report.summary(), "audit chain broken at seq 4: contents do not match the stored hash");
        app.conn().batch_execute("UPDATE audit_log SET actor = 'system' WHERE seq = 4").unwrap();
        assert!(verify(&mut app.conn()).unwrap().intact());
        // A reordering: entries 6 and 7 swap places.
        app.conn().batch_execute("UPDATE audit_log SET seq = -6 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -6;").unwrap();
        assert_eq!(verify(&mut app.conn()).unwrap().first_broken, Some(6));
        app.conn().batch_execute("UPDATE audit_log SET seq = -6 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -6;").unwrap();
        assert!(verify(&mut app.conn()).unwrap().intact());
        // A deletion.
        app.conn().batch_execute("DELETE FROM audit_log WHERE seq = 8").unwrap();
        let report = verify(&mut app.conn()).unwrap();
        assert_eq!(report.first_broken, Some(8), "{report:?}");
        // Cutting off the end is caught by the head.
        app.conn().batch_execute("DELETE FROM audit_log WHERE seq >= 8").unwrap();
        assert_eq!(verify(&mut app.conn()).unwrap().first_broken, Some(8));
        // A missing head is reported, not an error.
        app.conn().batch_execute("DELETE FROM audit_head").unwrap();
        let report = verify(&mut app.conn()).unwrap();
        assert_eq!((report.first_broken, report.problem.as_deref()), (Some(8), Some("the chain head is missing")));
    }

    async fn a_change_whose_entry_cannot_be_written_leaves_no_trace(app) {
        app.login_as("admin", &[]).await;
        let before = actions(&app);
        // Break the append: the chain head is gone.
        app.conn().batch_execute("DELETE FROM audit_head").unwrap();
        let response = app.client.post_form("/posts", &[("code", "QAIM"), ("name_en", "Al-Qaim"), ("name_ar", "القائم"),
            ("country", "IQ"), ("neighbour_country", "SY"), ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "")]).await;
        assert_eq!(response.status().as_u16(), 500);
        let posts: i64 = app.query(|c| border_posts::table.count().get_result(c));
        assert_eq!(posts, 0, "the post was rolled back with its entry");
        assert_eq!(actions(&app), before);
    }

    async fn a_change_without_its_entry_is_refused(app) {
        let user = app.create_user("sara", "officer", &[], false);
        let mut conn = app.conn();
        let result = audit::write(&mut conn, &Actor::system(), app.clock.now(), |w| {
            repatrack::db::users::set_preferences(w, repatrack::domain::ids::UserId(user), "ar", "western")?;
            Ok::<_, AppError>(())
        });
        assert!(matches!(result, Err(AppError::Internal { .. })), "{result:?}");
        let language: String = app.query(|c| repatrack::db::schema::users::table.find(user).select(repatrack::db::schema::users::language).first(c));
        assert_eq!(language, "en", "nothing was written");
    }

    async fn eight_concurrent_writers_make_one_gapless_verifying_chain(app) {
        let user = app.create_user("sara", "officer", &[], false);
        let writers: Vec<_> = (0..8).map(|_| {
            let (pool, clock) = (app.pool.clone(), app.clock.clone());
            std::thread::spawn(move || changes(&pool, &clock, user, 200))
        }).collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let seqs: Vec<i64> = app.query(|c| audit_log::table.select(audit_log::seq).order(audit_log::seq).load(c));
        assert_eq!(seqs, (1..=1601).collect::<Vec<i64>>());
        let report = verify(&mut app.conn()).unwrap();
        assert!(report.intact(), "{report:?}");
        assert_eq!(report.entries, 1601);
        assert_eq!((report.checkpoints, report.last_checkpoint), (1, Some(1000)), "signed at the thousandth entry");
    }

    async fn checkpoints_are_signed_every_thousand_entries_and_every_hour_and_a_forged_one_is_caught(app) {
        use repatrack::audit::checkpoint;
        let user = app.create_user("sara", "officer", &[], false);
        changes(&app.pool, &app.clock, user, 999);
        let signed = checkpoint::all(&mut app.conn()).unwrap();
        assert_eq!(signed.len(), 1);
        assert_eq!(signed[0].seq, 1000);
        assert!(signed[0].signature_valid());
        let key = checkpoint::installed().unwrap();
        assert_eq!(signed[0].public_key, hex::encode(key.verifying_key().to_bytes()));
        // Nothing new: nothing to sign. One more entry: signed once the last checkpoint is an hour old.
        let now = app.clock.now();
        assert_eq!(checkpoint::sign_if_due(&mut app.conn(), key, now).unwrap(), None);
        changes(&app.pool, &app.clock, user, 1);
        assert_eq!(checkpoint::sign_if_due(&mut app.conn(), key, now + chrono::Duration::minutes(59)).unwrap(), None);
        assert_eq!(checkpoint::sign_if_due(&mut app.conn(), key, now + chrono::Duration::minutes(61)).unwrap(), Some(1001));
        let report = verify(&mut app.conn()).unwrap();
        assert!(report.intact(), "{report:?}");
        assert!(report.summary().ends_with("2 signed checkpoints (latest at seq 1001)"), "{}", report.summary());
        // A forged checkpoint fails its signature.
        app.conn().batch_execute(&format!("UPDATE audit_checkpoints SET hash = '{}' WHERE seq = 1000", "0".repeat(64))).unwrap();
        let report = verify(&mut app.conn()).unwrap();
        assert_eq!(report.first_broken, Some(1000));
        assert_eq!(report.problem.as_deref(), Some("the checkpoint's signature is not valid"));
        // The page and the export show them.
        app.login_as("auditor", &[]).await;
        let page = app.client.get_html("/audit/verify").await;
        assert!(page.contains("NOT valid"), "the forged one is flagged");
        let csv = app.get("/audit/checkpoints.csv").await.text().await.unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.starts_with("seq,hash,at_utc,public_key,signature\r\n1000,"));
    }
}

#[test]
fn every_action_in_the_code_is_emitted_somewhere() {
    let code: String = production_sources()
        .into_iter()
        .filter(|(path, _)| !path.ends_with("audit/action.rs"))
        .map(|(_, code)| code)
        .collect();
    for action in Action::ALL {
        let name = format!("Action::{action:?}");
        assert!(
            code.contains(&name),
            "{name} ({}) is never recorded outside tests",
            action.code()
        );
    }
}

#[test]
fn audit_verify_on_the_command_line_names_the_first_broken_seq() {
    let (dir, url) = sqlite_database();
    let db = dir.path().join("test.db").display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_repatrack"))
            .args(args)
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "warn")
            // A fixed key: commands on PostgreSQL would otherwise keep theirs in the working directory.
            .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["demo", "--empty"]).status.code(), Some(0));
    let ok = run(&["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0));
    let line = String::from_utf8(ok.stdout).unwrap();
    assert!(
        line.starts_with("audit chain intact: 7 entries, head "),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    let mut conn = repatrack::db::connect_pool(&url, None)
        .unwrap()
        .get()
        .unwrap();
    conn.batch_execute("UPDATE audit_log SET details = '{}' WHERE seq = 5")
        .unwrap();
    let broken = run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(broken.stderr).unwrap(),
        "repatrack: audit chain broken at seq 5: contents do not match the stored hash\n"
    );
}

both_databases! {
    async fn the_review_list_filters_pages_and_respects_scope(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        let user = app.create_user("sara", "officer", &[], false);
        changes(&app.pool, &app.clock, user, 60);
        app.login_as("auditor", &[]).await;
        // Newest first, 50 a page, then the older ones.
        let first = app.client.get_html("/audit").await;
        assert_eq!(first.matches("<tr id=\"seq-").count(), 50);
        // 2 posts, sara, 60 changes, the auditor's account and sign-in: 65 entries.
        assert!(first.contains("<tr id=\"seq-65\">"), "newest first");
        assert!(first.contains("href=\"/audit?before=16\""), "{}", &first[first.len().saturating_sub(600)..]);
        let second = app.client.get_html("/audit?before=16").await;
        assert_eq!(second.matches("<tr id=\"seq-").count(), 15);
        assert!(second.contains("<tr id=\"seq-15\">") && second.contains("<tr id=\"seq-1\">"));
        assert!(!second.contains("rel=\"next\""), "no older page after the first entry");
        // Filters: action and post; a bad date is said beside the field.
        let posts = app.client.get_html("/audit?action=post.create").await;
        assert_eq!(posts.matches("<tr id=\"seq-").count(), 2);
        let qaim = app.client.get_html("/audit?post=qaim").await;
        assert_eq!(qaim.matches("<tr id=\"seq-").count(), 1);
        // Odd values are answered, never a 500: dates out of years 1-9999 beside the field.
        for (odd, status) in [
            ("/audit?from=-5000-01-01", 422),
            ("/audit?to=%2B262143-12-31", 422),
            ("/audit?before=-1", 200),
            ("/audit?before=99999999999", 200),
        ] {
            assert_eq!(app.get(odd).await.status().as_u16(), status, "{odd}");
        }
        let bad = app.get("/audit?from=18-12-2024").await;
        assert_eq!(bad.status().as_u16(), 422);
        assert!(bad.text().await.unwrap().contains("id=\"from-error\""));
        let today = app.clock.now().format("%Y-%m-%d").to_string();
        let dated = app.client.get_html(&format!("/audit?from={today}&to={today}&action=post.create")).await;
        assert_eq!(dated.matches("<tr id=\"seq-").count(), 2);

        // A supervisor of QAIM sees QAIM's entries only.
        app.create_user("chief", "supervisor", &["QAIM"], false);
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let scoped = chief.get_html("/audit").await;
        assert_eq!(scoped.matches("<tr id=\"seq-").count(), 1);
        assert!(scoped.contains("href=\"/posts/QAIM\""));
        // Officers do not review the trail.
        let officer = app.new_client();
        officer.login("sara", PASSWORD).await;
        assert_eq!(officer.get("/audit").await.status().as_u16(), 403);
    }

    async fn a_posts_history_shows_each_change_with_who_and_when(app) {
        app.login_as("admin", &[]).await;
        app.create_post("QAIM");
        let fields = [("name_en", "Al-Qaim crossing"), ("name_ar", "منفذ"), ("country", "IQ"), ("neighbour_country", "SY"),
            ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Asia/Baghdad"), ("active", "1"), ("version", "1")];
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &fields).await, "/posts/QAIM");
        assert!(app.client.get_html("/posts/QAIM").await.contains("href=\"/posts/QAIM/history\""));
        let history = app.client.get_html("/posts/QAIM/history").await;
        assert_eq!(history.matches("<tr id=\"seq-").count(), 2, "created, then renamed");
        assert!(history.contains("<del><bdi>QAIM post</bdi></del> → <ins><bdi>Al-Qaim crossing</bdi></ins>"), "{history}");
        assert!(history.contains("Border post changed"));
        assert!(history.contains("<bdi>admin</bdi>"));
    }

    async fn the_csv_export_holds_exactly_what_the_page_shows_and_is_itself_recorded(app) {
        app.create_post("QAIM");
        // An actor name a spreadsheet would run as a formula.
        let user = app.create_user("sara", "officer", &[], false);
        app.query(|c| diesel::update(audit_log::table.filter(audit_log::seq.eq(2))).set(audit_log::ip.eq("=cmd|' /C calc'!A0")).execute(c));
        changes(&app.pool, &app.clock, user, 3);
        app.login_as("auditor", &[]).await;
        let response = app.get("/audit.csv?bom=1&action=account.preferences").await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"audit.csv\"");
        let stamp = response.headers()["repatrack-audit"].to_str().unwrap().to_owned();
        let body = response.bytes().await.unwrap();
        // Where the chain stood in the export's snapshot: the entry before the export's own.
        let (head_seq, head_hash): (i64, String) =
            app.query(|c| audit_log::table.order(audit_log::seq.desc()).select((audit_log::seq, audit_log::hash)).offset(1).first(c));
        assert_eq!(stamp, format!("audit seq {head_seq}, head {head_hash}"));
        assert!(body.starts_with("\u{feff}seq,at_utc,".as_bytes()), "BOM, then the header");
        let (header, rows) = parse_csv(&body[3..]);
        assert_eq!(header, ["seq", "at_utc", "actor", "action", "entity", "entity_id", "post", "ip", "details", "prev_hash", "hash", "actor_id", "format"]);
        let seqs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(seqs, ["3", "4", "5"], "the same entries as /audit?action=account.preferences");
        assert_eq!(rows[0][8], r#"{"language":"ar"}"#);
        assert!(rows[0][1].ends_with('Z') && rows[0][1].len() == 27, "{}", rows[0][1]);

        // The export is an audit event: which, filters, rows, and the hash of the bytes sent.
        let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body));
        let last = entries(&app).pop().unwrap();
        assert_eq!((last.actor.as_str(), last.action.as_str()), ("auditor", "export"));
        assert_eq!(
            last.details,
            format!(r#"{{"as_of_seq":{head_seq},"complete":true,"export":"audit","filters":"action=account.preferences","rows":3,"sha256":"{digest}"}}"#)
        );

        // The whole trail: formula-like cells are defused, and a third party recomputes the
        // chain from the file alone.
        let all = app.get("/audit.csv").await.bytes().await.unwrap();
        let (_, rows) = parse_csv(&all);
        assert_eq!(rows[1][7], "'=cmd|' /C calc'!A0");
        // Put the entry back as it was, so the chain verifies, and check with the script.
        app.query(|c| diesel::update(audit_log::table.filter(audit_log::seq.eq(2))).set(audit_log::ip.eq("")).execute(c));
        let clean = app.get("/audit.csv").await.bytes().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("audit.csv");
        std::fs::write(&file, &clean).unwrap();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_audit_csv.py");
        match std::process::Command::new("python3").arg(&script).arg(&file).output() {
            Ok(out) => {
                let said = String::from_utf8_lossy(&out.stdout).to_string();
                assert_eq!(out.status.code(), Some(0), "{said}");
                assert!(said.starts_with(&format!("{} entries verify, last hash ", parse_csv(&clean).1.len())), "{said}");
                // One changed byte in the file is caught at its seq.
                let tampered = String::from_utf8(clean.to_vec()).unwrap().replacen("\"{\"\"language\"\":\"\"ar\"\"}\"", "\"{\"\"language\"\":\"\"en\"\"}\"", 1);
                std::fs::write(&file, tampered).unwrap();
                let out = std::process::Command::new("python3").arg(&script).arg(&file).output().unwrap();
                assert_eq!(out.status.code(), Some(1));
                assert_eq!(String::from_utf8_lossy(&out.stdout), "broken at seq 3: contents do not match the hash\n");
                // A deleted row is caught too (the file must hold the whole chain).
                let without_4: String = String::from_utf8(clean.to_vec()).unwrap().lines().filter(|l| !l.starts_with("4,")).map(|l| format!("{l}\n")).collect();
                std::fs::write(&file, without_4).unwrap();
                let out = std::process::Command::new("python3").arg(&script).arg(&file).output().unwrap();
                assert_eq!(out.status.code(), Some(1));
                assert_eq!(String::from_utf8_lossy(&out.stdout), "broken at seq 4: entry 4 is missing (found 5)\n");
            }
            Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("python3 is needed in CI"),
            Err(_) => eprintln!("python3 not found: the CSV verification script was not run"),
        }
    }

    async fn the_verify_page_shows_the_head_and_names_a_break(app) {
        let user = app.create_user("sara", "officer", &[], false);
        changes(&app.pool, &app.clock, user, 3);
        app.login_as("supervisor", &[]).await;
        let page = app.client.get_html("/audit/verify").await;
        assert!(page.contains("The chain is intact"));
        let head = verify(&mut app.conn()).unwrap().head_hash;
        assert!(page.contains(&head));
        app.conn().batch_execute("UPDATE audit_log SET details = '{}' WHERE seq = 2").unwrap();
        let page = app.client.get_html("/audit/verify").await;
        assert!(page.contains("The chain is broken at entry 2"), "{page}");
    }
}

both_databases! {
    async fn entry_times_never_go_backwards_so_dates_find_their_place(app) {
        let user = app.create_user("sara", "officer", &[], false);
        app.clock.advance(chrono::Duration::days(1));
        changes(&app.pool, &app.clock, user, 1);
        // A clock that steps back (another instance, a correction) records the previous time.
        let behind = repatrack::clock::Clock::manual(test_start());
        changes(&app.pool, &behind, user, 1);
        let times: Vec<chrono::NaiveDateTime> = app.query(|c| audit_log::table.select(audit_log::at).order(audit_log::seq).load(c));
        assert_eq!(times[0], test_start().naive_utc());
        assert_eq!(times[1], (test_start() + chrono::Duration::days(1)).naive_utc());
        assert_eq!(times[2], times[1], "not earlier than the entry before it");
        assert!(verify(&mut app.conn()).unwrap().intact());
        app.login_as("auditor", &[]).await;
        let first_day = test_start().format("%Y-%m-%d").to_string();
        let html = app.client.get_html(&format!("/audit?from={first_day}&to={first_day}")).await;
        assert_eq!(html.matches("<tr id=\"seq-").count(), 1, "only sara's creation is on the first day");
    }
}

both_databases! {
    async fn each_row_names_its_record_and_a_scoped_reviewer_is_told_of_hidden_entries(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.create_user("rabia", "officer", &["RABIA"], false);
        app.create_user("qsup", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let rabia = app.new_client();
        rabia.login("rabia", PASSWORD).await;
        let first = crate::events::record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "10").await;
        crate::events::record(&rabia, "RABIA", "2024-12-07T10:00", "inbound", "military", "10").await;
        crate::events::record(&app.client, "QAIM", "2024-12-07T11:00", "inbound", "military", "10").await;
        let qsup = app.new_client();
        qsup.login("qsup", PASSWORD).await;
        assert_eq!(qsup.post_form(&format!("/events/{first}/verify"), &[("version", "1")]).await.status().as_u16(), 303);
        let page = qsup.get_html("/audit").await;
        let records: Vec<String> = page.split("<td class=\"record\">").skip(1).map(|cell| text_of_html(cell.split("</td>").next().unwrap())).collect();
        assert_eq!(&records[..3], ["QAIM-2024-0001", "QAIM-2024-0002", "QAIM-2024-0001"], "newest first: verified, recorded, recorded");
        assert!(!records.iter().any(|r| r.starts_with("RABIA")), "{records:?}");
        // Every place the numbering skips (Rabia's entry, sign-ins, accounts) says so, once.
        let seqs: Vec<i64> = page.split("<tr id=\"seq-").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
        let jumps = seqs.windows(2).filter(|w| w[0] - w[1] > 1).count();
        assert!(jumps >= 1);
        assert_eq!(page.matches("Entries not about your posts are not shown here.").count(), jumps);
        // Filtered, the gaps are what was asked for.
        let filtered = qsup.get_html("/audit?action=event.create").await;
        assert!(!filtered.contains("Entries not about your posts are not shown here."));
        // A closed day is named by its post and date.
        let chief = app.new_client();
        app.create_user("chief", "supervisor", &[], true);
        chief.login("chief", PASSWORD).await;
        let second = app.query(|c| {
            use diesel::prelude::*;
            repatrack::db::schema::crossing_events::table
                .filter(repatrack::db::schema::crossing_events::reference.eq("QAIM-2024-0002"))
                .select(repatrack::db::schema::crossing_events::id)
                .first::<i64>(c)
        });
        chief.post_form(&format!("/events/{second}/verify"), &[("version", "1")]).await;
        assert_eq!(chief.post_form("/posts/QAIM/days/2024-12-07/close", &[]).await.status().as_u16(), 303);
        let page = chief.get_html("/audit").await;
        let newest = text_of_html(page.split("<td class=\"record\">").nth(1).unwrap().split("</td>").next().unwrap());
        assert_eq!(newest, "QAIM · 7 Dec 2024");
    }
}

/// PostgreSQL: a writer that waited for the chain head's lock still sees the entry written by
/// the writer it waited for, and takes that entry's time if its own clock is behind. (Read in
/// the same statement as the lock, the entry would come from the snapshot taken before the wait,
/// which does not hold it: the time would silently go backwards.)
#[tokio::test]
async fn a_writer_that_waited_for_the_chain_head_never_writes_an_earlier_time() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let user = app.create_user("sara", "officer", &[], false);
    let ahead = repatrack::clock::Clock::manual(test_start() + chrono::Duration::days(1));
    let behind = repatrack::clock::Clock::manual(test_start());
    let (locked, wait_for_lock) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let first = {
        let pool = app.pool.clone();
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            audit::write(&mut conn, &Actor::system(), ahead.now(), |w| {
                w.record(Entry {
                    action: Action::AccountPreferences,
                    entity: "user",
                    entity_id: user.to_string(),
                    post: None,
                    details: Details::new().fact("language", "ar"),
                })?;
                // Holds the head's lock until the second writer waits for it.
                locked.send(()).unwrap();
                released.recv().unwrap();
                Ok::<_, AppError>(())
            })
            .unwrap();
        })
    };
    wait_for_lock.recv().unwrap();
    let second = {
        let (pool, clock) = (app.pool.clone(), behind.clone());
        std::thread::spawn(move || changes(&pool, &clock, user, 1))
    };
    // Until the second writer's backend waits on a lock.
    until_blocked_on_a_lock(&app, "%audit_head%", "the second writer never waited").await;
    release.send(()).unwrap();
    first.join().unwrap();
    second.join().unwrap();
    let times: Vec<chrono::NaiveDateTime> = app.query(|c| {
        audit_log::table
            .select(audit_log::at)
            .order(audit_log::seq)
            .load(c)
    });
    let later = (test_start() + chrono::Duration::days(1)).naive_utc();
    assert_eq!(times[times.len() - 2..], [later, later], "{times:?}");
    assert!(verify(&mut app.conn()).unwrap().intact());
}
