//! Page structs, one per page, mirroring `templates/`. Auto-escaping is always on; no page
//! builds HTML with `format!`.

pub mod account;
pub mod admin_users;
pub mod agreements;
pub mod audit;
pub mod auth;
pub mod chart;
pub mod dashboard;
pub mod errors;
pub mod events;
pub mod layout;
pub mod posts;
pub mod reports;

pub use layout::Layout;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

/// Renders a page with a status other than 200 (a form re-shown with errors is a 422).
pub fn render(page: &impl askama::Template, status: StatusCode) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => crate::error::AppError::internal("rendering a page", e).into_response(),
    }
}
