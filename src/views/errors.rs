//! Error pages, rendered inside the layout.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::Layout;

/// The page shown for 403, 404, 422 and 500.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: &'static str,
    reference: Option<String>,
}

impl ErrorPage {
    fn new(status: u16, title: &'static str, message: &'static str) -> Self {
        Self {
            layout: Layout::anonymous(),
            status,
            title,
            message,
            reference: None,
        }
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::new(
            404,
            "Page not found",
            "There is no page at this address, or it is not in your posts.",
        )
    }

    /// 403.
    pub fn forbidden() -> Self {
        Self::new(
            403,
            "Not allowed",
            "Your role does not allow this action. Ask a supervisor if you need it.",
        )
    }

    /// 422.
    pub fn unprocessable() -> Self {
        Self::new(
            422,
            "The request could not be read",
            "Some of what was sent could not be understood. Go back, check the form and try again.",
        )
    }

    /// 500, with the reference under which the log holds the details.
    pub fn internal(reference: String) -> Self {
        Self {
            reference: Some(reference),
            ..Self::new(
                500,
                "Something went wrong on our side",
                "Nothing you did caused this. Try again in a moment; if it keeps happening, give this reference to your administrator.",
            )
        }
    }

    /// Renders the page with `status`.
    pub fn into_response(self, status: StatusCode) -> HttpResponse {
        match self.render() {
            Ok(html) => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                HttpResponse::build(status)
                    .content_type("text/plain; charset=utf-8")
                    .body(self.title)
            }
        }
    }
}
