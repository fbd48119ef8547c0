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

// Findings 6 and 7 of the probe in issue 17.
both_databases! {
    async fn impossible_days_cannot_be_closed(app) {
        app.create_post("QAIM");
        app.login_as("supervisor", &["QAIM"]).await;
        for day in ["-2024-01-01", "0000-01-01", "1949-12-31", "+2024-01-01", "2024-1-01", "20240101"] {
            let response = app.client.post_form(&format!("/posts/QAIM/days/{day}/close"), &[]).await;
            assert_eq!(response.status().as_u16(), 404, "{day}");
        }
        let closed: i64 = app.query(|c| {
            use diesel::prelude::*;
            repatrack::db::schema::day_closures::table.count().get_result(c)
        });
        assert_eq!(closed, 0);
    }

    async fn head_is_answered_wherever_get_is(app) {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let health = client.head(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status().as_u16(), 200);
        assert_eq!(health.bytes().await.unwrap().len(), 0, "no body to a HEAD");
        assert_eq!(client.head(app.url("/login")).send().await.unwrap().status().as_u16(), 200);
        assert_eq!(client.head(app.url("/posts")).send().await.unwrap().status().as_u16(), 303, "signed-out, as GET");
        assert_eq!(client.head(app.url("/no/such/page")).send().await.unwrap().status().as_u16(), 404);
    }

    async fn a_report_of_another_post_is_not_found_and_arabic_post_names_are_isolated(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("officer", &["QAIM"]).await;
        let outside = app.get("/reports/headcount?post=RABIA").await;
        let unknown = app.get("/reports/headcount?post=NOPE").await;
        assert_eq!(outside.status().as_u16(), 404);
        assert_eq!(unknown.status().as_u16(), 404);
        assert_eq!(without_tokens(&outside.text().await.unwrap()), without_tokens(&unknown.text().await.unwrap()));
        assert_eq!(app.get("/reports/headcount.csv?post=RABIA").await.status().as_u16(), 404);
        assert_eq!(app.get("/reports/headcount?post=QAIM").await.status().as_u16(), 200);
        app.client.post_form("/account/preferences", &[("language", "ar"), ("digits", "western")]).await;
        let post = app.client.get_html("/posts/QAIM").await;
        assert!(post.contains("<h1><bdi>منفذ</bdi>"), "the post's Arabic name is isolated in its heading");
        let dashboard = app.client.get_html("/").await;
        assert!(dashboard.contains("<bdi>منفذ</bdi></a>"), "and on the dashboard's card");
    }
}

// Finding 2 of the probe in issue 17: the host a form must come from is never taken from
// `X-Forwarded-Host` or `Forwarded`.
both_databases! {
    async fn a_forwarded_host_header_does_not_make_another_site_ours(app) {
        app.create_post("QAIM");
        app.login_as("officer", &["QAIM"]).await;
        let token = app.client.csrf_token().await;
        let send = |extra: Vec<(&'static str, &'static str)>| {
            let mut request = app
                .client
                .http
                .post(app.url("/account/preferences"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", "http://evil.example");
            for (name, value) in extra {
                request = request.header(name, value);
            }
            request.body(format!("csrf_token={token}&language=ar&digits=western")).send()
        };
        assert_eq!(send(vec![]).await.unwrap().status().as_u16(), 403);
        assert_eq!(send(vec![("x-forwarded-host", "evil.example")]).await.unwrap().status().as_u16(), 403);
        assert_eq!(send(vec![("forwarded", "host=evil.example")]).await.unwrap().status().as_u16(), 403);
        let language: String = app.query(|c| {
            use diesel::prelude::*;
            repatrack::db::schema::users::table.select(repatrack::db::schema::users::language).first(c)
        });
        assert_eq!(language, "en", "nothing changed");
    }
}

// Point 8 of issue 17: no page holding people or events is kept in a cache, and the browser
// features repatrack does not use are refused.
both_databases! {
    async fn pages_and_exports_are_not_stored_and_static_files_are_cached(app) {
        app.create_post("QAIM");
        app.login_as("supervisor", &["QAIM"]).await;
        for path in ["/", "/people", "/events", "/events.csv", "/people.csv", "/login"] {
            let response = app.get(path).await;
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            assert!(response.headers()["permissions-policy"].to_str().unwrap().contains("camera=()"), "{path}");
            assert!(response.headers().get("strict-transport-security").is_none(), "plain HTTP in tests: no HSTS");
        }
        let css = app.get(&repatrack::routes::static_files::versioned_url("css/app.css")).await;
        assert!(css.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"), "static files keep their own caching");
    }
}

// Issue 17, point 9: HTTP/2 is the proxy's; repatrack speaks HTTP/1.1 only (built without
// actix-web's `http2`, so h2 is not in the build).
#[tokio::test]
async fn the_server_speaks_http_1_1_and_answers_an_http2_preface_as_a_bad_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(Backend::Sqlite).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let response = app.get("/healthz").await;
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    // A client with prior knowledge opens with the HTTP/2 connection preface (RFC 9113 §3.4).
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 505"),
        "answered as HTTP/1: {answer:?}"
    );
}
