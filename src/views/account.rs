//! The user's own account page.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::domain::FieldErrors;

/// One open session, as listed on the account page.
pub struct SessionRow {
    /// Signed in at (UTC).
    pub created: String,
    /// Last used (UTC).
    pub last_seen: String,
    /// Address at sign-in.
    pub ip: String,
    /// Browser at sign-in.
    pub user_agent: String,
    /// This browser's session.
    pub current: bool,
}

/// `GET /account`.
#[derive(Template, WebTemplate)]
#[template(path = "account/show.html")]
pub struct AccountPage {
    /// The frame.
    pub layout: Layout,
    /// Sign-in name.
    pub username: String,
    /// Role in words.
    pub role: &'static str,
    /// Open sessions, newest first.
    pub sessions: Vec<SessionRow>,
    /// Messages beside the password fields.
    pub errors: FieldErrors,
    /// A confirmation to show.
    pub notice: Option<&'static str>,
}
