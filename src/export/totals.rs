//! `/reports/totals.csv`: the roll-up with the filters of its page, one row per period and
//! category.

use crate::db::DbConn;
use crate::error::AppError;
use crate::reports::totals::{TotalsFilter, roll_up};

/// The columns, in order (documented in the README; stable). Unlike the headcount export's,
/// the figures are verified ones with what pending entries add beside them, as the page shows
/// them: a verified total read by name needs no subtraction.
pub const COLUMNS: &[&str] = &[
    "period_start",
    "period_end",
    "category",
    "verified_in",
    "verified_out",
    "verified_present_at_end",
    "pending_in",
    "pending_out",
    "pending_present_at_end",
    "posts",
];

/// Writes every row of the roll-up: by period, then category.
pub fn rows(
    conn: &mut DbConn,
    filter: &TotalsFilter,
    sink: &mut super::Sink,
) -> Result<(), AppError> {
    let lines = roll_up(conn, filter)?;
    let posts: Vec<&str> = filter
        .report
        .posts
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    let posts = posts.join(" ");
    for line in &lines {
        for (category, d) in filter.report.categories.iter().zip(&line.figures) {
            let going = sink.row([
                line.period.from.to_string().as_str(),
                &line.period.to.to_string(),
                category.as_str(),
                &d.inbound_figure().verified().to_string(),
                &d.outbound_figure().verified().to_string(),
                &d.present_figure().verified().to_string(),
                &d.pending_in.to_string(),
                &d.pending_out.to_string(),
                &d.pending_present.to_string(),
                super::safe_cell(&posts).as_ref(),
            ]);
            if !going {
                return Ok(());
            }
        }
    }
    Ok(())
}
