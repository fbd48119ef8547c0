//! People (issue 15): registering, duplicates before saving, search across spellings and
//! scripts, the lifecycle with the person's own choice, privacy (views audited, scope, the
//! export), and merges confirmed by a second supervisor. Both databases, over real HTTP.

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, people, person_distinct};

use crate::events::audit_count;
use crate::helpers::*;

/// The form key of a fresh registration form at `post`.
async fn form_key(client: &TestClient, post: &str) -> String {
    let html = client.get_html(&format!("/posts/{post}/people/new")).await;
    html.split("name=\"form_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries a key")
        .to_owned()
}

/// Registers a person at `post` through the form; returns the response.
pub async fn register(
    client: &TestClient,
    post: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let key = form_key(client, post).await;
    let mut body: Vec<(&str, &str)> = vec![("form_key", key.as_str())];
    body.extend_from_slice(fields);
    client
        .post_form(&format!("/posts/{post}/people"), &body)
        .await
}

/// Registers a person and returns their id (the registration must succeed).
pub async fn registered(client: &TestClient, post: &str, fields: &[(&str, &str)]) -> i64 {
    let response = register(client, post, fields).await;
    assert_eq!(response.status().as_u16(), 303, "registering {fields:?}");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix("/people/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"))
}

fn count_people(app: &TestApp) -> i64 {
    app.query(|c| people::table.count().get_result(c))
}

fn status_of(app: &TestApp, id: i64) -> String {
    app.query(|c| people::table.find(id).select(people::status).first(c))
}

fn version_of(app: &TestApp, id: i64) -> String {
    app.query(|c| {
        people::table
            .find(id)
            .select(people::version)
            .first::<i32>(c)
    })
    .to_string()
}

/// The references a people page lists, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<a href=\"/people/")
        .skip(1)
        .filter_map(|rest| rest.split("dir=\"ltr\">").nth(1))
        .filter_map(|rest| rest.split('<').next())
        .filter(|r| r.contains("-P-"))
        .map(str::to_owned)
        .collect()
}

both_databases! {
    async fn a_person_is_registered_with_a_reference_and_audited(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let event = crate::events::record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "600").await;
        let id = registered(&app.client, "QAIM", &[
            ("name_ar", "حسين علي الشطري"), ("name_latin", "Hussein Ali Al-Shatri"), ("father_name", "علي"),
            ("birth_year", "١٩٩٠"), ("sex", "male"), ("rank", "Sergeant"), ("service_number", "SY-4471"),
            ("id_document_type", "military_id"), ("id_document_number", "M 12-345"), ("nationality", "sy"),
            ("medical", "wounded"), ("inbound_event_id", &event.to_string()),
        ]).await;
        let (reference, birth_year, nationality, status, inbound): (String, Option<i32>, String, String, Option<i64>) = app.query(|c| {
            people::table.find(id).select((people::reference, people::birth_year, people::nationality, people::status, people::inbound_event_id)).first(c)
        });
        assert_eq!(reference, "QAIM-P-2024-0001");
        assert_eq!(birth_year, Some(1990));
        assert_eq!(nationality, "SY");
        assert_eq!(status, "present");
        assert_eq!(inbound, Some(event));
        assert_eq!(audit_count(&app, "person.create"), 1);
        let second = registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled")]).await;
        let reference: String = app.query(|c| people::table.find(second).select(people::reference).first(c));
        assert_eq!(reference, "QAIM-P-2024-0002");
        // The page names them, their arrival, and the notice of the registration.
        let html = app.client.get_html(&format!("/people/{id}")).await;
        assert_eq!(element_text(&html, "id=\"person-reference\"").as_deref(), Some("QAIM-P-2024-0001"));
        assert_eq!(element_text(&html, "id=\"person-status\"").as_deref(), Some("Present"));
        assert_eq!(element_text(&html, "id=\"person-medical\"").as_deref(), Some("Wounded"));
        assert!(html.contains("QAIM-2024-0001"), "the arrival is linked");
        assert!(html.contains("dir=\"auto\" id=\"person-name\">حسين علي الشطري<"), "the Arabic name, isolated");
    }

    async fn bad_input_is_shown_beside_each_field_and_nothing_is_written(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("officer", &["QAIM", "RABIA"]).await;
        let elsewhere = crate::events::record(&app.client, "RABIA", "2024-12-07T10:00", "inbound", "military", "5").await;
        let response = register(&app.client, "QAIM", &[
            ("name_ar", " "), ("birth_date", "1998-03-04"), ("birth_year", "1997"), ("sex", "x"),
            ("nationality", "XX"), ("medical", "fine"), ("inbound_event_id", &elsewhere.to_string()),
            ("notes", &"n".repeat(2001)),
        ]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        for (field, message) in [
            ("name_ar", "Give the name in Arabic or in Latin letters (or both)."),
            ("birth_year", "The year of birth differs from the date of birth."),
            ("sex", "Choose one of the listed values."),
            ("nationality", "Use the two-letter ISO country code, like IQ or SY."),
            ("medical", "Choose one of the listed values."),
            ("notes", "At most 2000 characters."),
        ] {
            assert_eq!(element_text(&html, &format!("id=\"{field}-error\"")).as_deref(), Some(message), "{field}");
        }
        assert!(html.contains("value=\"1998-03-04\""), "what was typed is kept");
        // An arrival of another post is refused by the service, beside its field.
        let response = register(&app.client, "QAIM", &[("name_latin", "Omar"), ("inbound_event_id", &elsewhere.to_string())]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"inbound_event_id-error\"").as_deref(), Some("Choose one of the listed arrivals."));
        assert_eq!(count_people(&app), 0);
        assert_eq!(audit_count(&app, "person.create"), 0);
    }

    async fn the_same_soldier_under_two_spellings_is_caught_before_saving(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let first = registered(&app.client, "QAIM", &[("name_ar", "حسين علي"), ("birth_year", "1990"), ("service_number", "SY-4471")]).await;
        // Probable: the same name in the other script, born a year apart.
        let response = register(&app.client, "QAIM", &[("name_latin", "Hussein Ali"), ("birth_year", "1991")]).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        let warning = element_text(&html, "id=\"duplicates\"").unwrap();
        assert!(warning.contains("Probably the same person (same name, birth years within one): QAIM-P-2024-0001"), "{warning}");
        assert!(html.contains(&format!("href=\"/people/{first}\"")), "a link to the existing record");
        assert!(html.contains("value=\"Hussein Ali\""), "the form is kept");
        assert_eq!(count_people(&app), 1, "nothing saved");
        // Certain: the same service number, however written, under another name.
        let response = register(&app.client, "QAIM", &[("name_latin", "H. Ali"), ("service_number", "sy 4471")]).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        assert!(element_text(&html, "id=\"duplicates\"").unwrap().contains("Same person (same service number): QAIM-P-2024-0001"));
        // Born three years apart: a different man of the same name.
        let other = register(&app.client, "QAIM", &[("name_latin", "Hussein Ali"), ("birth_year", "1993")]).await;
        assert_eq!(other.status().as_u16(), 303);
        // The officer looked and says this is someone else: saved, and the decision audited.
        let response = register(&app.client, "QAIM", &[("name_latin", "Husayn Ali"), ("birth_year", "1990"), ("confirm_not_duplicate", "1")]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(count_people(&app), 3);
        let details: String = app.query(|c| {
            audit_log::table.filter(audit_log::action.eq("person.create")).order(audit_log::seq.desc()).select(audit_log::details).first(c)
        });
        assert!(details.contains("\"not_duplicate_of\":[\"QAIM-P-2024-0001\"]"), "{details}");
        let pairs: i64 = app.query(|c| person_distinct::table.count().get_result(c));
        assert_eq!(pairs, 1);
    }

    async fn a_name_is_found_however_it_is_spelled_exact_spellings_first(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let arabic = registered(&app.client, "QAIM", &[("name_ar", "حسين عبد الله"), ("birth_year", "1980")]).await;
        let latin = registered(&app.client, "QAIM", &[("name_latin", "Hussein Abdullah"), ("birth_year", "1995")]).await;
        let variant = registered(&app.client, "QAIM", &[("name_latin", "Husayn Abdallah"), ("birth_year", "2001")]).await;
        let unrelated = registered(&app.client, "QAIM", &[("name_ar", "محمود أحمد"), ("birth_year", "1970")]).await;
        // حسين is found by Hussein though only the Arabic name was typed; exact first.
        let html = app.client.get_html("/people?q=Hussein").await;
        assert_eq!(listed(&html), ["QAIM-P-2024-0002", "QAIM-P-2024-0003", "QAIM-P-2024-0001"]);
        assert!(html.contains("same spelling") && html.contains("spelling variant") && html.contains("other script"));
        // And the reverse: the Latin records are found by the Arabic spelling.
        let html = app.client.get_html("/people?q=%D8%AD%D8%B3%D9%8A%D9%86").await;
        assert_eq!(listed(&html), ["QAIM-P-2024-0001", "QAIM-P-2024-0002", "QAIM-P-2024-0003"]);
        // Every word must match; a name that is not there matches nothing.
        let html = app.client.get_html("/people?q=Hussein+Abdullah").await;
        assert_eq!(listed(&html).len(), 3);
        let html = app.client.get_html("/people?q=Mahmoud").await;
        assert_eq!(listed(&html), ["QAIM-P-2024-0004"]);
        let html = app.client.get_html("/people?q=%D8%A3%D8%AD%D9%85%D8%AF").await; // أحمد
        assert_eq!(listed(&html), ["QAIM-P-2024-0004"], "أحمد is a word of the fourth name only");
        assert!(app.client.get_html("/people?q=Khalid").await.contains("No one matches."));
        // Unsearched: newest first, paged.
        let html = app.client.get_html("/people").await;
        assert_eq!(listed(&html).first().map(String::as_str), Some("QAIM-P-2024-0004"));
        let _ = (arabic, latin, variant, unrelated);
    }

    async fn a_person_who_declines_to_return_is_shown_so_everywhere(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let id = registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled"), ("birth_year", "1988")]).await;
        // A wish needs its statement: when, who heard it, how.
        let path = format!("/people/{id}/status");
        let response = app.client.post_form(&path, &[("status", "declines_return"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"heard_by-error\"").as_deref(), Some("Required."));
        assert_eq!(status_of(&app, id), "present");
        let response = app.client.post_form(&path, &[
            ("status", "declines_return"), ("version", "1"), ("stated_on", "2024-12-17"), ("heard_by", "Capt. Salim"), ("how", "interview"),
        ]).await;
        assert_redirects_to(&response, &format!("/people/{id}"));
        assert_eq!(status_of(&app, id), "declines_return");
        let html = app.client.get_html(&format!("/people/{id}")).await;
        assert_eq!(element_text(&html, "id=\"person-status\"").as_deref(), Some("Declines to return"));
        assert!(html.contains("No return may include them."));
        assert!(element_text(&html, "id=\"statements\"").unwrap().contains("Declines to return 17 Dec 2024 Capt. Salim In an interview officer"));
        let list = app.client.get_html("/people").await;
        assert!(list.contains("<span class=\"flag declines\">Declines to return</span>"));
        // Returned comes only from a verified return; a stale form is a conflict.
        let response = app.client.post_form(&path, &[("status", "returned"), ("version", "2"), ("reason", "x")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("A person is returned only by verifying a return whose manifest names them."));
        let response = app.client.post_form(&path, &[("status", "wishes_to_return"), ("version", "1"), ("stated_on", "2024-12-18"), ("heard_by", "ICRC delegate"), ("how", "third_party")]).await;
        assert_eq!(response.status().as_u16(), 409);
        // An officer records a change of mind; closing a case takes a supervisor.
        let response = app.client.post_form(&path, &[("status", "wishes_to_return"), ("version", "2"), ("stated_on", "2024-12-18"), ("heard_by", "ICRC delegate"), ("how", "third_party")]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(status_of(&app, id), "wishes_to_return");
        let other = registered(&app.client, "QAIM", &[("name_latin", "Ziad Nour")]).await;
        let response = app.client.post_form(&format!("/people/{other}/status"), &[("status", "deceased"), ("version", "1"), ("reason", "Died of wounds")]).await;
        assert_eq!(response.status().as_u16(), 403);
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let response = chief.post_form(&format!("/people/{other}/status"), &[("status", "transferred"), ("version", "1"), ("reason", "Handed over")]).await;
        assert_eq!(response.status().as_u16(), 422, "a transfer names the authority");
        let response = chief.post_form(&format!("/people/{other}/status"), &[("status", "transferred"), ("version", "1"), ("reason", "Handed over"), ("transferred_to", "Ministry of Interior")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let response = chief.post_form(&format!("/people/{other}/status"), &[("status", "present"), ("version", "2"), ("reason", "x")]).await;
        assert_eq!(response.status().as_u16(), 422, "a closed case does not reopen");
        assert_eq!(audit_count(&app, "person.status"), 3);
        // The export shows the status and the latest statement.
        let (_, bytes) = crate::exports::get_bytes(&chief, "/people.csv").await;
        let (header, rows) = parse_csv(&bytes);
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let omar = rows.iter().find(|r| r[at("name_latin")] == "Omar Khaled").unwrap();
        assert_eq!(omar[at("status")], "wishes_to_return");
        assert_eq!((omar[at("last_statement_on")].as_str(), omar[at("last_statement_heard_by")].as_str(), omar[at("last_statement_how")].as_str()), ("2024-12-18", "ICRC delegate", "third_party"));
        let ziad = rows.iter().find(|r| r[at("name_latin")] == "Ziad Nour").unwrap();
        assert_eq!((ziad[at("status")].as_str(), ziad[at("transferred_to")].as_str()), ("transferred", "Ministry of Interior"));
    }

    async fn every_view_of_a_person_is_in_the_audit_trail(app) {
        app.create_post("QAIM");
        let officer = app.login_as("officer", &["QAIM"]).await;
        let id = registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled")]).await;
        assert_eq!(audit_count(&app, "person.view"), 0, "registering is not viewing");
        app.client.get_html(&format!("/people/{id}")).await;
        app.client.get_html(&format!("/people/{id}")).await;
        let views: Vec<(Option<i64>, String, String)> = app.query(|c| {
            audit_log::table.filter(audit_log::action.eq("person.view"))
                .select((audit_log::actor_id, audit_log::entity_id, audit_log::post)).load(c)
        });
        assert_eq!(views, vec![(Some(officer), id.to_string(), "QAIM".to_owned()); 2]);
        // Lists show names and status, never documents, and are not views of a person.
        registered(&app.client, "QAIM", &[("name_latin", "Ziad Nour"), ("id_document_number", "N-998877"), ("confirm_not_duplicate", "1")]).await;
        let list = app.client.get_html("/people").await;
        assert!(!list.contains("998877"));
        assert_eq!(audit_count(&app, "person.view"), 2);
        // The history shows the views, with who.
        let reviewer = app.new_client();
        app.create_user("chief", "supervisor", &["QAIM"], false);
        reviewer.login("chief", PASSWORD).await;
        let history = reviewer.get_html(&format!("/people/{id}/history")).await;
        assert_eq!(history.matches("record viewed").count(), 2, "{history}");
    }

    async fn a_person_of_another_post_answers_404_on_every_route(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        let boss = app.new_client();
        app.create_user("boss", "admin", &[], true);
        boss.login("boss", PASSWORD).await;
        let theirs = registered(&boss, "RABIA", &[("name_latin", "Omar Khaled"), ("birth_year", "1988")]).await;
        let ours = registered(&boss, "QAIM", &[("name_latin", "Omar Khaled"), ("birth_year", "1988"), ("confirm_not_duplicate", "1")]).await;
        app.login_as("supervisor", &["QAIM"]).await;
        let missing = app.get("/people/99999").await;
        assert_eq!(missing.status().as_u16(), 404);
        let missing_html = without_tokens(&missing.text().await.unwrap());
        for path in [format!("/people/{theirs}"), format!("/people/{theirs}/edit"), format!("/people/{theirs}/history"), format!("/people/merge?kept={ours}&merged={theirs}"), "/posts/RABIA/people/new".to_owned()] {
            let response = app.get(&path).await;
            assert_eq!(response.status().as_u16(), 404, "{path}");
            assert_eq!(without_tokens(&response.text().await.unwrap()), missing_html, "{path} must look like a missing record");
        }
        for (path, form) in [
            (format!("/people/{theirs}"), vec![("name_latin", "X"), ("version", "1")]),
            (format!("/people/{theirs}/status"), vec![("status", "deceased"), ("version", "1"), ("reason", "x")]),
            // Ids 1 (theirs, at Rabia) and 2 (ours).
            ("/people/distinct".to_owned(), vec![("a", "1"), ("b", "2")]),
            ("/people/merges".to_owned(), vec![("kept", "2"), ("merged", "1")]),
        ] {
            assert_eq!(app.client.post_form(&path, &form).await.status().as_u16(), 404, "POST {path}");
        }
        // Not in the list, the search, the duplicates or the export either.
        assert_eq!(listed(&app.client.get_html("/people?q=Omar").await), ["QAIM-P-2024-0001"]);
        assert!(app.client.get_html("/people/duplicates").await.contains("No probable duplicates."));
        let (_, bytes) = crate::exports::get_bytes(&app.client, "/people.csv").await;
        let (_, rows) = parse_csv(&bytes);
        assert_eq!(rows.len(), 1);
        assert_eq!(audit_count(&app, "person.view"), 0);
        let _ = ours;
    }

    async fn the_people_export_is_for_supervisors_admins_and_auditors(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        registered(&app.client, "QAIM", &[("name_ar", "=حسين"), ("name_latin", "Hussein"), ("id_document_number", "N-1"), ("vulnerabilities", "Minor, 17")]).await;
        assert_eq!(app.get("/people.csv").await.status().as_u16(), 403);
        assert!(!app.client.get_html("/people").await.contains("/people.csv"), "not offered to an officer");
        let auditor = app.new_client();
        app.create_user("reader", "auditor", &["QAIM"], false);
        auditor.login("reader", PASSWORD).await;
        let (headers, bytes) = crate::exports::get_bytes(&auditor, "/people.csv?bom=1").await;
        assert_eq!(headers["content-disposition"], "attachment; filename=\"people.csv\"");
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let (header, rows) = parse_csv(&bytes[3..]);
        assert_eq!(header.join(","), "person_id,reference,post,name_ar,name_latin,father_name,grandfather_name,family_name,mother_name,birth_date,birth_year,sex,rank,unit,service_number,id_document_type,id_document_number,nationality,medical,vulnerabilities,inbound_event,status,transferred_to,last_statement_on,last_statement_heard_by,last_statement_how,notes,recorded_by,recorded_at_utc,updated_at_utc,return_event,followups,last_followup_on,last_finding");
        assert_eq!(rows.len(), 1);
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(rows[0][at("name_ar")], "'=حسين", "formula injection defused");
        assert_eq!(rows[0][at("id_document_number")], "N-1");
        assert_eq!(rows[0][at("vulnerabilities")], "Minor, 17");
        assert_eq!(rows[0][at("status")], "present");
        assert_eq!(rows[0][at("recorded_by")], "officer");
        assert_eq!(audit_count(&app, "export"), 1);
    }

    async fn an_edit_is_checked_for_duplicates_and_conflicts(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let a = registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled"), ("id_document_number", "N-1")]).await;
        let b = registered(&app.client, "QAIM", &[("name_latin", "Ziad Nour")]).await;
        let path = format!("/people/{b}");
        let response = app.client.post_form(&path, &[("name_latin", "Ziad Nour"), ("id_document_number", "n1"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 409, "the same document as another record");
        let html = response.text().await.unwrap();
        assert!(element_text(&html, "id=\"duplicates\"").unwrap().contains("Same person (same document number): QAIM-P-2024-0001"));
        let response = app.client.post_form(&path, &[("name_latin", "Ziad Nour"), ("rank", "Private"), ("version", "1")]).await;
        assert_redirects_to(&response, &path);
        assert_eq!(version_of(&app, b), "2");
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("person.update")).select(audit_log::details).first(c));
        assert_eq!(details, "{\"changes\":{\"rank\":{\"after\":\"Private\",\"before\":null}}}");
        // A form opened before that change is a conflict showing the newer values.
        let response = app.client.post_form(&path, &[("name_latin", "Ziad Nour"), ("rank", "Corporal"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        assert!(element_text(&html, "id=\"conflict\"").unwrap().contains("Rank Private"));
        assert!(html.contains("value=\"Corporal\""), "what was typed is kept");
        let _ = a;
    }

    async fn a_merge_takes_a_second_supervisor_and_leaves_a_pointer(app) {
        app.create_post("QAIM");
        app.create_user("first", "supervisor", &["QAIM"], false);
        app.create_user("second", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let kept = registered(&app.client, "QAIM", &[("name_ar", "خالد عمر"), ("birth_year", "1985")]).await;
        let merged = registered(&app.client, "QAIM", &[("name_latin", "Khaled Omar"), ("birth_year", "1986"), ("rank", "Sergeant"), ("confirm_not_duplicate", "1")]).await;
        // Said not to be duplicates at registration: so not listed. Undo by a third record.
        let third = registered(&app.client, "QAIM", &[("name_latin", "Khalid Umar"), ("birth_year", "1985"), ("unit", "17th Division"), ("confirm_not_duplicate", "1")]).await;
        let first = app.new_client();
        first.login("first", PASSWORD).await;
        let page = first.get_html("/people/duplicates").await;
        assert!(page.contains("No probable duplicates."), "every pair was said to be distinct: {}", element_text(&page, "id=\"pairs\"").unwrap_or_default());
        // Someone says so wrongly about a fresh pair; a supervisor compares and proposes a merge.
        let fourth = registered(&app.client, "QAIM", &[("name_latin", "Khaled Omar"), ("birth_year", "1990"), ("unit", "5th Brigade")]).await;
        let fifth = registered(&app.client, "QAIM", &[("name_ar", "خالد عمر"), ("birth_year", "1991"), ("father_name", "عمر"), ("confirm_not_duplicate", "1")]).await;
        let _ = (kept, merged, third);
        app.query(|c| diesel::delete(person_distinct::table.filter(person_distinct::person_high.eq(fifth)).filter(person_distinct::person_low.eq(fourth))).execute(c));
        let page = first.get_html("/people/duplicates").await;
        assert!(page.contains(&format!("/people/merge?kept={fourth}&amp;merged={fifth}")), "{page}");
        let compare = first.get_html(&format!("/people/merge?kept={fourth}&merged={fifth}")).await;
        let fields = element_text(&compare, "id=\"merge-fields\"").unwrap();
        assert!(fields.contains("Father") && fields.contains("Name in Arabic") && fields.contains("Year of birth"), "{fields}");
        let response = first.post_form("/people/merges", &[
            ("kept", &fourth.to_string()), ("merged", &fifth.to_string()),
            ("take_name_ar", "merged"), ("take_father_name", "merged"), ("take_birth_year", "kept"),
        ]).await;
        assert_eq!(response.status().as_u16(), 303);
        let proposal = response.headers()["location"].to_str().unwrap().to_owned();
        // The proposer does not confirm their own merge.
        let html = first.get_html(&proposal).await;
        assert!(html.contains("You proposed this merge; another supervisor must confirm it."));
        assert_eq!(first.post_form(&format!("{proposal}/confirm"), &[]).await.status().as_u16(), 403);
        let second = app.new_client();
        second.login("second", PASSWORD).await;
        let response = second.post_form(&format!("{proposal}/confirm"), &[]).await;
        assert_redirects_to(&response, &format!("/people/{fourth}"));
        let (name_ar, name_latin, father, year, unit): (String, String, String, Option<i32>, String) = app.query(|c| {
            people::table.find(fourth).select((people::name_ar, people::name_latin, people::father_name, people::birth_year, people::unit)).first(c)
        });
        assert_eq!((name_ar.as_str(), name_latin.as_str(), father.as_str(), year, unit.as_str()), ("خالد عمر", "Khaled Omar", "عمر", Some(1990), "5th Brigade"));
        let pointer: Option<i64> = app.query(|c| people::table.find(fifth).select(people::merged_into).first(c));
        assert_eq!(pointer, Some(fourth));
        // The merged record stays readable with its pointer, and changes no more.
        let html = second.get_html(&format!("/people/{fifth}")).await;
        assert!(element_text(&html, "id=\"merged-into\"").unwrap().contains("QAIM-P-2024-0004"));
        assert!(!html.contains("id=\"edit-person\""));
        assert_eq!(second.post_form(&format!("/people/{fifth}"), &[("name_latin", "X"), ("version", "2")]).await.status().as_u16(), 403);
        assert!(!listed(&second.get_html("/people?q=Khaled").await).contains(&"QAIM-P-2024-0005".to_owned()));
        assert_eq!(audit_count(&app, "person.merge"), 2, "one entry on each record");
        assert_eq!(audit_count(&app, "person.merge_propose"), 1);
        // A decided merge is not decided again.
        assert_eq!(second.post_form(&format!("{proposal}/withdraw"), &[]).await.status().as_u16(), 422);
    }
}

/// PostgreSQL: a change of a person's status waits for their post's lock, which every change to
/// a return's list holds, so a decline sees (and undoes) a list change in flight rather than
/// leaving someone who declines on a pending return.
#[tokio::test]
async fn a_status_change_waits_for_the_posts_writers() {
    use repatrack::audit::{self, Actor};
    use repatrack::error::AppError;
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let post = app.create_post("QAIM");
    app.login_as("officer", &["QAIM"]).await;
    let id = registered(
        &app.client,
        "QAIM",
        &[("name_latin", "Omar Khaled"), ("birth_year", "1988")],
    )
    .await;
    let (locked, wait_for_lock) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = {
        let (pool, now) = (app.pool.clone(), app.clock.now());
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            // Holds the post's lock as a list change would; writes nothing (no entry: rolled back).
            let _ = audit::write(&mut conn, &Actor::system(), now, |w| {
                assert!(repatrack::db::posts::lock(w, post)?.is_some());
                locked.send(()).unwrap();
                released.recv().unwrap();
                Ok::<_, AppError>(())
            });
        })
    };
    wait_for_lock.recv().unwrap();
    let path = format!("/people/{id}/status");
    let decline = app.client.post_form(
        &path,
        &[
            ("status", "declines_return"),
            ("version", "1"),
            ("stated_on", "2024-12-17"),
            ("heard_by", "Capt. Salim"),
            ("how", "interview"),
        ],
    );
    // Until the status change waits for the post's lock; then the post's writer finishes.
    let watch = async {
        until_blocked_on_a_lock(
            &app,
            "%border_posts%",
            "the status change never waited for the post's lock",
        )
        .await;
        assert_eq!(
            status_of(&app, id),
            "present",
            "not before the post's writer is done"
        );
        release.send(()).unwrap();
    };
    let (response, ()) = tokio::join!(decline, watch);
    holder.join().unwrap();
    assert_redirects_to(&response, &format!("/people/{id}"));
    assert_eq!(status_of(&app, id), "declines_return");
}
