//! Roll-ups (`/reports/totals`): per week or month and across posts, every figure equal to the
//! headcount report's days summed (read from its CSV with a real parser), pending entries kept
//! apart, scope, refused filters and the CSV's audit record.

use sha2::{Digest, Sha256};

use crate::events::record;
use crate::exports::{get_bytes, last_export};
use crate::helpers::*;

/// What a totals row should say, computed from the headcount CSV's rows (`post,date,category,
/// inbound,outbound,present_end_of_day,inbound_pending,outbound_pending,
/// present_end_of_day_verified,day_closed`): in and out summed over the period's days and posts,
/// present as at its last day summed over posts. Answers the six figures in the totals CSV's
/// order: verified in, out, present at end, pending in, out, present at end.
fn expected(headcount: &[Vec<String>], start: &str, end: &str, category: &str) -> [i64; 6] {
    let n = |row: &Vec<String>, i: usize| row[i].parse::<i64>().unwrap();
    let mut out = [0; 6];
    let mut last_days = 0;
    for row in headcount.iter().filter(|r| r[2] == category) {
        let day = row[1].as_str();
        if day < start || day > end {
            continue;
        }
        out[0] += n(row, 3) - n(row, 6);
        out[1] += n(row, 4) - n(row, 7);
        out[3] += n(row, 6);
        out[4] += n(row, 7);
        if day == end {
            last_days += 1;
            out[2] += n(row, 8);
            out[5] += n(row, 5) - n(row, 8);
        }
    }
    assert!(last_days > 0, "the headcount report has no row for {end}");
    out
}

/// Every row of the totals CSV for `query` checked against the headcount CSV of the same posts,
/// days and categories; answers the totals rows.
async fn agrees_with_headcount(client: &TestClient, query: &str, days: &str) -> Vec<Vec<String>> {
    let (_, totals) = get_bytes(client, &format!("/reports/totals.csv?{query}")).await;
    let (header, totals) = parse_csv(&totals);
    assert_eq!(
        header.join(","),
        "period_start,period_end,category,verified_in,verified_out,verified_present_at_end,pending_in,pending_out,pending_present_at_end,posts"
    );
    let (_, headcount) = get_bytes(client, &format!("/reports/headcount.csv?{days}")).await;
    let (_, headcount) = parse_csv(&headcount);
    assert!(!totals.is_empty());
    for row in &totals {
        let figures: Vec<i64> = row[3..9].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(
            figures,
            expected(&headcount, &row[0], &row[1], &row[2]),
            "{row:?}"
        );
    }
    totals
}

/// The text of the page's table row whose heading begins with `label`.
fn row_text(html: &str, label: &str) -> String {
    let row = html
        .split(&format!("<th scope=\"row\"><bdi>{label}</bdi>"))
        .nth(1)
        .unwrap_or_else(|| panic!("no row {label}"))
        .split("</tr>")
        .next()
        .unwrap();
    text_of_html(row)
}

/// Signs in a supervisor who verifies what others recorded.
async fn chief(app: &TestApp) -> TestClient {
    app.create_user("chief", "supervisor", &[], true);
    let chief = app.new_client();
    assert_eq!(chief.login("chief", PASSWORD).await.status().as_u16(), 303);
    chief
}

async fn verify(chief: &TestClient, event: i64) {
    let response = chief
        .post_form(&format!("/events/{event}/verify"), &[("version", "1")])
        .await;
    assert_eq!(response.status().as_u16(), 303, "verifying {event}");
}

both_databases! {
    async fn weekly_totals_across_posts_are_the_headcount_reports_days_summed(app) {
        for code in ["QAIM", "RABIA", "WALEED"] {
            app.create_post(code);
        }
        app.login_as("officer", &["QAIM", "RABIA", "WALEED"]).await;
        let chief = chief(&app).await;
        let c = &app.client;
        // Before the period: the opening balance carries in.
        let opening = record(c, "QAIM", "2024-11-26T10:00", "inbound", "military", "500").await;
        // The clipped first week (27 Nov to 1 Dec) runs over the month's end.
        let qaim_in = record(c, "QAIM", "2024-11-28T10:00", "inbound", "military", "300").await;
        let waleed_in = record(c, "WALEED", "2024-11-29T10:00", "inbound", "military", "200").await;
        let qaim_out = record(c, "QAIM", "2024-11-30T10:00", "outbound", "military", "100").await;
        let waleed_out = record(c, "WALEED", "2024-12-01T10:00", "outbound", "military", "50").await;
        record(c, "QAIM", "2024-12-01T23:30", "inbound", "civilian", "40").await;
        // A Monday, a pending return, a later week and the clipped last week.
        let civilians = record(c, "WALEED", "2024-12-02T00:30", "inbound", "civilian", "25").await;
        record(c, "QAIM", "2024-12-05T10:00", "outbound", "military", "150").await;
        let later = record(c, "WALEED", "2024-12-10T10:00", "inbound", "military", "70").await;
        let rabia = record(c, "RABIA", "2024-12-16T10:00", "inbound", "civilian", "12").await;
        record(c, "QAIM", "2024-12-17T10:00", "outbound", "civilian", "10").await;
        for event in [opening, qaim_in, waleed_in, qaim_out, waleed_out, civilians, later, rabia] {
            verify(&chief, event).await;
        }

        let days = "from=2024-11-27&to=2024-12-17";
        let rows = agrees_with_headcount(c, &format!("{days}&by=week"), days).await;
        let lines: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
        assert_eq!(lines, [
            "2024-11-27,2024-12-01,military,500,150,850,0,0,0,QAIM RABIA WALEED",
            "2024-11-27,2024-12-01,civilian,0,0,0,40,0,40,QAIM RABIA WALEED",
            "2024-12-02,2024-12-08,military,0,0,850,0,150,-150,QAIM RABIA WALEED",
            "2024-12-02,2024-12-08,civilian,25,0,25,0,0,40,QAIM RABIA WALEED",
            "2024-12-09,2024-12-15,military,70,0,920,0,0,-150,QAIM RABIA WALEED",
            "2024-12-09,2024-12-15,civilian,0,0,25,0,0,40,QAIM RABIA WALEED",
            "2024-12-16,2024-12-17,military,0,0,920,0,0,-150,QAIM RABIA WALEED",
            "2024-12-16,2024-12-17,civilian,12,0,37,0,10,30,QAIM RABIA WALEED",
        ]);
        // One post chosen: only its figures, by the same rule.
        let rows = agrees_with_headcount(c, &format!("{days}&by=week&post=WALEED&category=military"), &format!("{days}&post=WALEED&category=military")).await;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].join(","), "2024-11-27,2024-12-01,military,200,50,150,0,0,0,WALEED");

        // The page: periods labelled by their Monday, the cut-short ones saying which days
        // they count, verified figures with what pending entries add beside them.
        let page = c.get_html(&format!("/reports/totals?{days}&by=week")).await;
        assert_eq!(page.matches("<th scope=\"row\"><bdi>").count(), 4);
        assert_eq!(row_text(&page, "Week of 25 Nov 2024"), "(27 Nov to 1 Dec only) 500 150 850 0 +40 pending 0 0 +40 pending");
        assert_eq!(row_text(&page, "Week of 2 Dec 2024"), "0 0 +150 pending 850 −150 pending 25 0 25 +40 pending");
        assert!(row_text(&page, "Week of 16 Dec 2024").starts_with("(16 Dec to 17 Dec only)"));
        assert_eq!(element_text(&page, "id=\"clipped-note\"").unwrap(), "The first and last periods count only the chosen days, 27 Nov 2024 to 17 Dec 2024.");
        assert_eq!(element_text(&page, "id=\"totals-caption\"").unwrap().split(" The").next().unwrap(), "Summed over the border posts: QAIM RABIA WALEED.");
        let totals = page.split("class=\"totals\"").nth(1).unwrap().split("</tr>").next().unwrap();
        assert_eq!(text_of_html(&totals[totals.find('>').unwrap() + 1..]), "Totals 570 150 +150 pending 920 −150 pending 37 +40 pending 0 +10 pending 37 +30 pending");
        assert!(page.contains("<svg viewBox="), "the chart");
        assert_eq!(page.matches("class=\"bar-in\"").count(), 4, "one bar per period");
        assert!(page.replace("&#38;", "&").contains("href=\"/reports/totals.csv?from=2024-11-27&to=2024-12-17&by=week\""), "the page links its own export");
        let headcount = c.get_html("/reports/headcount").await;
        assert!(headcount.contains("href=\"/reports/totals\""), "the headcount report links the roll-up");
    }

    async fn monthly_totals_are_the_headcount_reports_days_summed(app) {
        app.create_post("QAIM");
        app.create_post("WALEED");
        app.login_as("officer", &["QAIM", "WALEED"]).await;
        let chief = chief(&app).await;
        let c = &app.client;
        let first = record(c, "QAIM", "2024-10-10T10:00", "inbound", "military", "60").await;
        let october = record(c, "QAIM", "2024-10-31T23:00", "inbound", "military", "40").await;
        let november = record(c, "WALEED", "2024-11-01T01:00", "inbound", "civilian", "9").await;
        record(c, "QAIM", "2024-11-15T10:00", "outbound", "military", "30").await;
        let december = record(c, "WALEED", "2024-12-18T08:00", "inbound", "military", "5").await;
        for event in [first, october, november, december] {
            verify(&chief, event).await;
        }
        let days = "from=2024-10-15&to=2024-12-18";
        let rows = agrees_with_headcount(c, &format!("{days}&by=month"), days).await;
        let lines: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
        assert_eq!(lines, [
            "2024-10-15,2024-10-31,military,40,0,100,0,0,0,QAIM WALEED",
            "2024-10-15,2024-10-31,civilian,0,0,0,0,0,0,QAIM WALEED",
            "2024-11-01,2024-11-30,military,0,0,100,0,30,-30,QAIM WALEED",
            "2024-11-01,2024-11-30,civilian,9,0,9,0,0,0,QAIM WALEED",
            "2024-12-01,2024-12-18,military,5,0,105,0,0,-30,QAIM WALEED",
            "2024-12-01,2024-12-18,civilian,0,0,9,0,0,0,QAIM WALEED",
        ]);
        let page = c.get_html(&format!("/reports/totals?{days}&by=month&category=military")).await;
        assert_eq!(row_text(&page, "Oct 2024"), "(15 Oct to 31 Oct only) 40 0 100");
        assert_eq!(row_text(&page, "Nov 2024"), "0 0 +30 pending 100 −30 pending");
        // With no dates: twelve months up to today (18 Dec 2024 on the test clock), the last
        // cut short at today.
        let (_, bytes) = get_bytes(c, "/reports/totals.csv?by=month&category=civilian").await;
        let (_, rows) = parse_csv(&bytes);
        assert_eq!(rows.len(), 12);
        assert_eq!((rows[0][0].as_str(), rows[11][1].as_str()), ("2024-01-01", "2024-12-18"));
        // And thirteen weeks by default, Monday 23 Sep to today.
        let (_, bytes) = get_bytes(c, "/reports/totals.csv?category=civilian").await;
        let (_, rows) = parse_csv(&bytes);
        assert_eq!(rows.len(), 13);
        assert_eq!((rows[0][0].as_str(), rows[12][1].as_str()), ("2024-09-23", "2024-12-18"));
    }

    async fn pending_figures_are_kept_apart_until_verified(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let chief = chief(&app).await;
        let c = &app.client;
        let arrival = record(c, "QAIM", "2024-12-09T10:00", "inbound", "military", "100").await;
        let late = record(c, "QAIM", "2024-12-10T10:00", "inbound", "military", "30").await;
        let ret = record(c, "QAIM", "2024-12-11T10:00", "outbound", "military", "20").await;
        verify(&chief, arrival).await;
        let query = "from=2024-12-09&to=2024-12-15&category=military";
        let rows = agrees_with_headcount(c, query, query).await;
        assert_eq!(rows[0].join(","), "2024-12-09,2024-12-15,military,100,0,100,30,20,10,QAIM");
        let page = c.get_html(&format!("/reports/totals?{query}")).await;
        assert_eq!(row_text(&page, "Week of 9 Dec 2024"), "100 +30 pending 0 +20 pending 100 +10 pending");
        assert!(page.contains("<tr class=\"has-pending\">"));
        verify(&chief, late).await;
        verify(&chief, ret).await;
        let rows = agrees_with_headcount(c, query, query).await;
        assert_eq!(rows[0].join(","), "2024-12-09,2024-12-15,military,130,20,110,0,0,0,QAIM");
        let page = c.get_html(&format!("/reports/totals?{query}")).await;
        assert_eq!(row_text(&page, "Week of 9 Dec 2024"), "130 20 110");
    }

    async fn an_officer_sees_only_their_posts_totals(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("admin", &[]).await;
        record(&app.client, "QAIM", "2024-12-09T10:00", "inbound", "military", "100").await;
        record(&app.client, "RABIA", "2024-12-09T10:00", "inbound", "military", "7").await;
        app.create_user("qaim.officer", "officer", &["QAIM"], false);
        let officer = app.new_client();
        officer.login("qaim.officer", PASSWORD).await;
        let query = "from=2024-12-09&to=2024-12-15&category=military";
        let (_, bytes) = get_bytes(&officer, &format!("/reports/totals.csv?{query}")).await;
        assert_eq!(parse_csv(&bytes).1[0].join(","), "2024-12-09,2024-12-15,military,0,0,0,100,0,100,QAIM");
        let (_, bytes) = get_bytes(&app.client, &format!("/reports/totals.csv?{query}")).await;
        assert_eq!(parse_csv(&bytes).1[0].join(","), "2024-12-09,2024-12-15,military,0,0,0,107,0,107,QAIM RABIA");
        let page = officer.get_html(&format!("/reports/totals?{query}")).await;
        assert!(!page.contains("RABIA"), "another post is not even offered");
        // Another post's totals answer as one that does not exist.
        let outside = officer.get(&format!("/reports/totals?{query}&post=RABIA")).await;
        let unknown = officer.get(&format!("/reports/totals?{query}&post=NOPE")).await;
        assert_eq!(outside.status().as_u16(), 404);
        assert_eq!(unknown.status().as_u16(), 404);
        assert_eq!(without_tokens(&outside.text().await.unwrap()), without_tokens(&unknown.text().await.unwrap()));
        assert_eq!(officer.get("/reports/totals.csv?post=RABIA").await.status().as_u16(), 404);
        assert_eq!(app.client.get(&format!("/reports/totals?{query}&post=RABIA")).await.status().as_u16(), 200);
        let anonymous = app.new_client();
        let response = anonymous.get("/reports/totals").await;
        assert_eq!(response.status().as_u16(), 303);
    }

    async fn bad_filters_are_refused_beside_their_fields(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let c = &app.client;
        for (query, field, message) in [
            ("from=yesterday", "from", "Use a date like 2024-12-18."),
            ("to=2024-13-01", "to", "Use a date like 2024-12-18."),
            ("by=year", "by", "Choose week or month."),
            ("by=%00", "by", "Choose week or month."),
            ("from=2024-12-10&to=2024-12-01", "from", "The first day must come before the last."),
            ("from=2023-12-01&to=2024-12-01", "from", "At most 366 days at a time."),
            ("from=2019-12-01&to=2024-12-01&by=month", "from", "At most 5 years at a time."),
            ("category=animals", "category", ""),
        ] {
            let response = c.get(&format!("/reports/totals?{query}")).await;
            assert_eq!(response.status().as_u16(), 422, "{query}");
            let html = response.text().await.unwrap();
            let said = element_text(&html, &format!("id=\"{field}-error\"")).unwrap_or_else(|| panic!("{query}: no message beside {field}"));
            assert!(said.contains(message), "{query}: {said}");
            assert!(html.contains(&format!("<div class=\"field has-error\"><label for=\"{field}\">")), "{query}");
            assert_eq!(c.get(&format!("/reports/totals.csv?{query}")).await.status().as_u16(), 422, "{query} (CSV)");
        }
        // Everything wrong at once is said at once.
        let html = c.get("/reports/totals?from=x&to=y&by=z").await.text().await.unwrap();
        for field in ["from", "to", "by"] {
            assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
        }
        // Within the limits: five years of months, a year of weeks.
        assert_eq!(c.get("/reports/totals?from=2020-01-01&to=2024-12-31&by=month").await.status().as_u16(), 200);
        assert_eq!(c.get("/reports/totals?from=2024-01-01&to=2024-12-31&by=week").await.status().as_u16(), 200);
        // In Arabic, the message is translated too.
        c.post_form("/account/preferences", &[("language", "ar"), ("digits", "western")]).await;
        let html = c.get("/reports/totals?by=year").await.text().await.unwrap();
        assert_eq!(element_text(&html, "id=\"by-error\"").unwrap(), "اختر أسبوعاً أو شهراً.");
        assert!(html.contains("dir=\"rtl\""));
    }

    async fn the_csv_has_exact_rows_and_is_recorded_in_the_trail(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let chief = chief(&app).await;
        let arrival = record(&app.client, "QAIM", "2024-11-29T10:00", "inbound", "civilian", "1100").await;
        verify(&chief, arrival).await;
        record(&app.client, "QAIM", "2024-12-03T10:00", "outbound", "civilian", "400").await;
        let query = "from=2024-11-28&to=2024-12-04&by=week&post=QAIM";
        let response = app.client.get(&format!("/reports/totals.csv?{query}&bom=1")).await;
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-disposition"], "attachment; filename=\"totals-week-QAIM-2024-11-28-to-2024-12-04.csv\"");
        assert!(headers["repatrack-audit"].to_str().unwrap().starts_with("audit seq "));
        let bytes = response.bytes().await.unwrap().to_vec();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM when asked");
        let (header, rows) = parse_csv(&bytes[3..]);
        assert_eq!(header.join(","), "period_start,period_end,category,verified_in,verified_out,verified_present_at_end,pending_in,pending_out,pending_present_at_end,posts");
        let lines: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
        assert_eq!(lines, [
            "2024-11-28,2024-12-01,military,0,0,0,0,0,0,QAIM",
            "2024-11-28,2024-12-01,civilian,1100,0,1100,0,0,0,QAIM",
            "2024-12-02,2024-12-04,military,0,0,0,0,0,0,QAIM",
            "2024-12-02,2024-12-04,civilian,0,0,1100,0,400,-400,QAIM",
        ]);
        assert!(String::from_utf8(bytes.clone()).unwrap().ends_with("-400,QAIM\r\n"), "RFC 4180 line ends, integers plain");
        let entry = last_export(&app);
        assert_eq!(entry["export"], "totals");
        assert_eq!(entry["filters"], query);
        assert_eq!(entry["rows"], 4);
        assert_eq!(entry["complete"], true);
        assert_eq!(entry["sha256"], hex::encode(Sha256::digest(&bytes)));
    }
}
