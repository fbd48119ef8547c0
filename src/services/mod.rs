//! The use cases: record and change events, close days, manage agreements, border posts and
//! accounts. Each takes the
//! [`Principal`](crate::domain::policy::Principal) asking, asks
//! [`policy`](crate::domain::policy) whether they may, opens one audited transaction and returns
//! its own error. Nothing here builds an HTTP answer; handlers turn these errors into one.

pub mod accounts;
pub mod agreements;
pub mod border_posts;
pub mod days;
pub mod events;
pub mod followups;
pub mod imports;
pub mod manifests;
pub mod merges;
pub mod people;
pub mod queue;
pub mod reconciliations;
pub mod two_factor;

pub use crate::db::scope::ScopedPost;

use crate::audit::AuditError;
use crate::domain::policy::Denied;
use crate::domain::{FieldError, FieldErrors};

/// Why a use case did not happen, the part every service shares.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// No such record, or one outside the person's posts (answered alike).
    #[error("not found")]
    NotFound,
    /// The person may see the record but not do this to it.
    #[error("not allowed ({})", .0.key())]
    Forbidden(Denied),
    /// The request cannot be done as asked; the messages go beside the form's fields.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// The database failed (after the bounded retries of a serialization failure).
    #[error(transparent)]
    Storage(AuditError),
}

impl Refused {
    /// One message beside one field.
    pub fn field(error: FieldError) -> Self {
        let mut errors = FieldErrors::new();
        errors.push(error);
        Self::Invalid(errors)
    }
}

impl From<Denied> for Refused {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => Self::NotFound,
            other => Self::Forbidden(other),
        }
    }
}

impl From<diesel::result::Error> for Refused {
    fn from(e: diesel::result::Error) -> Self {
        Self::Storage(AuditError::Database(e))
    }
}

impl From<AuditError> for Refused {
    fn from(e: AuditError) -> Self {
        Self::Storage(e)
    }
}

/// `From` conversions into a service's error enum through its `Refused(Refused)` variant, so `?`
/// works on a policy denial, a database error and an audit error alike.
macro_rules! refused_conversions {
    ($error:ident) => {
        impl From<$crate::services::Refused> for $error {
            fn from(e: $crate::services::Refused) -> Self {
                Self::Refused(e)
            }
        }
        impl From<$crate::domain::policy::Denied> for $error {
            fn from(e: $crate::domain::policy::Denied) -> Self {
                Self::Refused(e.into())
            }
        }
        impl From<diesel::result::Error> for $error {
            fn from(e: diesel::result::Error) -> Self {
                Self::Refused(e.into())
            }
        }
        impl From<$crate::audit::AuditError> for $error {
            fn from(e: $crate::audit::AuditError) -> Self {
                Self::Refused(e.into())
            }
        }
    };
}
pub(crate) use refused_conversions;

impl crate::db::TxError for Refused {
    fn retryable(&self) -> bool {
        matches!(self, Self::Storage(e) if e.retryable())
    }
}
