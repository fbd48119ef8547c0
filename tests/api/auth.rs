//! Signing in and out, session timeouts, throttling, CSRF and ended sessions.

use chrono::Duration;
use diesel::prelude::*;
use repatrack::db::schema::{login_throttle, sessions};

use crate::helpers::*;

fn session_end_reasons(app: &TestApp) -> Vec<Option<String>> {
    app.query(|c| {
        sessions::table
            .order(sessions::id)
            .select(sessions::ended_reason)
            .load(c)
    })
}

both_databases! {
    async fn signing_in_goes_to_the_dashboard_with_a_fresh_http_only_cookie(app) {
        app.create_user("sara", "officer", &[], false);
        // A token planted before sign-in must not survive it.
        let response = app.client.login("Sara", PASSWORD).await;
        assert_redirects_to(&response, "/");
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("repatrack_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "bound to loopback: no Secure flag ({cookie})");
        let token = cookie.trim_start_matches("repatrack_session=").split(';').next().unwrap().to_owned();
        assert_eq!(token.len(), 64);
        let stored: Vec<String> = app.query(|c| sessions::table.select(sessions::token_hash).load(c));
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], token, "only a hash of the token is stored");

        let html = app.client.get_html("/").await;
        assert!(html.contains("Signed in as <bdi>Test sara</bdi>"), "{html}");
        assert!(html.contains("Case officer"));
    }

    async fn signing_in_returns_to_the_page_first_asked_for_but_only_on_this_site(app) {
        app.create_post("QAIM");
        app.create_user("sara", "officer", &["QAIM"], false);
        let first = app.get("/posts/QAIM").await;
        assert_redirects_to(&first, "/login?next=%2Fposts%2FQAIM");
        let token = app.client.csrf_token().await;
        let response = app
            .client
            .post_raw("/login", &[("csrf_token", &token), ("username", "sara"), ("password", PASSWORD), ("next", "/posts/QAIM")])
            .await;
        assert_redirects_to(&response, "/posts/QAIM");

        let other = app.new_client();
        let token = other.csrf_token().await;
        let response = other
            .post_raw("/login", &[("csrf_token", &token), ("username", "sara"), ("password", PASSWORD), ("next", "//evil.example/")])
            .await;
        assert_redirects_to(&response, "/");
    }

    async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(app) {
        app.create_user("sara", "officer", &[], false);
        let wrong = app.client.login("sara", "not the right password at all").await;
        assert_eq!(wrong.status().as_u16(), 401);
        let wrong = wrong.text().await.unwrap();
        let unknown = app.new_client().login("nobody", "not the right password at all").await;
        assert_eq!(unknown.status().as_u16(), 401);
        let unknown = unknown.text().await.unwrap();
        assert!(wrong.contains("Invalid username or password"));
        assert!(unknown.contains("Invalid username or password"));
        // The pages differ only in the echoed user name and the CSRF token.
        let normalise = |html: &str, name: &str| {
            let html = html.replace(&format!("value=\"{name}\""), "value=\"NAME\"");
            let token = csrf_in(&html).unwrap();
            html.replace(&token, "TOKEN")
        };
        assert_eq!(normalise(&wrong, "sara"), normalise(&unknown, "nobody"));
        assert!(session_end_reasons(&app).is_empty(), "no session was created");
    }

    async fn signing_out_ends_the_session_on_the_server(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        let response = app.client.post_form("/logout", &[]).await;
        assert_redirects_to(&response, "/login");
        assert_redirects_to(&app.get("/").await, "/login");
        assert_eq!(session_end_reasons(&app), [Some("logout".to_owned())]);
    }

    async fn a_stolen_cookie_is_worthless_after_sign_out(app) {
        app.create_user("sara", "officer", &[], false);
        let response = app.client.login("sara", PASSWORD).await;
        let cookie = response.headers().get_all("set-cookie").iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .find(|c| c.starts_with("repatrack_session=")).unwrap();
        let replay = || app.client.http.get(app.url("/")).header("cookie", cookie.clone()).send();
        assert_eq!(replay().await.unwrap().status().as_u16(), 200);
        app.client.post_form("/logout", &[]).await;
        let after = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
            .get(app.url("/")).header("cookie", cookie.clone()).send().await.unwrap();
        assert_redirects_to(&after, "/login");
    }

    async fn an_idle_session_ends_after_thirty_minutes_and_activity_keeps_it_alive(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        app.clock.advance(Duration::minutes(29));
        assert_eq!(app.get("/").await.status().as_u16(), 200);
        app.clock.advance(Duration::minutes(29));
        assert_eq!(app.get("/").await.status().as_u16(), 200, "58 minutes in, but used 29 minutes ago");
        // Counted from the last use (to within 30 s, never early): 30 minutes and 29 seconds
        // after it the session still stands; 30 minutes and 30 seconds after it, it has ended.
        app.clock.advance(Duration::minutes(30) + Duration::seconds(29));
        assert_eq!(app.get("/").await.status().as_u16(), 200, "unused for 30 min 29 s");
        app.clock.advance(Duration::minutes(30) + Duration::seconds(30));
        assert_redirects_to(&app.get("/").await, "/login");
        assert_eq!(session_end_reasons(&app), [Some("idle".to_owned())]);
    }

    async fn the_idle_limit_counts_from_the_last_use_not_the_last_refresh(app) {
        // Finding 1 of the probe in issue 17: a use 59 s after sign-in was not stored, and the
        // session ended 30 minutes after sign-in though used 29 minutes 30 seconds before.
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        app.clock.advance(Duration::seconds(59));
        assert_eq!(app.get("/").await.status().as_u16(), 200);
        app.clock.advance(Duration::minutes(29) + Duration::seconds(30));
        assert_eq!(app.get("/").await.status().as_u16(), 200, "unused for 29 min 30 s only");
        assert!(session_end_reasons(&app).iter().all(Option::is_none));
    }

    async fn a_session_ends_twelve_hours_after_sign_in_however_busy(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        for _ in 0..28 {
            app.clock.advance(Duration::minutes(25));
            assert_eq!(app.get("/").await.status().as_u16(), 200);
        }
        // 11 h 40 min so far; 20 more minutes reach 12 hours.
        app.clock.advance(Duration::minutes(20));
        assert_redirects_to(&app.get("/").await, "/login");
        assert_eq!(session_end_reasons(&app), [Some("expired".to_owned())]);
    }

    async fn five_failures_lock_a_user_name_for_a_minute_then_longer(app) {
        app.create_user("sara", "officer", &[], false);
        for _ in 0..5 {
            assert_eq!(app.client.login("sara", "wrong wrong wrong wrong").await.status().as_u16(), 401);
        }
        // Even the right password is not checked while locked.
        let locked = app.client.login("sara", PASSWORD).await;
        assert_eq!(locked.status().as_u16(), 429);
        assert!(locked.text().await.unwrap().contains("Too many failed sign-ins for this user name. Wait 1 minute, then try again."));
        app.clock.advance(Duration::seconds(61));
        // A sixth failure doubles the wait.
        assert_eq!(app.client.login("sara", "wrong wrong wrong wrong").await.status().as_u16(), 401);
        let locked = app.client.login("sara", PASSWORD).await;
        assert!(locked.text().await.unwrap().contains("Wait 2 minutes"));
        app.clock.advance(Duration::seconds(121));
        assert_redirects_to(&app.client.login("sara", PASSWORD).await, "/");
        let left: i64 = app.query(|c| login_throttle::table.filter(login_throttle::throttle_key.eq("user:sara")).count().get_result(c));
        assert_eq!(left, 0, "success clears the user name's counter");
    }

    async fn an_unknown_user_name_locks_exactly_like_a_real_one(app) {
        for _ in 0..5 {
            app.client.login("ghost", "wrong wrong wrong wrong").await;
        }
        let locked = app.client.login("ghost", "wrong wrong wrong wrong").await;
        assert_eq!(locked.status().as_u16(), 429);
        assert!(locked.text().await.unwrap().contains("Too many failed sign-ins for this user name. Wait 1 minute"));
    }

    async fn thirty_failures_from_one_address_stop_it_for_ten_minutes(app) {
        app.create_user("sara", "officer", &[], false);
        for i in 0..30 {
            let response = app.client.login(&format!("user{i}"), "wrong wrong wrong wrong").await;
            assert_eq!(response.status().as_u16(), 401, "attempt {i}");
        }
        let stopped = app.client.login("sara", PASSWORD).await;
        assert_eq!(stopped.status().as_u16(), 429);
        assert!(stopped.text().await.unwrap().contains("Too many failed sign-ins from this network. Wait 10 minutes"));
        app.clock.advance(Duration::minutes(10));
        assert_redirects_to(&app.client.login("sara", PASSWORD).await, "/");
    }

    async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing(app) {
        app.login_as("admin", &[]).await;
        let fields = [("code", "QAIM"), ("name_en", "Al-Qaim"), ("name_ar", "القائم"), ("country", "IQ"),
            ("neighbour_country", "SY"), ("governorate", "Anbar"), ("counterpart_name", "Albu Kamal"), ("timezone", "Asia/Baghdad")];
        let missing = app.client.post_raw("/posts", &fields).await;
        assert_eq!(missing.status().as_u16(), 403);
        let mut wrong = vec![("csrf_token", "0000000000000000000000000000000000000000000000000000000000000000")];
        wrong.extend_from_slice(&fields);
        assert_eq!(app.client.post_raw("/posts", &wrong).await.status().as_u16(), 403);
        let posts: i64 = app.query(|c| repatrack::db::schema::border_posts::table.count().get_result(c));
        assert_eq!(posts, 0);
        assert_redirects_to(&app.client.post_form("/posts", &fields).await, "/posts/QAIM");
    }

    async fn a_cross_site_post_is_refused_even_with_a_token(app) {
        app.login_as("admin", &[]).await;
        let token = app.client.csrf_token().await;
        let body = serde_html_form::to_string([("csrf_token", token.as_str()), ("code", "QAIM")]).unwrap();
        let send = |header: (&'static str, &'static str)| {
            app.client.http.post(app.url("/posts"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header.0, header.1)
                .body(body.clone())
                .send()
        };
        assert_eq!(send(("origin", "http://evil.example")).await.unwrap().status().as_u16(), 403);
        assert_eq!(send(("sec-fetch-site", "cross-site")).await.unwrap().status().as_u16(), 403);
        // The same request from our own pages goes through (and fails validation: 422).
        assert_eq!(send(("sec-fetch-site", "same-origin")).await.unwrap().status().as_u16(), 422);
    }

    async fn deactivating_a_user_ends_their_sessions_at_once(app) {
        let officer = app.create_user("sara", "officer", &[], false);
        let sara = app.new_client();
        sara.login("sara", PASSWORD).await;
        assert_eq!(sara.get("/").await.status().as_u16(), 200);
        app.login_as("admin", &[]).await;
        let path = format!("/admin/users/{officer}");
        let response = app.client.post_form(&path, &[("display_name", "Sara"), ("role", "officer"), ("version", "1")]).await;
        assert_redirects_to(&response, &format!("{path}?saved=1"));
        assert_redirects_to(&sara.get("/").await, "/login");
        let sara_sessions: Vec<Option<String>> = app.query(|c| sessions::table.filter(sessions::user_id.eq(officer)).select(sessions::ended_reason).load(c));
        assert_eq!(sara_sessions, [Some("deactivated".to_owned())]);
        // And a deactivated account cannot sign in again, with the usual message.
        let again = sara.login("sara", PASSWORD).await;
        assert_eq!(again.status().as_u16(), 401);
    }

    async fn changing_a_role_ends_the_users_sessions(app) {
        let officer = app.create_user("sara", "officer", &[], false);
        let sara = app.new_client();
        sara.login("sara", PASSWORD).await;
        app.login_as("admin", &[]).await;
        let response = app.client.post_form(&format!("/admin/users/{officer}"), &[("display_name", "Sara"), ("role", "supervisor"), ("active", "1"), ("version", "1")]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_redirects_to(&sara.get("/").await, "/login");
        assert_redirects_to(&sara.login("sara", PASSWORD).await, "/");
        // A supervisor now, she must set up a second factor before anything else.
        assert_redirects_to(&sara.get("/").await, "/account/two-factor");
        assert!(sara.get_html("/account/two-factor").await.contains("Supervisor"));
    }
}

/// The hidden inputs of a form in `html` (the first form whose action is `action`).
fn hidden_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let form = html
        .split(&format!("action=\"{action}\""))
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|input| {
            let attr = |name: &str| {
                input
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .replace("&#38;", "&")
                    .replace("&amp;", "&")
                    .replace("&#34;", "\"")
                    .replace("&#39;", "'")
            };
            (attr("name"), attr("value"))
        })
        .collect()
}

both_databases! {
    async fn a_form_sent_after_the_session_ended_is_kept_through_signing_in_and_sent_once(app) {
        use diesel::prelude::*;
        use repatrack::db::schema::crossing_events;
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let form = app.client.get_html("/posts/QAIM/events/new").await;
        let key = form.split("name=\"form_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        // Away longer than the idle limit, then the officer presses Save.
        app.clock.advance(Duration::minutes(31));
        let fields = [
            ("occurred_at", "2024-12-07T10:00"), ("direction", "inbound"), ("category", "military"),
            ("headcount", "1100"), ("officers", ""), ("wounded", ""), ("source", "Gate log"),
            ("reference", "INA-2024/117"), ("notes", "Arrived with light arms"), ("form_key", key.as_str()),
        ];
        let response = app.client.post_form("/posts/QAIM/events", &fields).await;
        assert_eq!(response.status().as_u16(), 401, "not a refusal by role");
        let page = response.text().await.unwrap();
        assert!(page.contains("Your session ended while you were away. Sign in again: what you were sending is kept."));
        assert!(!page.contains("Your role does not allow"));
        assert_eq!(app.query(|c| crossing_events::table.count().get_result::<i64>(c)), 0, "nothing happened yet");
        let kept = hidden_fields(&page, "/login");
        let resume_body = kept.iter().find(|(k, _)| k == "resume_body").unwrap().1.clone();
        assert!(resume_body.contains("headcount=1100") && resume_body.contains("notes=Arrived+with+light+arms"), "{resume_body}");
        assert!(!resume_body.contains("csrf_token"), "the old session's token is not carried");
        // Signing in again shows what was being sent, to send it now.
        let mut login: Vec<(String, String)> = kept;
        login.push(("username".into(), "officer".into()));
        login.push(("password".into(), PASSWORD.into()));
        // The sign-in page's own (anonymous) token is among its hidden fields.
        let body: Vec<(&str, &str)> = login.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = app.client.post_raw("/login", &body).await;
        assert_eq!(response.status().as_u16(), 200);
        let page = response.text().await.unwrap();
        assert!(page.contains("Send what you had typed"));
        assert!(text_of_html(&page).contains("Headcount 1100"), "the typed values are shown");
        assert!(!page.contains(PASSWORD), "never a password");
        let again = hidden_fields(&page, "/posts/QAIM/events");
        let body: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = app.client.post_raw("/posts/QAIM/events", &body).await;
        assert_eq!(response.status().as_u16(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        // Sent twice (a double click), it is still one event.
        let response = app.client.post_raw("/posts/QAIM/events", &body).await;
        assert_eq!(response.headers()["location"].to_str().unwrap(), location);
        let stored: Vec<(i32, String)> = app.query(|c| crossing_events::table.select((crossing_events::headcount, crossing_events::notes)).load(c));
        assert_eq!(stored, [(1100, "Arrived with light arms".to_owned())]);
    }
}

both_databases! {
    async fn a_form_from_an_earlier_sign_in_is_refused_but_offered_back_to_send(app) {
        use diesel::prelude::*;
        use repatrack::db::schema::crossing_events;
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let form = app.client.get_html("/posts/QAIM/events/new").await;
        let old_token = csrf_in(&form).unwrap();
        let key = form.split("name=\"form_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        // Signed out and in again meanwhile (another window): the open form carries the earlier
        // session's token.
        assert_eq!(app.client.post_form("/logout", &[]).await.status().as_u16(), 303);
        assert_eq!(app.client.login("officer", PASSWORD).await.status().as_u16(), 303);
        let fields = [
            ("csrf_token", old_token.as_str()), ("occurred_at", "2024-12-07T10:00"), ("direction", "inbound"),
            ("category", "military"), ("headcount", "40"), ("source", "Gate log"), ("form_key", key.as_str()),
        ];
        let response = app.client.post_raw("/posts/QAIM/events", &fields).await;
        assert_eq!(response.status().as_u16(), 403, "refused as any bad token is");
        let page = response.text().await.unwrap();
        assert!(page.contains("This form was opened before you last signed in"), "not blamed on the role");
        assert!(!page.contains("Your role does not allow"));
        assert_eq!(app.query(|c| crossing_events::table.count().get_result::<i64>(c)), 0);
        let again = hidden_fields(&page, "/posts/QAIM/events");
        assert!(again.iter().any(|(k, v)| k == "headcount" && v == "40"));
        let body: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(app.client.post_raw("/posts/QAIM/events", &body).await.status().as_u16(), 303);
        assert_eq!(app.query(|c| crossing_events::table.count().get_result::<i64>(c)), 1);
    }
}
