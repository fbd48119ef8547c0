use crate::helpers::*;

both_databases! {
    async fn healthz_answers_ok_once_the_database_answers(app) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
        assert_eq!(response.text().await.unwrap(), "ok");
    }

    async fn the_start_page_names_the_database_in_use(app) {
        let response = app.get("/").await;
        assert_eq!(response.status().as_u16(), 200);
        let body = response.text().await.unwrap();
        let expected = match app.backend {
            Backend::Sqlite => "Database: sqlite",
            Backend::Postgres => "Database: postgres",
        };
        assert!(body.contains(expected), "{body}");
    }
}
