//! `/reports/headcount.csv`: the headcount report with the filters of its page.

use crate::db::DbConn;
use crate::error::AppError;
use crate::reports::{HeadcountFilter, for_each_line};

/// The columns, in order (documented in the README; stable).
pub const COLUMNS: &[&str] = &[
    "post",
    "date",
    "category",
    "inbound",
    "outbound",
    "present_end_of_day",
];

/// Writes every line of the report.
pub fn rows(
    conn: &mut DbConn,
    filter: &HeadcountFilter,
    sink: &mut super::Sink,
) -> Result<(), AppError> {
    for_each_line(conn, filter, |line| {
        sink.row([
            super::safe_cell(&line.post).as_ref(),
            &line.day.to_string(),
            line.category.as_str(),
            &line.inbound.to_string(),
            &line.outbound.to_string(),
            &line.present.to_string(),
        ])
    })
}
