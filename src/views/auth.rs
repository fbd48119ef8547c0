//! The sign-in page.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::Layout;

/// `GET /login`, and the form re-shown after a failed try.
#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    /// The frame.
    pub layout: Layout,
    /// The anonymous CSRF token (filled in by the handler).
    pub csrf_token: String,
    /// The user name as typed (the password is never re-shown).
    pub username: String,
    /// Where to go after signing in.
    pub next: String,
    /// Why the last try failed.
    pub message: Option<String>,
}

impl LoginPage {
    /// A sign-in page.
    pub fn new(username: String, next: String, message: Option<String>) -> Self {
        Self {
            layout: Layout::anonymous(),
            csrf_token: String::new(),
            username,
            next,
            message,
        }
    }

    /// Renders with `status`.
    pub fn into_response(self, status: StatusCode) -> HttpResponse {
        super::render(&self, status)
    }
}
