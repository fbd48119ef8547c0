//! Situation statements (issue 18, points 1, 2 and 5): the Qaim story as of 19 December 2024
//! in exact English and Arabic sentences, pending entries left out and said so, an agreement
//! suspended before the day, scope, every figure linked to its source, and the generation
//! recorded in the trail with the SHA-256 of its text. Both databases, over real HTTP.

use diesel::prelude::*;
use repatrack::config::{DatabaseUrl, Settings};
use repatrack::db::schema::{agreements, audit_log, users};
use sha2::{Digest, Sha256};

use crate::helpers::*;

/// Loads the demo story (posts, demo users, the December 2024 events and agreement) with the
/// app's clock, then signs the default client in as `reader`, an auditor of every post, and
/// moves the clock to 20 December 2024, 10:00 UTC.
pub async fn qaim_story(app: &TestApp) {
    app.clock.advance(chrono::Duration::hours(49));
    let settings = Settings::for_database(DatabaseUrl::parse(&app.database_url()).unwrap());
    let (clock, url) = (app.clock.clone(), settings);
    tokio::task::spawn_blocking(move || {
        repatrack::commands::demo(&url, false, repatrack::commands::DemoData::Story, &clock)
    })
    .await
    .unwrap()
    .unwrap();
    app.create_user("reader", "auditor", &[], true);
    assert_eq!(
        app.client.login("reader", PASSWORD).await.status().as_u16(),
        303
    );
}

/// The statement's text (before the foot) and the whole body of `situation.txt`.
async fn statement_text(client: &TestClient, query: &str) -> (String, String) {
    let response = client.get(&format!("/reports/situation.txt?{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "situation.txt?{query}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.unwrap();
    let text = body.split("\n--\n").next().unwrap().to_owned();
    (text, body)
}

const QAIM_EN: &str = "Situation as of 19 December 2024
Verified figures only, at the end of 19 December 2024 at each post.

Al-Qaim (QAIM)
On 7 and 8 December 2024, 1,100 military personnel entered Iraq through Al-Qaim. On 8 and 9 December 2024, 85 civilians entered Iraq through Al-Qaim. On 18 and 19 December 2024, 1,000 military personnel were returned to Syria through the same crossing under agreement IQ-SY/2024/RET-01, which assures them of no reprisals. As of 19 December 2024, 100 military personnel and 85 civilians who crossed at Al-Qaim remain in Iraq. Figures for days up to 9 December 2024 are closed.

Agreements
Agreement IQ-SY/2024/RET-01, “Return of Syrian military personnel through Al-Qaim”, between Republic of Iraq; Syrian interim authorities, has been in force since 18 December 2024. No reprisals: Returning military personnel will face no harassment or punishment upon their return. Third-party access: The ICRC may be present at each handover. By 19 December 2024, 1,000 of the 1,100 people planned had been returned under it. No compliance finding had been recorded against it by 19 December 2024.
";

const QAIM_AR: &str = "الوضع حتى 19 كانون الأول 2024
أرقام مُتحقق منها فقط، حتى نهاية يوم 19 كانون الأول 2024 بتوقيت كل منفذ.

القائم (QAIM)
في 7 و8 كانون الأول 2024، دخل 1,100 عسكري إلى العراق عبر القائم. في 8 و9 كانون الأول 2024، دخل 85 مدنيًا إلى العراق عبر القائم. في 18 و19 كانون الأول 2024، أُعيد 1,000 عسكري إلى سوريا عبر المنفذ نفسه بموجب الاتفاق IQ-SY/2024/RET-01 الذي يضمن لهم عدم التعرض لأي أعمال انتقامية. حتى 19 كانون الأول 2024، لا يزال 100 عسكري و85 مدنيًا ممن عبروا من القائم في العراق. أُقفلت أرقام الأيام حتى 9 كانون الأول 2024.

الاتفاقات
الاتفاق IQ-SY/2024/RET-01، «Return of Syrian military personnel through Al-Qaim»، بين Republic of Iraq; Syrian interim authorities، نافذ منذ 18 كانون الأول 2024. عدم الانتقام: Returning military personnel will face no harassment or punishment upon their return. وصول طرف ثالث: The ICRC may be present at each handover. حتى 19 كانون الأول 2024، أُعيد بموجبه 1,000 من أصل 1,100 وفق الخطة. لم تُسجَّل بشأنه أي ملاحظة امتثال حتى 19 كانون الأول 2024.
";

/// Arabic-Indic digits and separators back to ASCII, for comparing numbers.
fn normalised(text: &str) -> String {
    repatrack::i18n::ascii_digits(text).replace('٬', ",")
}

both_databases! {
    async fn the_qaim_statement_reads_as_an_analyst_would_write_it_in_both_languages(app) {
        qaim_story(&app).await;
        let (english, _) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM&lang=en").await;
        assert_eq!(english, QAIM_EN);
        let (arabic, _) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM&lang=ar").await;
        assert_eq!(arabic, QAIM_AR);
        let (both, _) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM").await;
        assert_eq!(both, format!("{QAIM_EN}\n{QAIM_AR}"));

        // A reader who chose Arabic-Indic digits gets them in the Arabic statement (data such
        // as the agreement's reference keeps its own), and Western digits in the English one.
        app.query(|c| {
            diesel::update(users::table.filter(users::username.eq("reader")))
                .set(users::digits.eq("arabic_indic"))
                .execute(c)
        });
        let (both, _) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM").await;
        let arabic = both
            .strip_prefix(&format!("{QAIM_EN}\n"))
            .expect("the English statement is unchanged, in Western digits");
        assert!(arabic.contains("دخل ١٬١٠٠ عسكري إلى العراق"), "{arabic}");
        assert!(arabic.contains("IQ-SY/2024/RET-01"), "the reference keeps its digits");
        assert!(!arabic.contains("1,100"));
        assert_eq!(normalised(arabic), QAIM_AR);
    }

    async fn pending_entries_are_left_out_and_said_so(app) {
        qaim_story(&app).await;
        // At Rabia both entries await verification: no verified figure, one sentence on them.
        let (text, _) = statement_text(&app.client, "as_of=2024-12-19&post=RABIA&lang=en").await;
        assert_eq!(
            text,
            "Situation as of 19 December 2024
Verified figures only, at the end of 19 December 2024 at each post.

Rabia (RABIA)
No verified crossing at Rabia is recorded by 19 December 2024. 2 entries at Rabia await verification and are not included in these figures (40 in, 12 out).
"
        );
        let (arabic, _) = statement_text(&app.client, "as_of=2024-12-19&post=RABIA&lang=ar").await;
        assert!(
            arabic.contains("قيدان في ربيعة ينتظران التحقق ولم يُحتسبا في هذه الأرقام (الداخلون 40، الخارجون 12)."),
            "{arabic}"
        );
        // At Al-Qaim the return of 20 December awaits verification: by the 20th it is named,
        // and the figures stay those verified.
        let (text, _) = statement_text(&app.client, "as_of=2024-12-20&post=QAIM&lang=en").await;
        assert!(text.contains("On 18 and 19 December 2024, 1,000 military personnel were returned"), "{text}");
        assert!(text.contains("As of 20 December 2024, 100 military personnel and 85 civilians who crossed at Al-Qaim remain in Iraq."), "{text}");
        assert!(text.contains("One entry at Al-Qaim awaits verification and is not included in these figures (0 in, 100 out)."), "{text}");
    }

    async fn an_agreement_suspended_before_the_day_is_said_to_be_suspended(app) {
        qaim_story(&app).await;
        let qaim = app.query(|c| repatrack::db::posts::find_by_code(c, "QAIM")).unwrap();
        let supervisor = app.create_user("sup2", "supervisor", &["QAIM"], false);
        let who = repatrack::domain::policy::Principal::user(
            repatrack::domain::ids::UserId(supervisor),
            repatrack::domain::role::Role::Supervisor,
            false,
            &[qaim.id],
        );
        let (id, version): (i64, i32) = app.query(|c| {
            agreements::table
                .select((agreements::id, agreements::version))
                .first(c)
        });
        // The clock reads 20 December 2024.
        repatrack::services::agreements::request_status(
            &mut app.conn(),
            &repatrack::audit::Actor::system(),
            &who,
            app.clock.now(),
            repatrack::domain::ids::AgreementId(id),
            version,
            "suspended",
            "Handovers paused after a reported incident.",
        )
        .unwrap();
        let (text, _) = statement_text(&app.client, "as_of=2024-12-20&post=QAIM&lang=en").await;
        assert!(
            text.contains("\nAgreement IQ-SY/2024/RET-01, “Return of Syrian military personnel through Al-Qaim”, between Republic of Iraq; Syrian interim authorities, in force from 18 December 2024, was suspended on 20 December 2024. No reprisals:"),
            "{text}"
        );
        assert!(!text.contains("has been in force"));
        // The day before, it was in force.
        let (text, _) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM&lang=en").await;
        assert_eq!(text, QAIM_EN);
        let (arabic, _) = statement_text(&app.client, "as_of=2024-12-20&post=QAIM&lang=ar").await;
        assert!(arabic.contains("النافذ منذ 18 كانون الأول 2024، عُلّق في 20 كانون الأول 2024."), "{arabic}");
    }

    async fn an_officer_s_statement_names_only_their_posts(app) {
        qaim_story(&app).await;
        app.create_user("rabia_officer", "officer", &["RABIA"], false);
        let client = app.new_client();
        assert_eq!(client.login("rabia_officer", PASSWORD).await.status().as_u16(), 303);
        let (text, _) = statement_text(&client, "as_of=2024-12-19").await;
        assert!(text.contains("\nRabia (RABIA)\n"), "{text}");
        for other in ["QAIM", "Al-Qaim", "القائم", "WALEED", "Al-Walid", "IQ-SY/2024/RET-01", "Agreements"] {
            assert!(!text.contains(other), "{other} named in {text}");
        }
        assert_eq!(client.get("/reports/situation?as_of=2024-12-19&post=QAIM").await.status().as_u16(), 404);
        assert_eq!(client.get("/reports/situation.txt?post=RABIA&post=QAIM").await.status().as_u16(), 404);
    }

    async fn every_figure_links_to_its_source_and_the_generation_is_audited(app) {
        qaim_story(&app).await;
        let before: i64 = app.query(|c| audit_log::table.count().get_result(c));
        let html = app.client.get_html("/reports/situation?as_of=2024-12-19&post=QAIM").await;
        let agreement: i64 = app.query(|c| agreements::table.select(agreements::id).first(c));
        for link in [
            "<a class=\"figure\" href=\"/reports/headcount?post=QAIM&#38;from=2024-12-07&#38;to=2024-12-08&#38;category=military\">1,100</a> military personnel entered",
            "<a class=\"figure\" href=\"/reports/headcount?post=QAIM&#38;from=2024-12-08&#38;to=2024-12-09&#38;category=civilian\">85</a> civilians entered",
            "<a class=\"figure\" href=\"/reports/headcount?post=QAIM&#38;from=2024-12-18&#38;to=2024-12-19&#38;category=military\">1,000</a> military personnel were returned",
            "<a class=\"figure\" href=\"/reports/headcount?post=QAIM&#38;from=2024-12-19&#38;to=2024-12-19&#38;category=military\">100</a> military personnel and",
        ] {
            assert!(html.contains(link), "{link}");
        }
        assert!(html.contains(&format!("<a class=\"figure\" href=\"/agreements/{agreement}\">1,000</a> of the <a class=\"figure\" href=\"/agreements/{agreement}\">1,100</a> people planned")));
        // Both languages on one page, each in its own direction.
        assert!(html.contains("<article class=\"statement\" lang=\"en\" dir=\"ltr\" id=\"statement-en\">"));
        assert!(html.contains("<article class=\"statement\" lang=\"ar\" dir=\"rtl\" id=\"statement-ar\">"));
        // The linked report says the same: 1,100 military in on 7 and 8 December.
        let csv = app
            .client
            .get("/reports/headcount.csv?post=QAIM&from=2024-12-07&to=2024-12-08&category=military")
            .await
            .bytes()
            .await
            .unwrap();
        let (header, rows) = parse_csv(&csv);
        let inbound = header.iter().position(|h| h == "inbound").unwrap();
        let total: i64 = rows.iter().map(|r| r[inbound].parse::<i64>().unwrap()).sum();
        assert_eq!(total, 1100);

        // The page's generation is one audit entry, with its parameters and the receipt.
        let (action, details, seq): (String, String, i64) = app.query(|c| {
            audit_log::table
                .filter(audit_log::action.eq("report.situation"))
                .order(audit_log::seq.desc())
                .select((audit_log::action, audit_log::details, audit_log::seq))
                .first(c)
        });
        assert_eq!(action, "report.situation");
        assert_eq!(seq, before + 1, "the page wrote exactly one entry");
        let details: serde_json::Value = serde_json::from_str(&details).unwrap();
        assert_eq!(details["as_of"], "2024-12-19");
        assert_eq!(details["posts"], "QAIM");
        assert_eq!(details["lang"], "both");
        assert_eq!(details["as_of_seq"], before);
        assert!(html.contains(&format!("audit seq {before}, head ")));
        assert!(html.contains(&format!("This statement is audit entry {seq}; the SHA-256 of its text is {}.", details["sha256"].as_str().unwrap())));

        // The plain text's hash is the one recorded for it.
        let (text, body) = statement_text(&app.client, "as_of=2024-12-19&post=QAIM&lang=en").await;
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        let recorded: String = app.query(|c| {
            audit_log::table
                .filter(audit_log::action.eq("report.situation"))
                .order(audit_log::seq.desc())
                .select(audit_log::details)
                .first(c)
        });
        let recorded: serde_json::Value = serde_json::from_str(&recorded).unwrap();
        assert_eq!(recorded["sha256"], sha);
        assert_eq!(recorded["lang"], "en");
        assert!(body.ends_with(&format!("the SHA-256 of its text is {sha}.\n")), "{body}");
    }

    async fn bad_parameters_are_answered_beside_the_field_and_write_nothing(app) {
        qaim_story(&app).await;
        let before: i64 = app.query(|c| audit_log::table.count().get_result(c));
        for (query, field) in [
            ("as_of=2024-13-40", "as_of"),
            ("as_of=2024-12-21", "as_of"),
            ("as_of=2024-12-19&lang=fr", "lang"),
        ] {
            let response = app.client.get(&format!("/reports/situation?{query}")).await;
            assert_eq!(response.status().as_u16(), 422, "{query}");
            let html = response.text().await.unwrap();
            assert!(html.contains(&format!("aria-invalid=\"true\" id=\"{field}\"")), "{query}");
            assert_eq!(app.client.get(&format!("/reports/situation.txt?{query}")).await.status().as_u16(), 422);
        }
        let after: i64 = app.query(|c| audit_log::table.count().get_result(c));
        assert_eq!(after, before);
    }

    async fn the_weekly_roll_up_of_the_story_adds_up_to_the_headcount_report(app) {
        qaim_story(&app).await;
        let csv = |path: &'static str| {
            let client = &app.client;
            async move { parse_csv(&client.get(path).await.bytes().await.unwrap()) }
        };
        let (head, days) = csv("/reports/headcount.csv?from=2024-12-01&to=2024-12-20").await;
        let (total_head, weeks) = csv("/reports/totals.csv?from=2024-12-01&to=2024-12-20&by=week").await;
        let col = |header: &[String], name: &str| header.iter().position(|h| h == name).unwrap();
        let n = |row: &[String], i: usize| row[i].parse::<i64>().unwrap();
        let (date, category, inbound, outbound, inbound_pending, outbound_pending, present_verified, post) = (
            col(&head, "date"), col(&head, "category"), col(&head, "inbound"), col(&head, "outbound"),
            col(&head, "inbound_pending"), col(&head, "outbound_pending"),
            col(&head, "present_end_of_day_verified"), col(&head, "post"),
        );
        let posts: std::collections::BTreeSet<&str> = days.iter().map(|d| d[post].as_str()).collect();
        assert_eq!(posts.into_iter().collect::<Vec<_>>(), ["QAIM", "RABIA", "WALEED"]);
        // Four weeks (the first and last cut to the days asked) times two categories.
        assert_eq!(weeks.len(), 8);
        let mut checked_in = 0;
        for week in &weeks {
            let (start, end, cat) = (
                week[col(&total_head, "period_start")].as_str(),
                week[col(&total_head, "period_end")].as_str(),
                week[col(&total_head, "category")].as_str(),
            );
            let in_week: Vec<&Vec<String>> = days
                .iter()
                .filter(|d| d[category] == cat && d[date].as_str() >= start && d[date].as_str() <= end)
                .collect();
            let verified_in: i64 = in_week.iter().map(|d| n(d, inbound) - n(d, inbound_pending)).sum();
            let verified_out: i64 = in_week.iter().map(|d| n(d, outbound) - n(d, outbound_pending)).sum();
            let present: i64 = in_week.iter().filter(|d| d[date] == end).map(|d| n(d, present_verified)).sum();
            assert_eq!(n(week, col(&total_head, "verified_in")), verified_in, "{start} {cat}");
            assert_eq!(n(week, col(&total_head, "verified_out")), verified_out, "{start} {cat}");
            assert_eq!(n(week, col(&total_head, "verified_present_at_end")), present, "{start} {cat}");
            checked_in += verified_in;
        }
        // Every verified arrival of the story: 1,100 military and 85 civilians at Al-Qaim, 18 at
        // Al-Walid (Rabia's await verification).
        assert_eq!(checked_in, 1100 + 85 + 18);
    }
}
