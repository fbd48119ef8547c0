//! Login names and the names shown to people.

use std::fmt;

use super::FieldError;

const USERNAME_FIELD: &str = "username";
const USERNAME_MIN: usize = 3;
const USERNAME_MAX: usize = 40;

/// A login name: 3–40 characters of `[a-z0-9._-]`, starting with a letter or
/// digit. Stored lowercased so logins are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    /// Trims and lowercases `raw`, then checks the allowed characters.
    pub fn parse(raw: &str) -> Result<Username, FieldError> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldError::required(USERNAME_FIELD));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        let starts_well = value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let len = value.chars().count();
        if !(USERNAME_MIN..=USERNAME_MAX).contains(&len)
            || !starts_well
            || !value.chars().all(allowed)
        {
            return Err(FieldError::new(
                USERNAME_FIELD,
                "username-invalid",
                "Use 3 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit, like sara.ali.",
            ));
        }
        Ok(Username(value))
    }

    /// The normalized login name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const DISPLAY_NAME_FIELD: &str = "display_name";
const DISPLAY_NAME_MAX: usize = 100;

/// A person's name as shown in the interface, in any script.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

impl DisplayName {
    /// Trims `raw`; requires 1–100 characters and no control characters.
    /// Length counts characters, not bytes, so Arabic names get the same
    /// allowance as Latin ones.
    pub fn parse(raw: &str) -> Result<DisplayName, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::required(DISPLAY_NAME_FIELD));
        }
        if value.chars().count() > DISPLAY_NAME_MAX {
            return Err(
                FieldError::new(DISPLAY_NAME_FIELD, "too-long", "At most 100 characters.")
                    .with_arg("max", "100"),
            );
        }
        // Only Cc is rejected: bidi marks (Cf) are legitimately typed in
        // mixed Arabic/Latin names and must survive.
        if value.chars().any(char::is_control) {
            return Err(FieldError::new(
                DISPLAY_NAME_FIELD,
                "display-name-invalid",
                "Use a name on one line, without tabs or line breaks.",
            ));
        }
        Ok(DisplayName(value.to_owned()))
    }

    /// The trimmed name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_is_trimmed_and_lowercased() {
        assert_eq!(
            Username::parse("  Sara.Ali_2 ").unwrap().as_str(),
            "sara.ali_2"
        );
        assert_eq!(Username::parse("abc").unwrap().as_str(), "abc");
        assert_eq!(Username::parse("9-x").unwrap().as_str(), "9-x");
        let forty = "a".repeat(40);
        assert_eq!(Username::parse(&forty).unwrap().as_str(), forty);
    }

    #[test]
    fn username_rejections_have_exact_keys() {
        assert_eq!(Username::parse("   ").unwrap_err().key, "required");
        for raw in [
            "ab",
            &"a".repeat(41),
            ".abc",
            "_abc",
            "-abc",
            "sara ali",
            "sara@x",
            "سارة",
            "é-abc",
        ] {
            let err = Username::parse(raw).unwrap_err();
            assert_eq!(
                (err.field, err.key),
                ("username", "username-invalid"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn display_name_accepts_arabic_by_chars() {
        let name = DisplayName::parse("  سارة علي  ").unwrap();
        assert_eq!(name.as_str(), "سارة علي");
        // 100 Arabic letters are 200 bytes but must still fit.
        let hundred = "س".repeat(100);
        assert_eq!(DisplayName::parse(&hundred).unwrap().as_str(), hundred);
        assert_eq!(
            DisplayName::parse("Sara \u{200F}علي").unwrap().as_str(),
            "Sara \u{200F}علي"
        );
    }

    #[test]
    fn display_name_rejections_have_exact_keys() {
        let cases = [
            ("", "required"),
            (" \t ", "required"),
            (&"x".repeat(101), "too-long"),
            ("Sara\nAli", "display-name-invalid"),
            ("Sara\u{7}", "display-name-invalid"),
        ];
        for (raw, key) in cases {
            let err = DisplayName::parse(raw).unwrap_err();
            assert_eq!((err.field, err.key), ("display_name", key), "{raw:?}");
        }
    }
}
