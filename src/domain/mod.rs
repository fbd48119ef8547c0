//! Domain types for repatrack: values that have been parsed from user input
//! and are therefore known to be valid wherever they appear.
//!
//! Every type offers a `parse` that returns either the value or a
//! [`FieldError`] naming the form field, so the web layer can show the
//! message next to the right input without re-validating anything.

pub mod account;
pub mod agreement;
pub mod digits;
pub mod event;
pub mod figures;
pub mod ids;
pub mod ledger;
pub mod names;
pub mod password;
pub mod period;
pub mod person;
pub mod policy;
pub mod post;
pub mod role;
pub mod username;

use std::fmt;

/// A problem with one form field, ready to show beside that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The HTML form field name, so the template can place the message.
    pub field: &'static str,
    /// A stable kebab-case message id, kept stable for later translation.
    pub key: &'static str,
    /// Plain English for a case officer, saying what is expected.
    pub message: String,
    /// Values for the translated message's placeables (e.g. `codes`).
    pub args: Vec<(&'static str, String)>,
    /// The message id of the field's label, where it is not `field-FIELD` (two forms name a
    /// field alike but label it differently: an agreement's `reference` is not a document's).
    pub label: Option<&'static str>,
}

impl FieldError {
    /// Builds an error for `field` with a stable `key` and a plain message.
    pub fn new(field: &'static str, key: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            key,
            message: message.into(),
            args: Vec::new(),
            label: None,
        }
    }

    /// Names the field's label for the error summary.
    pub fn with_label(mut self, label: &'static str) -> Self {
        self.label = Some(label);
        self
    }

    /// Adds a value the translated message shows (`{ $name }`).
    pub fn with_arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The shared "this field must not be blank" error.
    pub fn required(field: &'static str) -> Self {
        Self::new(field, "required", "Required.")
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// All problems found in one submitted form, in form order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// An empty collection.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Records one more problem.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// True when the form had no problems.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first problem recorded for `field`, if any; templates show one
    /// message per field.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Every problem, in the order recorded.
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// A `YYYY-MM-DD` date (Arabic-Indic digits read), years 1 to 9999 (chrono also reads "-5000"
/// or "+262143", which PostgreSQL refuses); empty is `None`.
pub fn parse_date(raw: &str, field: &'static str) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let ascii = digits::ascii_digits(raw);
    let trimmed = ascii.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        Ok(day) if (1..=9999).contains(&chrono::Datelike::year(&day)) => Ok(Some(day)),
        _ => Err(FieldError::new(
            field,
            "date-invalid",
            "Use a date like 2024-12-18.",
        )),
    }
}

/// Keeps parsing a whole form after one field fails: records the error and
/// returns `None`, so every field's problem reaches the officer at once.
pub fn collect<T>(errors: &mut FieldErrors, r: Result<T, FieldError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_keeps_ok_and_records_err() {
        let mut errors = FieldErrors::new();
        assert_eq!(collect(&mut errors, Ok::<_, FieldError>(7)), Some(7));
        assert!(errors.is_empty());
        let r: Result<i32, _> = Err(FieldError::required("a"));
        assert_eq!(collect(&mut errors, r), None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors.get("a").map(|e| e.key), Some("required"));
    }

    #[test]
    fn get_returns_first_error_for_field() {
        let mut errors = FieldErrors::default();
        errors.push(FieldError::new("x", "first", "First."));
        errors.push(FieldError::new("y", "other", "Other."));
        errors.push(FieldError::new("x", "second", "Second."));
        assert_eq!(errors.get("x").map(|e| e.key), Some("first"));
        assert_eq!(errors.get("z"), None);
        let keys: Vec<_> = errors.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["first", "other", "second"]);
        assert_eq!(errors.to_string(), "x: First.; y: Other.; x: Second.");
    }
}
