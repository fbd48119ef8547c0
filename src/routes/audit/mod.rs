//! The audit trail's pages: `/audit`, `/audit/verify`, receipts, and each record's history.

pub mod csv;
pub mod history;
pub mod list;
pub mod receipt;
pub mod verify;

use crate::audit::Action;
use crate::views::Layout;

/// Every action code with its label, for the filter's select.
pub fn action_choices(layout: &Layout) -> Vec<(&'static str, String)> {
    Action::ALL
        .iter()
        .map(|a| {
            (
                a.code(),
                layout.t(&format!("action-{}", a.code().replace(['.', '_'], "-"))),
            )
        })
        .collect()
}
