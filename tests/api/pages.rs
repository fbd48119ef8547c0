//! The layout, error pages, static files and the headers every response carries.

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn assert_security_headers(response: &reqwest::Response) {
    let headers = response.headers();
    assert_eq!(
        headers["content-security-policy"],
        CSP,
        "{}",
        response.url()
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
}

/// The stylesheet link of a page, as the browser would follow it.
fn stylesheet_href(html: &str) -> String {
    let start = html.find("<link rel=\"stylesheet\" href=\"").unwrap() + 29;
    html[start..].split('"').next().unwrap().to_owned()
}

both_databases! {
    async fn every_response_carries_the_security_headers(app) {
        for path in ["/", "/login", "/healthz", "/no/such/page", "/static/css/app.css", "/static/nope.js"] {
            let response = app.get(path).await;
            assert_security_headers(&response);
        }
    }

    async fn an_unknown_address_gets_the_404_page_in_the_layout(app) {
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status().as_u16(), 404);
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        let body = response.text().await.unwrap();
        assert!(body.contains("<title>Page not found · repatrack</title>"), "{body}");
        assert!(body.contains("<header class=\"site-header\">"));
        assert!(body.contains("Error 404"));
        assert!(!body.contains("<script"), "no inline script under the CSP");
        assert!(!body.contains("style="), "no inline style under the CSP");
    }

    async fn the_stylesheet_is_cached_for_a_year_under_its_content_hash(app) {
        let page = app.get("/login").await.text().await.unwrap();
        let href = stylesheet_href(&page);
        assert!(href.starts_with("/static/css/app.css?v="), "{href}");
        let response = app.get(&href).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "text/css; charset=utf-8");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert!(response.text().await.unwrap().contains("margin-inline"));

        // An unversioned request is cached briefly; a revalidation answers 304 without a body.
        let plain = app.get("/static/css/app.css").await;
        assert_eq!(plain.headers()["cache-control"], "public, max-age=300");
        let again = app.client.http.get(app.url("/static/css/app.css")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status().as_u16(), 304);
        assert_eq!(again.text().await.unwrap(), "");
    }

    async fn a_missing_static_file_is_a_404(app) {
        let response = app.get("/static/css/missing.css").await;
        assert_eq!(response.status().as_u16(), 404);
    }
}
