//! Passwords checked the NIST SP 800-63B way: long enough, not obviously
//! guessable, and otherwise left exactly as typed.

use std::fmt;

use super::FieldError;

const FIELD: &str = "password";
const MIN_CHARS: usize = 15;
const MAX_CHARS: usize = 128;
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// A password that met the rules. Its `Debug` hides the secret so it cannot
/// leak into logs.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks `raw` for the account `username`. The password is never trimmed
    /// or altered, and there are no composition rules, because NIST found
    /// they push people towards predictable patterns.
    pub fn parse(raw: &str, username: &str) -> Result<Password, FieldError> {
        let len = raw.chars().count();
        if len < MIN_CHARS {
            return Err(FieldError::new(
                FIELD,
                "password-too-short",
                "Use at least 15 characters. A few ordinary words in a row make a good password.",
            ));
        }
        if len > MAX_CHARS {
            return Err(FieldError::new(
                FIELD,
                "password-too-long",
                "Use at most 128 characters.",
            ));
        }
        if is_guessable(raw, username) {
            return Err(FieldError::new(
                FIELD,
                "password-common",
                "This password is too common or too easy to guess. Choose another.",
            ));
        }
        Ok(Password(raw.to_owned()))
    }

    /// The secret itself, only for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

fn is_guessable(raw: &str, username: &str) -> bool {
    let lower = raw.to_lowercase();
    if lower.contains("repatrack") {
        return true;
    }
    let user = username.trim().to_lowercase();
    // A one- or two-letter name would match too many honest passwords.
    if user.chars().count() >= 3 && lower.contains(&user) {
        return true;
    }
    is_repeated(&lower) || is_sequential(&lower) || is_listed(&lower)
}

fn is_repeated(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// A straight run up or down, like `abcdefghijklmno` or `9876543210987654`.
/// Digits wrap 9→0 (and 0→9 going down) because that is how people type
/// long number runs.
fn is_sequential(s: &str) -> bool {
    let codes: Vec<u32> = s.chars().map(u32::from).collect();
    let step_ok = |step: fn(u32, u32) -> bool| codes.windows(2).all(|w| step(w[0], w[1]));
    codes.len() >= 2 && (step_ok(is_next) || step_ok(|a, b| is_next(b, a)))
}

fn is_next(a: u32, b: u32) -> bool {
    b == a + 1 || (a == u32::from('9') && b == u32::from('0'))
}

/// Whitespace is ignored on both sides so `correct horse battery staple`
/// and `correcthorsebatterystaple` count as the same guess.
fn is_listed(lower: &str) -> bool {
    let squeezed = squeeze(lower);
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|line| squeeze(&line.to_lowercase()) == squeezed)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str, username: &str) -> &'static str {
        Password::parse(raw, username).unwrap_err().key
    }

    #[test]
    fn accepts_passphrases_exactly_as_typed() {
        let raw = "  tea with cardamom at dawn  ";
        let p = Password::parse(raw, "sara").unwrap();
        assert_eq!(p.expose(), raw);
        // Any characters are allowed; 15 Arabic letters is 15, not 30.
        let arabic = "شاي بالهيل عند الفجر";
        assert_eq!(Password::parse(arabic, "sara").unwrap().expose(), arabic);
        let fifteen = "بحر".repeat(5);
        assert_eq!(Password::parse(&fifteen, "sara").unwrap().expose(), fifteen);
    }

    #[test]
    fn length_limits_count_chars() {
        assert_eq!(key("", "sara"), "password-too-short");
        assert_eq!(key("fourteen chars", "sara"), "password-too-short");
        assert!(Password::parse("fifteen chars!!", "sara").is_ok());
        let max = "ab".repeat(64);
        assert!(Password::parse(&max, "sara").is_ok());
        assert_eq!(key(&format!("{max}x"), "sara"), "password-too-long");
        let err = Password::parse("short", "sara").unwrap_err();
        assert_eq!(err.field, "password");
        assert_eq!(
            err.message,
            "Use at least 15 characters. A few ordinary words in a row make a good password."
        );
    }

    #[test]
    fn rejects_listed_passwords_case_and_space_insensitively() {
        for raw in [
            "passwordpassword",
            "PasswordPassword",
            "correcthorsebatterystaple",
            "Correct Horse Battery Staple",
            "qwertyuiopasdfgh",
            "1qaz2wsx3edc4rfv",
            "administrator123",
        ] {
            assert_eq!(key(raw, "sara"), "password-common", "{raw:?}");
        }
        let err = Password::parse("iloveyouiloveyou", "sara").unwrap_err();
        assert_eq!(
            err.message,
            "This password is too common or too easy to guess. Choose another."
        );
    }

    #[test]
    fn rejects_repeats_and_runs() {
        for raw in [
            "aaaaaaaaaaaaaaa",
            "AAAAAAAAAAAAAAAa",
            "               ",
            "123456789012345",
            "1234567890123456",
            "9876543210987654",
            "abcdefghijklmnop",
            "ONMLKJIHGFEDCBA",
        ] {
            assert_eq!(key(raw, "sara"), "password-common", "{raw:?}");
        }
        // Mixed direction is not a run.
        assert!(Password::parse("1234567654321234", "sara").is_ok());
    }

    #[test]
    fn rejects_username_and_app_name() {
        assert_eq!(key("my name is Sara.Ali ok", "sara.ali"), "password-common");
        assert_eq!(key("winter RepaTrack login", "sara"), "password-common");
        // Names shorter than 3 characters are not checked.
        assert!(Password::parse("ab likes the river", "ab").is_ok());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = Password::parse("tea with cardamom at dawn", "sara").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        assert_eq!(format!("{p:#?}"), "Password(***)");
    }

    #[test]
    fn bundled_list_is_substantial() {
        let entries = COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert!(entries >= 300, "{entries}");
    }
}
