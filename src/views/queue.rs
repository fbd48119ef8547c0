//! `/queue`: what waits for a supervisor.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;

/// The queue's filters, as typed (`?post=&kind=&after=`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// A post code, or empty for every post in scope.
    pub post: String,
    /// `events`, `agreements`, `days`, or empty for all three.
    pub kind: String,
    /// Keyset cursor of the events: `MICROS.ID` of the last row shown.
    pub after: String,
}

impl QueueQuery {
    /// Whether the page shows this kind.
    pub fn shows(&self, kind: &str) -> bool {
        self.kind.is_empty() || self.kind == kind
    }

    /// The filters as a query string (without the cursor).
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("post", &self.post), ("kind", &self.kind)] {
            if !v.is_empty() {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }
}

/// One pending event.
pub struct QueueEvent {
    /// Key.
    pub id: i64,
    /// The version shown (a batch verifies only what was seen).
    pub version: i32,
    /// `QAIM-2024-0042`.
    pub reference: String,
    /// Post code.
    pub post: String,
    /// Its day at the post, in the page's language.
    pub day: String,
    /// Direction, in words.
    pub direction: String,
    /// Category, in words.
    pub category: String,
    /// Headcount.
    pub headcount: i32,
    /// Who recorded it.
    pub recorder: String,
    /// For a correction, what changed ("headcount 1,100 → 1,105"); empty for a new entry.
    pub changed: String,
    /// Why this person may not verify it (they recorded or last changed it), if so.
    pub why_not: Option<String>,
}

/// An agreement awaiting a second supervisor.
pub struct QueueAgreement {
    /// Key.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Why this person may not confirm it, if so.
    pub why_not: Option<String>,
}

/// One post's open days with events.
pub struct QueueDays {
    /// Post code.
    pub code: String,
    /// Days ready to close (nothing pending), oldest first: (`YYYY-MM-DD`, label).
    pub ready: Vec<(String, String)>,
    /// The first open day that still holds pending events, as a label.
    pub blocked_at: Option<String>,
    /// The last ready day before anything pending: the default of "close up to".
    pub up_to: Option<String>,
}

/// `GET /queue`.
#[derive(Template, WebTemplate)]
#[template(path = "queue/show.html")]
pub struct QueuePage {
    /// The frame.
    pub layout: Layout,
    /// The filters.
    pub query: QueueQuery,
    /// Posts in scope for the filter: (code, name).
    pub posts: Vec<(String, String)>,
    /// Pending events, oldest first (one page).
    pub events: Vec<QueueEvent>,
    /// The cursor of the next page of events, if there is one.
    pub next: Option<String>,
    /// Agreements awaiting confirmation.
    pub agreements: Vec<QueueAgreement>,
    /// Open days per post.
    pub days: Vec<QueueDays>,
}

impl QueuePage {
    /// The link to the next page of events.
    pub fn next_link(&self, cursor: &str) -> String {
        let filters = self.query.query_string();
        if filters.is_empty() {
            format!("/queue?after={cursor}")
        } else {
            format!("/queue?{filters}&after={cursor}")
        }
    }

    /// Where batch verification sends the person back to: the queue with its filters.
    pub fn back(&self) -> String {
        let filters = self.query.query_string();
        if filters.is_empty() {
            "/queue".to_owned()
        } else {
            format!("/queue?{filters}")
        }
    }

    /// Whether any event on the page can be ticked.
    pub fn any_selectable(&self) -> bool {
        self.events.iter().any(|e| e.why_not.is_none())
    }
}
