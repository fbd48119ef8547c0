//! The dashboard.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::db::posts::Post;

/// `GET /`: where a signed-in user starts.
#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    /// The frame.
    pub layout: Layout,
    /// Who, for the greeting.
    pub display_name: String,
    /// The posts in the user's scope.
    pub posts: Vec<Post>,
}
