//! Border posts: creating, editing, listing within scope.

use diesel::prelude::*;
use repatrack::db::schema::border_posts;

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
}
