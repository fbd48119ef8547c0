//! User administration and one's own account.

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, sessions, user_posts, users};

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
        let response = app.client.post_form(&format!("/admin/users/{officer}/password"), &[("password", "a brand new pass phrase here"), ("version", "1")]).await;
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

    async fn an_account_form_based_on_an_older_version_is_refused_beside_the_newer_values(app) {
        let officer = app.create_user("sara", "officer", &[], false);
        app.login_as("admin", &[]).await;
        app.create_user("deputy", "admin", &[], true);
        let deputy = app.new_client();
        deputy.login("deputy", PASSWORD).await;
        let path = format!("/admin/users/{officer}");
        // Both administrators open the page at version 1 (the profile and the reset form).
        for html in [app.client.get_html(&path).await, deputy.get_html(&path).await] {
            assert_eq!(html.matches("name=\"version\" value=\"1\"").count(), 2, "{html}");
        }
        let response = app.client.post_form(&path, &[("display_name", "Sara Ali"), ("role", "officer"), ("active", "1"), ("version", "1")]).await;
        assert_redirects_to(&response, &format!("{path}?saved=1"));
        // The second saves what they typed on the old version: 409, nothing written.
        let response = deputy.post_form(&path, &[("display_name", "S. Ali"), ("role", "supervisor"), ("active", "1"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        assert!(html.contains("Someone changed this account meanwhile"), "{html}");
        let conflict = html.split("id=\"conflict\"").nth(1).unwrap().split("</div>").next().unwrap();
        assert!(conflict.contains("<bdi>Sara Ali</bdi>"), "the newer value is shown: {conflict}");
        assert!(conflict.contains("<bdi>Case officer</bdi>"), "{conflict}");
        assert!(html.contains("value=\"S. Ali\""), "what was typed is kept");
        assert!(html.contains("value=\"supervisor\" selected"), "what was chosen is kept");
        assert_eq!(html.matches("name=\"version\" value=\"2\"").count(), 2, "saving again is based on the newer version");
        let (name, role, version): (String, String, i32) = app.query(|c| users::table.find(officer).select((users::display_name, users::role, users::version)).first(c));
        assert_eq!((name.as_str(), role.as_str(), version), ("Sara Ali", "officer", 2));
        let updates: Vec<String> = app.query(|c| audit_log::table.filter(audit_log::action.eq("user.update")).select(audit_log::details).load(c));
        assert_eq!(updates, [r#"{"changes":{"display_name":{"after":"Sara Ali","before":"Test sara"}}}"#]);
        // A password reset from the old page sets nothing either.
        let hash_before: String = app.query(|c| users::table.find(officer).select(users::password_hash).first(c));
        let response = deputy.post_form(&format!("{path}/password"), &[("password", "a brand new pass phrase here"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 409);
        let html = response.text().await.unwrap();
        assert!(html.contains("The password was not set."), "{html}");
        assert!(html.contains("value=\"Sara Ali\""), "the form shows the account as it stands");
        let hash_after: String = app.query(|c| users::table.find(officer).select(users::password_hash).first(c));
        assert_eq!(hash_before, hash_after);
        let resets: i64 = app.query(|c| audit_log::table.filter(audit_log::action.eq("user.password_reset")).count().get_result(c));
        assert_eq!(resets, 0);
    }

    async fn saving_an_account_or_resetting_its_password_bumps_its_version(app) {
        let officer = app.create_user("sara", "officer", &[], false);
        app.login_as("admin", &[]).await;
        let path = format!("/admin/users/{officer}");
        let version = |app: &TestApp| -> i32 { app.query(|c| users::table.find(officer).select(users::version).first(c)) };
        // Valid, but based on no version at all: a conflict, nothing written.
        let response = app.client.post_form(&path, &[("display_name", "Sara Ali"), ("role", "officer"), ("active", "1")]).await;
        assert_eq!(response.status().as_u16(), 409);
        assert_eq!(version(&app), 1);
        let response = app.client.post_form(&path, &[("display_name", "Sara Ali"), ("role", "officer"), ("active", "1"), ("version", "1")]).await;
        assert_redirects_to(&response, &format!("{path}?saved=1"));
        assert_eq!(version(&app), 2);
        let response = app.client.post_form(&format!("{path}/password"), &[("password", "a brand new pass phrase here"), ("version", "2")]).await;
        assert_redirects_to(&response, &format!("{path}?reset=1"));
        assert_eq!(version(&app), 3);
        assert_eq!(app.client.get_html(&format!("{path}?reset=1")).await.matches("name=\"version\" value=\"3\"").count(), 2);
    }
}
