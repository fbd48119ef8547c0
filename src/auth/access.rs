//! Access rules: what each route needs (declared once, in `routes::table`), enforced twice —
//! by a check wrapped around every route from that table, and by the extractor types handlers
//! name in their signatures (`CurrentUser`, `RequireRole<Admins>`), which also hand the handler
//! the identity it may use.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::Identity;
use crate::domain::policy;
use crate::domain::role::Role;
use crate::error::AppError;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, health check, static files).
    Public,
    /// Any signed-in user, whatever the role.
    SignedIn,
    /// Any signed-in user, also one who must enrol a second factor first: only the enrolment
    /// page and signing out.
    Enrolling,
    /// A signed-in user with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether `identity` (or an anonymous visitor, `None`) passes; the error says how not.
    pub fn check(self, identity: Option<&Identity>, path_and_query: &str) -> Result<(), AppError> {
        match (self, identity) {
            (Self::Public, _) => Ok(()),
            (_, None) => Err(AppError::SignInRequired {
                next: path_and_query.to_owned(),
            }),
            (Self::Enrolling, Some(_)) => Ok(()),
            // A role that must have a second factor reaches nothing else until it has one.
            (Self::SignedIn | Self::Roles(_), Some(who)) if who.must_enrol => {
                Err(AppError::SecondFactorRequired)
            }
            (Self::SignedIn, Some(_)) => Ok(()),
            (Self::Roles(roles), Some(who)) if roles.contains(&who.role) => Ok(()),
            (Self::Roles(_), Some(_)) => Err(AppError::Forbidden),
        }
    }

    /// The check for one request (used by the wrapper every table route gets).
    pub fn check_request(self, req: &ServiceRequest) -> Result<(), AppError> {
        let target = match req.query_string() {
            "" => req.path().to_owned(),
            query => format!("{}?{query}", req.path()),
        };
        // A non-GET request cannot be replayed after sign-in; send the person to the start.
        let next = if req.method() == actix_web::http::Method::GET {
            target
        } else {
            "/".into()
        };
        self.check(req.extensions().get::<Identity>(), &next)
    }
}

/// The signed-in user; anonymous requests are sent to the sign-in page, and one who must
/// enrol a second factor to the enrolment page.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Identity);

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<Identity>() {
            Some(identity) if identity.must_enrol => Err(AppError::SecondFactorRequired),
            Some(identity) => Ok(Self(identity.clone())),
            None => Err(AppError::SignInRequired {
                next: req.path().to_owned(),
            }),
        })
    }
}

/// The signed-in user, also one who has yet to enrol the second factor their role needs: for
/// the enrolment page and signing out only.
#[derive(Debug, Clone)]
pub struct EnrollingUser(pub Identity);

impl FromRequest for EnrollingUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<Identity>() {
            Some(identity) => Ok(Self(identity.clone())),
            None => Err(AppError::SignInRequired {
                next: req.path().to_owned(),
            }),
        })
    }
}

/// A set of roles allowed to do something.
pub trait Policy {
    /// The roles.
    const ROLES: &'static [Role];
}

/// Administrators only.
pub struct Admins;
impl Policy for Admins {
    const ROLES: &'static [Role] = policy::ADMINS;
}

/// Those who review the audit trail: supervisors, auditors, administrators.
pub struct Reviewers;
impl Policy for Reviewers {
    const ROLES: &'static [Role] = policy::REVIEWERS;
}

/// Those who record events: officers, supervisors, administrators.
pub struct Writers;
impl Policy for Writers {
    const ROLES: &'static [Role] = policy::WRITERS;
}

/// Those who verify, correct and void events and close days: supervisors, administrators.
pub struct Supervisors;
impl Policy for Supervisors {
    const ROLES: &'static [Role] = policy::SUPERVISORS;
}

/// A signed-in user whose role is in `P`; others get 403.
#[derive(Debug, Clone)]
pub struct RequireRole<P: Policy>(pub Identity, pub PhantomData<P>);

impl<P: Policy> FromRequest for RequireRole<P> {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let identity = req.extensions().get::<Identity>().cloned();
        ready(match identity {
            Some(identity) if identity.must_enrol => Err(AppError::SecondFactorRequired),
            Some(identity) if P::ROLES.contains(&identity.role) => Ok(Self(identity, PhantomData)),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::SignInRequired {
                next: req.path().to_owned(),
            }),
        })
    }
}
