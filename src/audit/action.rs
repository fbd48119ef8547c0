//! Stable action codes. A code, once used, is never renamed or reused: the trail is read years
//! later, and third parties filter on these strings.

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A border post was created.
    PostCreate,
    /// A border post's fields changed.
    PostUpdate,
    /// An account was created.
    UserCreate,
    /// An administrator changed an account (name, role, posts, active).
    UserUpdate,
    /// An administrator set a new password for an account.
    UserPasswordReset,
    /// A user changed their own password.
    AccountPasswordChange,
    /// A user changed their language or digits.
    AccountPreferences,
    /// A sign-in succeeded.
    Login,
    /// Sign-ins failed (the first from an address in a window, then every tenth).
    LoginFailed,
    /// A user name was locked after repeated failures.
    Lockout,
    /// A user signed out.
    Logout,
    /// A request was refused: role (403) or CSRF/cross-site.
    AccessDenied,
    /// Data left the system as a file (which, with which filters, how many rows, its SHA-256).
    Export,
    /// A crossing event was recorded.
    EventCreate,
    /// A crossing event's fields changed (a verified one only by a supervisor, with a reason).
    EventUpdate,
    /// A supervisor other than its recorder verified a crossing event.
    EventVerify,
    /// A crossing event was voided, with a reason.
    EventVoid,
    /// A supervisor closed a post's day (its closing balances are in the details).
    DayClose,
    /// A supervisor reopened a closed day, with a reason.
    DayReopen,
    /// An agreement was created (as a draft).
    AgreementCreate,
    /// An agreement's fields, posts or clauses changed.
    AgreementUpdate,
    /// An agreement's status changed, or activation was requested or withdrawn (with a reason).
    AgreementStatus,
    /// A second supervisor confirmed an agreement's activation.
    AgreementConfirm,
    /// A compliance observation was recorded against a clause.
    AgreementObservation,
    /// A person was registered (with any "not the same person as …" the officer confirmed).
    PersonCreate,
    /// A person's fields changed.
    PersonUpdate,
    /// A person's status changed (a statement of their wish with its date, who heard it, how).
    PersonStatus,
    /// Someone opened a person's page.
    PersonView,
    /// Two records were said not to be the same person.
    PersonNotDuplicate,
    /// A supervisor proposed merging two records of one person.
    PersonMergePropose,
    /// A second supervisor confirmed a merge: the kept record took the chosen values, the
    /// merged one points to it.
    PersonMerge,
    /// A proposed merge was withdrawn.
    PersonMergeWithdraw,
    /// People were named on an event (on the event and on each person).
    ManifestAdd,
    /// A person was taken off an event's list (on the event and on the person).
    ManifestRemove,
    /// What was heard of a returned person (a reprisal also as an observation on the agreement).
    PersonFollowup,
    /// A received list was uploaded for its preview (the file's SHA-256).
    ImportUpload,
    /// A received list was imported: every row, the people created and linked.
    ImportConfirm,
    /// A return was reconciled with the list of whom the other side received.
    Reconcile,
    /// A difference found by a reconciliation was looked into, with a note.
    ReconcileResolve,
    /// A user's password was right and their second factor was asked for; the session reaches
    /// nothing until it is given (then `auth.login`, which says which factor was used).
    SecondFactorAsked,
    /// A user enrolled a second factor (confirmed by a first code; ten recovery codes issued).
    TwoFactorEnable,
    /// An administrator removed a user's second factor and ended their sessions.
    TwoFactorReset,
    /// A situation statement was generated (its day, posts, languages and the SHA-256 of its
    /// text).
    ReportSituation,
}

impl Action {
    /// Every action, for documentation and the test that each is emitted somewhere.
    pub const ALL: [Action; 43] = [
        Action::PostCreate,
        Action::PostUpdate,
        Action::UserCreate,
        Action::UserUpdate,
        Action::UserPasswordReset,
        Action::AccountPasswordChange,
        Action::AccountPreferences,
        Action::Login,
        Action::LoginFailed,
        Action::Lockout,
        Action::Logout,
        Action::AccessDenied,
        Action::Export,
        Action::EventCreate,
        Action::EventUpdate,
        Action::EventVerify,
        Action::EventVoid,
        Action::DayClose,
        Action::DayReopen,
        Action::AgreementCreate,
        Action::AgreementUpdate,
        Action::AgreementStatus,
        Action::AgreementConfirm,
        Action::AgreementObservation,
        Action::PersonCreate,
        Action::PersonUpdate,
        Action::PersonStatus,
        Action::PersonView,
        Action::PersonNotDuplicate,
        Action::PersonMergePropose,
        Action::PersonMerge,
        Action::PersonMergeWithdraw,
        Action::ManifestAdd,
        Action::ManifestRemove,
        Action::PersonFollowup,
        Action::ImportUpload,
        Action::ImportConfirm,
        Action::Reconcile,
        Action::ReconcileResolve,
        Action::SecondFactorAsked,
        Action::TwoFactorEnable,
        Action::TwoFactorReset,
        Action::ReportSituation,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::PostCreate => "post.create",
            Self::PostUpdate => "post.update",
            Self::UserCreate => "user.create",
            Self::UserUpdate => "user.update",
            Self::UserPasswordReset => "user.password_reset",
            Self::AccountPasswordChange => "account.password_change",
            Self::AccountPreferences => "account.preferences",
            Self::Login => "auth.login",
            Self::LoginFailed => "auth.login_failed",
            Self::Lockout => "auth.lockout",
            Self::Logout => "auth.logout",
            Self::AccessDenied => "access.denied",
            Self::Export => "export",
            Self::EventCreate => "event.create",
            Self::EventUpdate => "event.update",
            Self::EventVerify => "event.verify",
            Self::EventVoid => "event.void",
            Self::DayClose => "day.close",
            Self::DayReopen => "day.reopen",
            Self::AgreementCreate => "agreement.create",
            Self::AgreementUpdate => "agreement.update",
            Self::AgreementStatus => "agreement.status",
            Self::AgreementConfirm => "agreement.confirm",
            Self::AgreementObservation => "agreement.observation",
            Self::PersonCreate => "person.create",
            Self::PersonUpdate => "person.update",
            Self::PersonStatus => "person.status",
            Self::PersonView => "person.view",
            Self::PersonNotDuplicate => "person.not_duplicate",
            Self::PersonMergePropose => "person.merge_propose",
            Self::PersonMerge => "person.merge",
            Self::PersonMergeWithdraw => "person.merge_withdraw",
            Self::ManifestAdd => "manifest.add",
            Self::ManifestRemove => "manifest.remove",
            Self::PersonFollowup => "person.followup",
            Self::ImportUpload => "import.upload",
            Self::ImportConfirm => "import.confirm",
            Self::Reconcile => "reconcile",
            Self::ReconcileResolve => "reconcile.resolve",
            Self::SecondFactorAsked => "auth.second_factor_asked",
            Self::TwoFactorEnable => "account.two_factor_enable",
            Self::ReportSituation => "report.situation",
            Self::TwoFactorReset => "user.two_factor_reset",
        }
    }

    /// The action with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut codes: Vec<&str> = Action::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
    }
}
