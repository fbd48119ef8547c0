//! The front page.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;

/// The front page (later issues make it the dashboard).
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    /// The frame.
    pub layout: Layout,
    /// `sqlite` or `postgres`, shown so an operator sees which database is in use.
    pub backend: &'static str,
}
