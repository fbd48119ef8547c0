//! `GET /audit/verify`.

use actix_web::web;

use crate::auth::{RequireRole, Reviewers};
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::audit::AuditVerifyPage;
use crate::views::layout::{Layout, Section};

/// Recomputes the chain and shows the result with the head hash.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
) -> AppResult<AuditVerifyPage> {
    let report = state
        .db(|conn| Ok(crate::audit::verify::verify(conn)?))
        .await?;
    Ok(AuditVerifyPage {
        layout: Layout::for_user(&who, Section::Audit),
        entries: report.entries,
        head_hash: report.head_hash,
        first_broken: report.first_broken,
    })
}
