//! Received lists (issue 16, points 3–5): importing a spreadsheet (UTF-8 and Windows-1256 CSV,
//! XLSX, errors, the size limit, all or nothing), reconciling a return with the other side's
//! list, and follow-ups of returnees counted on the agreement. Both databases, over real HTTP.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use repatrack::db::schema::{audit_log, people};

use crate::events::{audit_count, record};
use crate::helpers::*;
use crate::people::registered;

fn count_people(app: &TestApp) -> i64 {
    app.query(|c| people::table.count().get_result(c))
}

/// Uploads `content` as `name` at Qaim; returns the preview's address.
async fn upload(client: &TestClient, name: &str, content: &[u8], event: Option<i64>) -> String {
    let event = event.map(|e| e.to_string()).unwrap_or_default();
    let response = client
        .post_file(
            "/posts/QAIM/people/import",
            &[("event_id", &event)],
            (name, content),
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap_or_default()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The preview form's column choices as they stand, plus `action`.
fn confirm_form(html: &str, action: &str) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for part in html.split("<select id=\"col_").skip(1) {
        let index = part.split('"').next().unwrap().to_owned();
        let select = part.split("</select>").next().unwrap();
        let chosen = select
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.contains("selected"))
            .map(|o| o.split('"').next().unwrap().to_owned())
            .unwrap_or_default();
        form.push((format!("col_{index}"), chosen));
    }
    form.push(("action".to_owned(), action.to_owned()));
    form
}

async fn submit(
    client: &TestClient,
    preview: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(preview, &pairs).await
}

const LIST: &str = "الاسم,اسم الأب,سنة الميلاد,الرتبة,الرقم العسكري\nحسين علي الشطري,علي,1990,رقيب,SY-1001\nعمر خالد,خالد,1988,جندي,SY-1002\nزياد نور,نور,1995,جندي,SY-1003\n";

both_databases! {
    async fn a_utf8_list_is_previewed_then_imported_onto_a_return_all_at_once(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "10").await;
        let held = registered(&app.client, "QAIM", &[("name_latin", "Hussein Ali Al-Shatri"), ("birth_year", "1990")]).await;
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "3").await;
        let bom_list = [b"\xef\xbb\xbf".as_slice(), LIST.as_bytes()].concat();
        let preview = upload(&app.client, "received.csv", &bom_list, Some(ret)).await;
        assert_eq!(count_people(&app), 1, "nothing written at upload");
        let html = app.client.get_html(&preview).await;
        assert_eq!(element_text(&html, "id=\"import-summary\"").as_deref(), Some("3 rows: 1 match people already registered, 0 with errors."));
        // Hussein (Arabic) matches the record held in Latin letters; the others are new.
        let row1 = element_text(&html, "id=\"row-1\"").unwrap();
        assert!(row1.contains("Probably the same person: QAIM-P-2024-0001"), "{row1}");
        assert!(element_text(&html, "id=\"row-2\"").unwrap().contains("New person"));
        let response = submit(&app.client, &preview, &confirm_form(&html, "confirm")).await;
        assert_redirects_to(&response, &format!("/events/{ret}/manifest"));
        assert_eq!(count_people(&app), 3, "two created, one linked");
        let manifest = app.client.get_html(&format!("/events/{ret}/manifest")).await;
        assert_eq!(element_text(&manifest, "id=\"named-count\"").as_deref(), Some("named: 3 of 3"));
        let (details, post): (String, String) = app.query(|c| audit_log::table.filter(audit_log::action.eq("import.confirm")).select((audit_log::details, audit_log::post)).first(c));
        use sha2::Digest;
        let sha = hex::encode(sha2::Sha256::digest(&bom_list));
        assert!(details.contains(&format!("\"sha256\":\"{sha}\"")), "{details}");
        assert!(details.contains("\"created\":[\"QAIM-P-2024-0002\",\"QAIM-P-2024-0003\"]") && details.contains("\"linked\":[\"QAIM-P-2024-0001\"]"), "{details}");
        assert_eq!(post, "QAIM");
        let (father, service): (String, String) = app.query(|c| people::table.filter(people::reference.eq("QAIM-P-2024-0002")).select((people::father_name, people::service_number)).first(c));
        assert_eq!((father.as_str(), service.as_str()), ("خالد", "SY-1002"));
        // Confirmed once: a second confirmation changes nothing.
        let response = submit(&app.client, &preview, &confirm_form(&html, "confirm")).await;
        assert_eq!(response.status().as_u16(), 422);
        assert_eq!(count_people(&app), 3);
        let _ = held;
    }

    async fn a_list_confirmed_twice_at_once_is_imported_once(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let preview = upload(&app.client, "received.csv", LIST.as_bytes(), None).await;
        let html = app.client.get_html(&preview).await;
        let form = confirm_form(&html, "confirm");
        // A double click: both requests read the list before either has written it.
        let (first, second) = tokio::join!(submit(&app.client, &preview, &form), submit(&app.client, &preview, &form));
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 422], "one import, one refusal");
        assert_eq!(count_people(&app), 3);
        let confirms: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("import.confirm")).count().get_result(c));
        assert_eq!(confirms, 1, "one entry for the one import");
    }

    async fn a_list_for_a_post_closed_since_its_upload_imports_nothing(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let preview = upload(&app.client, "received.csv", LIST.as_bytes(), None).await;
        let html = app.client.get_html(&preview).await;
        app.conn().batch_execute("UPDATE border_posts SET active = FALSE WHERE code = 'QAIM'").unwrap();
        let response = submit(&app.client, &preview, &confirm_form(&html, "confirm")).await;
        assert_eq!(response.status().as_u16(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("This border post is closed and takes no new records."), "{page}");
        assert_eq!(count_people(&app), 0);
        let confirms: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("import.confirm")).count().get_result(c));
        assert_eq!(confirms, 0);
    }

    async fn windows_1256_and_xlsx_lists_read_the_same_and_the_mapping_is_remembered(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(LIST);
        assert!(!unmappable);
        let preview = upload(&app.client, "received.csv", &cp1256, None).await;
        let html = app.client.get_html(&preview).await;
        assert!(element_text(&html, "id=\"row-1\"").unwrap().contains("حسين علي الشطري"), "decoded from Windows-1256");
        // The officer says the "name" column is the Latin one... then corrects it back.
        let mut form = confirm_form(&html, "remap");
        assert_eq!(form[0], ("col_0".to_owned(), "name_ar".to_owned()));
        form[3].1 = String::new(); // ignore the rank column
        let response = submit(&app.client, &preview, &form).await;
        assert_eq!(response.status().as_u16(), 200);
        let remapped = response.text().await.unwrap();
        assert!(!element_text(&remapped, "id=\"row-1\"").unwrap().contains("رقيب"), "rank ignored");
        let response = submit(&app.client, &preview, &confirm_form(&remapped, "confirm")).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(count_people(&app), 3);
        let rank: String = app.query(|c| people::table.filter(people::name_ar.eq("عمر خالد")).select(people::rank).first(c));
        assert_eq!(rank, "", "the ignored column was not imported");
        // An XLSX workbook of the same people, with a new one: the post's mapping is remembered
        // (rank still ignored), and those already held are linked.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["الاسم", "اسم الأب", "سنة الميلاد", "الرتبة", "الرقم العسكري"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "عمر خالد").unwrap();
        sheet.write_string(1, 1, "خالد").unwrap();
        sheet.write_number(1, 2, 1988).unwrap();
        sheet.write_string(1, 3, "جندي").unwrap();
        sheet.write_string(1, 4, "SY-1002").unwrap();
        sheet.write_string(2, 0, "أحمد سالم").unwrap();
        sheet.write_string(2, 1, "سالم").unwrap();
        sheet.write_number(2, 2, 1979).unwrap();
        sheet.write_string(2, 3, "ملازم").unwrap();
        sheet.write_number(2, 4, 77001).unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        let preview = upload(&app.client, "received.xlsx", &xlsx, None).await;
        let html = app.client.get_html(&preview).await;
        let form = confirm_form(&html, "confirm");
        assert_eq!(form[3], ("col_3".to_owned(), String::new()), "the remembered mapping ignores rank");
        assert!(element_text(&html, "id=\"row-1\"").unwrap().contains("Same person: QAIM-P-2024-0002"), "same service number");
        assert_eq!(submit(&app.client, &preview, &form).await.status().as_u16(), 303);
        let (year, service): (Option<i32>, String) = app.query(|c| people::table.filter(people::name_ar.eq("أحمد سالم")).select((people::birth_year, people::service_number)).first(c));
        assert_eq!((year, service.as_str()), (Some(1979), "77001"), "numbers read from the workbook without a decimal part");
        assert_eq!(count_people(&app), 4);
    }

    async fn a_list_with_errors_imports_nothing_and_a_large_file_is_refused(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        // The last row is wrong (a year in the future): nothing of the file is imported.
        let list = format!("{LIST}سامي حداد,حداد,2031,جندي,SY-1004\n");
        let preview = upload(&app.client, "received.csv", list.as_bytes(), None).await;
        let html = app.client.get_html(&preview).await;
        assert!(html.contains("id=\"import-blocked\""), "no confirm button while a row is wrong");
        let row4 = element_text(&html, "id=\"row-4\"").unwrap();
        assert!(row4.contains("Year of birth: Use a year from 1900 to 2024."), "{row4}");
        let response = submit(&app.client, &preview, &confirm_form(&html, "confirm")).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("1 rows have errors; nothing was imported.") || html.contains("1 rows have errors"), "{}", element_text(&html, "class=\"error-summary\"").unwrap_or_default());
        assert_eq!(count_people(&app), 0);
        assert_eq!(audit_count(&app, "import.confirm"), 0);
        // Over 5 MB: refused beside the field, nothing kept.
        let big = vec![b'a'; 5 * 1024 * 1024 + 10];
        let response = app.client.post_file("/posts/QAIM/people/import", &[("event_id", "")], ("big.csv", &big)).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"file-error\"").as_deref(), Some("The file is larger than 5 MB: split it, or send it in parts."));
        // More than 20,000 rows.
        let mut many = String::from("name\n");
        for n in 0..20_001 {
            many.push_str(&format!("P{n}\n"));
        }
        let response = app.client.post_file("/posts/QAIM/people/import", &[("event_id", "")], ("many.csv", many.as_bytes())).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"file-error\"").as_deref(), Some("The file has more than 20000 rows: split it into parts."));
        assert_eq!(audit_count(&app, "import.upload"), 1);
    }

    async fn a_return_is_reconciled_with_the_other_sides_list(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "10").await;
        let ret = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "3").await;
        let preview = upload(&app.client, "ours.csv", LIST.as_bytes(), Some(ret)).await;
        let html = app.client.get_html(&preview).await;
        assert_eq!(submit(&app.client, &preview, &confirm_form(&html, "confirm")).await.status().as_u16(), 303);
        // Theirs: Hussein in Latin letters with a spelling variant, Omar by service number,
        // Ziad missing, and someone we did not send.
        let theirs = "Name,Father,Year of birth,Military number\nHusayn Ali Al-Shatri,Ali,1990,\nOmar Kaled,Khaled,1988,SY-1002\nTariq Haddad,Haddad,1992,SY-2001\n";
        let response = app.client.post_file(&format!("/events/{ret}/reconcile"), &[], ("received.csv", theirs.as_bytes())).await;
        assert_redirects_to(&response, &format!("/events/{ret}/reconcile"));
        let html = app.client.get_html(&format!("/events/{ret}/reconcile")).await;
        assert_eq!(element_text(&html, "id=\"ours-only\"").as_deref(), Some("QAIM-P-2024-0003 · زياد نور"));
        assert_eq!(element_text(&html, "id=\"theirs-only\"").as_deref(), Some("their row 3 · Tariq Haddad"));
        let matched = element_text(&html, "id=\"matched\"").unwrap();
        assert!(matched.contains("QAIM-P-2024-0001 · حسين علي الشطري Husayn Ali Al-Shatri 1 name and year of birth"), "{matched}");
        assert!(matched.contains("QAIM-P-2024-0002 · عمر خالد Omar Kaled 2 service number"), "{matched}");
        assert!(matched.contains("service number"), "{matched}");
        assert_eq!(audit_count(&app, "reconcile"), 1);
        // A supervisor looks into the differences; the note is kept and exported.
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        assert_eq!(app.client.post_form(&format!("/events/{ret}/reconcile/resolve"), &[("item", "ours:QAIM-P-2024-0003"), ("note", "x")]).await.status().as_u16(), 403);
        let response = chief.post_form(&format!("/events/{ret}/reconcile/resolve"), &[("item", "ours:QAIM-P-2024-0003"), ("note", "Stayed in hospital at Al-Qaim; returns next week")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let html = chief.get_html(&format!("/events/{ret}/reconcile")).await;
        let differences = element_text(&html, "id=\"ours-only\"").unwrap();
        assert!(differences.contains("Looked into: Stayed in hospital at Al-Qaim; returns next week ( chief )"), "{differences}");
        let (_, bytes) = crate::exports::get_bytes(&chief, &format!("/events/{ret}/reconcile.csv")).await;
        let (header, rows) = parse_csv(&bytes);
        assert_eq!(header.join(","), "list,reference,our_names,their_row,their_names,match_reason,resolved_note");
        let lists: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[5].as_str())).collect();
        assert_eq!(lists, [("matched", "QAIM-P-2024-0001", "name_and_year"), ("matched", "QAIM-P-2024-0002", "service_number"), ("ours_only", "QAIM-P-2024-0003", ""), ("theirs_only", "", "")]);
        assert_eq!(rows[2][6], "Stayed in hospital at Al-Qaim; returns next week");
    }

    async fn follow_ups_of_returnees_are_counted_on_the_agreement(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.create_user("deputy", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        let agreement = crate::agreements::create_agreement(
            &chief,
            &crate::agreements::agreement_form("IQ-SY/2024/RET-01", &["QAIM"], "2024-12-05", ""),
        )
        .await;
        crate::agreements::activate(&app, &chief, &deputy, agreement).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "10").await;
        let a = registered(&app.client, "QAIM", &[("name_latin", "Hussein Ali"), ("birth_year", "1990")]).await;
        let b = registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled"), ("birth_year", "1988")]).await;
        let key = format!("{:032x}", 8_811);
        let response = crate::events::record_with_agreement(&app.client, "QAIM", "2024-12-18T08:00", "2", agreement, &key).await;
        assert_eq!(response.status().as_u16(), 303);
        let ret: i64 = response.headers()["location"].to_str().unwrap().trim_start_matches("/events/").parse().unwrap();
        let version: String = app.query(|c| repatrack::db::schema::crossing_events::table.find(ret).select(repatrack::db::schema::crossing_events::version).first::<i32>(c)).to_string();
        let ids = [a.to_string(), b.to_string()];
        let response = app.client.post_form(&format!("/events/{ret}/manifest"), &[("version", &version), ("person_id", &ids[0]), ("person_id", &ids[1])]).await;
        assert_eq!(response.status().as_u16(), 303);
        // Not returned yet: no follow-up.
        let response = app.client.post_form(&format!("/people/{a}/followups"), &[("observed_on", "2024-12-18"), ("source", "family"), ("finding", "safe"), ("text", "Called home")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let version: String = app.query(|c| repatrack::db::schema::crossing_events::table.find(ret).select(repatrack::db::schema::crossing_events::version).first::<i32>(c)).to_string();
        assert_eq!(deputy.post_form(&format!("/events/{ret}/verify"), &[("version", &version)]).await.status().as_u16(), 303);
        let response = app.client.post_form(&format!("/people/{a}/followups"), &[("observed_on", "2024-12-18"), ("source", "family"), ("finding", "safe"), ("text", "Called home from Deir ez-Zor")]).await;
        assert_redirects_to(&response, &format!("/people/{a}"));
        let response = app.client.post_form(&format!("/people/{b}/followups"), &[("observed_on", "2024-12-18"), ("source", "icrc"), ("finding", "alleged_reprisal"), ("text", "Detained on arrival, family says")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let html = app.client.get_html(&format!("/people/{b}")).await;
        assert!(element_text(&html, "id=\"followups\"").unwrap().contains("ICRC Reprisal alleged Detained on arrival, family says"));
        // The reprisal is an observation against the no-reprisals clause, and the agreement
        // counts its returnees heard of.
        let page = chief.get_html(&format!("/agreements/{agreement}")).await;
        assert_eq!(element_text(&page, "id=\"agreement-monitoring\"").as_deref(), Some("2 of 2 heard of; last heard safe: 1"));
        assert!(page.contains("Alleged breach") && page.contains("QAIM-P-2024-0002: Detained on arrival, family says"));
        assert_eq!(audit_count(&app, "agreement.observation"), 1);
        assert_eq!(audit_count(&app, "person.followup"), 2);
        // The people export carries the return and the latest finding.
        let (_, bytes) = crate::exports::get_bytes(&chief, "/people.csv").await;
        let (header, rows) = parse_csv(&bytes);
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let omar = rows.iter().find(|r| r[at("name_latin")] == "Omar Khaled").unwrap();
        assert_eq!((omar[at("status")].as_str(), omar[at("return_event")].as_str(), omar[at("followups")].as_str(), omar[at("last_finding")].as_str()), ("returned", "QAIM-2024-0002", "1", "alleged_reprisal"));
    }
}
