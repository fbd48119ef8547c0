//! `GET /audit/checkpoints/latest`: a signed checkpoint of the head as a receipt to keep elsewhere.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::audit::{checkpoint, receipt};
use crate::auth::{RequireRole, Reviewers};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The receipt as a small text file. The head is signed first if it moved since the last
/// checkpoint, so the receipt covers everything recorded until now (a partner fetches it with
/// the figures it receives); 404 only while the trail is empty.
pub async fn latest(
    state: web::Data<AppState>,
    RequireRole(_who, _): RequireRole<Reviewers>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let receipt = state
        .db(move |conn| {
            if let Some(key) = checkpoint::installed() {
                checkpoint::sign_now(conn, key, now)?;
            }
            Ok(receipt::latest(conn)?)
        })
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
