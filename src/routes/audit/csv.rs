//! `GET /audit.csv`: the trail as CSV with the filters of `/audit`, streamed.

use actix_web::{HttpResponse, web};

use super::list::filter_for;
use crate::audit::RequestActor;
use crate::auth::{RequireRole, Reviewers};
use crate::domain::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::state::AppState;
use crate::views::audit::AuditQuery;

/// Streams the export.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Reviewers>,
    RequestActor(actor): RequestActor,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let mut errors = FieldErrors::new();
    let filter = filter_for(&who, &query, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Unprocessable("audit export filters".into()));
    }
    let export = Export {
        name: "audit",
        file_name: export::file_name("audit", &query.post, &query.from, &query.to),
        filters: query.query_string(),
        bom: query.bom.as_deref() == Some("1"),
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::audit::COLUMNS,
        move |conn, sink| export::audit::rows(conn, &filter, sink),
    )
    .await
}

/// `GET /audit/checkpoints.csv`.
pub async fn checkpoints(
    state: web::Data<AppState>,
    RequireRole(_who, _): RequireRole<Reviewers>,
    RequestActor(actor): RequestActor,
) -> AppResult<HttpResponse> {
    let export = Export {
        name: "audit_checkpoints",
        file_name: "audit-checkpoints.csv".into(),
        filters: String::new(),
        bom: false,
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::checkpoints::COLUMNS,
        export::checkpoints::rows,
    )
    .await
}
