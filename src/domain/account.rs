//! The account form shared by `repatrack user add`, `repatrack demo` and the admin pages.

use super::password::Password;
use super::role::Role;
use super::username::{DisplayName, Username};
use super::{FieldError, FieldErrors, collect};
use crate::domain::post::PostCode;

/// An account form as typed.
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    /// Sign-in name.
    pub username: String,
    /// Shown name; empty means "use the user name".
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Sees every post.
    pub all_posts: bool,
    /// Assigned post codes.
    pub post_codes: Vec<String>,
}

/// A valid account's profile (no password).
#[derive(Debug, Clone)]
pub struct AccountFields {
    /// Sign-in name.
    pub username: Username,
    /// Shown name.
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// Sees every post.
    pub all_posts: bool,
    /// Assigned post codes, normalised, without repeats (empty with `all_posts`).
    pub post_codes: Vec<PostCode>,
}

impl AccountForm {
    /// Parses every field, collecting all problems. A password, when given, is checked against
    /// the user name too.
    pub fn parse(
        &self,
        password: Option<&str>,
    ) -> Result<(AccountFields, Option<Password>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let username = collect(&mut errors, Username::parse(&self.username));
        let shown = if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        };
        let display_name = collect(&mut errors, DisplayName::parse(shown));
        let role = collect(&mut errors, Role::parse(self.role.trim()));
        let mut post_codes: Vec<PostCode> = Vec::new();
        if !self.all_posts {
            for raw in self.post_codes.iter().filter(|c| !c.trim().is_empty()) {
                match PostCode::parse(raw) {
                    Ok(code) if !post_codes.contains(&code) => post_codes.push(code),
                    Ok(_) => {}
                    Err(_) => errors.push(
                        FieldError::new(
                            "posts",
                            "post-unknown",
                            format!("There is no border post with code {}.", raw.trim()),
                        )
                        .with_arg("codes", raw.trim()),
                    ),
                }
            }
        }
        let password = match password {
            Some(raw) => collect(&mut errors, Password::parse(raw, &self.username)),
            None => None,
        };
        match (username, display_name, role) {
            (Some(username), Some(display_name), Some(role)) if errors.is_empty() => Ok((
                AccountFields {
                    username,
                    display_name,
                    role,
                    all_posts: self.all_posts,
                    post_codes,
                },
                password,
            )),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_officer_with_two_posts() {
        let form = AccountForm {
            username: " Sara.Ali ".into(),
            display_name: "سارة علي".into(),
            role: "officer".into(),
            all_posts: false,
            post_codes: vec!["qaim".into(), "RABIA".into(), "QAIM".into()],
        };
        let (fields, password) = form.parse(Some("river stones under the bridge")).unwrap();
        assert_eq!(fields.username.as_str(), "sara.ali");
        assert_eq!(fields.display_name.as_str(), "سارة علي");
        assert_eq!(fields.role, Role::Officer);
        let codes: Vec<&str> = fields.post_codes.iter().map(PostCode::as_str).collect();
        assert_eq!(codes, ["QAIM", "RABIA"]);
        assert!(password.is_some());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = AccountForm {
            username: "x".into(),
            role: "boss".into(),
            ..AccountForm::default()
        };
        let errors = form.parse(Some("short")).unwrap_err();
        let keys: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            keys,
            [
                ("username", "username-invalid"),
                ("role", "role-invalid"),
                ("password", "password-too-short")
            ]
        );
    }
}
