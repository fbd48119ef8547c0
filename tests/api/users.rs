//! User administration and one's own account.

use diesel::prelude::*;
use repatrack::db::schema::{sessions, user_posts, users};

use crate::helpers::*;

both_databases! {
    async fn an_admin_creates_an_officer_with_posts(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("admin", &[]).await;
        let form = app.client.get_html("/admin/users/new").await;
        assert!(form.contains("name=\"posts\" value=\"QAIM\""));
        let response = app
            .client
            .post_form("/admin/users", &[("username", "Sara.Ali"), ("display_name", "سارة علي"), ("role", "officer"),
                ("posts", "QAIM"), ("posts", "RABIA"), ("password", "river stones under the old bridge")])
            .await;
        assert_eq!(response.status().as_u16(), 303);
        let (id, name, role): (i64, String, String) = app.query(|c| users::table.filter(users::username.eq("sara.ali")).select((users::id, users::display_name, users::role)).first(c));
        assert_eq!(response.headers()["location"], format!("/admin/users/{id}").as_str());
        assert_eq!((name.as_str(), role.as_str()), ("سارة علي", "officer"));
        let posts: i64 = app.query(|c| user_posts::table.filter(user_posts::user_id.eq(id)).count().get_result(c));
        assert_eq!(posts, 2);
        // The new user can sign in and sees both posts.
        let sara = app.new_client();
        assert_redirects_to(&sara.login("sara.ali", "river stones under the old bridge").await, "/");
        assert!(sara.get_html("/").await.contains("QAIM, RABIA"));
    }

    async fn a_weak_password_or_taken_name_is_refused_beside_the_field(app) {
        app.login_as("admin", &[]).await;
        let response = app.client.post_form("/admin/users", &[("username", "sara"), ("role", "officer"), ("password", "passwordpassword")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("This password is too common or too easy to guess."));
        let response = app.client.post_form("/admin/users", &[("username", "ADMIN"), ("role", "officer"), ("password", "river stones under the old bridge")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("This user name is already taken."));
        let count: i64 = app.query(|c| users::table.count().get_result(c));
        assert_eq!(count, 1, "only the admin exists");
    }

    async fn an_admin_cannot_demote_or_deactivate_themselves(app) {
        let me = app.login_as("admin", &[]).await;
        let response = app.client.post_form(&format!("/admin/users/{me}"), &[("display_name", "Me"), ("role", "officer"), ("all_posts", "1"), ("active", "1")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("You cannot change your own role or deactivate yourself."));
        let role: String = app.query(|c| users::table.find(me).select(users::role).first(c));
        assert_eq!(role, "admin");
    }

    async fn resetting_a_password_signs_the_user_out_everywhere(app) {
        let officer = app.create_user("sara", "officer", &[], false);
        let sara = app.new_client();
        sara.login("sara", PASSWORD).await;
        app.login_as("admin", &[]).await;
        let response = app.client.post_form(&format!("/admin/users/{officer}/password"), &[("password", "a brand new pass phrase here")]).await;
        assert_redirects_to(&response, &format!("/admin/users/{officer}?reset=1"));
        assert_redirects_to(&sara.get("/").await, "/login");
        assert_eq!(sara.login("sara", PASSWORD).await.status().as_u16(), 401);
        assert_redirects_to(&sara.login("sara", "a brand new pass phrase here").await, "/");
    }

    async fn changing_ones_own_password_needs_the_current_one_and_ends_other_sessions(app) {
        app.create_user("sara", "officer", &[], false);
        let laptop = app.new_client();
        laptop.login("sara", PASSWORD).await;
        let phone = app.new_client();
        phone.login("sara", PASSWORD).await;
        let listed = laptop.get_html("/account").await;
        assert_eq!(listed.matches("<tr").count(), 3, "header row and two sessions");

        let wrong = laptop.post_form("/account/password", &[("current_password", "not it at all, no"), ("password", "fresh words for a new start")]).await;
        assert_eq!(wrong.status().as_u16(), 422);
        assert!(wrong.text().await.unwrap().contains("This is not your current password."));

        let ok = laptop.post_form("/account/password", &[("current_password", PASSWORD), ("password", "fresh words for a new start")]).await;
        assert_redirects_to(&ok, "/account?changed=1");
        assert_eq!(laptop.get("/account").await.status().as_u16(), 200, "this session stays");
        assert_redirects_to(&phone.get("/").await, "/login");
        let reasons: Vec<Option<String>> = app.query(|c| sessions::table.order(sessions::id).select(sessions::ended_reason).load(c));
        assert_eq!(reasons, [None, Some("password_changed".to_owned())]);
    }
}
