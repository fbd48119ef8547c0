use crate::helpers::*;

both_databases! {
    async fn healthz_answers_ok_once_the_database_answers(app) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
        assert_eq!(response.text().await.unwrap(), "ok");
    }

    async fn an_anonymous_visit_to_the_dashboard_is_sent_to_sign_in(app) {
        let response = app.get("/").await;
        assert_redirects_to(&response, "/login");
        let response = app.get("/posts?x=1").await;
        assert_redirects_to(&response, "/login?next=%2Fposts%3Fx%3D1");
    }
}
