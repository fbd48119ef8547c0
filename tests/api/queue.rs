//! Figures a supervisor can sign (issue 13): verified and pending apart on every page and CSV of
//! the Qaim story; the work queue (`/queue`) with batch verification, agreements awaiting a
//! second supervisor and days ready to close; the message after each action.

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, day_closures};

use crate::agreements::{
    activate, agreement_form, create_agreement, return_under, two_supervisors, version,
};
use crate::events::{audit_count, record, status_of};
use crate::helpers::*;

/// The count beside "Work queue" on a page, if shown.
fn queue_count(html: &str) -> Option<String> {
    element_text(html, "id=\"queue-count\"")
}

/// The queue count on the dashboard of `client`.
async fn count_of(client: &TestClient) -> Option<String> {
    queue_count(&client.get_html("/").await)
}

/// The message the last action left on the page, if any.
fn flash(html: &str) -> Option<String> {
    element_text(html, "id=\"flash\"")
}

both_databases! {
    async fn the_qaim_story_shows_verified_and_pending_apart_on_every_page_and_csv(app) {
        app.create_post("QAIM");
        let (chief, deputy) = two_supervisors(&app).await;
        let id = create_agreement(&chief, &agreement_form("IQ-SY/2024/RET-01", &["QAIM"], "2024-12-18", "")).await;
        activate(&app, &chief, &deputy, id).await;
        app.login_as("officer", &["QAIM"]).await;
        let soldiers = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        // 1,200 civilians whose arrival nobody has checked yet, and an arrival entered twice.
        record(&app.client, "QAIM", "2024-12-08T10:00", "inbound", "civilian", "1200").await;
        let twice = record(&app.client, "QAIM", "2024-12-08T11:00", "inbound", "military", "50").await;
        let agreement = id.to_string();
        let returned = return_under(&app.client, "QAIM", "2024-12-18T10:00", "1000", &agreement, 1).await;
        assert_eq!(returned.status().as_u16(), 303);
        let returned: i64 = returned.headers()["location"].to_str().unwrap().trim_start_matches("/events/").parse().unwrap();
        assert_eq!(return_under(&app.client, "QAIM", "2024-12-18T11:00", "100", &agreement, 2).await.status().as_u16(), 303);
        for event in [soldiers, returned] {
            assert_eq!(deputy.post_form(&format!("/events/{event}/verify"), &[("version", "1")]).await.status().as_u16(), 303);
        }
        assert_eq!(deputy.post_form(&format!("/events/{twice}/void"), &[("version", "1"), ("reason", "entered twice")]).await.status().as_u16(), 303);

        // The dashboard: 100 soldiers verified present, 0 once the pending return is counted;
        // the civilians are all unverified.
        let dashboard = chief.get_html("/").await;
        assert_eq!(cell_text(&dashboard, "class=\"present-military\""), "100 verified · 0 after 100 pending departures");
        assert_eq!(cell_text(&dashboard, "class=\"present-civilian\""), "0 verified · 1,200 including 1,200 pending");
        // The post page: present now and totals.
        let page = chief.get_html("/posts/QAIM?from=2024-12-07&to=2024-12-18").await;
        let balances = page.split("id=\"balances\"").nth(1).unwrap().split("</table>").next().unwrap();
        let rows: Vec<String> = balances.split("<tr>").skip(2).map(text_of_html).collect();
        assert_eq!(rows, [
            "Military 100 verified · 0 after 100 pending departures 1,100 1,000 verified · 1,100 including 100 pending",
            "Civilian 0 verified · 1,200 including 1,200 pending 0 verified · 1,200 including 1,200 pending 0",
        ]);
        // The agreement, its list and its CSV.
        let agreement_page = chief.get_html(&format!("/agreements/{id}")).await;
        assert_eq!(cell_text(&agreement_page, "id=\"returned\""), "1,000 verified · 1,100 including 100 pending");
        assert_eq!(cell_text(&agreement_page, "id=\"remaining\""), "1,000");
        let list = chief.get_html("/agreements").await;
        assert!(text_of_html(&list).contains("1,000 verified · 1,100 including 100 pending / 2,000"), "{list}");
        let (header, rows) = parse_csv(&chief.get("/agreements.csv").await.bytes().await.unwrap());
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!((rows[0][column("returned")].as_str(), rows[0][column("returned_pending")].as_str()), ("1100", "100"));
        // The headcount report and its CSV.
        let (header, rows) = parse_csv(&chief.get("/reports/headcount.csv?post=QAIM&from=2024-12-07&to=2024-12-18").await.bytes().await.unwrap());
        assert_eq!(header.len(), 10);
        let line = |date: &str, category: &str| rows.iter().find(|r| r[1] == date && r[2] == category).unwrap()[3..].join(",");
        assert_eq!(line("2024-12-07", "military"), "1100,0,1100,0,0,1100,no");
        assert_eq!(line("2024-12-08", "military"), "0,0,1100,0,0,1100,no", "the void counts for nothing");
        assert_eq!(line("2024-12-08", "civilian"), "1200,0,1200,1200,0,0,no");
        assert_eq!(line("2024-12-18", "military"), "0,1100,0,0,100,100,no");
        let report = chief.get_html("/reports/headcount?post=QAIM&from=2024-12-07&to=2024-12-18").await;
        let day = report.split("<bdi>18 Dec 2024</bdi></th>").nth(1).unwrap().split("</tr>").next().unwrap();
        assert_eq!(text_of_html(day), "0 1,000 +100 pending 100 −100 pending 0 0 0 +1,200 pending Open · awaiting verification");
    }

    async fn a_supervisor_verifies_ten_events_in_one_request_and_is_told_why_two_were_not(app) {
        app.create_post("QAIM");
        let (chief, _deputy) = two_supervisors(&app).await;
        app.login_as("officer", &["QAIM"]).await;
        let mut theirs = Vec::new();
        for n in 0..10 {
            theirs.push(record(&app.client, "QAIM", &format!("2024-12-07T{:02}:00", 8 + n), "inbound", "military", "10").await);
        }
        let own: Vec<i64> = vec![
            record(&chief, "QAIM", "2024-12-08T09:00", "inbound", "civilian", "5").await,
            record(&chief, "QAIM", "2024-12-08T10:00", "inbound", "civilian", "5").await,
        ];
        // The queue lists all twelve, oldest first; the chief's own are marked, not offered.
        let queue = chief.get_html("/queue").await;
        assert_eq!(queue_count(&queue).as_deref(), Some("10"));
        assert_eq!(queue.matches("<tr id=\"queue-event-").count(), 12);
        assert_eq!(queue.matches("name=\"event\"").count(), 10);
        assert!(queue.find(&format!("queue-event-{}\"", theirs[0])).unwrap() < queue.find(&format!("queue-event-{}\"", own[0])).unwrap());
        let mine = queue.split(&format!("queue-event-{}\"", own[0])).nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(text_of_html(mine).ends_with("you recorded it"), "{mine}");
        // Tick every pending event (a forged form may name the chief's own too).
        let ticks: Vec<String> = theirs.iter().chain(&own).map(|id| format!("{id}:1")).collect();
        let mut body: Vec<(&str, &str)> = ticks.iter().map(|t| ("event", t.as_str())).collect();
        body.push(("back", "/queue"));
        let response = chief.post_form("/queue/verify", &body).await;
        assert_redirects_to(&response, "/queue");
        for id in &theirs {
            assert_eq!(status_of(&app, *id), "verified");
        }
        for id in &own {
            assert_eq!(status_of(&app, *id), "pending");
        }
        assert_eq!(audit_count(&app, "event.verify"), 10, "each verified and audited on its own");
        let queue = chief.get_html("/queue").await;
        assert_eq!(
            flash(&queue).as_deref(),
            Some("10 events verified. 2 skipped: QAIM-2024-0011 (you recorded it), QAIM-2024-0012 (you recorded it).")
        );
        assert_eq!(queue_count(&queue), None, "nothing waits: no count");
        assert_eq!(flash(&chief.get_html("/queue").await), None, "shown once");
        // The deputy verifies the chief's two; a stale tick is skipped, not verified.
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        let deputy_queue = deputy.get_html("/queue").await;
        assert_eq!(queue_count(&deputy_queue).as_deref(), Some("2"));
        let ticks = [format!("{}:1", own[0]), format!("{}:7", own[1])];
        let body: Vec<(&str, &str)> = ticks.iter().map(|t| ("event", t.as_str())).collect();
        deputy.post_form("/queue/verify", &body).await;
        let page = deputy.get_html("/queue").await;
        assert_eq!(flash(&page).as_deref(), Some("1 event verified. 1 skipped: QAIM-2024-0012 (changed meanwhile)."));
        assert_eq!(queue_count(&page).as_deref(), Some("1"));
    }

    async fn the_count_follows_each_action_and_the_second_supervisor_finds_the_agreement_waiting(app) {
        app.create_post("QAIM");
        let (chief, deputy) = two_supervisors(&app).await;
        app.login_as("officer", &["QAIM"]).await;
        let dashboard = chief.get_html("/").await;
        assert_eq!(queue_count(&dashboard), None, "nothing waits: no count");
        assert!(dashboard.contains("href=\"/queue\""), "but the link is there");
        let officer = app.client.get_html("/").await;
        assert!(!officer.contains("href=\"/queue\""), "officers have no queue");
        let first = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "QAIM", "2024-12-07T11:00", "inbound", "civilian", "20").await;
        assert_eq!(count_of(&chief).await.as_deref(), Some("2"));
        assert_eq!(chief.post_form(&format!("/events/{first}/verify"), &[("version", "1")]).await.status().as_u16(), 303);
        assert_eq!(count_of(&chief).await.as_deref(), Some("1"));
        // The chief asks for an agreement's activation: it waits for the deputy, not the chief.
        let id = create_agreement(&chief, &agreement_form("IQ-SY/2024/RET-01", &["QAIM"], "2024-12-18", "")).await;
        chief.post_form(&format!("/agreements/{id}/status"), &[("status", "active"), ("reason", "signed"), ("version", &version(&app, id))]).await;
        assert_eq!(count_of(&chief).await.as_deref(), Some("1"));
        assert_eq!(count_of(&deputy).await.as_deref(), Some("2"));
        let deputy_queue = deputy.get_html("/queue?kind=agreements").await;
        let waiting = deputy_queue.split("id=\"queue-agreements\">").nth(1).unwrap().split("</ul>").next().unwrap();
        assert_eq!(text_of_html(waiting), "IQ-SY/2024/RET-01 Return of Syrian military personnel");
        assert!(!deputy_queue.contains("queue-event-"), "filtered to agreements");
        let chief_queue = chief.get_html("/queue?kind=agreements").await;
        assert!(text_of_html(&chief_queue).contains("IQ-SY/2024/RET-01 Return of Syrian military personnel · you asked for it"));
        deputy.post_form(&format!("/agreements/{id}/confirm"), &[("version", &version(&app, id))]).await;
        let page = deputy.get_html(&format!("/agreements/{id}")).await;
        assert_eq!(flash(&page).as_deref(), Some("IQ-SY/2024/RET-01 is in force."));
        assert_eq!(queue_count(&page).as_deref(), Some("1"));
    }

    async fn closing_up_to_a_day_closes_the_ready_days_and_stops_at_the_first_pending_one(app) {
        app.create_post("QAIM");
        let (chief, deputy) = two_supervisors(&app).await;
        app.login_as("officer", &["QAIM"]).await;
        let mut ids = Vec::new();
        for day in ["06", "07", "08", "09"] {
            ids.push(record(&app.client, "QAIM", &format!("2024-12-{day}T10:00"), "inbound", "military", "10").await);
        }
        for id in [ids[0], ids[1], ids[3]] {
            assert_eq!(deputy.post_form(&format!("/events/{id}/verify"), &[("version", "1")]).await.status().as_u16(), 303);
        }
        let queue = chief.get_html("/queue?kind=days").await;
        let days = text_of_html(queue.split("id=\"queue-days-QAIM\"").nth(1).unwrap().split("</div>").next().unwrap());
        assert!(days.starts_with("> QAIM 3 days ready: 6 Dec 2024 7 Dec 2024 9 Dec 2024 8 Dec 2024 still holds events awaiting verification: closing stops before it."), "{days}");
        assert!(queue.contains("name=\"to\" value=\"2024-12-07\""), "the form proposes the last ready day");
        // Up to the 9th: refused at the 8th, which holds a pending event; nothing is closed.
        let response = chief.post_form("/posts/QAIM/days/close-up-to", &[("to", "2024-12-09")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("8 Dec 2024"), "the refusal names the day");
        assert_eq!(app.query(|c| day_closures::table.count().get_result::<i64>(c)), 0);
        assert_eq!(audit_count(&app, "day.close"), 0);
        // Up to the 7th: both ready days closed in one request, oldest first, each audited.
        let response = chief.post_form("/posts/QAIM/days/close-up-to", &[("to", "2024-12-07")]).await;
        assert_redirects_to(&response, "/queue?post=QAIM&kind=days");
        let closed: Vec<String> = app.query(|c| day_closures::table.order(day_closures::day).select(day_closures::day).load::<chrono::NaiveDate>(c)).iter().map(ToString::to_string).collect();
        assert_eq!(closed, ["2024-12-06", "2024-12-07"]);
        let entries: Vec<String> = app.query(|c| audit_log::table.filter(audit_log::action.eq("day.close")).order(audit_log::seq).select(audit_log::entity_id).load(c));
        assert_eq!(entries, ["QAIM/2024-12-06", "QAIM/2024-12-07"]);
        let page = chief.get_html("/queue?post=QAIM&kind=days").await;
        assert_eq!(flash(&page).as_deref(), Some("2 days closed at QAIM, up to 7 Dec 2024."));
        // In Arabic, the count takes its plural form.
        chief.post_form("/account/preferences", &[("language", "ar"), ("digits", "western")]).await;
        assert_eq!(deputy.post_form(&format!("/events/{}/verify", ids[2]), &[("version", "1")]).await.status().as_u16(), 303);
        let response = chief.post_form("/posts/QAIM/days/close-up-to", &[("to", "2024-12-09")]).await;
        assert_eq!(response.status().as_u16(), 303);
        let page = chief.get_html("/queue").await;
        assert_eq!(flash(&page).as_deref(), Some("أُغلق يومان في QAIM حتى 9 كانون الأول 2024."));
    }

    async fn each_action_says_what_happened_once_and_recording_offers_another(app) {
        app.create_post("QAIM");
        let (chief, _deputy) = two_supervisors(&app).await;
        app.login_as("officer", &["QAIM"]).await;
        let id = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        let page = app.client.get_html(&format!("/events/{id}")).await;
        assert_eq!(flash(&page).as_deref(), Some("QAIM-2024-0001 recorded. It awaits verification. Record another at this post"));
        let link = page.split("id=\"flash-link\"").next().unwrap().rsplit("href=\"").next().unwrap().split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
        assert_eq!(link, "/posts/QAIM/events/new?occurred_at=2024-12-07T10%3A00&direction=inbound&source=Gate+log");
        let form = app.client.get_html(&link).await;
        assert!(form.contains("value=\"2024-12-07T10:00\""), "the date is kept");
        assert!(form.contains("value=\"Gate log\""), "the source is kept");
        assert!(form.contains("id=\"direction-inbound\" name=\"direction\" value=\"inbound\" checked") || form.contains("value=\"inbound\" checked"), "the direction is kept");
        assert_eq!(flash(&form), None, "shown once");
        chief.post_form(&format!("/events/{id}/verify"), &[("version", "1")]).await;
        assert_eq!(flash(&chief.get_html(&format!("/events/{id}")).await).as_deref(), Some("QAIM-2024-0001 verified."));
        chief.post_form("/posts/QAIM/days/2024-12-07/close", &[]).await;
        assert_eq!(flash(&chief.get_html("/posts/QAIM").await).as_deref(), Some("7 Dec 2024 closed at QAIM."));
        chief.post_form("/posts/QAIM/days/2024-12-07/reopen", &[("reason", "late report")]).await;
        assert_eq!(flash(&chief.get_html("/posts/QAIM").await).as_deref(), Some("7 Dec 2024 reopened at QAIM."));
        chief.post_form(&format!("/events/{id}/void"), &[("version", "2"), ("reason", "entered twice")]).await;
        assert_eq!(flash(&chief.get_html("/").await).as_deref(), Some("QAIM-2024-0001 voided."));
        let agreement = create_agreement(&chief, &agreement_form("IQ-SY/2024/RET-01", &["QAIM"], "2024-12-18", "")).await;
        assert_eq!(flash(&chief.get_html(&format!("/agreements/{agreement}")).await).as_deref(), Some("IQ-SY/2024/RET-01 saved as a draft."));
        chief.post_form(&format!("/agreements/{agreement}/status"), &[("status", "active"), ("reason", "signed"), ("version", "1")]).await;
        assert_eq!(flash(&chief.get_html(&format!("/agreements/{agreement}")).await).as_deref(), Some("IQ-SY/2024/RET-01 awaits a second supervisor's confirmation."));
        // A refused action leaves no message.
        chief.post_form(&format!("/agreements/{agreement}/confirm"), &[("version", "2")]).await;
        assert_eq!(flash(&chief.get_html("/").await), None);
    }
}
