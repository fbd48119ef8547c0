//! Abuse a careful reviewer tried: racing sign-ins, odd bytes, redirects, guessing.

use chrono::Duration;

use crate::helpers::*;

both_databases! {
    async fn twenty_parallel_wrong_passwords_get_five_checks_and_fifteen_refusals(app) {
        app.create_user("sara", "officer", &[], false);
        let mut clients = Vec::new();
        for _ in 0..20 {
            let client = app.new_client();
            client.csrf_token().await;
            clients.push(client);
        }
        let tries: Vec<_> = clients
            .into_iter()
            .map(|client| tokio::spawn(async move { client.login("sara", "wrong wrong wrong wrong").await.status().as_u16() }))
            .collect();
        let mut statuses = Vec::new();
        for attempt in tries {
            statuses.push(attempt.await.unwrap());
        }
        statuses.sort_unstable();
        let checked = statuses.iter().filter(|s| **s == 401).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!((checked, refused), (5, 15), "{statuses:?}");
    }

    async fn odd_bytes_in_a_user_name_or_address_are_a_plain_miss(app) {
        app.create_user("sara", "officer", &[], false);
        let response = app.client.login("sa\u{0}ra", PASSWORD).await;
        assert_eq!(response.status().as_u16(), 401);
        let response = app.client.login(&"x".repeat(5000), PASSWORD).await;
        assert_eq!(response.status().as_u16(), 401);
        app.login_as("admin", &[]).await;
        assert_eq!(app.get("/posts/%00").await.status().as_u16(), 404);
        assert_eq!(app.get("/posts/%E2%80%AE").await.status().as_u16(), 404);
    }

    async fn a_next_that_browsers_would_read_as_another_host_goes_home(app) {
        app.create_user("sara", "officer", &[], false);
        for next in ["/\t/evil.example", "/\\evil.example", "//evil.example"] {
            let client = app.new_client();
            let token = client.csrf_token().await;
            let response = client
                .post_raw("/login", &[("csrf_token", &token), ("username", "sara"), ("password", PASSWORD), ("next", next)])
                .await;
            assert_redirects_to(&response, "/");
        }
    }

    async fn guessing_the_current_password_from_a_stolen_session_is_throttled(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        for _ in 0..5 {
            let response = app.client.post_form("/account/password", &[("current_password", "guess guess guess"), ("password", "fresh words for a new start")]).await;
            assert_eq!(response.status().as_u16(), 422);
        }
        let response = app.client.post_form("/account/password", &[("current_password", PASSWORD), ("password", "fresh words for a new start")]).await;
        assert_eq!(response.status().as_u16(), 429);
        let body = response.text().await.unwrap();
        assert!(body.contains("Too many wrong tries. Wait 1 minute, then try again."), "{body}");
        app.clock.advance(Duration::seconds(61));
        let response = app.client.post_form("/account/password", &[("current_password", PASSWORD), ("password", "fresh words for a new start")]).await;
        assert_redirects_to(&response, "/account?changed=1");
    }

    async fn signing_out_of_an_expired_session_just_goes_to_sign_in(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        app.clock.advance(Duration::hours(13));
        let response = app.client.post_form("/logout", &[]).await;
        assert_redirects_to(&response, "/login");
    }
}
