//! The signed-in user of one request, loaded from the database on every request (so a change of
//! role, scope or activity takes effect at once on every instance).

use crate::domain::ids::{PostId, SessionId, UserId};
use crate::domain::policy::{self, Act, Principal};
use crate::domain::role::Role;

/// The person behind a request with a valid session.
#[derive(Clone, Debug)]
pub struct Identity {
    /// Their session.
    pub session_id: SessionId,
    /// Their account.
    pub user_id: UserId,
    /// Sign-in name.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Sees every post.
    pub all_posts: bool,
    /// Assigned posts (empty, and unused, with `all_posts`).
    pub posts: Vec<PostId>,
    /// Their codes, in the same order, for display.
    pub post_codes: Vec<String>,
    /// The session's CSRF token, put in every form.
    pub csrf_token: String,
    /// Preferred interface language.
    pub language: crate::i18n::Lang,
    /// Preferred digits.
    pub digits: crate::i18n::Digits,
    /// The message left by the action before this page, shown once.
    pub notice: Option<super::notice::Notice>,
    /// What waits for this person on `/queue` (supervisors and administrators), capped.
    pub queue_count: Option<i64>,
    /// Their role must have a second factor and they have none yet: they reach only the
    /// enrolment page and sign-out until they enrol.
    pub must_enrol: bool,
}

/// A browser whose password was right and whose second factor is still asked for. It is not
/// signed in: it reaches the code step (`/login`) and nothing else.
#[derive(Clone, Debug)]
pub struct PendingSignIn {
    /// The pending session.
    pub session_id: SessionId,
    /// Whose.
    pub user_id: UserId,
    /// Their sign-in name (the throttle's key).
    pub username: String,
    /// Their language.
    pub language: crate::i18n::Lang,
    /// Their digits.
    pub digits: crate::i18n::Digits,
}

impl Identity {
    /// The person as the access policy sees them: account, role and posts.
    pub fn principal(&self) -> Principal {
        Principal::user(self.user_id, self.role, self.all_posts, &self.posts)
    }

    /// Whether their role may ever do `act` (for what a page offers; record-level rules are the
    /// policy's functions).
    pub fn may(&self, act: Act) -> bool {
        policy::roles(act).contains(&self.role)
    }
}
