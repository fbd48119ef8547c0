//! `/reports/headcount.csv`: the headcount report with the filters of its page.

use crate::db::DbConn;
use crate::error::AppError;
use crate::reports::{HeadcountFilter, for_each_line};

/// The columns, in order (documented in the README; stable). The first six count every
/// non-void entry, pending ones included; the pending and verified columns come after them, so
/// readers by position or by name are unaffected.
pub const COLUMNS: &[&str] = &[
    "post",
    "date",
    "category",
    "inbound",
    "outbound",
    "present_end_of_day",
    "inbound_pending",
    "outbound_pending",
    "present_end_of_day_verified",
    "day_closed",
];

/// Writes every line of the report.
pub fn rows(
    conn: &mut DbConn,
    filter: &HeadcountFilter,
    sink: &mut super::Sink,
) -> Result<(), AppError> {
    for_each_line(conn, filter, |line| {
        let d = &line.figures;
        sink.row([
            super::safe_cell(&line.post).as_ref(),
            &d.day.to_string(),
            line.category.as_str(),
            &d.inbound.to_string(),
            &d.outbound.to_string(),
            &d.present.to_string(),
            &d.pending_in.to_string(),
            &d.pending_out.to_string(),
            &d.present_figure().verified().to_string(),
            if line.closed { "yes" } else { "no" },
        ])
    })
}
