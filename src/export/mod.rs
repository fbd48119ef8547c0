//! CSV exports: RFC 4180, UTF-8, a header row, streamed from the database in chunks so memory
//! stays flat however large the export; `?bom=1` prefixes a UTF-8 BOM for spreadsheet programs.

pub mod agreements;
pub mod audit;
pub mod checkpoints;
pub mod columns;
pub mod events;
pub mod headcount;
pub mod manifest;
pub mod people;
mod stream;
pub mod totals;

pub use stream::{Export, Outcome, Sink, stream_csv, write_csv};

/// A file name that says what is in it: `events.csv`,
/// `events-QAIM-2024-12-01-to-2024-12-31.csv`.
pub fn file_name(kind: &str, post: &str, from: &str, to: &str) -> String {
    let to = clean(to);
    let to = if to.is_empty() {
        to
    } else {
        format!("to-{to}")
    };
    file_name_of(kind, &[post, from, &to])
}

/// `kind` and each part that is not empty once cleaned, joined by dashes:
/// `agreements-QAIM-draft.csv`.
pub fn file_name_of(kind: &str, parts: &[&str]) -> String {
    let mut name = kind.to_owned();
    for part in parts.iter().map(|p| clean(p)).filter(|p| !p.is_empty()) {
        name.push('-');
        name.push_str(&part);
    }
    name + ".csv"
}

/// Only the letters, digits, dashes and underscores of a file name's part.
fn clean(part: &str) -> String {
    part.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Protects spreadsheet users from formula injection: a cell beginning with `=`, `+`, `-`, `@`,
/// tab or carriage return is prefixed with `'` (DESIGN.md §6). A cell beginning with `'` is
/// prefixed too, so the rule can be undone exactly: a reader strips one leading `'`.
pub fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => {
            std::borrow::Cow::Owned(format!("'{value}"))
        }
        _ => std::borrow::Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn formula_like_cells_are_defused_reversibly() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("-3"), "'-3");
        assert_eq!(safe_cell("@cmd"), "'@cmd");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("'quoted"), "''quoted");
        assert_eq!(safe_cell("QAIM"), "QAIM");
        assert_eq!(safe_cell(""), "");
    }
}
