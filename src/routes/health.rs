//! `GET /healthz`: for load balancers and operators.

use actix_web::{HttpResponse, web};

use crate::db;
use crate::state::AppState;

/// Answers `200 ok` only once the database has answered a query; `503` otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db(|conn| db::ping(conn).map_err(Into::into)).await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(error) => {
            tracing::warn!(error = %crate::error::error_chain(&error), "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}
