//! `GET /audit/verify`.

use actix_web::web;

use crate::auth::{RequireRole, Reviewers};
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::audit::AuditVerifyPage;
use crate::views::layout::{Layout, Section};

/// Recomputes the chain and the checkpoints' signatures; shows the result, the head hash and
/// the latest checkpoints.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
) -> AppResult<AuditVerifyPage> {
    let (report, checkpoints) = state
        .db(|conn| {
            Ok((
                crate::audit::verify::verify(conn)?,
                crate::audit::checkpoint::all(conn)?,
            ))
        })
        .await?;
    let layout = Layout::for_user(&who, Section::Audit);
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
    })
}
