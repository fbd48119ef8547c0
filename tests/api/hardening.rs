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

/// Sends `path` as `client` asking for gzip; returns the encoding and the raw and decoded bytes.
async fn gzip_get(client: &TestClient, path: &str) -> (Option<String>, Vec<u8>, Vec<u8>) {
    use std::io::Read;
    let response = client
        .http
        .get(client.url(path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    let encoding = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    let raw = response.bytes().await.unwrap().to_vec();
    let mut decoded = Vec::new();
    if encoding.as_deref() == Some("gzip") {
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut decoded)
            .unwrap();
    } else {
        decoded.clone_from(&raw);
    }
    (encoding, raw, decoded)
}

both_databases! {
    async fn pages_styles_and_exports_are_compressed_when_asked_and_the_export_hash_is_of_the_plain_bytes(app) {
        use sha2::{Digest, Sha256};
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        for n in 0..40 {
            crate::events::record(&app.client, "QAIM", &format!("2024-12-07T{:02}:{:02}", 8 + n / 60, n % 60), "inbound", "military", "10").await;
        }
        app.client.get_html("/").await; // takes the last recording's message
        let plain = app.client.get_html("/posts/QAIM").await;
        let (encoding, raw, decoded) = gzip_get(&app.client, "/posts/QAIM").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert_eq!(String::from_utf8(decoded).unwrap().len(), plain.len(), "the same page");
        assert!(raw.len() * 3 < plain.len(), "compressed {} of {} bytes", raw.len(), plain.len());
        let css = plain.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let (encoding, _, _) = gzip_get(&app.client, &css).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "the stylesheet");
        let (encoding, raw, decoded) = gzip_get(&app.client, "/events.csv").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert!(raw.len() < decoded.len());
        let (_, rows) = parse_csv(&decoded);
        assert_eq!(rows.len(), 40);
        let record = crate::exports::last_export(&app);
        assert_eq!(record["sha256"], hex::encode(Sha256::digest(&decoded)), "hashed before compression");
        // Without Accept-Encoding, nothing is compressed.
        let response = app.client.get("/posts/QAIM").await;
        assert!(response.headers().get("content-encoding").is_none());
    }
}
