//! Every route the application serves, with what it needs. `startup::configure` registers
//! routes only from this table, so a route missing from it cannot be served; each entry is
//! wrapped in its access check, and the handlers' extractor types check again. The
//! authorization-matrix test walks this table.

use actix_web::http::Method;
use actix_web::{Route, web};

use super::{
    account, admin_users, agreements, audit, dashboard, events, health, language, login, people,
    posts, queue, reports, situation, static_files, totals, two_factor,
};
use crate::auth::Access;
use crate::domain::policy::{self, Act};

/// One route.
pub struct RouteEntry {
    /// HTTP method.
    pub method: Method,
    /// actix path pattern.
    pub path: &'static str,
    /// What a request needs to reach the handler.
    pub access: Access,
    /// Builds the actix route to the handler (the method guard is added from `method`).
    pub handler: fn() -> Route,
}

// The role lists are the policy's (`domain::policy::roles`), never written here.
const ADMIN: Access = Access::Roles(policy::roles(Act::ManagePosts));
const WRITERS: Access = Access::Roles(policy::roles(Act::RecordEvent));
const SUPERVISORS: Access = Access::Roles(policy::roles(Act::VerifyEvent));
const REVIEWERS: Access = Access::Roles(policy::roles(Act::ReviewAudit));
const PEOPLE_EXPORT: Access = Access::Roles(policy::roles(Act::ExportPeople));
const RESET_SECOND_FACTOR: Access = Access::Roles(policy::roles(Act::ResetSecondFactor));

fn entry(method: Method, path: &'static str, access: Access, handler: fn() -> Route) -> RouteEntry {
    RouteEntry {
        method,
        path,
        access,
        handler,
    }
}

/// The table. Order matters where patterns overlap: `/posts/new` before `/posts/{code}`.
#[rustfmt::skip] // one route per line reads as the table it is
pub fn routes() -> Vec<RouteEntry> {
    use Access::{Enrolling, Public, SignedIn};
    use Method as M;
    vec![
        entry(M::GET,  "/healthz",                    Public,   || web::route().to(health::healthz)),
        entry(M::GET,  "/static/{path:.*}",           Public,   || web::route().to(static_files::serve)),
        entry(M::GET,  "/login",                      Public,   || web::route().to(login::show)),
        entry(M::POST, "/login",                      Public,   || web::route().to(login::submit)),
        entry(M::POST, "/login/code",                 Public,   || web::route().to(login::submit_code)),
        entry(M::POST, "/login/cancel",               Public,   || web::route().to(login::cancel)),
        entry(M::POST, "/logout",                     Enrolling, || web::route().to(login::logout)),
        entry(M::POST, "/language",                   Public,   || web::route().to(language::switch)),
        entry(M::GET,  "/",                           SignedIn, || web::route().to(dashboard::show)),
        entry(M::GET,  "/posts",                      SignedIn, || web::route().to(posts::list::handle)),
        entry(M::GET,  "/posts/new",                  ADMIN,    || web::route().to(posts::new::form)),
        entry(M::POST, "/posts",                      ADMIN,    || web::route().to(posts::new::create)),
        entry(M::GET,  "/posts/{code}",               SignedIn, || web::route().to(posts::show::handle)),
        entry(M::GET,  "/posts/{code}/edit",          ADMIN,    || web::route().to(posts::edit::form)),
        entry(M::POST, "/posts/{code}",               ADMIN,    || web::route().to(posts::edit::update)),
        entry(M::GET,  "/posts/{code}/history",       REVIEWERS, || web::route().to(audit::history::post)),
        entry(M::GET,  "/posts/{code}/events/new",    WRITERS,  || web::route().to(events::new::form)),
        entry(M::POST, "/posts/{code}/events",        WRITERS,  || web::route().to(events::new::create)),
        entry(M::GET,  "/posts/{code}/people/new",    WRITERS,  || web::route().to(people::new::form)),
        entry(M::POST, "/posts/{code}/people",        WRITERS,  || web::route().to(people::new::create)),
        entry(M::GET,  "/posts/{code}/people/import", WRITERS,  || web::route().to(people::import::form)),
        entry(M::POST, "/posts/{code}/people/import", WRITERS,  || web::route().to(people::import::upload)),
        entry(M::POST, "/posts/{code}/days/{date}/close",  SUPERVISORS, || web::route().to(posts::days::close)),
        entry(M::POST, "/posts/{code}/days/{date}/reopen", SUPERVISORS, || web::route().to(posts::days::reopen)),
        entry(M::POST, "/posts/{code}/days/close-up-to", SUPERVISORS, || web::route().to(posts::days::close_up_to)),
        entry(M::GET,  "/queue",                      SUPERVISORS, || web::route().to(queue::show)),
        entry(M::POST, "/queue/verify",               SUPERVISORS, || web::route().to(queue::verify)),
        entry(M::GET,  "/events.csv",                 SignedIn, || web::route().to(events::csv::handle)),
        entry(M::GET,  "/agreements.csv",             SignedIn, || web::route().to(agreements::csv::handle)),
        entry(M::GET,  "/reports/headcount",          SignedIn, || web::route().to(reports::page)),
        entry(M::GET,  "/reports/headcount.csv",      SignedIn, || web::route().to(reports::csv)),
        entry(M::GET,  "/reports/situation",          SignedIn, || web::route().to(situation::page)),
        entry(M::GET,  "/reports/situation.txt",      SignedIn, || web::route().to(situation::text)),
        entry(M::GET,  "/reports/totals",             SignedIn, || web::route().to(totals::page)),
        entry(M::GET,  "/reports/totals.csv",         SignedIn, || web::route().to(totals::csv)),
        entry(M::GET,  "/events",                     SignedIn, || web::route().to(events::list::handle)),
        entry(M::GET,  "/events/{id}",                SignedIn, || web::route().to(events::show::handle)),
        entry(M::GET,  "/events/{id}/edit",           WRITERS,  || web::route().to(events::edit::form)),
        entry(M::POST, "/events/{id}",                WRITERS,  || web::route().to(events::edit::update)),
        entry(M::POST, "/events/{id}/verify",         SUPERVISORS, || web::route().to(events::actions::verify)),
        entry(M::POST, "/events/{id}/void",           SUPERVISORS, || web::route().to(events::actions::void)),
        entry(M::GET,  "/events/{id}/manifest",       SignedIn, || web::route().to(events::manifest::show)),
        entry(M::POST, "/events/{id}/manifest",       WRITERS,  || web::route().to(events::manifest::add)),
        entry(M::POST, "/events/{id}/manifest/remove", WRITERS, || web::route().to(events::manifest::remove)),
        entry(M::GET,  "/events/{id}/manifest.csv",   PEOPLE_EXPORT, || web::route().to(events::handover::csv)),
        entry(M::GET,  "/events/{id}/handover",       SignedIn, || web::route().to(events::handover::show)),
        entry(M::GET,  "/events/{id}/reconcile",      SignedIn, || web::route().to(events::reconcile::show)),
        entry(M::POST, "/events/{id}/reconcile",      WRITERS,  || web::route().to(events::reconcile::run)),
        entry(M::POST, "/events/{id}/reconcile/resolve", SUPERVISORS, || web::route().to(events::reconcile::resolve)),
        entry(M::GET,  "/events/{id}/reconcile.csv",  PEOPLE_EXPORT, || web::route().to(events::reconcile::csv)),
        entry(M::GET,  "/events/{id}/history",        REVIEWERS, || web::route().to(audit::history::event)),
        entry(M::GET,  "/agreements",                 SignedIn, || web::route().to(agreements::list::handle)),
        entry(M::GET,  "/agreements/new",             SUPERVISORS, || web::route().to(agreements::edit::new_form)),
        entry(M::POST, "/agreements",                 SUPERVISORS, || web::route().to(agreements::edit::create)),
        entry(M::GET,  "/agreements/{id}",            SignedIn, || web::route().to(agreements::show::handle)),
        entry(M::GET,  "/agreements/{id}/edit",       SUPERVISORS, || web::route().to(agreements::edit::edit_form)),
        entry(M::POST, "/agreements/{id}",            SUPERVISORS, || web::route().to(agreements::edit::update)),
        entry(M::POST, "/agreements/{id}/status",     SUPERVISORS, || web::route().to(agreements::actions::status)),
        entry(M::POST, "/agreements/{id}/confirm",    SUPERVISORS, || web::route().to(agreements::actions::confirm)),
        entry(M::POST, "/agreements/{id}/observations", SUPERVISORS, || web::route().to(agreements::actions::observe)),
        entry(M::GET,  "/agreements/{id}/history",    REVIEWERS, || web::route().to(audit::history::agreement)),
        entry(M::GET,  "/people",                     SignedIn, || web::route().to(people::list::handle)),
        entry(M::GET,  "/people.csv",                 PEOPLE_EXPORT, || web::route().to(people::csv::handle)),
        entry(M::GET,  "/people/duplicates",          SUPERVISORS, || web::route().to(people::merge::duplicates)),
        entry(M::POST, "/people/distinct",            SUPERVISORS, || web::route().to(people::merge::distinct)),
        entry(M::GET,  "/people/merge",               SUPERVISORS, || web::route().to(people::merge::compare)),
        entry(M::POST, "/people/merges",              SUPERVISORS, || web::route().to(people::merge::propose)),
        entry(M::GET,  "/people/merges/{id}",         SUPERVISORS, || web::route().to(people::merge::show)),
        entry(M::POST, "/people/merges/{id}/confirm", SUPERVISORS, || web::route().to(people::merge::confirm)),
        entry(M::POST, "/people/merges/{id}/withdraw", SUPERVISORS, || web::route().to(people::merge::withdraw)),
        entry(M::GET,  "/people/imports/{id}",        WRITERS,  || web::route().to(people::import::preview)),
        entry(M::POST, "/people/imports/{id}",        WRITERS,  || web::route().to(people::import::submit)),
        entry(M::GET,  "/people/{id}",                SignedIn, || web::route().to(people::show::handle)),
        entry(M::GET,  "/people/{id}/edit",           WRITERS,  || web::route().to(people::edit::form)),
        entry(M::POST, "/people/{id}",                WRITERS,  || web::route().to(people::edit::update)),
        entry(M::POST, "/people/{id}/status",         WRITERS,  || web::route().to(people::show::status)),
        entry(M::POST, "/people/{id}/followups",      WRITERS,  || web::route().to(people::show::followup)),
        entry(M::GET,  "/people/{id}/history",        REVIEWERS, || web::route().to(audit::history::person)),
        entry(M::GET,  "/admin/users",                ADMIN,    || web::route().to(admin_users::list::handle)),
        entry(M::GET,  "/admin/users/new",            ADMIN,    || web::route().to(admin_users::new::form)),
        entry(M::POST, "/admin/users",                ADMIN,    || web::route().to(admin_users::new::create)),
        entry(M::GET,  "/admin/users/{id}",           ADMIN,    || web::route().to(admin_users::edit::form)),
        entry(M::POST, "/admin/users/{id}",           ADMIN,    || web::route().to(admin_users::edit::update)),
        entry(M::POST, "/admin/users/{id}/password",  ADMIN,    || web::route().to(admin_users::edit::reset_password)),
        entry(M::POST, "/admin/users/{id}/two-factor", RESET_SECOND_FACTOR, || web::route().to(admin_users::edit::reset_two_factor)),
        entry(M::GET,  "/admin/users/{id}/history",   ADMIN,    || web::route().to(audit::history::user)),
        entry(M::GET,  "/audit",                      REVIEWERS, || web::route().to(audit::list::handle)),
        entry(M::GET,  "/audit/verify",               REVIEWERS, || web::route().to(audit::verify::handle)),
        entry(M::GET,  "/audit.csv",                  REVIEWERS, || web::route().to(audit::csv::handle)),
        entry(M::GET,  "/audit/checkpoints.csv",      REVIEWERS, || web::route().to(audit::csv::checkpoints)),
        entry(M::GET,  "/audit/checkpoints/latest",   REVIEWERS, || web::route().to(audit::receipt::latest)),
        entry(M::GET,  "/account",                    SignedIn, || web::route().to(account::show)),
        entry(M::POST, "/account/password",           SignedIn, || web::route().to(account::change_password)),
        entry(M::POST, "/account/preferences",        SignedIn, || web::route().to(account::save_preferences)),
        entry(M::GET,  "/account/two-factor",         Enrolling, || web::route().to(two_factor::show)),
        entry(M::POST, "/account/two-factor",         Enrolling, || web::route().to(two_factor::enable)),
    ]
}
