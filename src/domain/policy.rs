//! Who may do what to which record, now: the one answer that route table, handlers, services and
//! templates all ask (DESIGN.md §4 and invariants 4 and 9). Pure: it takes the facts of a record
//! and the person asking, and says yes or why not. Nothing else in the code names a role.
//!
//! Two kinds of "no", answered differently over HTTP:
//! - [`Denied::NotFound`]: the record lies outside the person's posts; it answers exactly like a
//!   record that does not exist, so scope cannot be probed;
//! - every other [`Denied`]: the person may see the record but not do this to it (403), with the
//!   reason (a supervisor's own entry, an officer's verified one), which pages can show.

use std::collections::BTreeSet;

use super::event::Status;
use super::ids::{PostId, UserId};
use super::role::Role;

/// What someone may want to do. Each has one role list, [`roles`]; record-level rules (scope,
/// four eyes, ownership) are the functions below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// See the records of one's posts (pages, lists, totals) and export them.
    Read,
    /// Record a crossing event (and, later, people).
    RecordEvent,
    /// Correct an event's fields.
    CorrectEvent,
    /// Verify an event someone else recorded and changed.
    VerifyEvent,
    /// Void an event, with a reason.
    VoidEvent,
    /// Close a post's day.
    CloseDay,
    /// Reopen a post's closed day, with a reason.
    ReopenDay,
    /// Create, edit, change the status of, or record an observation against an agreement.
    ManageAgreement,
    /// Confirm an agreement going into force (a second supervisor).
    ConfirmAgreement,
    /// Review the audit trail and records' histories.
    ReviewAudit,
    /// Register people and keep their records: fields and statements of their wish.
    RecordPerson,
    /// End a person's case at the post: transferred, deceased, absconded.
    ClosePersonCase,
    /// Export the people register as a file (the most sensitive data held).
    ExportPeople,
    /// Review probable duplicates and propose or confirm a merge of two records.
    MergePeople,
    /// Mark a difference between a return's list and the other side's looked into.
    ResolveDifference,
    /// Create and change border posts.
    ManagePosts,
    /// Create and change user accounts.
    ManageUsers,
    /// Remove someone's second factor (a lost phone), ending their sessions.
    ResetSecondFactor,
}

/// Everyone who may sign in.
pub const EVERYONE: &[Role] = &Role::ALL;
/// Those who record: officers, supervisors, administrators.
pub const WRITERS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Officer];
/// Those who verify, correct others' entries, void, close days and manage agreements.
pub const SUPERVISORS: &[Role] = &[Role::Admin, Role::Supervisor];
/// Those who review the audit trail.
pub const REVIEWERS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Auditor];
/// Administrators.
pub const ADMINS: &[Role] = &[Role::Admin];

/// The roles that may ever do `act` (record-level rules may still refuse).
pub const fn roles(act: Act) -> &'static [Role] {
    match act {
        Act::Read => EVERYONE,
        Act::RecordEvent | Act::CorrectEvent | Act::RecordPerson => WRITERS,
        Act::VerifyEvent
        | Act::VoidEvent
        | Act::CloseDay
        | Act::ReopenDay
        | Act::ManageAgreement
        | Act::ConfirmAgreement
        | Act::ClosePersonCase
        | Act::MergePeople
        | Act::ResolveDifference => SUPERVISORS,
        Act::ReviewAudit | Act::ExportPeople => REVIEWERS,
        Act::ManagePosts | Act::ManageUsers | Act::ResetSecondFactor => ADMINS,
    }
}

/// The roles that must have a second factor: after the password they reach nothing but the
/// enrolment page until they have one. Others may enrol.
pub const SECOND_FACTOR_REQUIRED: &[Role] = SUPERVISORS;

/// Whether `role` must have a second factor.
pub fn second_factor_required(role: Role) -> bool {
    SECOND_FACTOR_REQUIRED.contains(&role)
}

/// Which posts a person's records are drawn from. Only [`Principal`] makes one, so a query that
/// takes a scope takes the scope of someone who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostScope(Option<BTreeSet<PostId>>);

impl PostScope {
    /// Whether records of `post` are in scope.
    pub fn admits(&self, post: PostId) -> bool {
        self.0.as_ref().is_none_or(|posts| posts.contains(&post))
    }

    /// Whether every one of `posts` is in scope.
    pub fn admits_all(&self, posts: &[PostId]) -> bool {
        posts.iter().all(|p| self.admits(*p))
    }

    /// Whether at least one of `posts` is in scope.
    pub fn admits_any(&self, posts: &[PostId]) -> bool {
        posts.iter().any(|p| self.admits(*p))
    }

    /// The posts to restrict a query to: `None` means every post.
    pub fn posts(&self) -> Option<Vec<PostId>> {
        self.0.as_ref().map(|posts| posts.iter().copied().collect())
    }

    /// Whether the scope is every post (so a total needs no "in your posts").
    pub fn is_everything(&self) -> bool {
        self.0.is_none()
    }
}

/// The person asking: their account, role and posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Their account (`None` for an operator at the command line).
    pub user: Option<UserId>,
    /// Their role.
    pub role: Role,
    scope: PostScope,
}

impl Principal {
    /// A signed-in user: `all_posts`, or only `posts`.
    pub fn user(user: UserId, role: Role, all_posts: bool, posts: &[PostId]) -> Self {
        Self {
            user: Some(user),
            role,
            scope: PostScope((!all_posts).then(|| posts.iter().copied().collect())),
        }
    }

    /// An operator at the command line: reads every post (the CLI only exports and verifies).
    pub fn operator() -> Self {
        Self {
            user: None,
            role: Role::Admin,
            scope: PostScope(None),
        }
    }

    /// Their posts.
    pub fn scope(&self) -> &PostScope {
        &self.scope
    }

    /// Whether their role may ever do `act`.
    pub fn may(&self, act: Act) -> bool {
        roles(act).contains(&self.role)
    }

    /// Whether `user` is this person.
    fn is(&self, user: Option<UserId>) -> bool {
        self.user.is_some() && self.user == user
    }

    fn need(&self, act: Act) -> Result<(), Denied> {
        if self.may(act) {
            Ok(())
        } else {
            Err(Denied::Role)
        }
    }

    fn see_post(&self, post: PostId) -> Result<(), Denied> {
        if self.scope.admits(post) {
            Ok(())
        } else {
            Err(Denied::NotFound)
        }
    }
}

/// Why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Outside the person's posts: answered like a record that does not exist.
    NotFound,
    /// The role does not allow it.
    Role,
    /// An agreement covers (or would cover) a post outside the person's scope.
    PostsOutsideScope,
    /// A void event changes no more.
    Voided,
    /// An officer changes only their own pending entries.
    NotTheirs,
    /// A verified event is corrected only by a supervisor.
    Verified,
    /// Four eyes: they recorded it.
    RecordedIt,
    /// Four eyes: they made its latest change.
    ChangedIt,
    /// Four eyes: they asked for the activation.
    ProposedIt,
    /// Four eyes: they made the agreement's latest edit.
    EditedIt,
    /// A record merged into another changes no more; its pointer leads to the kept one.
    Merged,
    /// A verified event's list of named people is locked with its figures.
    ListLocked,
    /// One's own second factor is not reset by oneself: another administrator does it, so a
    /// stolen session cannot swap the phone.
    OwnSecondFactor,
}

impl Denied {
    /// A stable message id, for pages that say why something is not offered.
    pub fn key(self) -> &'static str {
        match self {
            Self::NotFound => "denied-not-found",
            Self::Role => "denied-role",
            Self::PostsOutsideScope => "denied-posts-outside-scope",
            Self::Voided => "denied-voided",
            Self::NotTheirs => "denied-not-theirs",
            Self::Verified => "denied-verified",
            Self::RecordedIt => "denied-recorded-it",
            Self::ChangedIt => "denied-changed-it",
            Self::ProposedIt => "denied-proposed-it",
            Self::EditedIt => "denied-edited-it",
            Self::Merged => "denied-merged",
            Self::ListLocked => "denied-list-locked",
            Self::OwnSecondFactor => "denied-own-second-factor",
        }
    }
}

/// What the rules need to know of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    /// Its post.
    pub post: PostId,
    /// Its status.
    pub status: Status,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// Who made its latest change (its recorder until corrected).
    pub changed_by: UserId,
    /// Everyone who changed its fields since it was last verified (the latest included): none
    /// of them is the second pair of eyes on figures they set, even if someone else edited
    /// after them.
    pub changers: Vec<UserId>,
}

/// See an event (and its history, for reviewers).
pub fn see_event(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    who.see_post(event.post)
}

/// Record an event at `post`.
pub fn record_event(who: &Principal, post: PostId) -> Result<(), Denied> {
    who.see_post(post)?;
    who.need(Act::RecordEvent)
}

/// Correct an event: its recorder while it is pending, a supervisor any that is not void.
pub fn correct_event(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    see_event(who, event)?;
    who.need(Act::CorrectEvent)?;
    let supervises = who.may(Act::VerifyEvent);
    match event.status {
        Status::Voided => Err(Denied::Voided),
        Status::Verified if !supervises => Err(Denied::Verified),
        Status::Pending if !supervises && !who.is(Some(event.recorded_by)) => {
            Err(Denied::NotTheirs)
        }
        _ => Ok(()),
    }
}

/// Verify an event: a supervisor who neither recorded it nor made its latest change. (Whether it
/// is still pending is the event's state, not permission: the service answers that.)
pub fn verify_event(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    see_event(who, event)?;
    who.need(Act::VerifyEvent)?;
    if who.is(Some(event.recorded_by)) {
        Err(Denied::RecordedIt)
    } else if who.is(Some(event.changed_by)) || event.changers.iter().any(|u| who.is(Some(*u))) {
        Err(Denied::ChangedIt)
    } else {
        Ok(())
    }
}

/// Void an event.
pub fn void_event(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    see_event(who, event)?;
    who.need(Act::VoidEvent)?;
    if event.status == Status::Voided {
        Err(Denied::Voided)
    } else {
        Ok(())
    }
}

/// Name people on an event or take them off its list: whoever may correct it, while it is
/// pending (a verified event's list is locked with its figures: correcting the event first
/// returns it to pending).
pub fn edit_manifest(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    correct_event(who, event)?;
    if event.status == Status::Verified {
        Err(Denied::ListLocked)
    } else {
        Ok(())
    }
}

/// Reconcile a return with the list of whom the other side received: anyone who records at its
/// post (the officers who receive the lists).
pub fn reconcile(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    see_event(who, event)?;
    who.need(Act::RecordPerson)
}

/// Mark a difference a reconciliation found looked into, with a note: a supervisor at its post.
pub fn resolve_reconciliation(who: &Principal, event: &EventFacts) -> Result<(), Denied> {
    see_event(who, event)?;
    who.need(Act::ResolveDifference)
}

/// Close or reopen a day of `post`.
pub fn close_or_reopen_day(who: &Principal, post: PostId) -> Result<(), Denied> {
    who.see_post(post)?;
    who.need(Act::CloseDay)
}

/// See an agreement: it covers at least one of the person's posts.
pub fn see_agreement(who: &Principal, covered: &[PostId]) -> Result<(), Denied> {
    if who.scope.admits_any(covered) {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Create an agreement covering `covered`: every post in scope. (A code outside scope never
/// reaches here: it is answered like an unknown code.)
pub fn create_agreement(who: &Principal, covered: &[PostId]) -> Result<(), Denied> {
    who.need(Act::ManageAgreement)?;
    if who.scope.admits_all(covered) {
        Ok(())
    } else {
        Err(Denied::PostsOutsideScope)
    }
}

/// Edit, change the status of, or observe an agreement that covers `before` and, after the
/// change, `after`: every one of them in scope (a shared record is changed only by someone whose
/// scope covers all of it, invariant 9).
pub fn manage_agreement(
    who: &Principal,
    before: &[PostId],
    after: &[PostId],
) -> Result<(), Denied> {
    see_agreement(who, before)?;
    who.need(Act::ManageAgreement)?;
    if who.scope.admits_all(before) && who.scope.admits_all(after) {
        Ok(())
    } else {
        Err(Denied::PostsOutsideScope)
    }
}

/// What the confirmation rule needs to know of an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFacts<'a> {
    /// The posts it covers.
    pub covered: &'a [PostId],
    /// Who asked to put it in force.
    pub proposed_by: Option<UserId>,
    /// Who last edited its fields, posts or clauses.
    pub edited_by: Option<UserId>,
}

/// Confirm an agreement going into force: a supervisor over all its posts who neither asked for
/// it nor made its latest edit.
pub fn confirm_agreement(who: &Principal, agreement: &AgreementFacts<'_>) -> Result<(), Denied> {
    manage_agreement(who, agreement.covered, agreement.covered)?;
    who.need(Act::ConfirmAgreement)?;
    if who.is(agreement.proposed_by) {
        Err(Denied::ProposedIt)
    } else if who.is(agreement.edited_by) {
        Err(Denied::EditedIt)
    } else {
        Ok(())
    }
}

/// What the rules need to know of a person's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFacts {
    /// The post they belong to.
    pub post: PostId,
    /// Whether the record was merged into another.
    pub merged: bool,
}

/// See a person (their page, in the list, in a search): their post is in scope. Every view of
/// the page is audited by the handler that shows it.
pub fn see_person(who: &Principal, person: PersonFacts) -> Result<(), Denied> {
    who.see_post(person.post)
}

/// Register a person at `post`.
pub fn record_person(who: &Principal, post: PostId) -> Result<(), Denied> {
    who.see_post(post)?;
    who.need(Act::RecordPerson)
}

/// Change a person's fields or record a statement of their wish: anyone who records at their
/// post (a person's record is kept up to date by the officers who hold them, not only by its
/// first recorder); never a merged record.
pub fn edit_person(who: &Principal, person: PersonFacts) -> Result<(), Denied> {
    see_person(who, person)?;
    who.need(Act::RecordPerson)?;
    if person.merged {
        Err(Denied::Merged)
    } else {
        Ok(())
    }
}

/// Change a person's status to `to`: a wish is recorded by anyone who records at the post; a
/// status that ends the case (transferred, deceased, absconded) by a supervisor.
pub fn change_person_status(
    who: &Principal,
    person: PersonFacts,
    to: super::person::PersonStatus,
) -> Result<(), Denied> {
    edit_person(who, person)?;
    if to.closes_case() {
        who.need(Act::ClosePersonCase)?;
    }
    Ok(())
}

/// Record what was heard of a returned person: anyone who keeps people's records at their post.
/// A reprisal it reports also becomes an observation against the agreement's no-reprisals
/// clause: evidence, not a change to the agreement's terms, so it needs no agreement rights
/// (an officer who hears of a reprisal must be able to say so).
pub fn record_followup(who: &Principal, person: PersonFacts) -> Result<(), Denied> {
    edit_person(who, person)
}

/// Export the people register (supervisors, administrators and auditors; within scope).
pub fn export_people(who: &Principal) -> Result<(), Denied> {
    who.need(Act::ExportPeople)
}

/// Review probable duplicates, or propose merging `merged` into `kept`: a supervisor who sees
/// both.
pub fn propose_merge(
    who: &Principal,
    kept: PersonFacts,
    merged: PersonFacts,
) -> Result<(), Denied> {
    see_person(who, kept)?;
    see_person(who, merged)?;
    who.need(Act::MergePeople)?;
    if kept.merged || merged.merged {
        Err(Denied::Merged)
    } else {
        Ok(())
    }
}

/// Confirm a proposed merge: a second supervisor, not its proposer.
pub fn confirm_merge(
    who: &Principal,
    kept: PersonFacts,
    merged: PersonFacts,
    proposed_by: UserId,
) -> Result<(), Denied> {
    propose_merge(who, kept, merged)?;
    if who.is(Some(proposed_by)) {
        Err(Denied::ProposedIt)
    } else {
        Ok(())
    }
}

/// Reset `target`'s second factor: an administrator, for someone else.
pub fn reset_second_factor(who: &Principal, target: UserId) -> Result<(), Denied> {
    who.need(Act::ResetSecondFactor)?;
    if who.is(Some(target)) {
        Err(Denied::OwnSecondFactor)
    } else {
        Ok(())
    }
}

/// Review the audit trail (entries of posts in scope).
pub fn review_audit(who: &Principal) -> Result<(), Denied> {
    who.need(Act::ReviewAudit)
}

/// See which rows of every post's tables differ from the trail (`/audit/verify`): a reviewer
/// who sees every post. A reviewer of some posts is told how many, not which.
pub fn list_state_differences(who: &Principal) -> Result<(), Denied> {
    review_audit(who)?;
    if who.scope().is_everything() {
        Ok(())
    } else {
        Err(Denied::PostsOutsideScope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QAIM: PostId = PostId(1);
    const RABIA: PostId = PostId(2);

    fn person(id: i64, role: Role, posts: &[PostId]) -> Principal {
        Principal::user(UserId(id), role, false, posts)
    }

    fn event(status: Status, recorded_by: i64, changed_by: i64) -> EventFacts {
        EventFacts {
            post: QAIM,
            status,
            recorded_by: UserId(recorded_by),
            changed_by: UserId(changed_by),
            changers: vec![UserId(changed_by)],
        }
    }

    #[test]
    fn role_lists_are_the_access_table_of_the_design() {
        assert_eq!(roles(Act::Read), &Role::ALL);
        assert_eq!(
            roles(Act::RecordEvent),
            &[Role::Admin, Role::Supervisor, Role::Officer]
        );
        assert_eq!(roles(Act::VerifyEvent), &[Role::Admin, Role::Supervisor]);
        assert_eq!(
            roles(Act::ReviewAudit),
            &[Role::Admin, Role::Supervisor, Role::Auditor]
        );
        assert_eq!(roles(Act::ManageUsers), &[Role::Admin]);
        assert!(!person(1, Role::Auditor, &[QAIM]).may(Act::RecordEvent));
        assert_eq!(SECOND_FACTOR_REQUIRED, &[Role::Admin, Role::Supervisor]);
        assert!(!second_factor_required(Role::Officer) && !second_factor_required(Role::Auditor));
        let admin = Principal::user(UserId(1), Role::Admin, true, &[]);
        assert_eq!(reset_second_factor(&admin, UserId(2)), Ok(()));
        assert_eq!(
            reset_second_factor(&admin, UserId(1)),
            Err(Denied::OwnSecondFactor)
        );
        let supervisor = Principal::user(UserId(3), Role::Supervisor, true, &[]);
        assert_eq!(
            reset_second_factor(&supervisor, UserId(2)),
            Err(Denied::Role)
        );
    }

    #[test]
    fn a_post_outside_scope_is_not_found_before_anything_else() {
        let officer = person(1, Role::Officer, &[RABIA]);
        let e = event(Status::Pending, 1, 1);
        assert_eq!(see_event(&officer, &e), Err(Denied::NotFound));
        assert_eq!(correct_event(&officer, &e), Err(Denied::NotFound));
        let auditor = person(2, Role::Auditor, &[RABIA]);
        assert_eq!(verify_event(&auditor, &e), Err(Denied::NotFound));
        assert_eq!(record_event(&auditor, QAIM), Err(Denied::NotFound));
        assert_eq!(record_event(&auditor, RABIA), Err(Denied::Role));
    }

    #[test]
    fn officers_correct_only_their_own_pending_events() {
        let officer = person(1, Role::Officer, &[QAIM]);
        assert_eq!(
            correct_event(&officer, &event(Status::Pending, 1, 1)),
            Ok(())
        );
        assert_eq!(
            correct_event(&officer, &event(Status::Pending, 2, 2)),
            Err(Denied::NotTheirs)
        );
        assert_eq!(
            correct_event(&officer, &event(Status::Verified, 1, 1)),
            Err(Denied::Verified)
        );
        let supervisor = person(3, Role::Supervisor, &[QAIM]);
        assert_eq!(
            correct_event(&supervisor, &event(Status::Verified, 1, 1)),
            Ok(())
        );
        assert_eq!(
            correct_event(&supervisor, &event(Status::Voided, 1, 1)),
            Err(Denied::Voided)
        );
    }

    #[test]
    fn the_verifier_neither_recorded_nor_last_changed_the_event() {
        let supervisor = person(3, Role::Supervisor, &[QAIM]);
        assert_eq!(
            verify_event(&supervisor, &event(Status::Pending, 3, 3)),
            Err(Denied::RecordedIt)
        );
        assert_eq!(
            verify_event(&supervisor, &event(Status::Pending, 1, 3)),
            Err(Denied::ChangedIt)
        );
        assert_eq!(
            verify_event(&supervisor, &event(Status::Pending, 1, 2)),
            Ok(())
        );
        let officer = person(4, Role::Officer, &[QAIM]);
        assert_eq!(
            verify_event(&officer, &event(Status::Pending, 1, 1)),
            Err(Denied::Role)
        );
        // The command line verifies nothing, but an operator has no account to compare.
        assert_eq!(
            verify_event(&Principal::operator(), &event(Status::Pending, 1, 1)),
            Ok(())
        );
    }

    #[test]
    fn an_agreement_is_changed_only_by_someone_over_all_its_posts() {
        let qaim_supervisor = person(3, Role::Supervisor, &[QAIM]);
        assert_eq!(create_agreement(&qaim_supervisor, &[QAIM]), Ok(()));
        assert_eq!(
            create_agreement(&qaim_supervisor, &[QAIM, RABIA]),
            Err(Denied::PostsOutsideScope)
        );
        assert_eq!(
            manage_agreement(&qaim_supervisor, &[RABIA], &[RABIA]),
            Err(Denied::NotFound)
        );
        assert_eq!(
            manage_agreement(&qaim_supervisor, &[QAIM, RABIA], &[QAIM]),
            Err(Denied::PostsOutsideScope),
            "dropping a post one cannot see is a change to it"
        );
        assert_eq!(
            manage_agreement(&qaim_supervisor, &[QAIM], &[QAIM, RABIA]),
            Err(Denied::PostsOutsideScope)
        );
        assert_eq!(manage_agreement(&qaim_supervisor, &[QAIM], &[QAIM]), Ok(()));
        let officer = person(1, Role::Officer, &[QAIM]);
        assert_eq!(see_agreement(&officer, &[QAIM, RABIA]), Ok(()));
        assert_eq!(
            manage_agreement(&officer, &[QAIM], &[QAIM]),
            Err(Denied::Role)
        );
    }

    #[test]
    fn people_are_seen_in_scope_kept_by_writers_and_closed_by_supervisors() {
        use crate::domain::person::PersonStatus;
        let qaim = PersonFacts {
            post: QAIM,
            merged: false,
        };
        let officer = person(1, Role::Officer, &[QAIM]);
        let outsider = person(2, Role::Supervisor, &[RABIA]);
        let auditor = person(3, Role::Auditor, &[QAIM]);
        let supervisor = person(4, Role::Supervisor, &[QAIM]);
        assert_eq!(see_person(&outsider, qaim), Err(Denied::NotFound));
        assert_eq!(edit_person(&outsider, qaim), Err(Denied::NotFound));
        assert_eq!(edit_person(&auditor, qaim), Err(Denied::Role));
        assert_eq!(edit_person(&officer, qaim), Ok(()));
        assert_eq!(
            change_person_status(&officer, qaim, PersonStatus::DeclinesReturn),
            Ok(())
        );
        assert_eq!(
            change_person_status(&officer, qaim, PersonStatus::Deceased),
            Err(Denied::Role)
        );
        assert_eq!(
            change_person_status(&supervisor, qaim, PersonStatus::Deceased),
            Ok(())
        );
        let merged = PersonFacts {
            post: QAIM,
            merged: true,
        };
        assert_eq!(edit_person(&supervisor, merged), Err(Denied::Merged));
        assert_eq!(export_people(&officer), Err(Denied::Role));
        assert_eq!(export_people(&auditor), Ok(()));
        assert_eq!(propose_merge(&officer, qaim, qaim), Err(Denied::Role));
        assert_eq!(propose_merge(&supervisor, qaim, qaim), Ok(()));
        assert_eq!(
            confirm_merge(&supervisor, qaim, qaim, UserId(4)),
            Err(Denied::ProposedIt)
        );
        assert_eq!(confirm_merge(&supervisor, qaim, qaim, UserId(5)), Ok(()));
    }

    #[test]
    fn confirmation_takes_someone_other_than_the_proposer_and_the_latest_editor() {
        let facts = AgreementFacts {
            covered: &[QAIM],
            proposed_by: Some(UserId(3)),
            edited_by: Some(UserId(4)),
        };
        let s = |id| person(id, Role::Supervisor, &[QAIM]);
        assert_eq!(confirm_agreement(&s(3), &facts), Err(Denied::ProposedIt));
        assert_eq!(confirm_agreement(&s(4), &facts), Err(Denied::EditedIt));
        assert_eq!(confirm_agreement(&s(5), &facts), Ok(()));
        let rabia_only = person(6, Role::Supervisor, &[RABIA]);
        assert_eq!(
            confirm_agreement(&rabia_only, &facts),
            Err(Denied::NotFound)
        );
    }
}
