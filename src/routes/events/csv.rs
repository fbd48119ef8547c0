//! `GET /events.csv`: the events of `/events` with exactly its filters, streamed.

use actix_web::{HttpResponse, web};

use super::list::filter_for;
use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::domain::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::state::AppState;
use crate::views::events::EventQuery;

/// Streams the export.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<EventQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (viewer, q) = (who.clone(), query.clone());
    let filter = state
        .db(move |conn| {
            let mut errors = FieldErrors::new();
            let filter = filter_for(conn, &viewer, &q, &mut errors)?;
            if errors.is_empty() {
                Ok(filter)
            } else {
                Err(AppError::Unprocessable("event export filters".into()))
            }
        })
        .await?;
    let export = Export {
        name: "events",
        file_name: export::file_name("events", &query.post.to_uppercase(), &query.from, &query.to),
        filters: query.query_string(),
        bom: query.bom == "1",
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::events::COLUMNS,
        move |conn, sink| export::events::rows(conn, &filter, sink),
    )
    .await
}
