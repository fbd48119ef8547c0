//! What a user account is allowed to do.

use std::fmt;

use super::FieldError;

/// A user's role; stored and submitted as its lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages accounts and border posts.
    Admin,
    /// Oversees case officers' records.
    Supervisor,
    /// Records crossings at a post.
    Officer,
    /// Reads everything, changes nothing.
    Auditor,
}

impl Role {
    /// Every role, in the order a select box should list them.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Supervisor, Role::Officer, Role::Auditor];

    /// Accepts only the exact stored names, because the value comes from a
    /// select box or the database and anything else means tampering or a bug.
    pub fn parse(raw: &str) -> Result<Role, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "role",
                    "role-invalid",
                    "Choose one of the listed roles: administrator, supervisor, case officer or auditor.",
                )
            })
    }

    /// The stored name, e.g. `"admin"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Officer => "officer",
            Role::Auditor => "auditor",
        }
    }

    /// The English name shown to people, e.g. `"Case officer"`.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Supervisor => "Supervisor",
            Role::Officer => "Case officer",
            Role::Auditor => "Auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(Role::parse("officer"), Ok(Role::Officer));
        assert_eq!(Role::Officer.label(), "Case officer");
        assert_eq!(Role::Admin.label(), "Administrator");
    }

    #[test]
    fn parse_rejects_anything_but_exact_names() {
        for raw in ["Admin", " admin", "administrator", "", "root"] {
            let err = Role::parse(raw).unwrap_err();
            assert_eq!((err.field, err.key), ("role", "role-invalid"), "{raw:?}");
        }
    }
}
