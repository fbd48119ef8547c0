//! Crossing events and the ledger: recording, refusals of the balance invariant, double
//! submits, concurrency, four eyes, corrections, closed days, lists and the post page.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use repatrack::db::schema::{audit_log, crossing_events, post_days};

use crate::helpers::*;

/// A well-formed form key of our own (the server accepts any it could have issued).
fn key(n: u32) -> String {
    format!("{n:032x}")
}

/// The `form_key` a form page carries.
fn form_key_in(html: &str) -> String {
    const MARK: &str = "name=\"form_key\" value=\"";
    let start = html.find(MARK).expect("a form key") + MARK.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Submits the event form of `post` with `form_key`.
pub async fn record_with_key(
    client: &TestClient,
    post: &str,
    at: &str,
    direction: &str,
    category: &str,
    headcount: &str,
    form_key: &str,
) -> reqwest::Response {
    client
        .post_form(
            &format!("/posts/{post}/events"),
            &[
                ("occurred_at", at),
                ("direction", direction),
                ("category", category),
                ("headcount", headcount),
                ("officers", ""),
                ("wounded", ""),
                ("source", "Gate log"),
                ("reference", "INA-2024/117"),
                ("notes", ""),
                ("form_key", form_key),
            ],
        )
        .await
}

/// Submits a military return of `headcount` at `post` citing `agreement`.
pub async fn record_with_agreement(
    client: &TestClient,
    post: &str,
    at: &str,
    headcount: &str,
    agreement: i64,
    form_key: &str,
) -> reqwest::Response {
    let agreement = agreement.to_string();
    client
        .post_form(
            &format!("/posts/{post}/events"),
            &[
                ("occurred_at", at),
                ("direction", "outbound"),
                ("category", "military"),
                ("headcount", headcount),
                ("source", "Handover at the gate"),
                ("agreement_id", agreement.as_str()),
                ("form_key", form_key),
            ],
        )
        .await
}

/// Records an event and returns its id (asserting the 303).
pub async fn record(
    client: &TestClient,
    post: &str,
    at: &str,
    direction: &str,
    category: &str,
    headcount: &str,
) -> i64 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let response = record_with_key(
        client,
        post,
        at,
        direction,
        category,
        headcount,
        &key(1_000_000 + n),
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap()
    );
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.strip_prefix("/events/").unwrap().parse().unwrap()
}

/// Sends the edit form of event `id`.
async fn post_event_form(
    client: &TestClient,
    id: i64,
    fields: Vec<(&'static str, String)>,
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(&format!("/events/{id}"), &borrowed).await
}

/// The error text of a 422 (or other) page.
async fn body_of(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

fn event_count(app: &TestApp) -> i64 {
    app.query(|c| crossing_events::table.count().get_result(c))
}

pub fn audit_count(app: &TestApp, action: &str) -> i64 {
    app.query(|c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(c)
    })
}

fn version_of(app: &TestApp, id: i64) -> i32 {
    app.query(|c| {
        crossing_events::table
            .find(id)
            .select(crossing_events::version)
            .first(c)
    })
}

pub fn status_of(app: &TestApp, id: i64) -> String {
    app.query(|c| {
        crossing_events::table
            .find(id)
            .select(crossing_events::status)
            .first(c)
    })
}

/// A ledger row's key (post, category, day) and figures (in, out, closing, low).
type DayKey = (i64, String, NaiveDate);
type DayFigures = (i64, i64, i64, i64);

/// Rebuilds the ledger from every event and compares it with the stored one, row by row: the
/// stored ledger is what pages show, so it must equal a replay of the events.
fn assert_ledger_matches_events(app: &TestApp) {
    type Row = (i64, NaiveDate, String, NaiveDateTime, String, i32, i64);
    let mut events: Vec<Row> = app.query(|c| {
        crossing_events::table
            .filter(crossing_events::status.ne("voided"))
            .select((
                crossing_events::post_id,
                crossing_events::local_day,
                crossing_events::category,
                crossing_events::occurred_at,
                crossing_events::direction,
                crossing_events::headcount,
                crossing_events::id,
            ))
            .load(c)
    });
    events.sort_by_key(|e| (e.0, e.2.clone(), e.1, e.3, e.4 == "outbound", e.6));
    let mut expected: BTreeMap<DayKey, DayFigures> = BTreeMap::new();
    let mut balance: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for (post, day, category, _, direction, headcount, _) in events {
        let bal = balance.entry((post, category.clone())).or_insert(0);
        let row = expected
            .entry((post, category.clone(), day))
            .or_insert((0, 0, *bal, *bal));
        if direction == "inbound" {
            row.0 += i64::from(headcount);
            *bal += i64::from(headcount);
        } else {
            row.1 += i64::from(headcount);
            *bal -= i64::from(headcount);
        }
        assert!(*bal >= 0, "a replay of the stored events goes negative");
        row.2 = *bal;
        row.3 = row.3.min(*bal);
    }
    let stored: Vec<(i64, String, NaiveDate, i64, i64, i64, i64)> = app.query(|c| {
        post_days::table
            .select((
                post_days::post_id,
                post_days::category,
                post_days::day,
                post_days::inbound,
                post_days::outbound,
                post_days::closing,
                post_days::low,
            ))
            .load(c)
    });
    let stored: BTreeMap<_, _> = stored
        .into_iter()
        // A day whose events were all voided keeps a row of zeros movement.
        .filter(|r| r.3 != 0 || r.4 != 0 || expected.contains_key(&(r.0, r.1.clone(), r.2)))
        .map(|r| ((r.0, r.1, r.2), (r.3, r.4, r.5, r.6)))
        .collect();
    assert_eq!(stored, expected, "the ledger equals a replay of the events");
}

both_databases! {
    async fn an_officer_records_an_event_in_the_posts_time_zone(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let form = app.client.get_html("/posts/QAIM/events/new").await;
        // The form opens at the post's local time now (09:00Z is 12:00 in Baghdad).
        assert!(form.contains("value=\"2024-12-18T12:00\""), "{form}");
        let response = record_with_key(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1,100", &form_key_in(&form)).await;
        assert_eq!(response.status().as_u16(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let id: i64 = location.strip_prefix("/events/").unwrap().parse().unwrap();
        let stored: (NaiveDateTime, NaiveDate, String, i32, String, i32) = app.query(|c| {
            crossing_events::table.find(id).select((
                crossing_events::occurred_at, crossing_events::local_day, crossing_events::reference,
                crossing_events::headcount, crossing_events::status, crossing_events::version,
            )).first(c)
        });
        assert_eq!(stored.0.and_utc().to_rfc3339(), "2024-12-07T07:00:00+00:00", "stored in UTC");
        assert_eq!(stored.1, NaiveDate::from_ymd_opt(2024, 12, 7).unwrap());
        assert_eq!(stored.2, "QAIM-2024-0001");
        assert_eq!((stored.3, stored.4.as_str(), stored.5), (1100, "pending", 1));
        let page = app.client.get_html(&location).await;
        assert!(page.contains("7 Dec 2024 10:00 (+03)"), "shown in the post's zone, named");
        assert!(page.contains("QAIM-2024-0001"));
        assert!(page.contains(">1,100<"));
        assert_eq!(audit_count(&app, "event.create"), 1);
        // The next one of the same post and year takes the next number.
        let second = record(&app.client, "QAIM", "2024-12-07T11:30", "inbound", "civilian", "12").await;
        let reference: String = app.query(|c| crossing_events::table.find(second).select(crossing_events::reference).first(c));
        assert_eq!(reference, "QAIM-2024-0002");
        assert_ledger_matches_events(&app);
    }

    async fn bad_event_input_is_shown_beside_each_field_and_nothing_is_written(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let response = app.client.post_form("/posts/QAIM/events", &[
            ("occurred_at", "2024-12-40T10:00"), ("direction", "sideways"), ("category", ""),
            ("headcount", "12"), ("officers", "13"), ("wounded", "-1"), ("source", ""),
            ("reference", ""), ("notes", "كتبت هذا"), ("form_key", &key(900)),
        ]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = body_of(response).await;
        for id in ["occurred_at-error", "direction-error", "category-error", "officers-error", "wounded-error", "source-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "no message beside {id}");
        }
        assert!(!html.contains("id=\"headcount-error\""));
        assert!(html.contains("Cannot be more than the headcount (12)."));
        assert!(html.contains("value=\"2024-12-40T10:00\""), "what was typed is kept");
        assert!(html.contains("كتبت هذا"));
        assert!(html.contains(&format!("value=\"{}\"", key(900))), "the same form key is kept");
        assert_eq!(event_count(&app), 0);
        assert_eq!(audit_count(&app, "event.create"), 0);
        // A time more than ten minutes ahead of now is refused; a time the clocks skip too.
        let response = record_with_key(&app.client, "QAIM", "2024-12-18T12:11", "inbound", "military", "5", &key(901)).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("Cannot be more than 10 minutes in the future."));
        // A mistyped year (`0024` for `2024`) would put a day in year 24 into the ledger.
        let response = record_with_key(&app.client, "QAIM", "0024-12-07T10:00", "inbound", "military", "5", &key(902)).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("Cannot be before 1950: check the year."));
        // A form key we could not have issued gets a fresh one and a request to submit again.
        let response = record_with_key(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "5", "not-a-key").await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("This form had expired"));
        assert_eq!(event_count(&app), 0);
    }

    async fn submitting_the_same_form_twice_creates_one_event(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let form = app.client.get_html("/posts/QAIM/events/new").await;
        let form_key = form_key_in(&form);
        let first = record_with_key(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100", &form_key).await;
        let second = record_with_key(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100", &form_key).await;
        assert_eq!(first.status().as_u16(), 303);
        assert_eq!(second.status().as_u16(), 303);
        assert_eq!(first.headers()["location"], second.headers()["location"]);
        // A double click: both at once.
        let twice = key(77);
        let (a, b) = tokio::join!(
            record_with_key(&app.client, "QAIM", "2024-12-07T11:00", "inbound", "civilian", "40", &twice),
            record_with_key(&app.client, "QAIM", "2024-12-07T11:00", "inbound", "civilian", "40", &twice),
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
        assert_eq!(a.headers()["location"], b.headers()["location"]);
        assert_eq!(event_count(&app), 2);
        assert_eq!(audit_count(&app, "event.create"), 2);
        let present: i64 = app.query(|c| post_days::table.filter(post_days::category.eq("military")).select(post_days::closing).first(c));
        assert_eq!(present, 1100);
    }

    // A form's key names one submission: another person sending the same key (a form copied
    // or replayed from someone else's session) is told the form expired, and nothing is written.
    async fn a_form_key_already_used_by_someone_else_is_refused(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let used = key(91);
        let first = record_with_key(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "40", &used).await;
        assert_eq!(first.status().as_u16(), 303);
        app.create_user("layla", "officer", &["QAIM"], false);
        let layla = app.new_client();
        assert_eq!(layla.login("layla", PASSWORD).await.status().as_u16(), 303);
        let response = record_with_key(&layla, "QAIM", "2024-12-07T11:00", "inbound", "military", "5", &used).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = body_of(response).await;
        assert!(html.contains("This form had expired; check it and submit it again."), "{html}");
        assert_eq!(event_count(&app), 1);
        assert_eq!(audit_count(&app, "event.create"), 1);
        let present: i64 = app.query(|c| post_days::table.select(post_days::closing).first(c));
        assert_eq!(present, 40);
    }

    async fn more_leaving_than_present_is_refused_with_the_day_post_and_numbers(app) {
        app.create_post("QAIM");
        // The returns were on 19 Dec; a session idles out over days, so move the clock first.
        app.clock.advance(TimeDelta::days(3));
        app.login_as("officer", &["QAIM"]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        let response = record_with_key(&app.client, "QAIM", "2024-12-19T10:00", "outbound", "military", "1905", &key(1)).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = body_of(response).await;
        assert!(html.contains("On 19 Dec 2024 at QAIM, 1,905 military would leave but only 1,100 are present."), "{html}");
        assert!(html.contains("id=\"headcount-error\""));
        // Other categories have their own balance.
        let response = record_with_key(&app.client, "QAIM", "2024-12-19T10:00", "outbound", "civilian", "1", &key(2)).await;
        assert!(body_of(response).await.contains("On 19 Dec 2024 at QAIM, 1 civilians would leave but only 0 are present."));
        // A back-dated return before the arrivals it would need.
        let response = record_with_key(&app.client, "QAIM", "2024-12-06T23:59", "outbound", "military", "10", &key(3)).await;
        assert!(body_of(response).await.contains("On 6 Dec 2024 at QAIM, 10 military would leave but only 0 are present."));
        assert_eq!(event_count(&app), 1);
        // Exactly what is present may leave.
        record(&app.client, "QAIM", "2024-12-19T10:00", "outbound", "military", "1100").await;
        assert_ledger_matches_events(&app);
    }

    async fn a_back_dated_void_or_edit_may_not_make_an_earlier_or_later_day_negative(app) {
        app.create_post("QAIM");
        let officer = app.create_user("officer", "officer", &["QAIM"], false);
        let _ = officer;
        app.login_as("supervisor", &["QAIM"]).await;
        let arrival = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        let second = record(&app.client, "QAIM", "2024-12-08T10:00", "inbound", "military", "50").await;
        let departure = record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "1000").await;
        // Voiding the first arrival would leave the 18 Dec return without the people it took.
        let version = version_of(&app, arrival).to_string();
        let response = app.client.post_form(&format!("/events/{arrival}/void"), &[("version", &version), ("reason", "entered twice")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = body_of(response).await;
        assert!(html.contains("On 18 Dec 2024 at QAIM, 1,000 military would leave but only 50 are present."), "{html}");
        assert_eq!(status_of(&app, arrival), "pending");
        // Moving the return earlier than the arrival it relied on.
        let version = version_of(&app, departure).to_string();
        let edit = |at: &'static str, headcount: &'static str, version: String| {
            let client = &app.client;
            async move {
                client.post_form(&format!("/events/{departure}"), &[
                    ("occurred_at", at), ("direction", "outbound"), ("category", "military"), ("headcount", headcount),
                    ("officers", ""), ("wounded", ""), ("source", "Gate log"), ("reference", ""), ("notes", ""),
                    ("version", &version), ("reason", ""),
                ]).await
            }
        };
        let response = edit("2024-12-06T10:00", "1000", version.clone()).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("On 6 Dec 2024 at QAIM, 1,000 military would leave but only 0 are present."));
        // Earlier, but after the arrival: fine, and the days in between are re-derived.
        let response = edit("2024-12-07T12:00", "1000", version).await;
        assert_redirects_to(&response, &format!("/events/{departure}"));
        assert_ledger_matches_events(&app);
        let on_8th: i64 = app.query(|c| post_days::table.filter(post_days::day.eq(NaiveDate::from_ymd_opt(2024, 12, 8).unwrap())).select(post_days::closing).first(c));
        assert_eq!(on_8th, 150);
        // Now the 8 Dec arrival cannot be voided... it can: nothing relies on it.
        let version = version_of(&app, second).to_string();
        let response = app.client.post_form(&format!("/events/{second}/void"), &[("version", &version), ("reason", "duplicate report")]).await;
        assert_redirects_to(&response, &format!("/events/{second}"));
        assert_eq!(status_of(&app, second), "voided");
        assert_ledger_matches_events(&app);
        // And a bigger return on the 7th than was present then is refused.
        let version = version_of(&app, departure).to_string();
        let response = edit("2024-12-07T12:00", "1101", version).await;
        assert!(body_of(response).await.contains("On 7 Dec 2024 at QAIM, 1,101 military would leave but only 1,100 are present."));
        assert_ledger_matches_events(&app);
    }

    async fn twenty_parallel_returns_take_exactly_what_is_present(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1050").await;
        let mut submissions = Vec::new();
        for n in 0..20u32 {
            let client = &app.client;
            submissions.push(async move {
                record_with_key(client, "QAIM", "2024-12-18T11:00", "outbound", "military", "100", &key(5000 + n)).await.status().as_u16()
            });
        }
        let statuses = futures_util::future::join_all(submissions).await;
        let created = statuses.iter().filter(|s| **s == 303).count();
        let refused = statuses.iter().filter(|s| **s == 422).count();
        assert_eq!((created, refused), (10, 10), "{statuses:?}");
        let closing: i64 = app.query(|c| post_days::table.filter(post_days::day.eq(NaiveDate::from_ymd_opt(2024, 12, 18).unwrap())).select(post_days::closing).first(c));
        assert_eq!(closing, 50);
        assert_eq!(event_count(&app), 11);
        assert_eq!(audit_count(&app, "event.create"), 11);
        assert_ledger_matches_events(&app);
    }

    async fn four_eyes_a_supervisor_other_than_the_recorder_verifies(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.create_user("deputy", "supervisor", &["QAIM"], false);
        app.create_user("other", "officer", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let id = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        let v = |app: &TestApp| version_of(app, id).to_string();
        // The officer may not verify, not even their own.
        let response = app.client.post_form(&format!("/events/{id}/verify"), &[("version", &v(&app))]).await;
        assert_eq!(response.status().as_u16(), 403);
        // Another officer may not edit it.
        let other = app.new_client();
        other.login("other", PASSWORD).await;
        assert_eq!(other.get(&format!("/events/{id}/edit")).await.status().as_u16(), 403);
        // Its recorder may, while it is pending.
        assert_eq!(app.client.get(&format!("/events/{id}/edit")).await.status().as_u16(), 200);
        // A supervisor who recorded an event cannot verify it.
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        let own = record(&chief, "QAIM", "2024-12-07T11:00", "inbound", "civilian", "10").await;
        let response = chief.post_form(&format!("/events/{own}/verify"), &[("version", &version_of(&app, own).to_string())]).await;
        assert_eq!(response.status().as_u16(), 403);
        assert_eq!(status_of(&app, own), "pending");
        // Another supervisor can.
        let response = chief.post_form(&format!("/events/{id}/verify"), &[("version", &v(&app))]).await;
        assert_redirects_to(&response, &format!("/events/{id}"));
        assert_eq!(status_of(&app, id), "verified");
        let verifier: Option<i64> = app.query(|c| crossing_events::table.find(id).select(crossing_events::verified_by).first(c));
        assert!(verifier.is_some());
        let page = chief.get_html(&format!("/events/{id}")).await;
        assert!(page.contains("id=\"event-verified-by\""));
        // Verified: the recorder can no longer change it.
        assert_eq!(app.client.get(&format!("/events/{id}/edit")).await.status().as_u16(), 403);
        let fields = |headcount: &'static str, version: String, reason: &'static str| vec![
            ("occurred_at", "2024-12-07T10:00".to_owned()), ("direction", "inbound".to_owned()), ("category", "military".to_owned()),
            ("headcount", headcount.to_owned()), ("officers", "".to_owned()), ("wounded", "".to_owned()), ("source", "Gate log".to_owned()),
            ("reference", "INA-2024/117".to_owned()), ("notes", "".to_owned()), ("version", version), ("reason", reason.to_owned()),
        ];
        let send = |client, f| post_event_form(client, id, f);
        let response = send(&app.client, fields("1105", v(&app), "")).await;
        assert_eq!(response.status().as_u16(), 403);
        // A supervisor must give a reason.
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        let response = send(&deputy, fields("1105", v(&app), "")).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("Say why a verified event is corrected."));
        let response = send(&deputy, fields("1105", v(&app), "recount at the gate")).await;
        assert_redirects_to(&response, &format!("/events/{id}"));
        let (headcount, status): (i32, String) = app.query(|c| crossing_events::table.find(id).select((crossing_events::headcount, crossing_events::status)).first(c));
        // Corrected, it awaits verification again; the trail keeps the verified values.
        assert_eq!((headcount, status.as_str()), (1105, "pending"));
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("event.update")).select(audit_log::details).first(c));
        assert_eq!(details, r#"{"changes":{"headcount":{"after":1105,"before":1100},"status":{"after":"pending","before":"verified"},"verified_by":{"after":null,"before":"chief"}},"reason":"recount at the gate"}"#);
        // A stale version: 409, the form re-shown beside the newer values, nothing written.
        let response = send(&chief, fields("1110", "2".to_owned(), "another recount")).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = body_of(response).await;
        assert!(html.contains("Someone saved this event while you were editing"));
        assert!(html.contains(">1,105<"), "the newer value is shown");
        assert!(html.contains("value=\"1110\""), "what was typed is kept");
        assert!(html.contains("name=\"version\" value=\"3\""), "resubmitting is based on the newer version");
        assert_eq!(version_of(&app, id), 3);
        // The corrector is not the second pair of eyes on the figure they set; the page says so.
        let response = deputy.post_form(&format!("/events/{id}/verify"), &[("version", &v(&app))]).await;
        assert_eq!(response.status().as_u16(), 403);
        let page = deputy.get_html(&format!("/events/{id}")).await;
        assert!(page.contains("id=\"verify-blocked\""));
        assert!(page.contains("Corrected, awaits verification"));
        assert!(!page.contains("id=\"verify-event\""));
        let response = chief.post_form(&format!("/events/{id}/verify"), &[("version", &v(&app))]).await;
        assert_redirects_to(&response, &format!("/events/{id}"));
        assert_eq!(status_of(&app, id), "verified");
        // Void needs a supervisor and a reason; nothing is deleted.
        let response = app.client.post_form(&format!("/events/{id}/void"), &[("version", &v(&app)), ("reason", "x")]).await;
        assert_eq!(response.status().as_u16(), 403);
        let response = chief.post_form(&format!("/events/{id}/void"), &[("version", &v(&app)), ("reason", " ")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let response = chief.post_form(&format!("/events/{id}/void"), &[("version", &v(&app)), ("reason", "reported twice")]).await;
        assert_redirects_to(&response, &format!("/events/{id}"));
        let (status, reason): (String, Option<String>) = app.query(|c| crossing_events::table.find(id).select((crossing_events::status, crossing_events::void_reason)).first(c));
        assert_eq!((status.as_str(), reason.as_deref()), ("voided", Some("reported twice")));
        assert_eq!(event_count(&app), 2);
        assert_eq!(audit_count(&app, "event.verify"), 2);
        assert_eq!(audit_count(&app, "event.void"), 1);
        assert_ledger_matches_events(&app);
        // The event's history lists each step.
        let history = chief.get_html(&format!("/events/{id}/history")).await;
        for label in ["Event recorded", "Event verified", "Event corrected", "Event voided", "recount at the gate"] {
            assert!(history.contains(label), "history shows {label}");
        }
    }

    async fn a_closed_day_refuses_changes_until_a_supervisor_reopens_it(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let arrival = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        // Pending events keep a day open.
        let response = chief.post_form("/posts/QAIM/days/2024-12-07/close", &[]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("One event of this day awaits verification"));
        chief.post_form(&format!("/events/{arrival}/verify"), &[("version", "1")]).await;
        // A day that has not begun cannot be closed.
        let response = chief.post_form("/posts/QAIM/days/2024-12-19/close", &[]).await;
        assert_eq!(response.status().as_u16(), 422);
        let response = chief.post_form("/posts/QAIM/days/2024-12-07/close", &[]).await;
        assert_eq!(response.status().as_u16(), 303);
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("day.close")).select(audit_log::details).first(c));
        assert_eq!(details, r#"{"changes":{"closed":{"after":true,"before":false}},"civilian_closing":0,"military_closing":1100}"#);
        // Officers cannot close or reopen.
        assert_eq!(app.client.post_form("/posts/QAIM/days/2024-12-08/close", &[]).await.status().as_u16(), 403);
        // Nothing may be added to, or change, a closed day; nor an earlier day whose change
        // would alter its recorded balance.
        let response = record_with_key(&app.client, "QAIM", "2024-12-07T15:00", "inbound", "military", "3", &key(31)).await;
        assert!(body_of(response).await.contains("7 Dec 2024 is closed at QAIM: a supervisor must reopen it first."));
        let response = record_with_key(&app.client, "QAIM", "2024-12-06T15:00", "inbound", "military", "3", &key(32)).await;
        assert!(
            body_of(response).await.contains("7 Dec 2024 is closed at QAIM, and this would change who was present at its end: a supervisor must reopen it first."),
            "a back-dated arrival says why a later closed day matters"
        );
        let response = chief.post_form(&format!("/events/{arrival}/void"), &[("version", "2"), ("reason", "test")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("7 Dec 2024 is closed at QAIM"));
        // Later days are unaffected.
        record(&app.client, "QAIM", "2024-12-08T09:00", "outbound", "military", "100").await;
        // Reopening needs a reason, and is audited with it.
        let response = chief.post_form("/posts/QAIM/days/2024-12-07/reopen", &[("reason", "")]).await;
        assert_eq!(response.status().as_u16(), 422);
        let response = chief.post_form("/posts/QAIM/days/2024-12-07/reopen", &[("reason", "late report from the gate")]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(audit_count(&app, "day.reopen"), 1);
        let response = chief.post_form(&format!("/events/{arrival}/void"), &[("version", "2"), ("reason", "test")]).await;
        assert_eq!(response.status().as_u16(), 422, "the 8 Dec return still needs those people");
        record(&app.client, "QAIM", "2024-12-07T15:00", "inbound", "military", "3").await;
        assert_ledger_matches_events(&app);
    }

    async fn the_list_filters_pages_and_keeps_to_the_users_posts(app) {
        let qaim = app.create_post("QAIM");
        app.create_post("RABIA");
        let supervisor = app.create_user("chief", "supervisor", &[], true);
        let actor = repatrack::audit::Actor::system();
        let clerk = repatrack::domain::policy::Principal::user(repatrack::domain::ids::UserId(supervisor), repatrack::domain::role::Role::Supervisor, true, &[]);
        let posts: Vec<repatrack::db::scope::ScopedPost> = app.query(|c| repatrack::db::scope::ScopedPost::all(c, &clerk));
        // 60 arrivals at Qaim, one an hour, and 3 at Rabia.
        for (post, count) in [(&posts[0], 60), (&posts[1], 3)] {
            for n in 0..count {
                let fields = repatrack::domain::event::EventFields {
                    occurred_at: test_start() - TimeDelta::hours(100 - n),
                    direction: repatrack::domain::event::Direction::Inbound,
                    category: repatrack::domain::event::Category::Civilian,
                    headcount: 2,
                    officers: None,
                    wounded: None,
                    source: if n == 7 { "Red Crescent team".into() } else { "Gate log".into() },
                    reference: String::new(),
                    notes: String::new(),
                    agreement: None,
                };
                repatrack::services::events::create(&mut app.conn(), &actor, &clerk, app.clock.now(), post, &fields, &key(10_000 + n as u32 + 100 * post.id.0 as u32)).unwrap();
            }
        }
        assert_eq!(posts[0].id, qaim);
        app.login_as("officer", &["QAIM"]).await;
        let first = app.client.get_html("/events").await;
        assert!(first.contains("60 events"), "scope: only Qaim's");
        assert!(!first.contains("RABIA-2024"));
        assert_eq!(first.matches("href=\"/events/").count(), 50);
        assert!(first.contains("QAIM-2024-0060"), "newest first");
        let older = first.split("id=\"older\"").next().unwrap();
        let link = older.rsplit("href=\"").next().unwrap().split('"').next().unwrap().replace("&amp;", "&");
        let second = app.client.get_html(&link).await;
        assert_eq!(second.matches("href=\"/events/").count(), 10);
        assert!(second.contains("QAIM-2024-0001"));
        assert!(!second.contains("QAIM-2024-0060"));
        // Filters.
        let search = app.client.get_html("/events?q=red+crescent").await;
        assert!(search.contains("One event"));
        assert!(search.contains("QAIM-2024-0008"));
        let none = app.client.get_html("/events?post=RABIA").await;
        assert!(none.contains("0 events"), "another post's code finds nothing");
        let day = app.client.get_html("/events?from=2024-12-14&to=2024-12-14").await;
        let on_14th: i64 = app.query(|c| crossing_events::table.filter(crossing_events::post_id.eq(qaim.0)).filter(crossing_events::local_day.eq(NaiveDate::from_ymd_opt(2024, 12, 14).unwrap())).count().get_result(c));
        assert!(day.contains(&format!("{on_14th} events")), "{on_14th}");
        let response = app.client.get("/events?from=14-12-2024").await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("id=\"from-error\""));
        let pending = app.client.get_html("/events?status=verified").await;
        assert!(pending.contains("0 events"));
    }

    async fn the_post_page_and_dashboard_show_balances_from_the_ledger(app) {
        app.create_post("QAIM");
        app.create_user("chief", "supervisor", &["QAIM"], false);
        app.login_as("officer", &["QAIM"]).await;
        let arrival = record(&app.client, "QAIM", "2024-12-07T10:00", "inbound", "military", "1100").await;
        record(&app.client, "QAIM", "2024-12-08T10:00", "inbound", "civilian", "35").await;
        record(&app.client, "QAIM", "2024-12-18T08:00", "outbound", "military", "400").await;
        // The chief verifies the arrival; the civilians and the return await verification.
        let chief = app.new_client();
        chief.login("chief", PASSWORD).await;
        assert_eq!(chief.post_form(&format!("/events/{arrival}/verify"), &[("version", "1")]).await.status().as_u16(), 303);
        let page = app.client.get_html("/posts/QAIM?from=2024-12-06&to=2024-12-18").await;
        let balances = page.split("id=\"balances\"").nth(1).unwrap().split("</table>").next().unwrap();
        let rows: Vec<String> = balances.split("<tr>").skip(2).map(text_of_html).collect();
        assert_eq!(rows, [
            "Military 1,100 verified · 700 after 400 pending departures 1,100 0 verified · 400 including 400 pending",
            "Civilian 0 verified · 35 including 35 pending 0 verified · 35 including 35 pending 0",
        ]);
        assert!(page.contains("2 events await verification"));
        // Every day of the period, also those without events.
        assert_eq!(page.matches("<tr id=\"day-2024-12-").count(), 13);
        let day = |d: &str| {
            let row = page.split(&format!("<tr id=\"day-2024-12-{d}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
            text_of_html(&row[row.find('>').unwrap() + 1..])
        };
        assert_eq!(day("07"), "7 Dec 2024 1,100 0 1,100 0 0 0 Open · verified");
        assert_eq!(day("08"), "8 Dec 2024 0 0 1,100 0 +35 pending 0 0 +35 pending Open · awaiting verification");
        assert_eq!(day("10"), "10 Dec 2024 0 0 1,100 0 0 0 +35 pending Open · verified");
        assert_eq!(day("18"), "18 Dec 2024 0 0 +400 pending 1,100 −400 pending 0 0 0 +35 pending Open · awaiting verification");
        assert!(page.contains("class=\"line-present-all\""), "the chart draws the line including pending entries");
        assert_eq!(page.matches("class=\"bar-pending\"").count(), 2, "the pending civilians and the pending return");
        assert!(page.contains("<svg viewBox=\"0 0 720 260\""));
        assert_eq!(page.matches("class=\"bar-in\"").count(), 13);
        // The post's zone is fixed once it has events: the ledger's days are in it.
        let admin = app.new_client();
        app.create_user("root", "admin", &[], true);
        admin.login("root", PASSWORD).await;
        let response = admin.post_form("/posts/QAIM", &[("name_en", "QAIM post"), ("name_ar", "منفذ"), ("country", "IQ"), ("neighbour_country", "SY"),
            ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Asia/Damascus"), ("active", "1"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(body_of(response).await.contains("This post has events; its time zone can no longer change."));
        let dashboard = app.client.get_html("/").await;
        let card = dashboard.split("id=\"card-QAIM\"").nth(1).unwrap().split("</li>").next().unwrap();
        assert_eq!(cell_text(card, "class=\"present-military\""), "1,100 verified · 700 after 400 pending departures");
        assert_eq!(cell_text(card, "class=\"present-civilian\""), "0 verified · 35 including 35 pending");
        assert!(card.contains("2 events await verification"));
    }
}
