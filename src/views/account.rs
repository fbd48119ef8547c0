//! The user's own account page.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::domain::FieldErrors;

/// One open session, as listed on the account page.
pub struct SessionRow {
    /// Signed in at (UTC, formatted for the page).
    pub created: String,
    /// Last used (UTC, formatted for the page).
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
    pub role: String,
    /// Numbers shown with Arabic-Indic digits.
    pub arabic_indic: bool,
    /// Open sessions, newest first.
    pub sessions: Vec<SessionRow>,
    /// Messages beside the password fields.
    pub errors: FieldErrors,
    /// The message key of a confirmation to show.
    pub notice: Option<&'static str>,
    /// Whether the account has a second factor.
    pub two_factor: bool,
}
