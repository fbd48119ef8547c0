//! Manifests (issue 16, point 1): the named people of an arrival or a return, never more than
//! its headcount, never someone who declines to return, each on at most one return; verifying a
//! return makes its people `returned`, voiding or correcting it sets them back. Both databases.

use diesel::prelude::*;
use repatrack::db::schema::{crossing_events, people};

use crate::events::{audit_count, record};
use crate::helpers::*;
use crate::people::registered;

fn status_of(app: &TestApp, id: i64) -> String {
    app.query(|c| people::table.find(id).select(people::status).first(c))
}

fn event_version(app: &TestApp, id: i64) -> String {
    app.query(|c| {
        crossing_events::table
            .find(id)
            .select(crossing_events::version)
            .first::<i32>(c)
    })
    .to_string()
}

/// Ticks `people` on the event's list and sends it.
async fn add(client: &TestClient, app: &TestApp, event: i64, people: &[i64]) -> reqwest::Response {
    let version = event_version(app, event);
    let ids: Vec<String> = people.iter().map(i64::to_string).collect();
    let mut form: Vec<(&str, &str)> = vec![("version", version.as_str())];
    form.extend(ids.iter().map(|id| ("person_id", id.as_str())));
    client
        .post_form(&format!("/events/{event}/manifest"), &form)
        .await
}

/// A post with an arrival of five soldiers, all registered; returns (arrival, people).
async fn five_arrived(app: &TestApp) -> (i64, Vec<i64>) {
    let arrival = record(
        &app.client,
        "QAIM",
        "2024-12-07T10:00",
        "inbound",
        "military",
        "5",
    )
    .await;
    let mut ids = Vec::new();
    for (n, name) in [
        "Hussein Ali",
        "Omar Khaled",
        "Ziad Nour",
        "Ahmed Salim",
        "Yusuf Karim",
    ]
    .iter()
    .enumerate()
    {
        let year = (1980 + n as i32 * 3).to_string();
        ids.push(
            registered(
                &app.client,
                "QAIM",
                &[("name_latin", name), ("birth_year", &year)],
            )
            .await,
        );
    }
    (arrival, ids)
}

both_databases! {
    async fn an_arrival_names_who_came_with_it(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let (arrival, ids) = five_arrived(&app).await;
        let response = add(&app.client, &app, arrival, &ids[..3]).await;
        assert_redirects_to(&response, &format!("/events/{arrival}/manifest"));
        for id in &ids[..3] {
            let came: Option<i64> = app.query(|c| people::table.find(id).select(people::inbound_event_id).first(c));
            assert_eq!(came, Some(arrival));
        }
        let html = app.client.get_html(&format!("/events/{arrival}")).await;
        assert_eq!(element_text(&html, "id=\"event-named\"").as_deref(), Some("named: 3 of 5"));
        let html = app.client.get_html(&format!("/events/{arrival}/manifest")).await;
        assert_eq!(element_text(&html, "id=\"named-count\"").as_deref(), Some("named: 3 of 5"));
        assert!(element_text(&html, "id=\"named\"").unwrap().contains("Omar Khaled"));
        // Taken off again: they came with no known arrival.
        let response = app.client.post_form(&format!("/events/{arrival}/manifest/remove"), &[("person_id", &ids[0].to_string())]).await;
        assert_eq!(response.status().as_u16(), 303);
        let came: Option<i64> = app.query(|c| people::table.find(ids[0]).select(people::inbound_event_id).first(c));
        assert_eq!(came, None);
        assert_eq!(audit_count(&app, "manifest.add"), 4, "one on the event, one on each person");
        assert_eq!(audit_count(&app, "manifest.remove"), 2);
    }

    async fn a_return_never_names_more_than_its_headcount_nor_someone_who_declines(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let (_, ids) = five_arrived(&app).await;
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "2").await;
        let response = add(&app.client, &app, ret, &ids[..3]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, &format!("id=\"refused-{}\"", ids[2])).as_deref(), Some("Adding QAIM-P-2024-0003 would name more people than the event's headcount (2)."));
        assert_eq!(element_text(&html, "id=\"named-count\"").as_deref(), Some("named: 0 of 2"), "all or none");
        // Omar declines to return: refused with the reason beside his name.
        let omar = ids[1];
        let response = app.client.post_form(&format!("/people/{omar}/status"), &[
            ("status", "declines_return"), ("version", "1"), ("stated_on", "2024-12-17"), ("heard_by", "Capt. Salim"), ("how", "interview"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let response = add(&app.client, &app, ret, &[ids[0], omar]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, &format!("id=\"refused-{omar}\"")).as_deref(), Some("QAIM-P-2024-0002 has said they do not wish to return: no return may include them."));
        // The page offers him with the reason already shown.
        let html = app.client.get_html(&format!("/events/{ret}/manifest?q=Omar")).await;
        assert!(element_text(&html, &format!("id=\"refused-{omar}\"")).is_some());
        assert_eq!(add(&app.client, &app, ret, &[ids[0], ids[2]]).await.status().as_u16(), 303);
        // A person is on at most one return.
        let other = record(&app.client, "QAIM", "2024-12-18T08:30", "outbound", "military", "2").await;
        let response = add(&app.client, &app, other, &[ids[0]]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("QAIM-P-2024-0001 is already named on the return QAIM-2024-0002."), "{}", element_text(&html, "class=\"error-summary\"").unwrap_or_default());
        // A stale page is a conflict; the headcount cannot fall below the list.
        let response = app.client.post_form(&format!("/events/{ret}/manifest"), &[("version", "1"), ("person_id", &ids[3].to_string())]).await;
        assert_eq!(response.status().as_u16(), 409);
        let version = event_version(&app, ret);
        let response = app.client.post_form(&format!("/events/{ret}"), &[
            ("occurred_at", "2024-12-18T08:00"), ("direction", "outbound"), ("category", "military"), ("headcount", "1"),
            ("source", "Gate log"), ("version", &version),
        ]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"headcount-error\"").as_deref(), Some("2 people are named on this event: the headcount cannot be lower."));
    }

    async fn verifying_a_return_returns_its_people_and_voiding_it_sets_them_back(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let (_, ids) = five_arrived(&app).await;
        // Ziad said he wishes to return; the others are present.
        let response = app.client.post_form(&format!("/people/{}/status", ids[2]), &[
            ("status", "wishes_to_return"), ("version", "1"), ("stated_on", "2024-12-17"), ("heard_by", "ICRC"), ("how", "third_party"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "3").await;
        assert_eq!(add(&app.client, &app, ret, &[ids[0], ids[1], ids[2]]).await.status().as_u16(), 303);
        // Omar changes his mind before the handover: he leaves the list, which says so.
        let response = app.client.post_form(&format!("/people/{}/status", ids[1]), &[
            ("status", "declines_return"), ("version", "1"), ("stated_on", "2024-12-18"), ("heard_by", "Capt. Salim"), ("how", "interview"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let html = app.client.get_html(&format!("/events/{ret}/manifest")).await;
        assert_eq!(element_text(&html, "id=\"named-count\"").as_deref(), Some("named: 2 of 3"));
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let version = event_version(&app, ret);
        let response = chief.post_form(&format!("/events/{ret}/verify"), &[("version", &version)]).await;
        assert_redirects_to(&response, &format!("/events/{ret}"));
        assert_eq!(status_of(&app, ids[0]), "returned");
        assert_eq!(status_of(&app, ids[2]), "returned");
        assert_eq!(status_of(&app, ids[1]), "declines_return");
        let entries: i64 = app.query(|c| {
            use repatrack::db::schema::audit_log;
            audit_log::table.filter(audit_log::action.eq("person.status")).filter(audit_log::details.like("%\"after\":\"returned\"%")).count().get_result(c)
        });
        assert_eq!(entries, 2, "each returned person's own entry");
        // A verified return's list is locked.
        let html = app.client.get_html(&format!("/events/{ret}/manifest")).await;
        assert!(html.contains("id=\"manifest-locked\""));
        assert_eq!(add(&app.client, &app, ret, &[ids[3]]).await.status().as_u16(), 403);
        // Voided: each goes back to the status they had.
        let version = event_version(&app, ret);
        let response = chief.post_form(&format!("/events/{ret}/void"), &[("version", &version), ("reason", "Handover postponed")]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status_of(&app, ids[0]), "present");
        assert_eq!(status_of(&app, ids[2]), "wishes_to_return");
        // Free for another return.
        let again = record(&app.client, "QAIM", "2024-12-18T08:30", "outbound", "military", "1").await;
        assert_eq!(add(&app.client, &app, again, &[ids[0]]).await.status().as_u16(), 303);
    }

    async fn a_corrected_verified_return_sets_its_people_back_until_verified_again(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.create_user("deputy", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let (_, ids) = five_arrived(&app).await;
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "2").await;
        assert_eq!(add(&app.client, &app, ret, &ids[..2]).await.status().as_u16(), 303);
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let version = event_version(&app, ret);
        assert_eq!(chief.post_form(&format!("/events/{ret}/verify"), &[("version", &version)]).await.status().as_u16(), 303);
        assert_eq!(status_of(&app, ids[0]), "returned");
        let version = event_version(&app, ret);
        let response = chief.post_form(&format!("/events/{ret}"), &[
            ("occurred_at", "2024-12-18T09:00"), ("direction", "outbound"), ("category", "military"), ("headcount", "2"),
            ("source", "Gate log"), ("version", &version), ("reason", "Time from the handover document"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status_of(&app, ids[0]), "present", "pending again: not returned until verified again");
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        let version = event_version(&app, ret);
        assert_eq!(deputy.post_form(&format!("/events/{ret}/verify"), &[("version", &version)]).await.status().as_u16(), 303);
        assert_eq!((status_of(&app, ids[0]).as_str(), status_of(&app, ids[1]).as_str()), ("returned", "returned"));
    }

    async fn the_manifest_csv_is_the_handover_list_and_its_hash_is_printed(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let (_, ids) = five_arrived(&app).await;
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "3").await;
        assert_eq!(add(&app.client, &app, ret, &[ids[4], ids[0]]).await.status().as_u16(), 303);
        assert_eq!(app.get(&format!("/events/{ret}/manifest.csv")).await.status().as_u16(), 403, "officers print the document; the file is the people export's");
        let html = app.client.get_html(&format!("/events/{ret}/handover")).await;
        // The printing's own audit entry, named at the foot.
        let (print_seq, print_hash, print_action): (i64, String, String) = app.query(|c| {
            repatrack::db::schema::audit_log::table
                .order(repatrack::db::schema::audit_log::seq.desc())
                .select((repatrack::db::schema::audit_log::seq, repatrack::db::schema::audit_log::hash, repatrack::db::schema::audit_log::action))
                .first(c)
        });
        assert_eq!(print_action, "export");
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let (_, bytes) = crate::exports::get_bytes(&chief, &format!("/events/{ret}/manifest.csv")).await;
        let (header, rows) = parse_csv(&bytes);
        assert_eq!(header.join(","), "position,reference,name_ar,name_latin,father_name,grandfather_name,family_name,birth_year,sex,rank,unit,service_number,id_document_type,id_document_number,nationality,medical,status");
        let listed: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str())).collect();
        assert_eq!(listed, [("1", "QAIM-P-2024-0005", "Yusuf Karim"), ("2", "QAIM-P-2024-0001", "Hussein Ali")]);
        use sha2::Digest;
        let hash = hex::encode(sha2::Sha256::digest(&bytes));
        let seal = element_text(&html, "id=\"handover-seal\"").unwrap();
        assert_eq!(seal, format!("QAIM-2024-0002 · list {} · audit seq {print_seq}, head {}", &hash[..16], &print_hash[..16]));
        assert_eq!(element_text(&html, "id=\"handover-totals\"").unwrap(), "Named: 2 · Headcount: 3 · Unnamed: 1 المسمّون: 2 · العدد: 3 · غير المسمّين: 1");
        // An arrival has no handover document.
        let arrival: i64 = app.query(|c| crossing_events::table.filter(crossing_events::direction.eq("inbound")).select(crossing_events::id).first(c));
        assert_eq!(app.get(&format!("/events/{arrival}/handover")).await.status().as_u16(), 404);
    }
}

/// PostgreSQL: naming someone on an arrival bumps their version in the database, so an edit of
/// the person that commits while the list change waits for the person's row still counts: two
/// changes, two versions, and a form read before either is stale. (The list change holds the
/// post's lock, not the person's; a version written from its earlier read hid the edit.)
#[tokio::test]
async fn a_list_change_and_an_edit_of_the_person_at_once_both_bump_the_version() {
    use repatrack::audit::{self, Action, Actor, Details, Entry};
    use repatrack::error::AppError;
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    app.create_post("QAIM");
    app.login_as("officer", &["QAIM"]).await;
    let (arrival, ids) = five_arrived(&app).await;
    let omar = ids[1];
    let version = |app: &TestApp| -> i32 {
        app.query(|c| people::table.find(omar).select(people::version).first(c))
    };
    let before = version(&app);
    let (locked, wait_for_lock) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let editor = {
        let (pool, now) = (app.pool.clone(), app.clock.now());
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            // An edit of Omar, as the people service makes one: his lock, his row, its entry.
            audit::write(&mut conn, &Actor::system(), now, |w| {
                assert_eq!(
                    repatrack::db::people::lock(w, repatrack::domain::ids::PersonId(omar))?,
                    1
                );
                diesel::sql_query("UPDATE people SET version = version + 1 WHERE id = $1")
                    .bind::<diesel::sql_types::BigInt, _>(omar)
                    .execute(w.conn())?;
                w.record(Entry {
                    action: Action::PersonUpdate,
                    entity: "person",
                    entity_id: omar.to_string(),
                    post: Some("QAIM".into()),
                    details: Details::new().fact("test", "edit"),
                })?;
                locked.send(()).unwrap();
                released.recv().unwrap();
                Ok::<_, AppError>(())
            })
            .unwrap();
        })
    };
    wait_for_lock.recv().unwrap();
    let named = [omar];
    let naming = add(&app.client, &app, arrival, &named);
    // Until the list change waits for Omar's row; then the edit commits.
    let watch = async {
        until_blocked_on_a_lock(
            &app,
            "UPDATE \"people\"%",
            "the list change never waited for the person's row",
        )
        .await;
        release.send(()).unwrap();
    };
    let (response, ()) = tokio::join!(naming, watch);
    editor.join().unwrap();
    assert_redirects_to(&response, &format!("/events/{arrival}/manifest"));
    assert_eq!(
        version(&app),
        before + 2,
        "the edit and the list change each count"
    );
    let came: Option<i64> = app.query(|c| {
        people::table
            .find(omar)
            .select(people::inbound_event_id)
            .first(c)
    });
    assert_eq!(came, Some(arrival));
}
