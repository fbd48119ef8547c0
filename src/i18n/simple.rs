//! Messages made only of text and `{ $variable }` references (`format-date`,
//! `format-datetime-post`, most labels with a name in them), filled in without Fluent.
//!
//! Fluent builds an argument map and walks the message's pattern on every lookup; a page of 50
//! events asked it twice per row for the date and time alone, a sixth of the events list's time
//! (BENCHMARKS.md, issue 19). These messages say the same filled in by hand. Messages with
//! selectors (plurals), terms, functions or numbers are left to Fluent, and so is any lookup
//! whose arguments are not all text.

use std::collections::HashMap;

use fluent_syntax::ast;

use super::Arg;

/// A piece of a simple message.
pub(super) enum Piece {
    /// Text as it is.
    Text(String),
    /// The argument of this name.
    Variable(String),
}

/// The simple messages of one locale file, by id.
pub(super) fn compile(source: &str) -> HashMap<String, Vec<Piece>> {
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(partial, _)| partial);
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(message) if message.attributes.is_empty() => {
                let pieces = pieces(message.value.as_ref()?)?;
                Some((message.id.name.to_owned(), pieces))
            }
            _ => None,
        })
        .collect()
}

fn pieces(pattern: &ast::Pattern<&str>) -> Option<Vec<Piece>> {
    pattern
        .elements
        .iter()
        .map(|element| match element {
            ast::PatternElement::TextElement { value } => Some(Piece::Text((*value).to_owned())),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(inline),
            } => match inline {
                ast::InlineExpression::VariableReference { id } => {
                    Some(Piece::Variable(id.name.to_owned()))
                }
                ast::InlineExpression::StringLiteral { value } => Some(Piece::Text(
                    fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned(),
                )),
                _ => None,
            },
            ast::PatternElement::Placeable { .. } => None,
        })
        .collect()
}

/// The message filled in with `args`, or `None` when an argument it names is missing or is not
/// text (Fluent then decides what to show).
pub(super) fn fill(pieces: &[Piece], args: &[(&str, Arg)]) -> Option<String> {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Variable(name) => match args.iter().find(|(arg, _)| arg == name)? {
                (_, Arg::Text(value)) => out.push_str(value),
                (_, Arg::Count(_)) => return None,
            },
        }
    }
    Some(out)
}
