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
pub mod people;
pub mod posts;
pub mod queue;
pub mod reports;
pub mod situation;
pub mod totals;
pub mod two_factor;

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

/// The link to an export at `path` carrying a page's filters (`query`, already encoded; may be
/// empty), with `bom=1` when asked: every list's "Export CSV" links are made here.
pub fn export_href(path: &str, query: &str, bom: bool) -> String {
    match (query.is_empty(), bom) {
        (true, false) => path.to_owned(),
        (true, true) => format!("{path}?bom=1"),
        (false, false) => format!("{path}?{query}"),
        (false, true) => format!("{path}?{query}&bom=1"),
    }
}
