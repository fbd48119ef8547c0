//! Typed database ids, so a user id can never be passed where a post id is
//! expected.

use std::fmt;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// Primary key of a border post.
    PostId
);
id_type!(
    /// Primary key of a user account.
    UserId
);
id_type!(
    /// Primary key of a login session.
    SessionId
);
id_type!(
    /// Primary key of a crossing event.
    EventId
);
id_type!(
    /// Primary key of a coordination agreement.
    AgreementId
);
id_type!(
    /// Primary key of a person.
    PersonId
);
id_type!(
    /// Primary key of a proposed merge of two people's records.
    MergeId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_convert_and_display_as_numbers() {
        assert_eq!(PostId::from(42), PostId(42));
        assert_eq!(UserId::from(-1).to_string(), "-1");
        assert_eq!(SessionId(9_000_000_000).to_string(), "9000000000");
        assert!(PostId(1) < PostId(2));
    }
}
