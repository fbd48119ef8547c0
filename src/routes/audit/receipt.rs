//! `GET /audit/checkpoints/latest`: the latest signed checkpoint as a receipt to keep elsewhere.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::audit::receipt;
use crate::auth::{RequireRole, Reviewers};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The receipt as a small text file; 404 while no checkpoint has been signed.
pub async fn latest(
    state: web::Data<AppState>,
    RequireRole(_who, _): RequireRole<Reviewers>,
) -> AppResult<HttpResponse> {
    let receipt = state
        .db(|conn| Ok(receipt::latest(conn)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"repatrack-receipt-{}.txt\"",
                receipt.seq
            ),
        ))
        .body(receipt.to_text()))
}
