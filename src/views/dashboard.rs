//! The dashboard.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::db::posts::Post;
use crate::domain::figures::Figure;

/// `GET /`: where a signed-in user starts.
#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    /// The frame.
    pub layout: Layout,
    /// Who, for the greeting.
    pub display_name: String,
    /// The posts in the user's scope, with their balances.
    pub posts: Vec<PostCard>,
}

/// One post's card.
#[derive(Debug, Clone)]
pub struct PostCard {
    /// The post.
    pub post: Post,
    /// Military present now, verified and pending.
    pub military: Figure,
    /// Civilians present now, verified and pending.
    pub civilian: Figure,
    /// Events awaiting verification.
    pub pending: i64,
    /// Military returns citing no agreement.
    pub uncited: i64,
}

impl DashboardPage {
    /// "2 military returns cite no agreement" for a card.
    pub fn uncited_label(&self, card: &PostCard) -> String {
        super::events::capped(&self.layout, "returns-uncited", card.uncited)
    }

    /// "3 events await verification" for a card.
    pub fn pending_label(&self, card: &PostCard) -> String {
        super::events::capped(&self.layout, "events-pending", card.pending)
    }
}
