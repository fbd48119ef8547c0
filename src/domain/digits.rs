//! Digits as typed on an Arabic keyboard.

use std::borrow::Cow;

/// Replaces Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits with ASCII ones, so
/// numbers and codes typed on an Arabic keyboard are understood.
pub fn ascii_digits(input: &str) -> Cow<'_, str> {
    let arabic = |c: char| ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c);
    if !input.chars().any(arabic) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(
        input
            .chars()
            .map(|c| {
                let offset = match c {
                    '٠'..='٩' => Some(c as u32 - '٠' as u32),
                    '۰'..='۹' => Some(c as u32 - '۰' as u32),
                    _ => None,
                };
                offset.and_then(|d| char::from_digit(d, 10)).unwrap_or(c)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_digits_become_ascii_and_other_text_is_untouched() {
        assert_eq!(ascii_digits("١٩٠٥ و ۱۲"), "1905 و 12");
        assert_eq!(ascii_digits("QAIM-12"), "QAIM-12");
        assert!(matches!(ascii_digits("QAIM"), Cow::Borrowed(_)));
    }
}
