//! The sign-in page.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::Layout;

/// `GET /login`, and the form re-shown after a failed try.
#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    /// The frame (carrying the anonymous CSRF token).
    pub layout: Layout,
    /// The user name as typed (the password is never re-shown).
    pub username: String,
    /// Where to go after signing in.
    pub next: String,
    /// Why the last try failed, in the page's language.
    pub message: Option<String>,
}

impl LoginPage {
    /// Renders with `status`.
    pub fn into_response(self, status: StatusCode) -> HttpResponse {
        super::render(&self, status)
    }
}
