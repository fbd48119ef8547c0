//! `GET /audit/verify`.

use actix_web::web;

use crate::audit::state::{Difference, Problem};
use crate::auth::{RequireRole, Reviewers};
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::audit::{AuditVerifyPage, StateLine};
use crate::views::layout::{Layout, Section};

/// Recomputes the chain and the checkpoints' signatures; shows the result, the head hash and
/// the latest checkpoints.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
) -> AppResult<AuditVerifyPage> {
    let (report, checkpoints, tables) = state
        .db(|conn| {
            Ok((
                crate::audit::verify::verify(conn)?,
                crate::audit::checkpoint::all(conn)?,
                crate::audit::state::verify_state(conn)?,
            ))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Audit);
    let state_differences = if policy::list_state_differences(&who.principal()).is_ok() {
        tables
            .differences
            .iter()
            .map(|d| state_line(&layout, d))
            .collect()
    } else {
        Vec::new()
    };
    let state_rows = tables
        .rows
        .iter()
        .map(|(table, rows)| (layout.t(&format!("state-table-{table}")), *rows))
        .collect();
    let latest = checkpoints
        .iter()
        .rev()
        .take(10)
        .map(|c| {
            (
                c.seq,
                c.hash.clone(),
                layout.tr.datetime_utc(c.at),
                c.signature_valid(),
            )
        })
        .collect();
    let public_key = crate::audit::checkpoint::installed()
        .map(|k| hex::encode(k.verifying_key().to_bytes()))
        .unwrap_or_default();
    Ok(AuditVerifyPage {
        layout,
        entries: report.entries,
        head_hash: report.head_hash,
        first_broken: report.first_broken,
        checkpoints: latest,
        checkpoint_count: checkpoints.len(),
        public_key,
        state_rows,
        state_difference_count: tables.differences.len(),
        state_differences,
    })
}

fn state_line(layout: &Layout, d: &Difference) -> StateLine {
    StateLine {
        table: layout.t(&format!("state-table-{}", d.table)),
        record: if d.label.is_empty() {
            d.id.to_string()
        } else {
            d.label.clone()
        },
        problem: match &d.problem {
            Problem::Differs { field, .. } => layout.t1(
                "state-field-differs",
                "field",
                &crate::views::audit::field_label(layout, field),
            ),
            Problem::NoAuditEntry => layout.t("state-no-entry"),
            Problem::MissingRow => layout.t("state-missing"),
        },
    }
}
