//! Border posts: creating, editing, listing within scope.

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, border_posts};

use crate::helpers::*;

const QAIM: [(&str, &str); 8] = [
    ("code", "qaim"),
    ("name_en", "Al-Qaim"),
    ("name_ar", "القائم"),
    ("country", "iq"),
    ("neighbour_country", "SY"),
    ("governorate", "Anbar"),
    ("counterpart_name", "Albu Kamal"),
    ("timezone", "Asia/Baghdad"),
];

both_databases! {
    async fn an_admin_creates_a_post_through_the_form(app) {
        app.login_as("admin", &[]).await;
        assert!(app.client.get_html("/posts/new").await.contains("name=\"timezone\" value=\"Asia/Baghdad\""));
        let response = app.client.post_form("/posts", &QAIM).await;
        assert_redirects_to(&response, "/posts/QAIM");
        let stored: (String, String, String, String, String, bool) = app.query(|c| {
            border_posts::table
                .select((border_posts::code, border_posts::name_ar, border_posts::country, border_posts::neighbour_country, border_posts::timezone, border_posts::active))
                .first(c)
        });
        assert_eq!(stored, ("QAIM".into(), "القائم".into(), "IQ".into(), "SY".into(), "Asia/Baghdad".into(), true));
        let page = app.client.get_html("/posts/QAIM").await;
        assert!(page.contains("القائم"));
        assert!(page.contains("Albu Kamal"));
    }

    async fn bad_post_input_is_shown_beside_each_field_and_nothing_is_written(app) {
        app.login_as("admin", &[]).await;
        let response = app
            .client
            .post_form("/posts", &[("code", "qa im"), ("name_en", ""), ("name_ar", "القائم"), ("country", "XX"),
                ("neighbour_country", "SY"), ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Mars/Olympus")])
            .await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Please correct these 4 fields"), "{html}");
        for id in ["code-error", "name_en-error", "country-error", "timezone-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "no message beside {id}");
        }
        assert!(html.contains("value=\"qa im\""), "what was typed is kept");
        assert!(html.contains("value=\"Mars/Olympus\""));
        let count: i64 = app.query(|c| border_posts::table.count().get_result(c));
        assert_eq!(count, 0);
    }

    async fn a_taken_code_is_refused_beside_the_field(app) {
        app.create_post("QAIM");
        app.login_as("admin", &[]).await;
        let response = app.client.post_form("/posts", &QAIM).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("A border post with this code already exists."));
        let count: i64 = app.query(|c| border_posts::table.count().get_result(c));
        assert_eq!(count, 1);
    }

    async fn an_admin_edits_a_post_but_not_its_code(app) {
        app.create_post("QAIM");
        app.login_as("admin", &[]).await;
        let mut fields = QAIM.to_vec();
        fields[0] = ("code", "OTHER");
        fields[1] = ("name_en", "Al-Qaim crossing");
        fields.push(("version", "1"));
        let response = app.client.post_form("/posts/QAIM", &fields).await;
        assert_redirects_to(&response, "/posts/QAIM");
        let stored: (String, String, bool) = app.query(|c| border_posts::table.select((border_posts::code, border_posts::name_en, border_posts::active)).first(c));
        assert_eq!(stored, ("QAIM".into(), "Al-Qaim crossing".into(), false), "unticked 'open' closes the post");
    }

    async fn an_officer_lists_only_the_posts_assigned_to_them(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.create_post("WALEED");
        app.login_as("officer", &["QAIM", "WALEED"]).await;
        let html = app.client.get_html("/posts").await;
        assert!(html.contains("href=\"/posts/QAIM\""));
        assert!(html.contains("href=\"/posts/WALEED\""));
        assert!(!html.contains("RABIA"));
        assert!(!html.contains("New border post"), "officers cannot add posts");
        let dashboard = app.client.get_html("/").await;
        assert!(dashboard.contains("QAIM, WALEED"), "the header names the scope");
    }

    async fn a_post_form_based_on_an_older_version_is_refused_beside_the_newer_values(app) {
        app.create_post("QAIM");
        app.login_as("admin", &[]).await;
        app.create_user("deputy", "admin", &[], true);
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        // Both administrators open the form at version 1.
        for html in [app.client.get_html("/posts/QAIM/edit").await, deputy.get_html("/posts/QAIM/edit").await] {
            assert!(html.contains("name=\"version\" value=\"1\""), "{html}");
        }
        let fields = |name_en: &'static str| vec![("name_en", name_en), ("name_ar", "منفذ"), ("country", "IQ"), ("neighbour_country", "SY"),
            ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Asia/Baghdad"), ("active", "1"), ("version", "1")];
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &fields("Al-Qaim crossing")).await, "/posts/QAIM");
        // The second saves what they typed on the old version: 409, nothing written.
        let response = deputy.post_form("/posts/QAIM", &fields("Qaim gate")).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        assert!(html.contains("Someone changed this border post meanwhile"), "{html}");
        let conflict = html.split("id=\"conflict\"").nth(1).unwrap().split("</div>").next().unwrap();
        assert!(conflict.contains("<bdi>Al-Qaim crossing</bdi>"), "the newer value is shown: {conflict}");
        assert!(html.contains("value=\"Qaim gate\""), "what was typed is kept");
        assert!(html.contains("name=\"version\" value=\"2\""), "saving again is based on the newer version");
        let (name, version): (String, i32) = app.query(|c| border_posts::table.select((border_posts::name_en, border_posts::version)).first(c));
        assert_eq!((name.as_str(), version), ("Al-Qaim crossing", 2));
        let updates: Vec<String> = app.query(|c| audit_log::table.filter(audit_log::action.eq("post.update")).select(audit_log::details).load(c));
        assert_eq!(updates, [r#"{"changes":{"name_en":{"after":"Al-Qaim crossing","before":"QAIM post"}}}"#]);
    }

    async fn saving_a_post_bumps_its_version_and_a_form_without_one_is_a_conflict(app) {
        app.create_post("QAIM");
        app.login_as("admin", &[]).await;
        let stored = |app: &TestApp| -> (String, i32) { app.query(|c| border_posts::table.select((border_posts::name_en, border_posts::version)).first(c)) };
        let mut fields = QAIM.to_vec();
        fields[1] = ("name_en", "Al-Qaim crossing");
        // Valid, but based on no version at all: a conflict, nothing written.
        let response = app.client.post_form("/posts/QAIM", &fields).await;
        assert_eq!(response.status().as_u16(), 409);
        assert!(response.text().await.unwrap().contains("name=\"version\" value=\"1\""));
        let mut garbled = fields.clone();
        garbled.push(("version", "one"));
        assert_eq!(app.client.post_form("/posts/QAIM", &garbled).await.status().as_u16(), 409);
        assert_eq!(stored(&app), ("QAIM post".to_owned(), 1));
        // A valid save moves the version on by one.
        fields.push(("version", "1"));
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &fields).await, "/posts/QAIM");
        assert_eq!(stored(&app), ("Al-Qaim crossing".to_owned(), 2));
        assert!(app.client.get_html("/posts/QAIM/edit").await.contains("name=\"version\" value=\"2\""));
        // Saving the same values again changes nothing, so the version stays.
        *fields.last_mut().unwrap() = ("version", "2");
        assert_redirects_to(&app.client.post_form("/posts/QAIM", &fields).await, "/posts/QAIM");
        assert_eq!(stored(&app), ("Al-Qaim crossing".to_owned(), 2));
        let updates: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("post.update")).count().get_result(c));
        assert_eq!(updates, 1);
    }
}
