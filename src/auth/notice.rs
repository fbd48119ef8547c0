//! The one-line message after an action ("QAIM-2024-0042 recorded. It awaits verification."),
//! shown once on the page the redirect leads to. Without script, it travels in the session:
//! the handler leaves it, and the next page of the session takes it (and clears it).

use serde::{Deserialize, Serialize};

use crate::auth::Identity;
use crate::db::{self, DbConn};

/// A message, already in the person's language, with an optional follow-up link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// What happened, in one line.
    pub text: String,
    /// A next step: (href, label), such as "Record another at this post".
    pub link: Option<(String, String)>,
}

impl Notice {
    /// A message without a link.
    pub fn text(text: String) -> Self {
        Self { text, link: None }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read back from the session; a row that is not a notice shows nothing.
    pub fn from_json(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// Leaves `notice` for the next page `who` sees (session bookkeeping: not an audited change).
pub fn leave(conn: &mut DbConn, who: &Identity, notice: &Notice) -> diesel::QueryResult<()> {
    db::sessions::set_notice(conn, who.session_id, Some(&notice.to_json())).map(|_| ())
}

/// Leaves the message `key` (with the record's `reference`) in `who`'s language, after an action
/// on a record succeeded.
pub fn leave_about(
    conn: &mut DbConn,
    who: &Identity,
    key: &str,
    reference: &str,
) -> diesel::QueryResult<()> {
    let tr = crate::i18n::Tr {
        lang: who.language,
        digits: who.digits,
    };
    let text = tr.ta(
        key,
        &[("reference", crate::i18n::Arg::Text(reference.to_owned()))],
    );
    leave(conn, who, &Notice::text(text))
}

/// After an event action succeeded: the message `key` naming the event.
pub fn leave_about_event(
    conn: &mut DbConn,
    who: &Identity,
    key: &str,
    id: crate::domain::ids::EventId,
) -> diesel::QueryResult<()> {
    match db::events::find(conn, id)? {
        Some(event) => leave_about(conn, who, key, &event.reference),
        None => Ok(()),
    }
}
