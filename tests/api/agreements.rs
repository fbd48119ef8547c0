//! Coordination agreements: the form, the second-person rule, invariant 5 on returns, totals
//! and remainders, observations and the "no agreement cited" flag.

use diesel::prelude::*;
use repatrack::db::schema::{agreements, audit_log, crossing_events};

use crate::events::{record, record_with_key};
use crate::helpers::*;

pub fn agreement_form(
    reference: &'static str,
    posts: &[&'static str],
    from: &'static str,
    to: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut fields = vec![
        ("reference", reference),
        ("title", "Return of Syrian military personnel"),
        ("parties", "Republic of Iraq; Syrian interim authorities"),
        ("signed_on", "2024-12-18"),
        ("effective_from", from),
        ("effective_to", to),
        (
            "terms",
            "Personnel who crossed in early December return through Al-Qaim.",
        ),
        ("planned_headcount", "2,000"),
        ("clause_kind", "no_reprisals"),
        (
            "clause_text",
            "Returning personnel will face no harassment or punishment.",
        ),
        ("clause_kind", "third_party_access"),
        ("clause_text", "ICRC present at the handover."),
        ("clause_kind", "other"),
        ("clause_text", ""),
    ];
    for post in posts {
        fields.push(("post_codes", post));
    }
    fields
}

/// Creates an agreement through the form; returns its id.
pub async fn create_agreement(client: &TestClient, fields: &[(&str, &str)]) -> i64 {
    let response = client.post_form("/agreements", fields).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap()
    );
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix("/agreements/")
        .unwrap()
        .parse()
        .unwrap()
}

pub fn version(app: &TestApp, id: i64) -> String {
    let v: i32 = app.query(|c| {
        agreements::table
            .find(id)
            .select(agreements::version)
            .first(c)
    });
    v.to_string()
}

fn status(app: &TestApp, id: i64) -> String {
    app.query(|c| {
        agreements::table
            .find(id)
            .select(agreements::status)
            .first(c)
    })
}

/// Puts an agreement in force: `first` asks, `second` confirms.
pub async fn activate(app: &TestApp, first: &TestClient, second: &TestClient, id: i64) {
    let response = first
        .post_form(
            &format!("/agreements/{id}/status"),
            &[
                ("status", "active"),
                ("reason", "signed by both sides"),
                ("version", &version(app, id)),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = second
        .post_form(
            &format!("/agreements/{id}/confirm"),
            &[("version", &version(app, id))],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(status(app, id), "active");
}

/// Records a return citing `agreement` with its own form key; returns the response.
pub async fn return_under(
    client: &TestClient,
    post: &str,
    at: &str,
    headcount: &str,
    agreement: &str,
    key: u32,
) -> reqwest::Response {
    client
        .post_form(
            &format!("/posts/{post}/events"),
            &[
                ("occurred_at", at),
                ("direction", "outbound"),
                ("category", "military"),
                ("headcount", headcount),
                ("officers", ""),
                ("wounded", ""),
                ("source", "Gate log"),
                ("reference", ""),
                ("notes", ""),
                ("agreement_id", agreement),
                ("form_key", &format!("{:032x}", 7_000_000 + key)),
            ],
        )
        .await
}

pub async fn two_supervisors(app: &TestApp) -> (TestClient, TestClient) {
    app.create_user("chief", "supervisor", &[], true);
    app.create_user("deputy", "supervisor", &[], true);
    let chief = app.new_client();
    assert_eq!(chief.login("chief", PASSWORD).await.status().as_u16(), 303);
    let deputy = app.new_client();
    assert_eq!(
        deputy.login("deputy", PASSWORD).await.status().as_u16(),
        303
    );
    (chief, deputy)
}

both_databases! {
    async fn the_list_filters_by_post_and_status_and_its_export_holds_the_same(app) {
        app.create_post("QAIM");
        app.create_post("WALEED");
        let (chief, deputy) = two_supervisors(&app).await;
        let first = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-10", "")).await;
        activate(&app, &chief, &deputy, first).await;
        create_agreement(&chief, &agreement_form("IQ-SY-2025-01", &["QAIM", "WALEED"], "2025-01-05", "")).await;
        create_agreement(&chief, &agreement_form("IQ-SY-2025-02", &["WALEED"], "2025-02-01", "")).await;
        // The references a page lists, in order.
        fn listed(html: &str) -> Vec<String> {
            let Some(table) = html.split("<table class=\"table agreements\">").nth(1) else { return Vec::new() };
            table.split("</table>").next().unwrap().split("dir=\"ltr\">").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect()
        }
        // The references an export holds, in order.
        async fn exported(client: &TestClient, query: &str) -> (String, Vec<String>) {
            let response = client.get(&format!("/agreements.csv?{query}")).await;
            assert_eq!(response.status().as_u16(), 200);
            let name = response.headers()["content-disposition"].to_str().unwrap().to_owned();
            let bytes = response.bytes().await.unwrap();
            let mut reader = csv::Reader::from_reader(&bytes[..]);
            (name, reader.records().map(|r| r.unwrap()[1].to_owned()).collect())
        }
        for (query, expected, file) in [
            ("", vec!["IQ-SY-2025-02", "IQ-SY-2025-01", "IQ-SY-2024-12"], "agreements.csv"),
            ("post=WALEED", vec!["IQ-SY-2025-02", "IQ-SY-2025-01"], "agreements-WALEED.csv"),
            ("status=active", vec!["IQ-SY-2024-12"], "agreements-active.csv"),
            ("post=QAIM&status=draft", vec!["IQ-SY-2025-01"], "agreements-QAIM-draft.csv"),
            ("post=NOPE", vec![], "agreements-NOPE.csv"),
        ] {
            let page = chief.get_html(&format!("/agreements?{query}")).await;
            assert_eq!(listed(&page), expected, "page ?{query}");
            let link = if query.is_empty() { "/agreements.csv".to_owned() } else { format!("/agreements.csv?{query}") };
            assert!(page.replace("&#38;", "&").contains(&format!("href=\"{link}\"")), "the page links its own export: {link}");
            let (name, rows) = exported(&chief, query).await;
            assert_eq!(rows, expected, "export ?{query}");
            assert_eq!(name, format!("attachment; filename=\"{file}\""));
        }
        let page = chief.get_html("/agreements?post=NOPE").await;
        assert!(page.contains("No agreement matches these choices."));
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("export")).order(audit_log::seq.desc()).select(audit_log::details).first(c));
        assert!(details.contains("\"filters\":\"post=NOPE\""), "{details}");
        // An officer of Al-Qaim sees only agreements covering Al-Qaim, and Al-Walid finds nothing.
        app.login_as("officer", &["QAIM"]).await;
        let page = app.client.get_html("/agreements").await;
        assert_eq!(listed(&page), ["IQ-SY-2025-01", "IQ-SY-2024-12"]);
        assert_eq!(listed(&app.client.get_html("/agreements?post=WALEED").await), Vec::<String>::new());
        assert_eq!(exported(&app.client, "post=WALEED").await.1, Vec::<String>::new());
        assert_eq!(exported(&app.client, "").await.1, ["IQ-SY-2025-01", "IQ-SY-2024-12"]);
    }

    async fn a_supervisor_writes_an_agreement_and_mistakes_are_shown_beside_the_fields(app) {
        app.create_post("QAIM");
        let (chief, _) = two_supervisors(&app).await;
        let form = chief.get_html("/agreements/new").await;
        assert_eq!(form.matches("name=\"clause_text\"").count(), 3, "three empty clause rows");
        let mut bad = agreement_form("", &[], "2024-12-18", "2024-12-01");
        bad.retain(|(k, _)| *k != "title");
        let response = chief.post_form("/agreements", &bad).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        for id in ["reference-error", "title-error", "effective_to-error", "post_codes-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "no message beside {id}");
        }
        assert!(html.contains("Cannot end before it takes effect."));
        assert!(html.contains("ICRC present at the handover."), "clauses typed are kept");
        let count: i64 = app.query(|c| agreements::table.count().get_result(c));
        assert_eq!(count, 0);

        let id = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-18", "")).await;
        assert_eq!(status(&app, id), "draft");
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert!(page.contains("Returning personnel will face no harassment or punishment."));
        assert!(page.contains("No reprisals"));
        assert!(page.contains("Third-party access"));
        assert!(page.contains("id=\"planned\">2,000<"));
        assert!(page.contains("id=\"remaining\">2,000<"));
        // The reference is unique.
        let response = chief.post_form("/agreements", &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-18", "")).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("An agreement with this reference already exists."));
        // Officers read agreements but do not write them.
        app.login_as("officer", &["QAIM"]).await;
        assert_eq!(app.client.get(&format!("/agreements/{id}")).await.status().as_u16(), 200);
        assert_eq!(app.client.get("/agreements/new").await.status().as_u16(), 403);
        // An edit, audited field by field.
        let mut changed = agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-18", "2025-01-31");
        changed.push(("version", "1"));
        let response = chief.post_form(&format!("/agreements/{id}"), &changed).await;
        assert_redirects_to(&response, &format!("/agreements/{id}"));
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("agreement.update")).select(audit_log::details).first(c));
        assert_eq!(details, r#"{"changes":{"effective_to":{"after":"2025-01-31","before":null}}}"#);
        // The same form again, based on version 1: someone saved first.
        let response = chief.post_form(&format!("/agreements/{id}"), &changed).await;
        assert_eq!(response.status().as_u16(), 409);
    }

    async fn going_into_force_needs_a_second_supervisor(app) {
        app.create_post("QAIM");
        let (chief, deputy) = two_supervisors(&app).await;
        let id = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-18", "")).await;
        // A reason is required.
        let response = chief.post_form(&format!("/agreements/{id}/status"), &[("status", "active"), ("reason", ""), ("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 422);
        let response = chief.post_form(&format!("/agreements/{id}/status"), &[("status", "active"), ("reason", "signed in Damascus"), ("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status(&app, id), "pending_activation");
        // The proposer cannot confirm their own request.
        let response = chief.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 403);
        assert_eq!(status(&app, id), "pending_activation");
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert!(!page.contains("id=\"confirm-agreement\""));
        assert!(deputy.get_html(&format!("/agreements/{id}")).await.contains("id=\"confirm-agreement\""));
        let response = deputy.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status(&app, id), "active");
        // Suspended, then back in force: again through a second person.
        let response = chief.post_form(&format!("/agreements/{id}/status"), &[("status", "suspended"), ("reason", "reports of arrests"), ("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status(&app, id), "suspended");
        let response = deputy.post_form(&format!("/agreements/{id}/status"), &[("status", "active"), ("reason", "reports not confirmed"), ("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status(&app, id), "pending_activation");
        let response = deputy.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 403);
        // The chief wrote its terms (its latest editor): not the second pair of eyes either.
        let response = chief.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 403);
        assert_eq!(status(&app, id), "pending_activation");
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert!(page.contains("id=\"agreement-blocked\""), "the page says why");
        assert!(!page.contains("id=\"confirm-agreement\""));
        app.create_user("third", "supervisor", &[], true);
        let third = app.new_client();
        assert_eq!(third.login("third", PASSWORD).await.status().as_u16(), 303);
        let response = third.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status(&app, id), "active");
        // Concluded is final.
        chief.post_form(&format!("/agreements/{id}/status"), &[("status", "concluded"), ("reason", "all returned"), ("version", &version(&app, id))]).await;
        let response = chief.post_form(&format!("/agreements/{id}/status"), &[("status", "active"), ("reason", "again"), ("version", &version(&app, id))]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert_eq!(status(&app, id), "concluded");
        // Every step is audited with its reason, and shown as a timeline.
        let steps: Vec<String> = app.query(|c| audit_log::table.filter(audit_log::entity.eq("agreement")).order(audit_log::seq).select(audit_log::action).load(c));
        assert_eq!(steps, ["agreement.create", "agreement.status", "agreement.confirm", "agreement.status", "agreement.status", "agreement.confirm", "agreement.status"]);
        let confirmers: Vec<Option<i64>> = app.query(|c| repatrack::db::schema::agreements::table.select(repatrack::db::schema::agreements::confirmed_by).load(c));
        let third_id = app.query(|c| repatrack::db::users::find_by_username(c, "third")).unwrap().id;
        assert_eq!(confirmers, [Some(third_id)]);
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        let timeline = page.split("id=\"timeline\"").nth(1).unwrap().split("</ol>").next().unwrap();
        assert_eq!(timeline.matches("<li>").count(), 7);
        for reason in ["signed in Damascus", "reports of arrests", "reports not confirmed", "all returned"] {
            assert!(timeline.contains(reason), "timeline shows {reason}");
        }
    }

    async fn a_return_may_cite_only_an_agreement_in_force_at_its_post_and_time(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        let (chief, deputy) = two_supervisors(&app).await;
        let id = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-10", "2024-12-31")).await;
        let agreement = id.to_string();
        app.login_as("officer", &[]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "RABIA", "2024-12-07T10:00", "inbound", "military", "100").await;
        let refusal = |response: reqwest::Response| async move {
            assert_eq!(response.status().as_u16(), 422);
            let html = response.text().await.unwrap();
            assert!(html.contains("id=\"agreement_id-error\""), "{html}");
            html
        };
        // A draft is not in force.
        let html = refusal(return_under(&app.client, "QAIM", "2024-12-18T10:00", "100", &agreement, 1).await).await;
        assert!(html.contains("Agreement IQ-SY-2024-12 is not in force (Draft)."));
        activate(&app, &chief, &deputy, id).await;
        // Not at a post it does not cover.
        let html = refusal(return_under(&app.client, "RABIA", "2024-12-18T10:00", "50", &agreement, 2).await).await;
        assert!(html.contains("Agreement IQ-SY-2024-12 does not cover RABIA."));
        // Not before it takes effect.
        let html = refusal(return_under(&app.client, "QAIM", "2024-12-09T23:30", "100", &agreement, 3).await).await;
        assert!(html.contains("Agreement IQ-SY-2024-12 takes effect on 10 Dec 2024, after this return (9 Dec 2024)."));
        // Not an arrival.
        let response = app.client.post_form("/posts/QAIM/events", &[
            ("occurred_at", "2024-12-18T10:00"), ("direction", "inbound"), ("category", "military"), ("headcount", "5"),
            ("source", "Gate log"), ("agreement_id", &agreement), ("form_key", &format!("{:032x}", 7_100_000)),
        ]).await;
        assert!(refusal(response).await.contains("Only a return (outbound) is made under an agreement."));
        // An unknown agreement.
        let html = refusal(return_under(&app.client, "QAIM", "2024-12-18T10:00", "100", "999", 4).await).await;
        assert!(html.contains("Choose one of the listed agreements."));
        assert_eq!(app.query(|c| crossing_events::table.filter(crossing_events::agreement_id.is_not_null()).count().get_result::<i64>(c)), 0);
        // In force, covered, in its window: accepted.
        let response = return_under(&app.client, "QAIM", "2024-12-18T10:00", "100", &agreement, 5).await;
        assert_eq!(response.status().as_u16(), 303);
        let event: i64 = response.headers()["location"].to_str().unwrap().strip_prefix("/events/").unwrap().parse().unwrap();
        // The agreement cannot be narrowed so that this return falls outside it.
        let mut narrower = agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-19", "2024-12-31");
        let v = version(&app, id);
        narrower.push(("version", &v));
        let response = chief.post_form(&format!("/agreements/{id}"), &narrower).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"effective_from-error\""), "{html}");
        assert!(html.contains("Returns already made under this agreement would fall outside it."));
        let mut elsewhere = agreement_form("IQ-SY-2024-12", &["RABIA"], "2024-12-10", "2024-12-31");
        elsewhere.push(("version", &v));
        let response = chief.post_form(&format!("/agreements/{id}"), &elsewhere).await;
        assert!(response.text().await.unwrap().contains("id=\"post_codes-error\""));
        // After its end: refused (the agreement ends on 31 Dec; move the clock past it).
        app.clock.advance(chrono::TimeDelta::days(20));
        app.client.login("officer", PASSWORD).await;
        let html = refusal(return_under(&app.client, "QAIM", "2025-01-01T10:00", "10", &agreement, 6).await).await;
        assert!(html.contains("Agreement IQ-SY-2024-12 ended on 31 Dec 2024, before this return (1 Jan 2025)."));
        // Suspended: no new return may cite it, but one already made under it can be corrected.
        chief.login("chief", PASSWORD).await;
        chief.post_form(&format!("/agreements/{id}/status"), &[("status", "suspended"), ("reason", "pause"), ("version", &version(&app, id))]).await;
        assert_eq!(status(&app, id), "suspended");
        let html = refusal(return_under(&app.client, "QAIM", "2024-12-20T10:00", "10", &agreement, 7).await).await;
        assert!(html.contains("is not in force (Suspended)."));
        let v: i32 = app.query(|c| crossing_events::table.find(event).select(crossing_events::version).first(c));
        let response = app.client.post_form(&format!("/events/{event}"), &[
            ("occurred_at", "2024-12-18T10:00"), ("direction", "outbound"), ("category", "military"), ("headcount", "120"),
            ("source", "Gate log"), ("agreement_id", &agreement), ("version", &v.to_string()), ("reason", ""),
        ]).await;
        assert_redirects_to(&response, &format!("/events/{event}"));
    }

    async fn totals_and_remainders_follow_voids_and_corrections(app) {
        app.create_post("QAIM");
        app.create_post("WALEED");
        let (chief, deputy) = two_supervisors(&app).await;
        let id = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM", "WALEED"], "2024-12-10", "")).await;
        activate(&app, &chief, &deputy, id).await;
        let agreement = id.to_string();
        app.login_as("officer", &[]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "WALEED", "2024-12-07T10:00", "inbound", "military", "400").await;
        let mut events = Vec::new();
        for (n, (post, headcount)) in [("QAIM", "300"), ("QAIM", "200"), ("WALEED", "150")].into_iter().enumerate() {
            let response = return_under(&app.client, post, "2024-12-18T10:00", headcount, &agreement, 100 + n as u32).await;
            assert_eq!(response.status().as_u16(), 303);
            events.push(response.headers()["location"].to_str().unwrap().strip_prefix("/events/").unwrap().parse::<i64>().unwrap());
        }
        // The deputy verifies the first return; the others await verification.
        let response = deputy.post_form(&format!("/events/{}/verify", events[0]), &[("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let figures = |html: &str| -> (String, String, String) {
            (cell_text(html, "id=\"returned\""), cell_text(html, "id=\"planned\""), cell_text(html, "id=\"remaining\""))
        };
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert_eq!(figures(&page), ("300 verified · 650 including 350 pending".into(), "2,000".into(), "1,700".into()));
        assert!(page.contains("<progress value=\"300\" max=\"2000\""), "progress counts verified returns");
        let per_post = page.split("id=\"per-post\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert!(text_of_html(per_post).contains("QAIM 300 verified · 500 including 200 pending"), "{per_post}");
        assert!(text_of_html(per_post).contains("WALEED 0 verified · 150 including 150 pending"), "{per_post}");
        // A void takes its people off; a correction changes them.
        let v = |e: i64| -> String { app.query(|c| crossing_events::table.find(e).select(crossing_events::version).first::<i32>(c)).to_string() };
        let response = chief.post_form(&format!("/events/{}/void", events[1]), &[("version", &v(events[1])), ("reason", "entered twice")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let response = app.client.post_form(&format!("/events/{}", events[2]), &[
            ("occurred_at", "2024-12-18T10:00"), ("direction", "outbound"), ("category", "military"), ("headcount", "175"),
            ("source", "Gate log"), ("agreement_id", &agreement), ("version", &v(events[2])), ("reason", ""),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert_eq!(figures(&page), ("300 verified · 475 including 175 pending".into(), "2,000".into(), "1,700".into()));
        // The list shows the same progress.
        let list = chief.get_html("/agreements").await;
        assert!(text_of_html(&list).contains("300 verified · 475 including 175 pending / 2,000"), "{list}");
        // Once verified, the figure stands alone.
        let response = deputy.post_form(&format!("/events/{}/verify", events[2]), &[("version", &v(events[2]))]).await;
        assert_eq!(response.status().as_u16(), 303);
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert_eq!(figures(&page), ("475".into(), "2,000".into(), "1,525".into()));
    }

    async fn returns_without_an_agreement_are_flagged_and_observations_recorded(app) {
        app.create_post("QAIM");
        let (chief, deputy) = two_supervisors(&app).await;
        let id = create_agreement(&chief, &agreement_form("IQ-SY-2024-12", &["QAIM"], "2024-12-10", "")).await;
        activate(&app, &chief, &deputy, id).await;
        app.login_as("officer", &["QAIM"]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "civilian", "20").await;
        record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "100").await;
        record(&app.client, "QAIM", "2024-12-18T08:30", "outbound", "civilian", "5").await;
        let response = record_with_key(&app.client, "QAIM", "2024-12-18T09:00", "outbound", "military", "100", &format!("{:032x}", 7_200_000)).await;
        assert_eq!(response.status().as_u16(), 303);
        // Only the military returns without an agreement are flagged; none cites one here.
        let list = app.client.get_html("/events").await;
        assert_eq!(list.matches("<span class=\"flag\">No agreement cited</span>").count(), 2);
        let post = app.client.get_html("/posts/QAIM").await;
        assert!(post.contains("2 military returns cite no agreement"));
        let dashboard = app.client.get_html("/").await;
        assert!(dashboard.contains("2 military returns cite no agreement"));
        // Observations against a clause.
        let clause: i64 = app.query(|c| {
            use repatrack::db::schema::agreement_clauses;
            agreement_clauses::table.filter(agreement_clauses::kind.eq("no_reprisals")).select(agreement_clauses::id).first(c)
        });
        let clause = clause.to_string();
        let response = chief.post_form(&format!("/agreements/{id}/observations"), &[("clause_id", &clause), ("finding", "alleged_breach"), ("observed_on", ""), ("source", ""), ("text", "")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let response = chief.post_form(&format!("/agreements/{id}/observations"), &[
            ("clause_id", &clause), ("finding", "alleged_breach"), ("observed_on", "2024-12-24"),
            ("source", "Family of a returnee"), ("text", "Two returnees reported detained in Albu Kamal."),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let page = chief.get_html(&format!("/agreements/{id}")).await;
        assert!(page.contains("Alleged breach"));
        assert!(page.contains("Two returnees reported detained in Albu Kamal."));
        let history = chief.get_html(&format!("/agreements/{id}/history")).await;
        assert!(history.contains("Compliance observation recorded"));
        assert!(history.contains("Two returnees reported detained in Albu Kamal."));
    }
}
